/**
 * The fake of Electron's IPC ends (see fake-electron.ts): web contents and their frames,
 * ipcMain, and the preload's contextBridge and ipcRenderer.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/** Electron's `Event`: listeners may call preventDefault. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  const event: FakeEvent = {
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

/** Emits an Electron-style event (Event first) and tells whether a listener prevented it. */
export function emitPreventable(target: EventEmitter, name: string, ...args: unknown[]): boolean {
  const event = fakeEvent();
  target.emit(name, event, ...args);
  return event.defaultPrevented;
}

let nextId = 1;

/** WebFrameMain: one frame's document; `detached` once it navigated away or was destroyed. */
export class FakeWebFrameMain {
  readonly frameTreeNodeId = nextId++;
  detached = false;
  constructor(
    public url: string,
    public readonly parent: FakeWebFrameMain | null = null,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  mainFrame = new FakeWebFrameMain('about:blank');
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  private destroyed = false;

  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.mainFrame.detached = true;
    this.emit('destroyed');
  }
  getURL(): string {
    this.alive();
    return this.mainFrame.url;
  }
  send(channel: string, ...args: unknown[]): void {
    this.alive();
    this.sent.push({ channel, args: args.map((a) => structuredClone(a)) });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.alive();
    this.windowOpenHandler = handler;
  }
  /** A new document: Chromium gives it a new main frame, the old one is gone. */
  navigate(url: string): void {
    this.alive();
    this.mainFrame.detached = true;
    this.mainFrame = new FakeWebFrameMain(url);
  }
  private alive(): void {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
  }
}

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, listener: InvokeHandler): void {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    if (typeof listener !== 'function')
      throw new Error(`Expected handler to be a function, but found type '${typeof listener}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke(channel, ...args)` from `frame` of `sender` ends up doing. */
  async invokeFrom(
    sender: FakeWebContents,
    frame: FakeWebFrameMain | null,
    channel: string,
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    const prefix = `Error invoking remote method '${channel}'`;
    if (!handler) throw new Error(`${prefix}: Error: No handler registered for '${channel}'`);
    const event = {
      type: 'frame',
      sender,
      processId: 1,
      frameId: frame?.frameTreeNodeId ?? -1,
      // Documented: null once the frame navigated away or was destroyed.
      get senderFrame(): FakeWebFrameMain | null {
        return frame && !frame.detached ? frame : null;
      },
    };
    try {
      return structuredClone(await handler(event, ...args.map((a) => structuredClone(a))));
    } catch (error) {
      throw new Error(`${prefix}: ${String(error)}`);
    }
  }
}
export const ipcMain = new FakeIpcMain();

/** The renderer's main world, as the preload's contextBridge leaves it. */
export const mainWorld: Record<string, unknown> = {};

/** The bridge copies what it exposes: plain values cloned, functions proxied, nothing shared. */
function bridgeCopy(value: unknown): unknown {
  if (typeof value === 'function') {
    const fn = value as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => fn(...args.map(bridgeCopy));
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(bridgeCopy);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bridgeCopy(v)]));
}

export const contextBridge = {
  exposeInMainWorld: vi.fn((key: string, api: unknown) => {
    if (Object.hasOwn(mainWorld, key))
      throw new Error('Cannot bind an API on top of an existing property on the window object');
    mainWorld[key] = bridgeCopy(api);
  }),
};

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn((_channel: string, ..._args: unknown[]): Promise<unknown> => Promise.resolve(null));
  /** A `webContents.send(channel, ...args)` from main arriving in this renderer. */
  deliver(channel: string, ...args: unknown[]): void {
    this.emit(channel, { sender: this, senderId: 0, ports: [] }, ...args.map((a) => structuredClone(a)));
  }
}
export const ipcRenderer = new FakeIpcRenderer();
