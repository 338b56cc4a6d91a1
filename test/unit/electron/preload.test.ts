import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES, eventChannel, methodName } from '../../../shared/ipc/channel-names';
import { contextBridge, ipcRenderer, mainWorld } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

type Exposed = Record<string, (...args: unknown[]) => unknown>;
let cashier: Exposed;

beforeAll(async () => {
  await import('../../../electron/preload/index');
  cashier = mainWorld['cashier'] as Exposed;
});

beforeEach(() => {
  ipcRenderer.invoke.mockClear();
  ipcRenderer.removeAllListeners();
});

describe('what the preload exposes', () => {
  it('exactly one `cashier` object in the main world', () => {
    expect(contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    expect(Object.keys(mainWorld)).toEqual(['cashier']);
  });

  it('one method per channel, named methodName(channel), plus `on`, and nothing else', () => {
    const expected = [...CHANNEL_NAMES.map(methodName), 'on'];
    expect(new Set(expected).size).toBe(CHANNEL_NAMES.length + 1); // no two channels share a name
    expect(Object.keys(cashier).sort()).toEqual(expected.sort());
    expect(cashier['appCheckConnection']).toBeTypeOf('function');
    expect(cashier['settingsSetManagerPin']).toBeTypeOf('function');
    for (const value of Object.values(cashier)) expect(value).toBeTypeOf('function');
    // No generic doors into main.
    for (const key of ['invoke', 'send', 'ipcRenderer', 'sendSync', 'postMessage'])
      expect(cashier).not.toHaveProperty(key);
  });
});

describe('the channel methods', () => {
  it('each calls ipcRenderer.invoke with its own channel and input, and returns its answer', async () => {
    for (const channel of CHANNEL_NAMES) {
      ipcRenderer.invoke.mockClear();
      const answer = { ok: true, value: channel };
      ipcRenderer.invoke.mockResolvedValueOnce(answer);
      const input = { probe: channel };
      await expect(cashier[methodName(channel)]?.(input)).resolves.toEqual(answer);
      expect(ipcRenderer.invoke.mock.calls, channel).toEqual([[channel, input]]);
    }
  });

  it('forward one input only, and none for a method called without one', async () => {
    await cashier['saleGet']?.({ saleId: 's1' }, 'smuggled', { more: true });
    await cashier['appStatus']?.();
    expect(ipcRenderer.invoke.mock.calls).toEqual([
      ['sale:get', { saleId: 's1' }],
      ['app:status', undefined],
    ]);
  });
});

describe('on', () => {
  const on = (event: string, listener: (payload: unknown) => void): (() => void) =>
    cashier['on']?.(event, listener) as () => void;

  it('refuses an event outside the contract and listens to nothing', () => {
    for (const event of ['sale:start', 'event:display', 'ipc-message', '']) {
      expect(() => on(event, () => undefined)).toThrow(/unknown event/);
    }
    expect(ipcRenderer.eventNames()).toEqual([]);
  });

  it('delivers only the payload of its own event (never the IpcRendererEvent)', () => {
    for (const event of EVENT_NAMES) {
      const listener = vi.fn();
      on(event, listener);
      ipcRenderer.deliver(eventChannel(event), { for: event });
      expect(listener.mock.calls, event).toEqual([[{ for: event }]]);
    }
    const display = vi.fn();
    on('display', display);
    ipcRenderer.deliver('event:sale', { saleId: 's1' });
    ipcRenderer.deliver('display', { mode: 'idle' });
    expect(display).not.toHaveBeenCalled();
  });

  it('returns an unsubscribe that removes that listener only', () => {
    const first = vi.fn();
    const second = vi.fn();
    const offFirst = on('display', first);
    on('display', second);
    expect(ipcRenderer.listenerCount('event:display')).toBe(2);
    offFirst();
    expect(ipcRenderer.listenerCount('event:display')).toBe(1);
    ipcRenderer.deliver('event:display', { mode: 'idle' });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    offFirst(); // twice is harmless
    expect(ipcRenderer.listenerCount('event:display')).toBe(1);
  });
});
