import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/app/csp';
import type * as FakeElectron from './fake-electron';
import type * as SecurityModule from '../../../electron/main/security';

vi.mock('electron', () => import('./fake-electron'));

type Fake = typeof FakeElectron;
type Security = typeof SecurityModule;

// security.ts lives in electron/main (out/main once built): the renderer is ../renderer.
const INDEX = pathToFileURL(join(__dirname, '../../../electron/renderer/index.html')).href;
const DEV = 'http://localhost:5173';

/** A fresh Electron and a fresh security.ts, which reads isPackaged and the env on import. */
async function load(packaged: boolean, devUrl?: string): Promise<{ fake: Fake; security: Security }> {
  vi.resetModules();
  vi.stubEnv('ELECTRON_RENDERER_URL', devUrl);
  // What security.ts will import: the mocked module, whatever the registry reset kept.
  const fake = (await import('electron')) as unknown as Fake;
  fake.resetFake();
  fake.app.isPackaged = packaged;
  return { fake, security: await import('../../../electron/main/security') };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('which pages are the app', () => {
  it('from source: the built index.html and the dev server; developer tools allowed', async () => {
    const { security } = await load(false, DEV);
    expect(security.isAppUrl(`${INDEX}#cashier`)).toBe(true);
    expect(security.isAppUrl(`${DEV}/#customer`)).toBe(true);
    expect(security.isAppUrl('https://evil.example/#cashier')).toBe(false);
    expect(security.devToolsAllowed).toBe(true);
  });

  it('packaged: ELECTRON_RENDERER_URL is ignored and developer tools are off', async () => {
    const { security } = await load(true, DEV);
    expect(security.isAppUrl(`${INDEX}#cashier`)).toBe(true);
    expect(security.isAppUrl(`${DEV}/#cashier`)).toBe(false);
    expect(security.devToolsAllowed).toBe(false);
  });
});

describe('hardenSession', () => {
  let fake: Fake;
  let ses: Fake['session']['defaultSession'];

  beforeEach(async () => {
    const loaded = await load(true);
    fake = loaded.fake;
    ses = fake.session.defaultSession;
    loaded.security.hardenSession();
  });

  it('denies every permission request, check and device', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'hid', 'openExternal']) {
      const callback = vi.fn();
      ses.permissionRequestHandler?.(...([null, permission, callback, {}] as never[]));
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(ses.permissionCheckHandler?.(...([null, permission, 'file://', {}] as never[]))).toBe(false);
    }
    expect(ses.devicePermissionHandler?.(...([{ deviceType: 'usb', device: {} }] as never[]))).toBe(false);
  });

  it('puts our Content-Security-Policy on every response, replacing a served one', () => {
    const headersOf = (responseHeaders?: Record<string, string[]>): unknown => {
      const callback = vi.fn();
      ses.headersReceived?.(...([{ url: INDEX, responseHeaders }, callback] as never[]));
      expect(callback).toHaveBeenCalledOnce();
      return (callback.mock.calls[0]?.[0] as { responseHeaders: unknown }).responseHeaders;
    };
    expect(
      headersOf({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src *'] }),
    ).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    });
    expect(headersOf(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  describe('downloads', () => {
    const download = (
      url: string,
      name: string,
    ): { prevented: boolean; item: ReturnType<Fake['downloadItem']> } => {
      const item = fake.downloadItem(url, name);
      return { prevented: fake.emitPreventable(ses, 'will-download', item, null), item };
    };

    it('a blob: export gets a save dialog in the downloads folder', () => {
      const { prevented, item } = download('blob:file:///a1b2', 'giornata-2025-01-31.csv');
      expect(prevented).toBe(false);
      expect(item.setSaveDialogOptions).toHaveBeenCalledExactlyOnceWith({
        defaultPath: join('/home/cashier/Downloads', 'giornata-2025-01-31.csv'),
        filters: [{ name: 'CSV', extensions: ['csv'] }],
      });
    });

    it('anything else is cancelled without a dialog', () => {
      for (const [url, name] of [
        ['https://evil.example/report.csv', 'report.csv'],
        ['data:text/csv,a', 'report.csv'],
        ['blob:file:///a1b2', 'setup.exe'],
      ] as const) {
        const { prevented, item } = download(url, name);
        expect(prevented, url).toBe(true);
        expect(item.setSaveDialogOptions).not.toHaveBeenCalled();
      }
    });
  });

  describe('every web contents', () => {
    let contents: InstanceType<Fake['FakeWebContents']>;

    beforeEach(() => {
      contents = new fake.FakeWebContents();
      fake.app.emit('web-contents-created', fake.fakeEvent(), contents);
    });

    const navigate = (event: 'will-navigate' | 'will-redirect', url: string): boolean =>
      fake.emitPreventable(contents, event, url, false, true, 1, 1);

    it('navigates within the app only', () => {
      for (const event of ['will-navigate', 'will-redirect'] as const) {
        expect(navigate(event, `${INDEX}#customer`)).toBe(false);
        expect(navigate(event, 'https://evil.example/')).toBe(true);
        expect(navigate(event, 'file:///etc/passwd')).toBe(true);
      }
      expect(fake.shell.openExternal).not.toHaveBeenCalled();
    });

    it('sends an allowlisted link to the system browser instead of navigating to it', () => {
      expect(navigate('will-navigate', 'https://www.drop-pay.com/privacy')).toBe(true);
      expect(navigate('will-redirect', 'https://docs.drop-pay.io/pos')).toBe(true);
      expect(fake.shell.openExternal.mock.calls).toEqual([
        ['https://www.drop-pay.com/privacy'],
        ['https://docs.drop-pay.io/pos'],
      ]);
    });

    it('never opens a new window; allowlisted links go to the system browser', () => {
      const open = (url: string): unknown => contents.windowOpenHandler?.({ url });
      expect(open(`${INDEX}#cashier`)).toEqual({ action: 'deny' });
      expect(open('https://evil.example/')).toEqual({ action: 'deny' });
      expect(open('http://www.drop-pay.com/')).toEqual({ action: 'deny' });
      expect(fake.shell.openExternal).not.toHaveBeenCalled();
      expect(open('https://www.drop-pay.com/')).toEqual({ action: 'deny' });
      expect(fake.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://www.drop-pay.com/');
    });

    it('refuses to attach a webview', () => {
      expect(fake.emitPreventable(contents, 'will-attach-webview', {}, { src: INDEX })).toBe(true);
    });
  });
});
