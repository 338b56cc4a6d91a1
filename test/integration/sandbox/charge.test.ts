import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptionOf, errorOf, startClient, type ChargeBody, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient({ accountingDelaySeconds: 60 });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

describe('pay token', () => {
  it('a GET within its lifetime returns the same val', async () => {
    const a = await c.grantedAuthorization();
    await c.advance(100);
    expect((await c.getAuthorization(a.id)).body.pay_token?.val).toBe(a.pay_token.val);
  });

  it('expires after 180 s: charging with it → 410/200; the next GET issues a fresh val that charges', async () => {
    const a = await c.grantedAuthorization();
    await c.advance(181);
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 410, code: '200' });
    const renewed = (await c.getAuthorization(a.id)).body;
    expect(renewed.pay_token?.val).not.toBe(a.pay_token.val);
    expect(
      Date.parse(renewed.pay_token?.date_expiring ?? '') - Date.parse(renewed.pay_token?.date_issued ?? ''),
    ).toBe(180_000);
    expect((await c.charge(renewed, 2.5)).status).toBe(201);
  });

  it('a superseded val → 410/200 even before it would have expired', async () => {
    const a = await c.grantedAuthorization();
    await c.advance(181);
    const renewed = (await c.getAuthorization(a.id)).body;
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 410, code: '200' });
    expect(errorOf(await c.charge({ id: a.id, pay_token: { val: 'made-up' } }, 2.5))).toEqual({
      status: 410,
      code: '200',
    });
    expect((await c.charge(renewed, 2.5)).status).toBe(201);
  });

  it('a successful charge spends the val: a blind retry gets 410, not a second charge', async () => {
    const a = await c.grantedAuthorization({ charge_max_count: 3 });
    expect((await c.charge(a, 2.5)).status).toBe(201);
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 410, code: '200' });
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.charge_success_count).toBe(1);
    expect(after.pay_token?.val).not.toBe(a.pay_token.val);
    expect(after.pay_token?.charge_available).toBe(2);
  });

  it('no new val is issued once the authorization is no longer GRANTED', async () => {
    const a = await c.grantedAuthorization();
    await c.sim(`authorization/${a.id}/revoke`);
    await c.advance(181);
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.pay_token?.val).toBe(a.pay_token.val);
    expect(after.pay_token?.charge_available).toBe(0);
  });
});

