import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, grantedAuthorization, ledger, openSandbox, openTill, sim, type Sandbox } from './harness';

let sandbox: Sandbox & { dispose(): Promise<void> };

beforeAll(async () => {
  sandbox = await openSandbox({ accountingDelaySeconds: 60, refundSettleSeconds: 2 });
});
afterAll(async () => {
  await sandbox.dispose();
});

describe('DropPay client against the sandbox: the quick-start', () => {
  it('token → authorization → grant → pay token → charge → refund, cents in and out', async () => {
    const till = await openTill(sandbox);
    expect(await till.client.state()).toBe('connected');

    const created = await till.client.authorizations.create({
      description: 'Caffè e cornetto',
      amount: 5472,
      merchantCustomId: 'sale-001',
    });
    expect(created).toMatchObject({
      status: 'WAITING',
      amount: 5472,
      policy: 'CHARGEABLE',
      chargeSuccessCount: 0,
      merchantCustomId: 'sale-001',
    });
    expect(created.id).toMatch(/^CHT/);
    expect(created.posId).toBe(sandbox.credentials.posId);
    expect(created.sharing).toMatch(/^http/);
    expect(created.payToken).toBeUndefined();
    // The token came from the connection code and now lives in the store.
    expect(till.counter.count('POST', '/oa2/v1/ac/token')).toBe(1);
    expect(await till.store.get('accessToken')).toBeTruthy();

    await sim(sandbox, 'POST', `/_sim/authorization/${created.id}/grant`);
    const granted = await till.client.authorizations.get(created.id);
    expect(granted.status).toBe('GRANTED');
    expect(granted.payToken?.val).toMatch(/[0-9a-f-]{36}/);
    expect(granted.payToken?.chargeAvailable).toBe(1);

    const charge = await till.client.charges.create({
      authorizationId: granted.id,
      payTokenVal: granted.payToken?.val ?? '',
      amount: 5472,
      description: 'Caffè e cornetto',
      merchantCustomId: 'sale-001',
    });
    expect(charge).toMatchObject({
      status: 'DONE',
      amount: 5472,
      authorizationId: granted.id,
      merchantCustomId: 'sale-001',
    });
    expect(charge.id).toMatch(/^CHA/);

    const after = await till.client.authorizations.get(created.id);
    expect(after.chargeSuccessCount).toBe(1);
    if (after.charges) expect(after.charges).toEqual([{ id: charge.id, amount: 5472, status: 'DONE' }]);

    const refund = await till.client.refunds.create({
      chargeId: charge.id,
      amount: 1999,
      reason: 'Cornetto bruciato',
    });
    expect(refund).toMatchObject({ chargeId: charge.id, amount: 1999, reason: 'Cornetto bruciato' });
    expect(['PENDING', 'DONE']).toContain(refund.status);

    await advance(sandbox, 120);
    const settledRefund = await till.client.refunds.get(refund.id);
    expect(['DONE', 'ACCOUNTED']).toContain(settledRefund.status);
    const settledCharge = await till.client.charges.get(charge.id);
    expect(settledCharge.status).toBe('ACCOUNTED');
    expect(settledCharge.amount).toBe(5472);
    expect(settledCharge.refund?.id).toBe(refund.id);
    expect(settledCharge.refund?.amount).toBe(1999);

    const book = await ledger(sandbox);
    expect(book.charges.filter((c) => c.id === charge.id)).toEqual([
      expect.objectContaining({ amount: 54.72 }),
    ]);
    expect(book.refunds.filter((r) => r.id === refund.id)).toEqual([
      expect.objectContaining({ amount: 19.99 }),
    ]);
  });

  it('amounts that are awkward in binary floating point survive the round trip', async () => {
    const till = await openTill(sandbox);
    for (const amount of [1, 10, 29, 57, 110, 1005, 999_999, 100_000_000]) {
      const a = await grantedAuthorization(sandbox, till, amount);
      expect(a.amount).toBe(amount);
      const c = await till.client.charges.create({
        authorizationId: a.id,
        payTokenVal: a.payToken?.val ?? '',
        amount,
      });
      expect(c.amount).toBe(amount);
    }
  });

  it('a charge told to fail comes back FAILED, and the authorization is not used up', async () => {
    const till = await openTill(sandbox);
    const a = await grantedAuthorization(sandbox, till, 250);
    await sim(sandbox, 'POST', '/_sim/charge/next-fails');
    const failed = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 250,
    });
    expect(failed.status).toBe('FAILED');
    expect((await till.client.authorizations.get(a.id)).chargeSuccessCount).toBe(0);
  });

  it('refuse, revoke and cancel show up as typed statuses', async () => {
    const till = await openTill(sandbox);
    const r = await till.client.authorizations.create({ description: 'x', amount: 100 });
    await sim(sandbox, 'POST', `/_sim/authorization/${r.id}/refuse`);
    expect((await till.client.authorizations.get(r.id)).status).toBe('REFUSED');

    const v = await grantedAuthorization(sandbox, till, 100);
    await sim(sandbox, 'POST', `/_sim/authorization/${v.id}/revoke`);
    expect((await till.client.authorizations.get(v.id)).status).toBe('REVOKED');

    const c = await till.client.authorizations.create({ description: 'x', amount: 100 });
    const cancelled = await till.client.authorizations.cancel(c.id);
    expect(cancelled?.status ?? (await till.client.authorizations.get(c.id)).status).toBe('CANCELLED');

    const e = await till.client.authorizations.create({ description: 'x', amount: 100 });
    await advance(sandbox, 301);
    expect((await till.client.authorizations.get(e.id)).status).toBe('EXPIRED');
  });

  it('policies BOOKED (any amount up to the booking) and CHARGED (charged at granting)', async () => {
    const till = await openTill(sandbox);
    const booked = await grantedAuthorization(sandbox, till, 5000, { policy: 'BOOKED' });
    const c = await till.client.charges.create({
      authorizationId: booked.id,
      payTokenVal: booked.payToken?.val ?? '',
      amount: 3120,
    });
    expect(c.amount).toBe(3120);

    const charged = await grantedAuthorization(sandbox, till, 700, { policy: 'CHARGED' });
    expect(charged.policy).toBe('CHARGED');
    expect(charged.chargeId).toMatch(/^CHA/);
    const dropPaysCharge = await till.client.charges.get(charged.chargeId ?? '');
    expect(dropPaysCharge.amount).toBe(700);
  });

  it('brands: the merchant and store names', async () => {
    const till = await openTill(sandbox);
    const brands = await till.client.brands.list();
    expect(brands.length).toBeGreaterThan(0);
    expect(brands[0]?.name).toBeTruthy();
    expect(brands[0]?.stores[0]?.name).toBeTruthy();
  });

  it('onboarding: connection created, granted by the merchant, its code adopted by a new till', async () => {
    const till = await openTill(sandbox);
    const conn = await till.client.connection.create({ webhooks: { ALL: 'http://127.0.0.1:9/hook' } });
    expect(conn.status).toBe('WAITING');
    expect(conn.code).toBeUndefined();
    expect(conn.sharing).toMatch(/^http/);
    await sim(sandbox, 'POST', `/_sim/connection/${conn.id}/grant`);
    const granted = await till.client.connection.get(conn.id);
    expect(granted.status).toBe('GRANTED');
    expect(granted.code).toBeTruthy();

    const fresh = await openTill(sandbox);
    await fresh.store.delete('connectionCode');
    expect(await fresh.client.state()).toBe('not_configured');
    expect(await fresh.client.tokens.useConnectionCode(granted.code ?? '', granted.posId)).toBe('connected');
    // A connection is a merchant of its own, with its own POS id (the sandbox tells it).
    expect(granted.posId).toBeTruthy();
    expect(granted.posId).not.toBe(sandbox.credentials.posId);
    const sale = await fresh.client.authorizations.create({ description: 'new merchant', amount: 100 });
    expect(sale.posId).toBe(granted.posId);
    expect(fresh.counter.count('POST', '/oa2/v1/ac/token')).toBe(1);

    const waiting = await till.client.connection.create();
    const cancelled = await till.client.connection.cancel(waiting.id);
    expect(cancelled?.status).toBe('CANCELLED');
  });
});
