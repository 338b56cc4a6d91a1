import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { createEventBus, type EventBus } from '../../../electron/main/app/events';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { ok } from '../../../shared/result';
import type * as FakeElectron from './fake-electron';

// index.ts wires the real shell files (windows, security, displays, ipc) over the core; only
// the core's start-up (keychain, journal, DropPay) is replaced by a stand-in runtime.
const core = vi.hoisted(() => ({ createRuntime: vi.fn() }));
vi.mock('electron', () => import('./fake-electron'));
vi.mock('../../../electron/main/app/runtime', () => ({ createRuntime: core.createRuntime }));

type Fake = typeof FakeElectron;
type Window = InstanceType<Fake['FakeBrowserWindow']>;

const IDLE = { mode: 'idle', language: 'it', merchantName: 'Bar Roma', storeName: null } as const;
const REFUSED = { ok: false, error: { code: 'VALIDATION', message: 'Request refused.' } };

let fake: Fake;
let events: EventBus;
let preferred: number | null;
let settingsChanged: () => void;
let finishClosing: () => void;
let runtime: { close: ReturnType<typeof vi.fn> };
/** Sales the stand-in core reports as started and not ended. */
let inProgress = 0;

function standInRuntime(): unknown {
  events = createEventBus();
  runtime = {
    close: vi.fn(() => new Promise<void>((resolve) => (finishClosing = resolve))),
  };
  return {
    ...runtime,
    events,
    display: { state: () => IDLE },
    status: () => Promise.resolve(ok({ environment: 'sandbox' })),
    settings: { current: () => ({ customerDisplayId: preferred, language: 'it' }) },
    salesInProgress: () => inProgress,
    onSettingsChange: (listener: () => void) => {
      settingsChanged = listener;
      return () => undefined;
    },
  };
}

/** A fresh Electron with two monitors, then index.ts as Electron would run it. */
async function launch(
  options: { lock?: boolean; locale?: string; prepare?: (electron: Fake) => void } = {},
): Promise<void> {
  vi.resetModules();
  vi.stubEnv('DROPPAY_DATA_DIR', undefined);
  fake = (await import('electron')) as unknown as Fake;
  fake.resetFake();
  fake.app.isPackaged = true;
  fake.app.singleInstanceLock = options.lock ?? true;
  if (options.locale) fake.app.locale = options.locale;
  options.prepare?.(fake);
  fake.screen.setDisplays(
    [
      fake.makeDisplay(1, { x: 0, y: 0, width: 1920, height: 1080 }),
      fake.makeDisplay(2, { x: 1920, y: 0, width: 1280, height: 1024 }),
    ],
    1,
  );
  await import('../../../electron/main/index');
}

