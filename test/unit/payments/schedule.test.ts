/** The flow context's timers: one per key, "now" without the 1 ms timer floor, cancellable. */
import { describe, expect, it } from 'vitest';
import type { DropPayClient } from '../../../electron/main/droppay/index';
import type { Journal } from '../../../electron/main/journal/index';
import { createCtx } from '../../../electron/main/payments/context';

function control(log: (message: string) => void = () => undefined) {
  return createCtx({
    // schedule() touches neither.
    journal: {} as Journal,
    client: {} as DropPayClient,
    pollIntervalMs: 10,
    waitingSeconds: 300,
    resolveIntervalMs: 10,
    inTransitMs: 0,
    now: () => new Date(),
    monotonic: () => performance.now(),
    crashPoint: undefined,
    log,
  });
}

/** Work that notes its name in `ran` when it runs. */
const job = (ran: string[], name: string) => (): Promise<void> => {
  ran.push(name);
  return Promise.resolve();
};
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('ctx.schedule', () => {
  it('runs work scheduled for now on the next turn of the event loop', async () => {
    const { ctx } = control();
    const ran: string[] = [];
    ctx.schedule('poll:a', 0, job(ran, 'a'));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual(['a']);
  });

  it('keeps one timer per key: scheduling again replaces the earlier one, now or later', async () => {
    const { ctx } = control();
    const ran: string[] = [];
    ctx.schedule('poll:a', 0, job(ran, 'first'));
    ctx.schedule('poll:a', 0, job(ran, 'second'));
    ctx.schedule('poll:b', 0, job(ran, 'b-now'));
    ctx.schedule('poll:b', 30, job(ran, 'b-later'));
    await nextTurn();
    expect(ran).toEqual(['second']);
    await sleep(60);
    expect(ran).toEqual(['second', 'b-later']);
  });

  it('unschedule and halt cancel work not yet started, immediate or timed', async () => {
    const c = control();
    const { ctx } = c;
    const ran: string[] = [];
    ctx.schedule('poll:a', 0, job(ran, 'a'));
    ctx.unschedule('poll:a');
    ctx.schedule('poll:b', 0, job(ran, 'b'));
    ctx.schedule('poll:c', 20, job(ran, 'c'));
    c.halt();
    ctx.schedule('poll:d', 0, job(ran, 'd'));
    await sleep(50);
    expect(ran).toEqual([]);
  });

  it('logs work that fails instead of throwing it at the timer', async () => {
    const logs: string[] = [];
    const { ctx } = control((m) => logs.push(m));
    ctx.schedule('poll:a', 0, () => Promise.reject(new Error('DropPay is down')));
    await nextTurn();
    await nextTurn();
    expect(logs).toEqual(['payments: poll:a failed: DropPay is down']);
  });
});
