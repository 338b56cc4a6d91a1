import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import type { Bounds } from './app/display-placement';
import { devToolsAllowed } from './security';

/** Hardened defaults for every window we open. */
function secureWebPreferences(): Electron.WebPreferences {
  return {
    preload: join(__dirname, '../preload/index.cjs'),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: devToolsAllowed,
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

/**
 * The customer display: the same renderer at `#customer`, which main only ever sends
 * `display` events and only lets call CUSTOMER_CHANNELS (see ipc/register.ts). displays.ts
 * decides where it goes and whether it is full screen.
 */
export function createCustomerWindow(bounds: Bounds): BrowserWindow {
  const win = new BrowserWindow({
    ...bounds,
    title: 'DropPay — cliente',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#101418',
    webPreferences: secureWebPreferences(),
  });
  win.removeMenu();
  void loadRenderer(win, 'customer');
  return win;
}

async function loadRenderer(win: BrowserWindow, view: 'cashier' | 'customer'): Promise<void> {
  const devUrl = devToolsAllowed ? process.env['ELECTRON_RENDERER_URL'] : undefined;
  if (devUrl) await win.loadURL(`${devUrl}#${view}`);
  else await win.loadFile(join(__dirname, '../renderer/index.html'), { hash: view });
}
