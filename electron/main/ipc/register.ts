import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { fail } from '../../../shared/result';
import { dispatch, type Handlers } from '../app/dispatch';

/**
 * The only place that calls ipcMain: one handler per channel of the contract. Every call is
 * checked: the sender must be one of our own frames, then `dispatch` validates the input and
 * guarantees a Result.
 */
export function registerIpc(
  handlers: Handlers,
  isTrustedSender: (event: IpcMainInvokeEvent) => boolean,
): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!isTrustedSender(event)) return fail('VALIDATION', 'Request from an untrusted frame refused.');
      return dispatch(handlers, channel, raw);
    });
  }
  return () => CHANNEL_NAMES.forEach((c) => ipcMain.removeHandler(c));
}
