/**
 * Reads a PDF back with a real reader (Mozilla's pdf.js), independent of the writer under
 * test: page count, the first page's size, and the text of every page, joined and page by page.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfText(pdf: Buffer): Promise<{
  pages: number;
  text: string;
  /** Each page's text on its own, in order. */
  pageTexts: string[];
  /** Each page's text baselines (y from the page's foot, in points), lowest first. */
  baselines: number[][];
  size: { width: number; height: number };
  /** The right end of the text that reaches furthest across any page, in points. */
  rightmost: number;
}> {
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const parts: string[] = [];
    const pageTexts: string[] = [];
    const baselines: number[][] = [];
    let size = { width: 0, height: 0 };
    let rightmost = 0;
    for (let i = 1; i <= doc.numPages; i += 1) {
      const page = await doc.getPage(i);
      if (i === 1) {
        const [x0, y0, x1, y1] = page.view as [number, number, number, number];
        size = { width: x1 - x0, height: y1 - y0 };
      }
      const content = await page.getTextContent();
      const first = parts.length;
      const ys = new Set<number>();
      for (const item of content.items) {
        if (!('str' in item)) continue;
        parts.push(item.hasEOL ? `${item.str}\n` : item.str);
        const x = (item.transform as number[])[4] ?? 0;
        if (item.str.trim() === '') continue;
        rightmost = Math.max(rightmost, x + item.width);
        ys.add((item.transform as number[])[5] ?? 0);
      }
      pageTexts.push(parts.slice(first).join(''));
      baselines.push([...ys].sort((a, b) => a - b));
      parts.push('\n');
    }
    return { pages: doc.numPages, text: parts.join(''), pageTexts, baselines, size, rightmost };
  } finally {
    await doc.destroy();
  }
}