async function started(): Promise<{ cashier: Window; customer: Window }> {
  await vi.waitFor(() => expect(fake.FakeBrowserWindow.all).toHaveLength(2));
  const [cashier, customer] = fake.FakeBrowserWindow.all as [Window, Window];
  expect(cashier.webContents.getURL()).toMatch(/#cashier$/);
  expect(customer.webContents.getURL()).toMatch(/#customer$/);
  return { cashier, customer };
}

const call = (win: Window, channel: string, input?: unknown): Promise<unknown> =>
  fake.ipcMain.invokeFrom(win.webContents, win.webContents.mainFrame, channel, input);

beforeEach(() => {
  preferred = null;
  inProgress = 0;
  core.createRuntime.mockReset();
  core.createRuntime.mockImplementation(() => Promise.resolve(standInRuntime()));
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('start-up', () => {
  it('a second instance quits at once and opens nothing', async () => {
    await launch({ lock: false });
    expect(fake.app.quit).toHaveBeenCalledOnce();
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(core.createRuntime).not.toHaveBeenCalled();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('sandboxes every renderer, hardens the session, registers IPC, opens both windows', async () => {
    await launch();
    const { customer } = await started();
    expect(fake.app.enableSandbox).toHaveBeenCalledOnce();
    expect(core.createRuntime).toHaveBeenCalledWith({
      dataDir: join('/home/cashier/.config/DropPay Cashier', 'data'),
    });
    expect(fake.session.defaultSession.permissionRequestHandler).not.toBeNull();
    expect(fake.ipcMain.handlers.size).toBe(CHANNEL_NAMES.length);
    customer.emit('ready-to-show');
    expect(customer.isFullScreen()).toBe(true);
    expect(customer.getBounds()).toEqual({ x: 1920, y: 0, width: 1280, height: 1024 });
  });

  it('a core that cannot start is explained in the system language; Quit exits with 1', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // Imported when thrown: the same module instance index.ts sees after launch's reset.
    core.createRuntime.mockImplementation(async () => {
      const { JournalOpenError } = await import('../../../electron/main/journal/index');
      throw new JournalOpenError('TOO_NEW', 'journal schema version 9 is newer than this app (3)');
    });
    await launch();
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1));
    expect(fake.dialog.showMessageBox).toHaveBeenCalledOnce();
    const shown = fake.dialog.showMessageBox.mock.calls[0]?.[0] as Electron.MessageBoxOptions | undefined;
    expect(shown).toMatchObject({
      type: 'error',
      title: 'DropPay Cashier cannot start',
      message: 'The sales journal was written by a newer version of DropPay Cashier.',
      buttons: ['Try again', 'Quit'],
      cancelId: 1,
    });
    expect(shown?.detail).toContain(join('/home/cashier/.config/DropPay Cashier', 'data', 'journal.sqlite'));
    expect(shown?.detail).toContain('Technical details: journal schema version 9 is newer than this app (3)');
    expect(core.createRuntime).toHaveBeenCalledOnce();
    expect(fake.FakeBrowserWindow.all).toHaveLength(0);
    quiet.mockRestore();
  });

  it('Try again after fixing the cause starts the till: an Italian system, a keychain unlocked meanwhile', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    core.createRuntime
      .mockImplementationOnce(async () => {
        const { CredentialStoreError } = await import('../../../electron/main/credentials/index');
        throw new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'no Secret Service on the bus');
      })
      .mockImplementation(() => Promise.resolve(standInRuntime()));
    await launch({
      locale: 'it-IT',
      // "Riprova"
      prepare: (electron) =>
        electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false }),
    });
    await started();
    expect(core.createRuntime).toHaveBeenCalledTimes(2);
    expect(fake.dialog.showMessageBox.mock.calls[0]?.[0]).toMatchObject({
      title: 'DropPay Cashier non si avvia',
      message: 'Il portachiavi del sistema non è disponibile.',
      buttons: ['Riprova', 'Esci'],
    });
    expect(fake.app.exit).not.toHaveBeenCalled();
    quiet.mockRestore();
  });
});

