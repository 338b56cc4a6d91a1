import { BrowserWindow } from 'electron';
import { join } from 'node:path';

/** Hardened defaults for every window we open. */
function secureWebPreferences(): Electron.WebPreferences {
  return {
    preload: join(__dirname, '../preload/index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    devTools: !process.env['NODE_ENV'] || process.env['NODE_ENV'] === 'development',
    spellcheck: false,
  };
}

/** The cashier's window: usable down to 1024×768. */
export function createCashierWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'DropPay Cashier',
    show: false,
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(),
  });
  win.once('ready-to-show', () => win.show());
  void loadRenderer(win, 'cashier');
  return win;
}

async function loadRenderer(win: BrowserWindow, view: 'cashier' | 'customer'): Promise<void> {
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) await win.loadURL(`${devUrl}#${view}`);
  else await win.loadFile(join(__dirname, '../renderer/index.html'), { hash: view });
}
