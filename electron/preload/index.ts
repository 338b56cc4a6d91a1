import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CHANNEL_NAMES,
  EVENT_NAMES,
  eventChannel,
  methodName,
  type EventName,
} from '../../shared/ipc/channel-names';
import type { CashierApi } from '../../shared/ipc/api';

// One typed method per channel of the contract, plus `on` for push events, and nothing else:
// the renderer never sees ipcRenderer or a generic invoke.
const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  api[methodName(channel)] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}
api['on'] = (event: EventName, listener: (payload: unknown) => void): (() => void) => {
  if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: IpcRendererEvent, payload: unknown): void => listener(payload);
  ipcRenderer.on(eventChannel(event), wrapped);
  return () => {
    ipcRenderer.removeListener(eventChannel(event), wrapped);
  };
};

// The loop above builds exactly the shape CashierApi derives from the same lists.
const cashier: CashierApi = Object.freeze(api) as unknown as CashierApi;
contextBridge.exposeInMainWorld('cashier', cashier);
