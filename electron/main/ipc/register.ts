import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { fail } from '../../../shared/result';
import { mayCall, type Role } from '../app/access';
import { dispatch, type Handlers } from '../app/dispatch';

/** Which of our windows a call comes from. */
export type WindowRole = Role;

export interface SenderPolicy {
  /** Whether a frame URL is the app's own page. */
  isAppUrl(url: string): boolean;
  /** The role of one of our windows' web contents, null for any other. */
  roleOf(sender: WebContents): WindowRole | null;
}

/**
 * The only place that calls ipcMain: one handler per channel of the contract. Every call is
 * checked before `dispatch` validates its input: it must come from the top frame of one of our
 * windows, showing our page, and the customer display may only reach CUSTOMER_CHANNELS.
 */
export function registerIpc(handlers: Handlers, policy: SenderPolicy): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, raw: unknown) => {
      const role = trustedRole(event, policy);
      if (role === null || !mayCall(role, channel)) return fail('VALIDATION', 'Request refused.');
      return dispatch(handlers, channel, raw);
    });
  }
  return () => CHANNEL_NAMES.forEach((c) => ipcMain.removeHandler(c));
}

function trustedRole(event: IpcMainInvokeEvent, policy: SenderPolicy): WindowRole | null {
  const frame = event.senderFrame;
  // A frame that navigated away or was destroyed mid-call, or a subframe: never trusted.
  if (!frame || frame !== event.sender.mainFrame) return null;
  if (!policy.isAppUrl(frame.url)) return null;
  return policy.roleOf(event.sender);
}
