import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebContents } from 'electron';
import { forwardEvents } from '../../../electron/main/ipc/events';
import { createEventBus, type EventBus } from '../../../electron/main/app/events';
import {
  CUSTOMER_EVENTS,
  EVENT_NAMES,
  eventChannel,
  type EventName,
} from '../../../shared/ipc/channel-names';
import type { EventPayload } from '../../../shared/ipc/contract';
import { FakeWebContents, resetFake } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

// Payloads shaped like the contract's (forwardEvents does not look inside them).
const PAYLOADS: { [E in EventName]: unknown } = {
  sale: { saleId: 'sale-1', state: 'waiting' },
  display: { mode: 'idle', language: 'it', merchantName: 'Bar Roma', storeName: null },
  status: { environment: 'sandbox', connection: 'connected' },
  day: { day: '2025-01-31', done: 1, total: 2 },
};

let bus: EventBus;
let listenerErrors: unknown[];
let cashier: FakeWebContents | null;
let customer: FakeWebContents | null;
let stop: () => void;

const asContents = (c: FakeWebContents | null): WebContents | null => c as unknown as WebContents | null;

function emit<E extends EventName>(event: E): void {
  bus.emit(event, PAYLOADS[event] as EventPayload<E>);
}

beforeEach(() => {
  resetFake();
  listenerErrors = [];
  // A throwing transport would be swallowed by the bus: record it so a test can tell.
  bus = createEventBus((error) => listenerErrors.push(error));
  cashier = new FakeWebContents();
  customer = new FakeWebContents();
  stop = forwardEvents(bus, { cashier: () => asContents(cashier), customer: () => asContents(customer) });
});

describe('push events', () => {
  it('reach the cashier window, every event on its own channel with its payload', () => {
    for (const event of EVENT_NAMES) emit(event);
    expect(cashier?.sent).toEqual(
      EVENT_NAMES.map((e) => ({ channel: eventChannel(e), args: [PAYLOADS[e]] })),
    );
    expect(listenerErrors).toEqual([]);
  });

  it('reach the customer window only for CUSTOMER_EVENTS (the display state)', () => {
    for (const event of EVENT_NAMES) emit(event);
    expect(CUSTOMER_EVENTS).toEqual(['display']);
    expect(customer?.sent).toEqual([{ channel: 'event:display', args: [PAYLOADS.display] }]);
  });

  it('go to whichever window exists when they are emitted', () => {
    const later = new FakeWebContents();
    customer = null;
    emit('display');
    customer = later;
    emit('display');
    expect(later.sent).toHaveLength(1);
    expect(cashier?.sent).toHaveLength(2);
  });

  it('skip destroyed or missing windows without throwing, and still reach the other one', () => {
    cashier?.destroy();
    emit('display');
    expect(customer?.sent).toHaveLength(1);
    customer?.destroy();
    cashier = null;
    emit('display');
    emit('sale');
    // The fake's send throws on destroyed contents, like Electron's: nothing reached the bus.
    expect(listenerErrors).toEqual([]);
  });

  it('ignore names outside the contract', () => {
    bus.emit('debug' as EventName, { secret: 'x' } as never);
    expect(cashier?.sent).toEqual([]);
    expect(customer?.sent).toEqual([]);
  });

  it('stop when the returned function is called', () => {
    stop();
    emit('display');
    expect(cashier?.sent).toEqual([]);
    expect(customer?.sent).toEqual([]);
  });
});