describe('the running app', () => {
  it('IPC knows each window by its web contents', async () => {
    await launch();
    const { cashier, customer } = await started();
    await expect(call(cashier, 'app:status')).resolves.toEqual(ok({ environment: 'sandbox' }));
    await expect(call(cashier, 'display:state')).resolves.toEqual(ok(IDLE));
    await expect(call(customer, 'display:state')).resolves.toEqual(ok(IDLE));
    await expect(call(customer, 'app:status')).resolves.toEqual(REFUSED);
    // Any other window, even showing our page, is nobody.
    const other = new fake.FakeBrowserWindow();
    await other.loadURL(cashier.webContents.getURL());
    await expect(call(other, 'display:state')).resolves.toEqual(REFUSED);
  });

  it('a reopened customer window is recognised, the closed one no longer', async () => {
    await launch();
    const { customer } = await started();
    customer.close();
    vi.useFakeTimers();
    fake.screen.plug(fake.makeDisplay(3, { x: -1280, y: 0, width: 1280, height: 720 }));
    vi.advanceTimersByTime(250);
    vi.useRealTimers();
    const reopened = fake.FakeBrowserWindow.all[2] as Window;
    expect(reopened.webContents.getURL()).toMatch(/#customer$/);
    await expect(call(reopened, 'display:state')).resolves.toEqual(ok(IDLE));
    events.emit('display', IDLE);
    expect(reopened.webContents.sent).toEqual([{ channel: 'event:display', args: [IDLE] }]);
  });

  it('pushes every event to the cashier and only display to the customer', async () => {
    await launch();
    const { cashier, customer } = await started();
    events.emit('display', IDLE);
    events.emit('status', { environment: 'sandbox' } as never);
    expect(cashier.webContents.sent.map((s) => s.channel)).toEqual(['event:display', 'event:status']);
    expect(customer.webContents.sent.map((s) => s.channel)).toEqual(['event:display']);
  });

  it('a settings change places the customer window again', async () => {
    await launch();
    const { customer } = await started();
    customer.emit('ready-to-show');
    preferred = 1; // the cashier's own monitor: a shared window, not full screen
    settingsChanged();
    expect(customer.isFullScreen()).toBe(false);
    expect(customer.getBounds()).toEqual({ x: 1120, y: 440, width: 800, height: 600 });
  });

  it('a second launch brings the cashier window back', async () => {
    await launch();
    const { cashier } = await started();
    cashier.minimized = true;
    cashier.focused = false;
    fake.app.emit('second-instance', fake.fakeEvent(), [], '/');
    expect(cashier.isMinimized()).toBe(false);
    expect(cashier.focused).toBe(true);
  });
});

describe('quitting', () => {
  it('closing the cashier window quits, once the core has closed', async () => {
    await launch();
    const { cashier, customer } = await started();
    cashier.close();
    expect(fake.app.quitting).toBe(false); // held back by before-quit
    expect(runtime.close).toHaveBeenCalledOnce();
    expect(customer.isDestroyed()).toBe(true);
    fake.app.quit(); // pressing quit again while closing does not close twice
    expect(runtime.close).toHaveBeenCalledOnce();
    expect(fake.app.quitting).toBe(false);
    finishClosing();
    await vi.waitFor(() => expect(fake.app.quitting).toBe(true));
  });

  it('closing with a sale in progress asks first, in the cashier language, and closes nothing meanwhile', async () => {
    await launch();
    const { cashier } = await started();
    inProgress = 1;
    cashier.close();
    expect(cashier.isDestroyed()).toBe(false);
    expect(runtime.close).not.toHaveBeenCalled();
    expect(fake.dialog.showMessageBox).toHaveBeenCalledOnce();
    const [parent, asked] = fake.dialog.showMessageBox.mock.calls[0] as unknown as [
      unknown,
      Electron.MessageBoxOptions,
    ];
    expect(parent).toBe(cashier);
    expect(asked).toMatchObject({
      type: 'warning',
      message: 'Una vendita è in corso.',
      buttons: ['Tieni aperta la cassa', 'Chiudi comunque'],
      defaultId: 0,
      cancelId: 0,
    });
    // A quit from the menu while the question is open does not ask twice, nor close.
    fake.app.quit();
    expect(fake.dialog.showMessageBox).toHaveBeenCalledOnce();
    expect(runtime.close).not.toHaveBeenCalled();
  });

  it('"close anyway" closes the core and quits; with nothing in progress nothing is asked', async () => {
    await launch({
      prepare: (electron) =>
        electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false }),
    });
    const { cashier } = await started();
    inProgress = 2;
    cashier.close();
    await vi.waitFor(() => expect(fake.dialog.showMessageBox).toHaveBeenCalledOnce());
    await new Promise((resolve) => setTimeout(resolve, 0));
    // "Keep the till open": still running.
    expect(cashier.isDestroyed()).toBe(false);
    expect(runtime.close).not.toHaveBeenCalled();
    expect(fake.dialog.showMessageBox.mock.calls[0]?.[1]).toMatchObject({
      message: '2 vendite sono in corso.',
    });

    // Asked again, "close anyway" (the mock's default answer): the core closes, the app quits.
    cashier.close();
    await vi.waitFor(() => expect(runtime.close).toHaveBeenCalledOnce());
    finishClosing();
    await vi.waitFor(() => expect(fake.app.quitting).toBe(true));
    expect(fake.dialog.showMessageBox).toHaveBeenCalledTimes(2);
  });

  it('quitting while the core is still starting waits for it, closes it, and opens no window', async () => {
    let finishStarting: (rt: unknown) => void = () => undefined;
    core.createRuntime.mockImplementation(() => new Promise((resolve) => (finishStarting = resolve)));
    await launch();
    fake.dialog.showErrorBox.mockClear();
    await vi.waitFor(() => expect(core.createRuntime).toHaveBeenCalledOnce());
    fake.app.quit();
    expect(fake.app.quitting).toBe(false); // held back until the starting core is closed
    finishStarting(standInRuntime());
    await vi.waitFor(() => expect(runtime.close).toHaveBeenCalledOnce());
    expect(fake.app.quitting).toBe(false);
    finishClosing();
    await vi.waitFor(() => expect(fake.app.quitting).toBe(true));
    expect(fake.FakeBrowserWindow.all).toHaveLength(0);
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
  });

  it('a core that fails to start while quitting: no error box, the quit goes through', async () => {
    let failStarting: (error: Error) => void = () => undefined;
    core.createRuntime.mockImplementation(() => new Promise((_resolve, reject) => (failStarting = reject)));
    await launch();
    fake.dialog.showErrorBox.mockClear();
    await vi.waitFor(() => expect(core.createRuntime).toHaveBeenCalledOnce());
    fake.app.quit();
    failStarting(new Error('keychain locked'));
    await vi.waitFor(() => expect(fake.app.quitting).toBe(true));
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.all).toHaveLength(0);
  });
});
