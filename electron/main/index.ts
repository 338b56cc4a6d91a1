import { app, BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { createHandlers } from './app/handlers';
import { createRuntime, type Runtime } from './app/runtime';
import { registerIpc } from './ipc/register';
import { hardenSession, isAppUrl } from './security';
import { createCashierWindow } from './windows';

// Lifecycle only: everything with logic lives in the core (./app, ./droppay, ./sandbox, ...),
// which never imports electron and is tested under plain Node.

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let runtime: Runtime | null = null;

  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const url = event.senderFrame?.url ?? '';
    return isAppUrl(url);
  };

  app
    .whenReady()
    .then(async () => {
      hardenSession();
      runtime = await createRuntime({
        dataDir: process.env['DROPPAY_DATA_DIR'] ?? join(app.getPath('userData'), 'data'),
      });
      const rt = runtime;
      registerIpc(createHandlers(rt), isTrustedSender);
      createCashierWindow();
    })
    .catch((error: unknown) => {
      console.error('DropPay Cashier failed to start:', error instanceof Error ? error.message : error);
      app.exit(1);
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    void runtime?.close();
  });
}
