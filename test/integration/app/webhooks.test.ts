import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sales';
import { POLL_INTERVAL_MAX_MS } from '../../../shared/settings';
import { eventually, grant, startApp, type TestApp } from './harness';

// The runtime on the embedded sandbox receives DropPay's events: with the slowest poll the
// settings allow (10 s), the payer's approval still shows as paid within a moment.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  await app.value('settings:update', { pollIntervalMs: POLL_INTERVAL_MAX_MS });
});
afterAll(() => app.close());

const updated = (id: string, state: SaleView['state']): SaleView | undefined =>
  app.events
    .map((e) => (e.event === 'sale' ? (e.payload as { type: string; sale?: SaleView }) : null))
    .find((p) => p?.type === 'sale.updated' && p.sale?.id === id && p.sale.state === state)?.sale;

describe('DropPay events in the app', () => {
  it('an approval is charged and shown paid long before the next poll', async () => {
    const started = await app.value('sale:start', { amount: 990, description: 'Spritz' });
    expect(started.state).toBe('waiting');
    const granted = Date.now();
    await grant(app.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
    const paid = await eventually(() => updated(started.id, 'paid'), 3_000);
    expect(Date.now() - granted).toBeLessThan(POLL_INTERVAL_MAX_MS / 2);
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 990 }]);
  });

  it('with DROPPAY_SANDBOX_EVENTS=off the sandbox acts as a real DropPay: the approval waits for the poll', async () => {
    const quiet = await startApp({ env: { DROPPAY_ENV: 'sandbox', DROPPAY_SANDBOX_EVENTS: 'off' } });
    try {
      await quiet.runtime.ready();
      await quiet.value('settings:update', { pollIntervalMs: POLL_INTERVAL_MAX_MS });
      const started = await quiet.value('sale:start', { amount: 450, description: 'Caffè' });
      await grant(quiet.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await quiet.value('sale:get', { saleId: started.id })).state).toBe('waiting');
    } finally {
      await quiet.close();
    }
  });
});
