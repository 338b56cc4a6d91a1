/**
 * Which URLs are the app itself, for navigation locks and the IPC sender check. Pure, so it is
 * tested under Node; security.ts feeds it Electron's paths.
 */
export interface AppUrlOptions {
  /** file:// URL of the built renderer's index.html. */
  rendererIndexUrl: string;
  /** The electron-vite dev server (ELECTRON_RENDERER_URL), in development only. */
  devServerUrl?: string | undefined;
  /** Windows paths: the same file whatever the case of its letters. */
  ignoreCase?: boolean;
}

export function createAppUrlCheck(options: AppUrlOptions): (url: string) => boolean {
  const index = parse(options.rendererIndexUrl);
  const dev = options.devServerUrl ? parse(options.devServerUrl) : null;
  // Chromium and Node may escape a path differently (spaces, accents): compare it decoded.
  const path = (url: URL): string => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(url.pathname);
    } catch {
      return `\0invalid:${url.pathname}`;
    }
    return options.ignoreCase ? decoded.toLowerCase() : decoded;
  };
  const indexPath = index ? path(index) : null;
  return (raw) => {
    const url = parse(raw);
    if (!url) return false;
    // The same origin exactly: a prefix test would let http://localhost:51730 pass for :5173.
    if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && url.origin === dev.origin)
      return true;
    // Only our index.html, whatever its hash: any other local file, even one in a folder
    // also called out/renderer, is not the app.
    return index !== null && url.protocol === 'file:' && url.host === index.host && path(url) === indexPath;
  };
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** Sites a link may open in the system browser; everything else is dropped. */
export const EXTERNAL_ALLOWLIST: readonly string[] = ['https://www.drop-pay.com', 'https://docs.drop-pay.io'];

/** Whether a link may leave the app for the system browser: https, an allowlisted origin, no credentials in it. */
export function isAllowedExternal(raw: string): boolean {
  const url = parse(raw);
  return (
    url !== null &&
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    EXTERNAL_ALLOWLIST.includes(url.origin)
  );
}
