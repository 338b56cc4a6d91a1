/**
 * What Electron asks about before the till closes: the sales started and not yet ended, read
 * from the real journal of the real runtime (embedded sandbox, real keychain).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, grant, startApp, type TestApp } from './harness';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
});
afterAll(() => app.close());

describe('salesInProgress', () => {
  it('counts a waiting sale until it is paid or cancelled; a second one cannot start meanwhile', async () => {
    expect(app.runtime.salesInProgress()).toBe(0);
    const first = await app.value('sale:start', { amount: 400, description: 'Caffè' });
    expect(app.runtime.salesInProgress()).toBe(1);
    // The customer has the first QR: a second sale would ask them to pay again.
    const refused = await app.call('sale:start', { amount: 900, description: 'Pranzo' });
    expect(refused.ok ? null : refused.error).toMatchObject({
      code: 'INVALID_STATE',
      detail: {
        key: 'sale.inProgress',
        params: { ref: first.merchantRef, amountCents: 400, saleId: first.id },
      },
    });
    expect(app.runtime.salesInProgress()).toBe(1);
    // Any window opened now takes up the sale in progress.
    expect((await app.value('sale:current'))?.id).toBe(first.id);
    await app.value('sale:cancel', { saleId: first.id });
    expect(app.runtime.salesInProgress()).toBe(0);
    expect(await app.value('sale:current')).toBeNull();

    const second = await app.value('sale:start', { amount: 900, description: 'Pranzo' });
    expect(app.runtime.salesInProgress()).toBe(1);
    await grant(app.runtime.sandbox?.baseUrl ?? '', second.authorizationId ?? '');
    await eventually(() => (app.runtime.journal.getSale(second.id)?.state === 'paid' ? true : undefined));
    expect(app.runtime.salesInProgress()).toBe(0);
    expect(await app.value('sale:current')).toBeNull();
  });

  it('a pre-authorization waiting for its capture does not hold the till (QA D9); one being captured does', async () => {
    const sandbox = app.runtime.sandbox?.baseUrl ?? '';
    const faults = (latency: number) =>
      fetch(`${sandbox}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latency_ms: latency, error_rate: 0, drop_after_commit_rate: 0, seed: 1 }),
      });
    const booked = await app.value('sale:start', { amount: 890, description: 'Tè verde', policy: 'BOOKED' });
    expect(app.runtime.salesInProgress()).toBe(1);
    await grant(sandbox, booked.authorizationId ?? '');
    await eventually(() => (app.runtime.journal.getSale(booked.id)?.state === 'granted' ? true : undefined));
    // It can wait a week for its capture: the window closes, the day's rule changes, unasked.
    expect(app.runtime.salesInProgress()).toBe(0);
    expect(await app.value('settings:update', { cutoffHour: 4 })).toMatchObject({ cutoffHour: 4 });
    expect(await app.value('settings:update', { cutoffHour: 0 })).toMatchObject({ cutoffHour: 0 });

    // Its capture on its way to DropPay holds it, as a charge does.
    await faults(1_500);
    try {
      const capture = app.call('sale:capture', { saleId: booked.id, amount: 500 });
      await eventually(() =>
        app.runtime.journal.getSale(booked.id)?.state === 'charging' ? true : undefined,
      );
      expect(app.runtime.salesInProgress()).toBe(1);
      const refused = await app.call('settings:update', { cutoffHour: 4 });
      expect(refused.ok ? null : refused.error).toMatchObject({
        code: 'INVALID_STATE',
        detail: { key: 'settings.dayRuleSaleInProgress' },
      });
      const captured = await capture;
      expect(captured.ok ? captured.value.state : captured.error.code).toBe('paid');
    } finally {
      await faults(0);
    }
    expect(app.runtime.salesInProgress()).toBe(0);
  });
});
