import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sales';
import { eventually, grant, startApp, type TestApp } from './harness';

// A pre-authorization the till holds is looked at again every resolveIntervalMs (polling only:
// no sandbox events, as with a DropPay that cannot reach the till). A capture made elsewhere
// is found by that look, at the interval the runtime is given, and not before.

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function heldThenCapturedElsewhere(
  resolveIntervalMs: number,
): Promise<{ app: TestApp; saleId: string }> {
  const started = await startApp({ sandboxEvents: false, resolveIntervalMs });
  app = started;
  await started.runtime.ready();
  await started.value('settings:update', { pollIntervalMs: 250 });
  const sale = await started.value('sale:start', { amount: 5000, description: 'Cauzione', policy: 'BOOKED' });
  const authorizationId = sale.authorizationId ?? '';
  await grant(started.runtime.sandbox?.baseUrl ?? 'no sandbox', authorizationId);
  await eventually(async () => {
    const now = await started.value('sale:get', { saleId: sale.id });
    return now.state === 'granted' ? now : undefined;
  });
  const authorization = await started.runtime.client.authorizations.get(authorizationId);
  await started.runtime.client.charges.create({
    authorizationId,
    payTokenVal: authorization.payToken?.val ?? '',
    amount: 3000,
  });
  return { app: started, saleId: sale.id };
}

const capturedCents = (sale: SaleView): number =>
  sale.charges
    .filter((c) => c.status === 'DONE' || c.status === 'ACCOUNTED')
    .reduce((n, c) => n + c.amount, 0);

describe('a held pre-authorization captured outside the till', () => {
  it('is found at the next slow look and recorded as the sale’s payment', async () => {
    const { app: running, saleId } = await heldThenCapturedElsewhere(200);
    const paid = await eventually(async () => {
      const now = await running.value('sale:get', { saleId });
      return capturedCents(now) > 0 ? now : undefined;
    }, 3_000);
    expect(capturedCents(paid)).toBe(3000);
    expect(paid.charges).toHaveLength(1);
  });

  it('stays unknown to the till until that look comes (here: in ten minutes)', async () => {
    const { app: running, saleId } = await heldThenCapturedElsewhere(10 * 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    const now = await running.value('sale:get', { saleId });
    expect(now.state).toBe('granted');
    expect(now.charges).toEqual([]);
  });
});
