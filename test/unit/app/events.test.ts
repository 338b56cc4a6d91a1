import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../electron/main/app/events';

const display = { mode: 'idle', language: 'it', merchantName: null, storeName: null } as const;

describe('event bus', () => {
  it('delivers to the listeners of that event and to every-event listeners', () => {
    const bus = createEventBus();
    const seen: string[] = [];
    bus.on('display', (s) => seen.push(`display:${s.mode}`));
    bus.on('status', () => seen.push('status'));
    bus.onAny((event) => seen.push(`any:${event}`));
    bus.emit('display', display);
    expect(seen).toEqual(['display:idle', 'any:display']);
  });

  it('unsubscribes, and one throwing listener does not stop the others', () => {
    const errors: unknown[] = [];
    const bus = createEventBus((e) => errors.push(e));
    let count = 0;
    bus.onAny(() => {
      throw new Error('closed window');
    });
    const off = bus.on('display', () => count++);
    bus.emit('display', display);
    off();
    bus.emit('display', display);
    expect(count).toBe(1);
    expect(errors).toHaveLength(2);
  });
});

describe('who may call and hear what', () => {
  it('lets the cashier do everything and the customer display only its own channel and event', async () => {
    const { mayCall, mayReceive } = await import('../../../electron/main/app/access');
    const { CHANNEL_NAMES, EVENT_NAMES } = await import('../../../shared/ipc/channel-names');
    for (const c of CHANNEL_NAMES) expect(mayCall('cashier', c)).toBe(true);
    expect(CHANNEL_NAMES.filter((c) => mayCall('customer', c))).toEqual(['display:state']);
    expect(mayCall('customer', 'app:format-disk')).toBe(false);
    for (const e of EVENT_NAMES) expect(mayReceive('cashier', e)).toBe(true);
    expect(EVENT_NAMES.filter((e) => mayReceive('customer', e))).toEqual(['display']);
  });
});
