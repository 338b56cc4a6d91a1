import { app, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAppUrlCheck, isAllowedExternal } from './app/app-url';
import { saveChoice } from './app/downloads';
import { CONTENT_SECURITY_POLICY } from './app/csp';

/**
 * Which URLs are the app: our built index.html, or the dev server in an unpackaged run. A
 * packaged app ignores ELECTRON_RENDERER_URL, so an environment variable cannot make it load
 * (and trust) a page from elsewhere.
 */
export const isAppUrl = createAppUrlCheck({
  rendererIndexUrl: pathToFileURL(join(__dirname, '../renderer/index.html')).href,
  devServerUrl: app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'],
  ignoreCase: process.platform === 'win32',
});

/** Developer tools only when running from source, never in the packaged app. */
export const devToolsAllowed = !app.isPackaged;

/** App-wide hardening; call once when the app is ready, before any window opens. */
export function hardenSession(): void {
  const ses = session.defaultSession;
  // The till needs no camera, microphone, notifications, geolocation, USB or HID.
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The end-of-day exports: a save dialog for our own blob: files, nothing else.
  ses.on('will-download', (event, item) => {
    const choice = saveChoice(item.getURL(), item.getFilename(), app.getPath('downloads'));
    if (!choice) {
      event.preventDefault();
      return;
    }
    item.setSaveDialogOptions(choice);
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
}

/** Opens an allowlisted link in the system browser; anything else is dropped. */
function openExternal(url: string): void {
  if (isAllowedExternal(url)) void shell.openExternal(url);
}

function lockDown(contents: WebContents): void {
  // Navigation stays inside the app; an allowlisted link goes to the system browser instead.
  const guard = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    openExternal(url);
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternal(url);
    return { action: 'deny' };
  });
}
