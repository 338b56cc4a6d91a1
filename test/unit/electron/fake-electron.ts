/**
 * A fake of the few Electron APIs the shell files use, close to Electron's documented
 * behaviour, for `vi.mock('electron', () => import('./fake-electron'))`. Objects are Node
 * EventEmitters like Electron's; events carry an Electron `Event` first; values crossing IPC
 * are structured-cloned; a destroyed WebContents throws like Electron's ("Object has been
 * destroyed"); `ipcMain.handle` refuses a second handler for a channel. The IPC ends are in
 * fake-ipc.ts, re-exported here; this file has the app, its windows, monitors and session.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { vi } from 'vitest';
import { emitPreventable, fakeEvent, FakeWebContents, ipcMain, ipcRenderer, mainWorld } from './fake-ipc';

export * from './fake-ipc';

type Fn = (...args: never[]) => unknown;
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FakeDisplay {
  id: number;
  label: string;
  bounds: Rect;
  workArea: Rect;
  scaleFactor: number;
}

/** A monitor with a 40px task bar at its bottom. */
export function makeDisplay(id: number, bounds: Rect, label = ''): FakeDisplay {
  return { id, label, bounds, workArea: { ...bounds, height: bounds.height - 40 }, scaleFactor: 1 };
}

const overlap = (a: Rect, b: Rect): number =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
  Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

class FakeScreen extends EventEmitter {
  private displays: FakeDisplay[] = [];
  private primaryId = 0;
  getPrimaryDisplay(): FakeDisplay {
    const primary = this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0];
    if (!primary) throw new Error('no display');
    return structuredClone(primary);
  }
  getAllDisplays(): FakeDisplay[] {
    return this.displays.map((d) => structuredClone(d));
  }
  /** The display a rectangle overlaps most, else the primary. */
  getDisplayMatching(rect: Rect): FakeDisplay {
    const best = [...this.displays].sort((a, b) => overlap(b.bounds, rect) - overlap(a.bounds, rect))[0];
    return best && overlap(best.bounds, rect) > 0 ? structuredClone(best) : this.getPrimaryDisplay();
  }
  /** Test helpers: the monitors connected, and plugging/unplugging one. */
  setDisplays(displays: FakeDisplay[], primaryId: number): void {
    this.displays = displays;
    this.primaryId = primaryId;
  }
  plug(display: FakeDisplay): void {
    this.displays.push(display);
    this.emit('display-added', fakeEvent(), structuredClone(display));
  }
  unplug(id: number): void {
    const gone = this.displays.find((d) => d.id === id);
    this.displays = this.displays.filter((d) => d.id !== id);
    if (gone) this.emit('display-removed', fakeEvent(), gone);
  }
}
export const screen = new FakeScreen();

class FakeApp extends EventEmitter {
  isPackaged = false;
  singleInstanceLock = true;
  /** Set once a quit was not prevented by a before-quit listener. */
  quitting = false;
  readonly paths: Record<string, string> = {
    userData: '/home/cashier/.config/DropPay Cashier',
    downloads: '/home/cashier/Downloads',
  };
  getPath = (name: string): string => {
    const path = this.paths[name];
    if (path === undefined) throw new Error(`Failed to get '${name}' path`);
    return path;
  };
  /** What Electron reports as the system's language. */
  locale = 'en-US';
  getLocale = vi.fn(() => this.locale);
  enableSandbox = vi.fn();
  requestSingleInstanceLock = vi.fn(() => this.singleInstanceLock);
  whenReady = vi.fn(() => Promise.resolve());
  /** Electron: before-quit first; a listener's preventDefault cancels the quit. */
  quit = vi.fn(() => {
    if (!emitPreventable(this, 'before-quit')) this.quitting = true;
  });
  exit = vi.fn((_code?: number) => undefined);
}
export const app = new FakeApp();

export class FakeBrowserWindow extends EventEmitter {
  static readonly all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly loads: { kind: 'url' | 'file'; target: string; hash?: string | undefined }[] = [];
  visible = false;
  focused = false;
  menuRemoved = false;
  minimized = false;
  private fullScreen = false;
  private bounds: Rect;
  private restoreBounds: Rect | null = null;
  private destroyed = false;

