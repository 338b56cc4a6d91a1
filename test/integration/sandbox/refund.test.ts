import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startClient, type ChargeBody, type RefundBody, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient({ refundSettleSeconds: 2, accountingDelaySeconds: 60 });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

const refund = (chargeId: string, amount: number, reason = 'Cliente insoddisfatto') =>
  c.api<RefundBody>('POST', '/shop/v1/pos/refund', { charge_id: chargeId, amount, reason });
const readRefund = async (id: string) => (await c.api<RefundBody>('GET', `/shop/v1/pos/refund/${id}`)).body;
const readCharge = async (id: string) => (await c.api<ChargeBody>('GET', `/shop/v1/pos/charge/${id}`)).body;

describe('refund', () => {
  it('ENQUEUED → DONE → ACCOUNTED by the simulated clock, and shows inside the charge', async () => {
    const ch = await c.doneCharge();
    const res = await refund(ch.id, 1.25);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^CHR[A-Z0-9]+$/);
    expect(res.body).toMatchObject({
      charge_id: ch.id,
      amount: 1.25,
      reason: 'Cliente insoddisfatto',
      status: 'ENQUEUED',
    });
    expect((await readCharge(ch.id)).refund).toEqual(res.body);
    await c.advance(2);
    expect((await readRefund(res.body.id)).status).toBe('DONE');
    await c.advance(60);
    const accounted = await readRefund(res.body.id);
    expect(accounted.status).toBe('ACCOUNTED');
    expect((await readCharge(ch.id)).refund?.status).toBe('ACCOUNTED');
  });

  it('one big clock jump walks the whole way to ACCOUNTED', async () => {
    const ch = await c.doneCharge();
    const r = (await refund(ch.id, 2.5)).body;
    await c.advance(3000);
    expect((await readRefund(r.id)).status).toBe('ACCOUNTED');
  });

  it('one refund per charge: a second → 403/202', async () => {
    const ch = await c.doneCharge();
    expect((await refund(ch.id, 1)).status).toBe(201);
    expect(errorOf(await refund(ch.id, 1))).toEqual({ status: 403, code: '202' });
  });

  it('above the charge amount → 400/101; zero → 400/101; the whole amount is fine', async () => {
    const ch = await c.doneCharge();
    expect(errorOf(await refund(ch.id, 2.51))).toEqual({ status: 400, code: '101' });
    expect(errorOf(await refund(ch.id, 0))).toEqual({ status: 400, code: '101' });
    expect((await refund(ch.id, 2.5)).status).toBe(201);
  });

  it('a reason longer than 512 → 400/101; missing charge_id → 400/100', async () => {
    const ch = await c.doneCharge();
    expect(errorOf(await refund(ch.id, 1, 'x'.repeat(513)))).toEqual({ status: 400, code: '101' });
    // Characters are code points, as the till counts them (QA D2): 513 emoji are too many...
    expect(errorOf(await refund(ch.id, 1, '😀'.repeat(513)))).toEqual({ status: 400, code: '101' });
    // ...512 are not, though JavaScript's length says 1024.
    expect((await refund(ch.id, 1, '😀'.repeat(512))).status).toBe(201);
    const missing = await c.api('POST', '/shop/v1/pos/refund', { amount: 1 });
    expect(errorOf(missing)).toEqual({ status: 400, code: '100' });
  });

  it('only a DONE or ACCOUNTED charge can be refunded', async () => {
    const a = await c.grantedAuthorization();
    await c.sim('charge/next-fails');
    const failed = (await c.charge(a, 2.5)).body;
    expect(failed.status).toBe('FAILED');
    expect(errorOf(await refund(failed.id, 1))).toEqual({ status: 403, code: '200' });
    const ch = await c.doneCharge();
    await c.advance(61);
    expect((await readCharge(ch.id)).status).toBe('ACCOUNTED');
    expect((await refund(ch.id, 1)).status).toBe(201);
  });

  it('/_sim/refund/next-fails: ENQUEUED → FAILED, which frees the charge for another refund', async () => {
    const ch = await c.doneCharge();
    await c.sim('refund/next-fails');
    const r = (await refund(ch.id, 2)).body;
    expect(r.status).toBe('ENQUEUED');
    await c.advance(100);
    expect((await readRefund(r.id)).status).toBe('FAILED');
    const again = await refund(ch.id, 2);
    expect(again.status).toBe(201);
    await c.advance(2);
    expect((await readRefund(again.body.id)).status).toBe('DONE');
    expect((await readCharge(ch.id)).refund?.id).toBe(again.body.id);
  });

  it('unknown charge or refund → 404/100', async () => {
    expect(errorOf(await refund('CHANOPE', 1))).toEqual({ status: 404, code: '100' });
    expect(errorOf(await c.api('GET', '/shop/v1/pos/refund/CHRNOPE'))).toEqual({ status: 404, code: '100' });
  });
});

describe('ledger', () => {
  it('lists every charge and refund in euros, with totals of the money that moved', async () => {
    const one = await c.doneCharge();
    const two = await c.doneCharge();
    const a = await c.grantedAuthorization();
    await c.sim('charge/next-fails');
    await c.charge(a, 2.5);
    await refund(one.id, 0.3);
    await c.sim('refund/next-fails');
    await refund(two.id, 1);
    await c.advance(5);
    const ledger = (await c.ledger()).body;
    expect(ledger.charges.map((x) => [x.amount, x.status])).toEqual([
      [2.5, 'DONE'],
      [2.5, 'DONE'],
      [2.5, 'FAILED'],
    ]);
    expect(ledger.refunds.map((x) => [x.charge_id, x.amount, x.status])).toEqual([
      [one.id, 0.3, 'DONE'],
      [two.id, 1, 'FAILED'],
    ]);
    expect(ledger.totals).toEqual({ charged: 5, refunded: 0.3, net: 4.7 });
    await c.sim('reset');
    const empty = (await c.ledger()).body;
    expect(empty.charges).toEqual([]);
    expect(empty.refunds).toEqual([]);
  });
});
