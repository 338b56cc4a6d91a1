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
      code: 'VALIDATION',
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
});
