import {
  CUSTOMER_CHANNELS,
  CUSTOMER_EVENTS,
  type ChannelName,
  type EventName,
} from '../../../shared/ipc/channel-names';

/**
 * Who is calling: the cashier's window (or page) or the customer display's. Both transports
 * apply the same rule, from the same lists in shared/ipc/channel-names.ts: Electron decides the
 * role from the calling window, the bridge from which secret the request carries.
 */
export type Role = 'cashier' | 'customer';

/** Whether a role may call a channel: the customer display only its own few. */
export function mayCall(role: Role, channel: string): boolean {
  return role === 'cashier' || CUSTOMER_CHANNELS.includes(channel as ChannelName);
}

/** Whether a role receives a push event: the customer display only what its screen shows. */
export function mayReceive(role: Role, event: EventName): boolean {
  return role === 'cashier' || CUSTOMER_EVENTS.includes(event);
}
