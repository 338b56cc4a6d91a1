import type { WebContents } from 'electron';
import { EVENT_NAMES, eventChannel, type EventName } from '../../../shared/ipc/channel-names';
import { mayReceive } from '../app/access';
import type { EventBus } from '../app/events';

/** The windows events go to; either may be missing (not open yet, or closed). */
export interface EventTargets {
  cashier(): WebContents | null;
  customer(): WebContents | null;
}

/**
 * Pushes the core's events to the windows allowed to see them: every event to the cashier,
 * only CUSTOMER_EVENTS to the customer display (it never learns about sales or the
 * connection beyond what its screen shows).
 */
export function forwardEvents(bus: EventBus, targets: EventTargets): () => void {
  return bus.onAny((event: EventName, payload) => {
    if (!EVENT_NAMES.includes(event)) return;
    if (mayReceive('cashier', event)) send(targets.cashier(), event, payload);
    if (mayReceive('customer', event)) send(targets.customer(), event, payload);
  });
}

function send(contents: WebContents | null, event: EventName, payload: unknown): void {
  if (contents && !contents.isDestroyed()) contents.send(eventChannel(event), payload);
}
