import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, methodName } from '../../shared/ipc/channel-names';
import type { CashierApi } from '../../shared/ipc/api';

// One typed method per channel of the contract, and nothing else: the renderer never sees
// ipcRenderer or a generic invoke.
const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
for (const channel of CHANNEL_NAMES) {
  api[methodName(channel)] = (input?: unknown) => ipcRenderer.invoke(channel, input);
}

// The loop above builds exactly the shape CashierApi derives from the same channel list.
const cashier: CashierApi = Object.freeze(api) as unknown as CashierApi;
contextBridge.exposeInMainWorld('cashier', cashier);
