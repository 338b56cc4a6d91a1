import { describe, expect, it } from 'vitest';
import { create } from 'qrcode';
import { qrDataUrl, qrSvg } from '../../../renderer/src/lib/qr-svg';

/** Reads the dark modules back out of the SVG path (runs of `M x y h w v1 h-w z`). */
function modulesOf(svg: string): boolean[][] {
  const full = Number(/viewBox="0 0 (\d+) /.exec(svg)?.[1]);
  const grid = Array.from({ length: full }, () => Array<boolean>(full).fill(false));
  for (const m of svg.matchAll(/M(\d+) (\d+)h(\d+)/g)) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let i = 0; i < w; i++) (grid[y] as boolean[])[x + i] = true;
  }
  return grid;
}

describe('the QR code of a sharing link', () => {
  const link = 'http://127.0.0.1:40885/pay/CHT3BAKZ6MBY34P8D';

  it('draws exactly the modules of the link’s QR code, inside a 4-module quiet zone', () => {
    const qr = create(link, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const grid = modulesOf(qrSvg(link));
    expect(grid).toHaveLength(n + 8);
    for (let y = 0; y < n + 8; y++) {
      for (let x = 0; x < n + 8; x++) {
        const inside = x >= 4 && y >= 4 && x < n + 4 && y < n + 4;
        const dark = inside ? Boolean(qr.modules.get(y - 4, x - 4)) : false;
        expect(grid[y]?.[x], `module ${x},${y}`).toBe(dark);
      }
    }
  });

  it('is a data: URL an <img> can show under the strict CSP', () => {
    const url = qrDataUrl(link);
    expect(url.startsWith('data:image/svg+xml;base64,')).toBe(true);
    expect(atob(url.slice('data:image/svg+xml;base64,'.length))).toBe(qrSvg(link));
  });
});