describe('charge', () => {
  it('DONE at once with the full entity, readable by GET, counted on the authorization', async () => {
    const a = await c.grantedAuthorization({ charge_amount: 12.34 });
    const res = await c.charge(a, 12.34, { merchant_custom_id: 'SALE-1', merchant_custom_label: 'Cassa 1' });
    expect(res.status).toBe(201);
    const ch = res.body;
    expect(ch.id).toMatch(/^CHA[A-Z0-9]+$/);
    expect(ch).toMatchObject({
      authorization_id: a.id,
      pay_token_val: a.pay_token.val,
      amount: 12.34,
      description: 'Colazione',
      merchant_custom_id: 'SALE-1',
      merchant_custom_label: 'Cassa 1',
      status: 'DONE',
      pos_id: c.creds.posId,
      merchant_business_name: 'Bar Sandbox',
    });
    expect(typeof ch.payer_name).toBe('string');
    expect(ch.date_done).toBeTypeOf('string');
    expect((await c.api<ChargeBody>('GET', `/shop/v1/pos/charge/${ch.id}`)).body).toEqual(ch);
    const auth = (await c.getAuthorization(a.id)).body;
    expect(auth.charge_success_count).toBe(1);
    expect(auth.charges).toEqual([{ id: ch.id, amount: 12.34, status: 'DONE' }]);
  });

  it('turns ACCOUNTED after the accounting delay of simulated time', async () => {
    const ch = await c.doneCharge();
    await c.advance(59);
    expect((await c.api<ChargeBody>('GET', `/shop/v1/pos/charge/${ch.id}`)).body.status).toBe('DONE');
    await c.advance(2);
    expect((await c.api<ChargeBody>('GET', `/shop/v1/pos/charge/${ch.id}`)).body.status).toBe('ACCOUNTED');
    expect((await c.ledger()).body.charges[0]?.status).toBe('ACCOUNTED');
  });

  it('FAILED after /_sim/charge/next-fails: not counted, the val still charges, the next one succeeds', async () => {
    const a = await c.grantedAuthorization();
    expect((await c.sim('charge/next-fails')).status).toBe(200);
    const failed = await c.charge(a, 2.5);
    expect(failed.status).toBe(201);
    expect(failed.body.status).toBe('FAILED');
    expect(failed.body.date_done).toBeUndefined();
    const mid = (await c.getAuthorization(a.id)).body;
    expect(mid.status).toBe('GRANTED');
    expect(mid.charge_success_count).toBe(0);
    expect(mid.charges).toEqual([{ id: failed.body.id, amount: 2.5, status: 'FAILED' }]);
    const ok = await c.charge(mid, 2.5);
    expect(ok.body.status).toBe('DONE');
    // A FAILED charge never becomes ACCOUNTED.
    await c.advance(120);
    expect((await c.api<ChargeBody>('GET', `/shop/v1/pos/charge/${failed.body.id}`)).body.status).toBe(
      'FAILED',
    );
    const ledger = (await c.ledger()).body;
    expect(ledger.charges.map((x) => x.status)).toEqual(['FAILED', 'ACCOUNTED']);
    expect(ledger.totals.charged).toBe(2.5);
  });

  it('refuses a WAITING authorization with 403/200', async () => {
    const a = (await c.createAuthorization()).body;
    expect(errorOf(await c.charge({ id: a.id, pay_token: { val: 'x' } }, 2.5))).toEqual({
      status: 403,
      code: '200',
    });
  });

  it('refuses before the charge window opens with 403/201', async () => {
    const start = new Date(Date.now() + 600_000).toISOString();
    const a = await c.grantedAuthorization({ charge_date_start: start });
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 403, code: '201' });
  });

  it('names missing and wrong fields: 400/100 and 400/101', async () => {
    const a = await c.grantedAuthorization();
    const noToken = await c.api('POST', '/shop/v1/pos/charge', { authorization_id: a.id, amount: 2.5 });
    expect(errorOf(noToken)).toEqual({ status: 400, code: '100' });
    expect(descriptionOf(noToken)).toContain('pay_token_val');
    expect(errorOf(await c.charge(a, 2.555))).toEqual({ status: 400, code: '101' });
    expect(errorOf(await c.charge(a, 0))).toEqual({ status: 400, code: '101' });
  });

  it('an unknown authorization → 404/100; another POS’s → 403/101; unknown charge → 404/100', async () => {
    expect(errorOf(await c.charge({ id: 'CHTNOPE', pay_token: { val: 'x' } }, 2.5))).toEqual({
      status: 404,
      code: '100',
    });
    expect(errorOf(await c.api('GET', '/shop/v1/pos/charge/CHANOPE'))).toEqual({ status: 404, code: '100' });

    const a = await c.grantedAuthorization();
    const ch = (await c.charge(a, 2.5)).body;
    const appToken = (
      await c.call<{ access_token: string }>('POST', '/oa2/v1/cc/token', {
        body: {
          grant_type: 'client_credentials',
          client_id: c.creds.applicationKey,
          client_secret: c.creds.applicationSecret,
        },
      })
    ).body.access_token;
    const conn = (await c.call<{ id: string }>('POST', '/oa2/v1/connection', { token: appToken, body: {} }))
      .body;
    const code = (await c.sim<{ code: string }>(`connection/${conn.id}/grant`)).body.code;
    const other = (await c.grantCode(code)).body.access_token;
    const b = await c.grantedAuthorization();
    const foreignCharge = await c.call('POST', '/shop/v1/pos/charge', {
      token: other,
      body: { authorization_id: b.id, pay_token_val: b.pay_token.val, amount: 2.5 },
    });
    expect(errorOf(foreignCharge)).toEqual({ status: 403, code: '101' });
    expect(errorOf(await c.call('GET', `/shop/v1/pos/charge/${ch.id}`, { token: other }))).toEqual({
      status: 403,
      code: '101',
    });
    expect((await c.getAuthorization(b.id)).body.charge_success_count).toBe(0);
  });
});