  constructor(readonly options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    const { x = 0, y = 0, width = 800, height = 600 } = options;
    this.bounds = { x, y, width, height };
    FakeBrowserWindow.all.push(this);
    app.emit('web-contents-created', fakeEvent(), this.webContents);
    app.emit('browser-window-created', fakeEvent(), this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Electron: no `close` event, but `closed` is guaranteed. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.webContents.destroy();
    this.emit('closed');
  }
  /** The user closing the window. */
  close(): void {
    if (!emitPreventable(this, 'close')) this.destroy();
  }
  show(): void {
    this.visible = this.focused = true;
  }
  showInactive(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  /** Full screen covers the monitor the window is on; leaving it gives the old bounds back. */
  setFullScreen(flag: boolean): void {
    if (flag === this.fullScreen) return;
    this.fullScreen = flag;
    if (flag) {
      this.restoreBounds = this.bounds;
      this.bounds = { ...screen.getDisplayMatching(this.bounds).bounds };
    } else if (this.restoreBounds) {
      this.bounds = this.restoreBounds;
    }
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  /** A full-screen window does not move (why displays.ts leaves full screen first). */
  setBounds(bounds: Partial<Rect>): void {
    if (!this.fullScreen) this.bounds = { ...this.bounds, ...bounds };
  }
  loadURL(url: string): Promise<void> {
    this.loads.push({ kind: 'url', target: url });
    this.webContents.navigate(url);
    return Promise.resolve();
  }
  loadFile(filePath: string, options: { hash?: string } = {}): Promise<void> {
    this.loads.push({ kind: 'file', target: filePath, hash: options.hash });
    this.webContents.navigate(pathToFileURL(filePath).href + (options.hash ? `#${options.hash}` : ''));
    return Promise.resolve();
  }
}
export { FakeBrowserWindow as BrowserWindow };

export interface FakeDownloadItem {
  getURL(): string;
  getFilename(): string;
  setSaveDialogOptions: ReturnType<typeof vi.fn>;
}

export function downloadItem(url: string, filename: string): FakeDownloadItem {
  return { getURL: () => url, getFilename: () => filename, setSaveDialogOptions: vi.fn() };
}

class FakeSession extends EventEmitter {
  permissionRequestHandler: Fn | null = null;
  permissionCheckHandler: Fn | null = null;
  devicePermissionHandler: Fn | null = null;
  headersReceived: Fn | null = null;
  readonly webRequest = {
    // onHeadersReceived([filter, ]listener): one listener; a new one replaces it.
    onHeadersReceived: (...args: unknown[]): void => {
      this.headersReceived = args[args.length - 1] as Fn | null;
    },
  };
  setPermissionRequestHandler(handler: Fn | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Fn | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Fn | null): void {
    this.devicePermissionHandler = handler;
  }
}
export const session = { defaultSession: new FakeSession() };

export const shell = { openExternal: vi.fn((_url: string) => Promise.resolve()) };
/** A message box answers with its button index; by default the second ("Quit"). */
export const dialog = {
  showErrorBox: vi.fn(),
  /** (options) or (parent window, options), as Electron takes them. */
  showMessageBox: vi.fn((_first: unknown, _options?: Electron.MessageBoxOptions) =>
    Promise.resolve({ response: 1, checkboxChecked: false }),
  ),
};

/** Back to a fresh Electron between tests of one file. */
export function resetFake(): void {
  for (const emitter of [ipcMain, screen, app, session.defaultSession, ipcRenderer])
    emitter.removeAllListeners();
  ipcMain.handlers.clear();
  screen.setDisplays([], 0);
  FakeBrowserWindow.all.length = 0;
  for (const key of Object.keys(mainWorld)) delete mainWorld[key];
  Object.assign(app, { isPackaged: false, singleInstanceLock: true, quitting: false, locale: 'en-US' });
  Object.assign(session.defaultSession, {
    permissionRequestHandler: null,
    permissionCheckHandler: null,
    devicePermissionHandler: null,
    headersReceived: null,
  });
  vi.clearAllMocks();
}
