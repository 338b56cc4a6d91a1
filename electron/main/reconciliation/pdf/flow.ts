/** The report's page flow: a cursor down A4 pages, with headings, rows, wrapped text and table rows. */
import { A4, monoWidth, type PdfDocument, type PdfPage } from './writer';

export const MARGIN = 50;
export const RIGHT = A4.width - MARGIN;
const BOTTOM = 60;

/** A cursor that flows down the page and starts a new one when it runs out. */
export class Flow {
  page: PdfPage;
  y = A4.height - MARGIN;
  /**
   * Called at the top of each page the flow starts, while set: a long list repeats its
   * heading and column header there. It draws straight on the page (never through `need`).
   */
  onNewPage: (() => void) | null = null;
  constructor(readonly doc: PdfDocument) {
    this.page = doc.addPage();
  }
  need(height: number): void {
    if (this.y - height < BOTTOM) {
      this.page = this.doc.addPage();
      this.y = A4.height - MARGIN;
      this.onNewPage?.();
    }
  }
  heading(text: string): void {
    this.need(40);
    this.y -= 14;
    this.page.text(MARGIN, this.y, text, 'bold', 12);
    this.y -= 4;
    this.page.line(MARGIN, this.y, RIGHT, this.y);
    this.y -= 12;
  }
  row(text: string, size = 9, font: 'regular' | 'bold' | 'mono' = 'regular'): void {
    this.need(size + 4);
    this.page.text(MARGIN, this.y, text, font, size);
    this.y -= size + 4;
  }
  /** Mono text wrapped to the page width by character count (see `wrapLines`). */
  wrapped(text: string, size = 8, indent = 0): void {
    for (const line of wrapLines(text, charsPerLine(size, indent))) {
      this.need(size + 3);
      this.page.text(MARGIN + indent, this.y, line, 'mono', size);
      this.y -= size + 3;
    }
  }
  /** A table row: the first cell left, the others right-aligned at the given right edges. */
  cells(values: string[], rights: number[], font: 'regular' | 'bold' = 'regular'): void {
    this.need(13);
    values.forEach((v, i) => {
      if (i === 0) this.page.text(MARGIN, this.y, v, font, 9);
      else this.page.textRight(rights[i - 1] ?? RIGHT, this.y, v, 9, font === 'bold' ? 'monoBold' : 'mono');
    });
    this.y -= 13;
  }
}

/** How many Courier characters of `size` fit across the page after `indent`. */
export function charsPerLine(size: number, indent = 0): number {
  return Math.max(1, Math.floor((RIGHT - MARGIN - indent) / monoWidth('x', size)));
}

/**
 * Text wrapped into lines of at most `perLine` characters (every Courier glyph is equal), at
 * spaces; any run of white space, a line break included, is one space. A word longer than a
 * line (an id, an address) is cut across lines rather than run off the page.
 */
export function wrapLines(text: string, perLine: number): string[] {
  const words = text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .flatMap((w) => ([...w].length <= perLine ? [w] : (w.match(new RegExp(`.{1,${perLine}}`, 'gu')) ?? [w])));
  const lines: string[] = [];
  let current = '';
  let length = 0;
  for (const w of words) {
    const n = [...w].length;
    if (length > 0 && length + 1 + n > perLine) {
      lines.push(current);
      current = '';
      length = 0;
    }
    current = length > 0 ? `${current} ${w}` : w;
    length += length > 0 ? 1 + n : n;
  }
  if (length > 0) lines.push(current);
  return lines;
}
