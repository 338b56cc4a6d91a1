import { create } from 'qrcode';

/** Error correction level M: survives a smudged screen and keeps the code small. */
const OPTIONS = { errorCorrectionLevel: 'M' } as const;
/** The quiet zone QR readers need around the code, in modules. */
const MARGIN = 4;

/**
 * A QR code of `text` as an SVG document: one path with a horizontal run per row of dark
 * modules, on a white square. Plain markup, so it goes into an <img> as a data: URL under the
 * strict CSP, scales to any size without blur, and is the same in the browser and in Node
 * (tests rebuild it from the link they read to prove the image encodes that link).
 */
export function qrSvg(text: string): string {
  const { modules } = create(text, OPTIONS);
  const n = modules.size;
  const full = n + 2 * MARGIN;
  let d = '';
  for (let y = 0; y < n; y++) {
    let x = 0;
    while (x < n) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < n && modules.get(y, x)) x++;
      d += `M${start + MARGIN} ${y + MARGIN}h${x - start}v1h-${x - start}z`;
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path d="${d}" fill="#000"/></svg>`
  );
}

/** The QR code of `text` as a data: URL for an <img>. */
export function qrDataUrl(text: string): string {
  return `data:image/svg+xml;base64,${btoa(qrSvg(text))}`;
}
