import { app, dialog, screen, type BrowserWindow, type WebContents } from 'electron';
import { join } from 'node:path';
import { createHandlers } from './app/handlers';
import { createRuntime, type Runtime } from './app/runtime';
import { leaveQuestion, questionBox, unsavedQuestion } from './app/leave-guard';
import { describeStartupFailure, startupLocale } from './app/startup-failure';
import { listDisplays, manageCustomerDisplay, type CustomerDisplayWindow } from './displays';
import { forwardEvents } from './ipc/events';
import { registerIpc, type WindowRole } from './ipc/register';
import { hardenSession, isAppUrl } from './security';
import { createCashierWindow } from './windows';

// Lifecycle only: everything with logic lives in the core (./app, ./payments, ./droppay, ...),
// which never imports electron and is tested under plain Node.

// Every renderer sandboxed, whatever a window's own preferences say.
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  // A second till on the same data folder would poll and charge the same sales twice.
  app.quit();
} else {
  let runtime: Runtime | null = null;
  // The core while it starts (keychain, journal, recovery): a quit meanwhile waits for it and
  // closes it, instead of leaving a half-open journal and running pollers behind.
  let starting: Promise<Runtime> | null = null;
  let cashier: BrowserWindow | null = null;
  let customer: CustomerDisplayWindow | null = null;
  let shutdown: 'running' | 'closing' | 'done' = 'running';
  /** The cashier answered "close anyway" (or nothing was in progress): closing goes ahead. */
  let leaveConfirmed = false;
  let asking = false;

  /**
   * True when the till may close now. With a sale in progress it asks first (in the cashier's
   * language) and answers false; "close anyway" then quits.
   */
  const mayLeave = (): boolean => {
    const rt = runtime;
    if (leaveConfirmed || !rt || shutdown !== 'running') return true;
    const count = rt.salesInProgress();
    if (count === 0) return true;
    if (asking) return false;
    asking = true;
    const q = leaveQuestion(rt.settings.current().language, count);
    const options = { type: 'warning' as const, ...questionBox(q) };
    const parent = cashier && !cashier.isDestroyed() ? cashier : null;
    void (parent ? dialog.showMessageBox(parent, options) : dialog.showMessageBox(options))
      .then(({ response }) => {
        if (response !== 1) return;
        leaveConfirmed = true;
        app.quit();
      })
      .finally(() => {
        asking = false;
      });
    return false;
  };

  const focusCashier = (): void => {
    if (!cashier || cashier.isDestroyed()) return;
    if (cashier.isMinimized()) cashier.restore();
    cashier.focus();
  };
  app.on('second-instance', focusCashier);

  // The IPC sender check identifies windows by their web contents, never by what they claim.
  const roleOf = (sender: WebContents): WindowRole | null => {
    if (cashier && !cashier.isDestroyed() && sender === cashier.webContents) return 'cashier';
    const display = customer?.window();
    if (display && sender === display.webContents) return 'customer';
    return null;
  };

  const reportStartFailure = (error: unknown): void =>
    console.error('DropPay Cashier failed to start:', error instanceof Error ? error.message : String(error));
  const dataDir = (): string => process.env['DROPPAY_DATA_DIR'] ?? join(app.getPath('userData'), 'data');
  const failureText = (error: unknown) =>
    describeStartupFailure(error, startupLocale(app.getLocale()), dataDir());

  /**
   * The core, started; when it cannot start (journal, keychain, configuration), the cashier is
   * told why and what to do, in the system's language, and may try again after fixing it.
   * Null: the cashier chose to quit, or a quit came meanwhile.
   */
  const openCore = async (): Promise<Runtime | null> => {
    for (;;) {
      starting = createRuntime({ dataDir: dataDir() });
      try {
        return await starting;
      } catch (error) {
        starting = null;
        if (shutdown !== 'running') return null;
        reportStartFailure(error);
        const text = failureText(error);
        const { response } = await dialog.showMessageBox({
          type: 'error',
          title: text.title,
          message: text.message,
          detail: text.detail,
          buttons: [text.retry, text.quit],
          defaultId: 0,
          cancelId: 1,
          noLink: true,
        });
        if (response !== 0 || shutdown !== 'running') {
          if (shutdown === 'running') app.exit(1);
          return null;
        }
      }
    }
  };

  const start = async (): Promise<void> => {
    hardenSession();
    const rt = await openCore();
    if (rt === null) return;
    runtime = rt;
    // Quit while starting: before-quit is closing it; no window opens.
    if (shutdown !== 'running') return;
    registerIpc(createHandlers(rt, { listDisplays }), { isAppUrl, roleOf });
    forwardEvents(rt.events, {
      cashier: () => (cashier && !cashier.isDestroyed() ? cashier.webContents : null),
      customer: () => customer?.window()?.webContents ?? null,
    });
    cashier = createCashierWindow();
    cashier.on('close', (event) => {
      if (!mayLeave()) event.preventDefault();
    });
    // Settings typed and not saved: the page held the unload; leave only if the cashier says so.
    const held = cashier;
    held.webContents.on('will-prevent-unload', (event) => {
      const q = unsavedQuestion(rt.settings.current().language);
      const response = dialog.showMessageBoxSync(held, { type: 'question', ...questionBox(q) });
      // preventDefault here overrides the page's hold: the window goes.
      if (response === 1) event.preventDefault();
    });
    // The till is the cashier's window: closing it quits, customer display included.
    cashier.on('closed', () => {
      cashier = null;
      app.quit();
    });
    customer = manageCustomerDisplay({
      preferredDisplayId: () => rt.settings.current().customerDisplayId,
      tillDisplayId: () =>
        cashier && !cashier.isDestroyed() ? screen.getDisplayMatching(cashier.getBounds()).id : null,
      focusCashier,
    });
    rt.onSettingsChange(() => customer?.settingsChanged());
  };

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // Quitting anyway: before-quit reports and exits.
      if (shutdown !== 'running') return;
      // The core started but the windows could not be set up: nothing to try again.
      reportStartFailure(error);
      const text = failureText(error);
      dialog.showErrorBox(text.title, `${text.message}\n\n${text.detail}`);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  // Quitting waits for the core to stop its pollers and close the journal cleanly.
  app.on('before-quit', (event) => {
    if (shutdown === 'done' || (!runtime && !starting)) return;
    event.preventDefault();
    if (!mayLeave()) return;
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    customer?.close();
    const started = runtime;
    (started ? started.close() : (starting as Promise<Runtime>).then((rt) => rt.close()))
      .catch((error: unknown) => console.error('closing the core failed:', error))
      .finally(() => {
        shutdown = 'done';
        app.quit();
      });
  });
}
