import { app, session, shell, type WebContents } from 'electron';
import { CONTENT_SECURITY_POLICY } from './app/csp';

/** External sites a link may open in the system browser; everything else is dropped. */
const EXTERNAL_ALLOWLIST = new Set(['https://www.drop-pay.com', 'https://docs.drop-pay.io']);

/** App-wide hardening; call once when the app is ready. */
export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
}

/** Which URLs count as the app itself: the built files, or the dev server in development. */
export function isAppUrl(url: string): boolean {
  const dev = process.env['ELECTRON_RENDERER_URL'];
  if (dev && url.startsWith(dev)) return true;
  return url.startsWith('file://') && url.includes('/out/renderer/');
}

function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const origin = safeOrigin(url);
    if (origin && EXTERNAL_ALLOWLIST.has(origin)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
