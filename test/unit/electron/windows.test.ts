import { afterEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type * as FakeElectron from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

type Fake = typeof FakeElectron;
type Window = InstanceType<Fake['FakeBrowserWindow']>;

const MAIN_DIR = join(__dirname, '../../../electron/main'); // out/main once built
const DEV = 'http://localhost:5173';

/** A fresh windows.ts (and security.ts, which reads isPackaged and the env on import). */
async function load(packaged: boolean, devUrl?: string) {
  vi.resetModules();
  vi.stubEnv('ELECTRON_RENDERER_URL', devUrl);
  const fake = (await import('electron')) as unknown as Fake;
  fake.resetFake();
  fake.app.isPackaged = packaged;
  const windows = await import('../../../electron/main/windows');
  const { isAppUrl } = await import('../../../electron/main/security');
  return { fake, windows, isAppUrl };
}

const asFake = (win: unknown): Window => win as Window;

afterEach(() => {
  vi.unstubAllEnvs();
});

function expectHardened(win: Window, devTools: boolean): void {
  expect(win.options.webPreferences).toEqual({
    preload: join(MAIN_DIR, '../preload/index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools,
    spellcheck: false,
  });
}

describe('the cashier window', () => {
  it('is isolated and sandboxed, without Node, with the bundled preload', async () => {
    const { windows } = await load(true);
    const win = asFake(windows.createCashierWindow());
    expectHardened(win, false);
    expect(win.options).toMatchObject({ minWidth: 1024, show: false, title: 'DropPay Cashier' });
  });

  it('shows itself (focused) only once its first paint is ready', async () => {
    const { windows } = await load(true);
    const win = asFake(windows.createCashierWindow());
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
  });

  it('packaged: loads the built index.html#cashier, a page the IPC check trusts', async () => {
    const { windows, isAppUrl } = await load(true, DEV); // the env variable is ignored
    const win = asFake(windows.createCashierWindow());
    expect(win.loads).toEqual([
      { kind: 'file', target: join(MAIN_DIR, '../renderer/index.html'), hash: 'cashier' },
    ]);
    expect(win.webContents.mainFrame.url).toMatch(/\/renderer\/index\.html#cashier$/);
    expect(isAppUrl(win.webContents.mainFrame.url)).toBe(true);
  });

  it('from source: loads the dev server when there is one, with developer tools', async () => {
    const dev = await load(false, DEV);
    const win = asFake(dev.windows.createCashierWindow());
    expect(win.loads).toEqual([{ kind: 'url', target: `${DEV}#cashier` }]);
    expect(dev.isAppUrl(win.webContents.mainFrame.url)).toBe(true);
    expectHardened(win, true);

    const built = await load(false);
    expect(asFake(built.windows.createCashierWindow()).loads[0]).toMatchObject({
      kind: 'file',
      hash: 'cashier',
    });
  });
});

describe('the customer window', () => {
  const bounds = { x: 1920, y: 0, width: 1280, height: 1024 };

  it('is hardened the same way, at the bounds it is given, without a menu', async () => {
    const { windows } = await load(true);
    const win = asFake(windows.createCustomerWindow(bounds));
    expectHardened(win, false);
    expect(win.options).toMatchObject({ ...bounds, show: false, autoHideMenuBar: true });
    expect(win.getBounds()).toEqual(bounds);
    expect(win.menuRemoved).toBe(true);
  });

  it('loads index.html#customer, trusted by the IPC check, and leaves showing it to displays.ts', async () => {
    const { windows, isAppUrl } = await load(true);
    const win = asFake(windows.createCustomerWindow(bounds));
    expect(win.loads).toEqual([
      { kind: 'file', target: join(MAIN_DIR, '../renderer/index.html'), hash: 'customer' },
    ]);
    expect(isAppUrl(win.webContents.mainFrame.url)).toBe(true);
    win.emit('ready-to-show');
    // It must not show itself: show() would take the focus from the till.
    expect(win.visible).toBe(false);
  });

  it('every window we open gets the web contents lock-down of hardenSession', async () => {
    const { fake, windows } = await load(true);
    const { hardenSession } = await import('../../../electron/main/security');
    hardenSession();
    const cashier = asFake(windows.createCashierWindow());
    const customer = asFake(windows.createCustomerWindow(bounds));
    for (const win of [cashier, customer]) {
      expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({
        action: 'deny',
      });
      expect(fake.emitPreventable(win.webContents, 'will-navigate', 'https://evil.example/')).toBe(true);
    }
  });
});
