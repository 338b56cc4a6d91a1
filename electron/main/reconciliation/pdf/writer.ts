/**
 * A minimal PDF 1.4 writer: A4 pages of text, rectangles and lines with the standard fonts
 * every reader has (Helvetica and Courier, regular and bold), WinAnsi text, uncompressed content.
 * Enough for a one- or two-page report, with no dependency, nothing read from disk and nothing
 * downloaded, so it bundles and runs anywhere Node does. Output is deterministic for the same
 * input (the creation date is passed in).
 */

export type FontName = 'regular' | 'bold' | 'mono' | 'monoBold';
export type Rgb = readonly [number, number, number];

export const A4 = { width: 595.28, height: 841.89 } as const;

const FONT_KEYS: Record<FontName, string> = { regular: 'F1', bold: 'F2', mono: 'F3', monoBold: 'F4' };
const BASE_FONTS = ['Helvetica', 'Helvetica-Bold', 'Courier', 'Courier-Bold'] as const;

/** Courier's glyphs are all 600/1000 em wide, so mono text can be measured without metrics. */
export function monoWidth(text: string, size: number): number {
  return [...text.normalize('NFC')].length * 0.6 * size; // one glyph per character, as pdfString writes them
}

// WinAnsiEncoding's characters outside Latin-1 (its 0x80-0x9F row), and one stand-in.
const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
  '→': 0x3e, // no arrow in WinAnsi: ">" reads well enough
};

function directWinAnsi(ch: string): number | undefined {
  const extra = WIN_ANSI_EXTRA[ch];
  if (extra !== undefined) return extra;
  const code = ch.codePointAt(0) ?? 0x3f;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) ? code : undefined;
}

/**
 * One character's WinAnsi byte. A letter the encoding lacks is written as its base letter when
 * it has one ("Ștefan", "Łukasz", "Dvořák" print "Stefan", "Lukasz", "Dvorák": a name stays
 * readable); anything else (another script, an emoji) as "?".
 */
function winAnsi(ch: string): number {
  const direct = directWinAnsi(ch);
  if (direct !== undefined) return direct;
  const base = STROKED[ch] ?? ch.normalize('NFD').charAt(0);
  return base !== ch ? (directWinAnsi(base) ?? 0x3f) : 0x3f;
}

const COMBINING = /^\p{M}$/u;

// Letters with a stroke or a bar have no decomposition to a base letter.
const STROKED: Record<string, string> = {
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ŧ: 'T',
  ŧ: 't',
};

/** A PDF literal string: WinAnsi bytes, with anything unsafe written as an octal escape. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text.normalize('NFC')) {
    if (COMBINING.test(ch)) continue; // a mark left over after NFC has no letter to sit on here
    const byte = winAnsi(ch);
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x20 || byte > 0x7e) out += `\\${byte.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out})`;
}

const n = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(2));

export class PdfPage {
  readonly ops: string[] = [];

  text(
    x: number,
    y: number,
    text: string,
    font: FontName = 'regular',
    size = 10,
    color: Rgb = [0, 0, 0],
  ): void {
    this.ops.push(
      `BT ${color.map(n).join(' ')} rg /${FONT_KEYS[font]} ${n(size)} Tf ${n(x)} ${n(y)} Td ${pdfString(text)} Tj ET`,
    );
  }

  /** Mono text ending at `right`. */
  textRight(right: number, y: number, text: string, size = 9, font: FontName = 'mono'): void {
    this.text(right - monoWidth(text, size), y, text, font, size);
  }

  rect(x: number, y: number, w: number, h: number, fill: Rgb): void {
    this.ops.push(`${fill.map(n).join(' ')} rg ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f`);
  }

  line(x1: number, y1: number, x2: number, y2: number, gray = 0.6, width = 0.5): void {
    this.ops.push(`${n(gray)} G ${n(width)} w ${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
  }
}

export class PdfDocument {
  readonly pages: PdfPage[] = [];

  addPage(): PdfPage {
    const page = new PdfPage();
    this.pages.push(page);
    return page;
  }

  /** The file. `createdAt` (ISO) becomes the document's creation date. */
  toBuffer(info: { title: string; createdAt: string }): Buffer {
    const objects: string[] = [];
    const pageCount = this.pages.length;
    const firstPage = 3 + BASE_FONTS.length + 1; // after catalog, pages, fonts and info
    objects.push('<< /Type /Catalog /Pages 2 0 R >>');
    const kids = this.pages.map((_, i) => `${firstPage + i * 2} 0 R`).join(' ');
    objects.push(`<< /Type /Pages /Kids [${kids}] /Count ${pageCount} >>`);
    for (const base of BASE_FONTS) {
      objects.push(`<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`);
    }
    const date = `D:${info.createdAt.replace(/[-:T]/g, '').slice(0, 14)}Z`;
    objects.push(`<< /Title ${pdfString(info.title)} /Producer (DropPay Cashier) /CreationDate (${date}) >>`);
    const fonts = BASE_FONTS.map((_, i) => `/F${i + 1} ${3 + i} 0 R`).join(' ');
    this.pages.forEach((page, i) => {
      objects.push(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] ` +
          `/Resources << /Font << ${fonts} >> >> /Contents ${firstPage + i * 2 + 1} 0 R >>`,
      );
      const content = page.ops.join('\n');
      objects.push(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
    });

    // Offsets are byte offsets: every part is ASCII or latin1, written as latin1.
    let body = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
    const offsets: number[] = [];
    objects.forEach((obj, i) => {
      offsets.push(Buffer.byteLength(body, 'latin1'));
      body += `${i + 1} 0 obj\n${obj}\nendobj\n`;
    });
    const xref = Buffer.byteLength(body, 'latin1');
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
    for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
    const infoRef = 3 + BASE_FONTS.length;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoRef} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(body, 'latin1');
  }
}
