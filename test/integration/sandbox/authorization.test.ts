import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptionOf, errorOf, startClient, type AuthorizationBody, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient({ waitingSeconds: 300 });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

describe('create', () => {
  it('returns 201 with the entity, echoing every posted field', async () => {
    const start = new Date(Date.now() - 1000).toISOString();
    const end = new Date(Date.now() + 86_400_000).toISOString();
    const res = await c.createAuthorization({
      description: 'Abbonamento caffè',
      charge_amount: 54.72,
      policy: 'CHARGEABLE',
      charge_max_count: 3,
      charge_date_start: start,
      charge_date_end: end,
      merchant_custom_id: 'SALE-0042',
      webhooks: { ALL: 'http://127.0.0.1:9/hook' },
      loopback_uri: 'cashier://back',
    });
    expect(res.status).toBe(201);
    const a = res.body;
    expect(a.id).toMatch(/^CHT[A-Z0-9]+$/);
    expect(a).toMatchObject({
      pos_id: c.creds.posId,
      description: 'Abbonamento caffè',
      charge_amount: 54.72,
      policy: 'CHARGEABLE',
      charge_max_count: 3,
      merchant_custom_id: 'SALE-0042',
      webhooks: { ALL: 'http://127.0.0.1:9/hook' },
      loopback_uri: 'cashier://back',
      status: 'WAITING',
      charge_success_count: 0,
      charges: [],
      sharing: `${c.sb.baseUrl}/pay/${a.id}`,
    });
    expect(Date.parse(a.charge_date_start)).toBe(Date.parse(start));
    expect(Date.parse(a.charge_date_end ?? '')).toBe(Date.parse(end));
    for (const d of [a.date_creation, a.date_last_update, a.charge_date_start])
      expect(d).toMatch(ISO_WITH_OFFSET);
    expect(a.pay_token).toBeUndefined();
    expect((await c.getAuthorization(a.id)).body).toEqual(a);
  });

  it('defaults: CHARGEABLE, one charge, starting now', async () => {
    const before = Date.now();
    const a = (await c.createAuthorization()).body;
    expect(a.policy).toBe('CHARGEABLE');
    expect(a.charge_max_count).toBe(1);
    expect(Date.parse(a.charge_date_start)).toBeGreaterThanOrEqual(before - 5);
    expect(a.charge_date_end).toBeUndefined();
  });

  const cases: [string, Record<string, unknown>, number, string, string][] = [
    ['missing pos_id', { pos_id: undefined }, 400, '100', 'pos_id'],
    ['missing description', { description: undefined }, 400, '100', 'description'],
    ['missing charge_amount', { charge_amount: undefined }, 400, '100', 'charge_amount'],
    ['zero amount', { charge_amount: 0 }, 400, '101', 'charge_amount'],
    ['negative amount', { charge_amount: -1 }, 400, '101', 'charge_amount'],
    ['three decimals', { charge_amount: 1.005 }, 400, '101', 'charge_amount'],
    ['amount as boolean', { charge_amount: true }, 400, '101', 'charge_amount'],
    ['unknown policy', { policy: 'LATER' }, 400, '101', 'policy'],
    ['description too long', { description: 'x'.repeat(513) }, 400, '101', 'description'],
    ['charge_max_count zero', { charge_max_count: 0 }, 400, '101', 'charge_max_count'],
    [
      'charge_max_count > 1 with BOOKED',
      { policy: 'BOOKED', charge_max_count: 2 },
      400,
      '101',
      'charge_max_count',
    ],
    ['webhook not a URL', { webhooks: { ALL: 'nope' } }, 400, '101', 'webhooks.ALL'],
    ['unparsable start date', { charge_date_start: 'tomorrow' }, 400, '102', 'charge_date_start'],
    ['date without offset', { charge_date_start: '2030-01-01T10:00:00' }, 400, '102', 'charge_date_start'],
    ['impossible date', { charge_date_end: '2030-02-30T10:00:00+01:00' }, 400, '102', 'charge_date_end'],
    [
      'end before start',
      { charge_date_start: '2030-01-02T10:00:00+01:00', charge_date_end: '2030-01-01T10:00:00+01:00' },
      400,
      '102',
      'charge_date_end',
    ],
    ['end already past', { charge_date_end: '2001-01-01T10:00:00Z' }, 400, '102', 'charge_date_end'],
    ['someone else\u2019s pos_id', { pos_id: 'POSNOTMINE00' }, 403, '101', 'POSNOTMINE00'],
  ];
  it.each(cases)('%s → %i/%s naming the field', async (_name, fields, status, code, field) => {
    const res = await c.createAuthorization(fields);
    expect(errorOf(res)).toEqual({ status, code });
    expect(descriptionOf(res)).toContain(field);
  });

  it('without a bearer → 401/102; unknown id → 404/100', async () => {
    const res = await c.call('POST', '/shop/v1/pos/authorization', { body: { pos_id: c.creds.posId } });
    expect(errorOf(res)).toEqual({ status: 401, code: '102' });
    expect(errorOf(await c.getAuthorization('CHTDOESNOTEXIST'))).toEqual({ status: 404, code: '100' });
  });
});

describe('status transitions', () => {
  const status = async (id: string) => (await c.getAuthorization(id)).body.status;

  it('WAITING → GRANTED issues a pay token', async () => {
    const a = (await c.createAuthorization()).body;
    const granted = await c.sim<AuthorizationBody>(`authorization/${a.id}/grant`);
    expect(granted.body.status).toBe('GRANTED');
    expect(granted.body.pay_token?.val).toMatch(/^[0-9a-f-]{36}$/);
    expect(granted.body.pay_token?.charge_available).toBe(1);
    expect(
      Date.parse(granted.body.pay_token?.date_expiring ?? '') -
        Date.parse(granted.body.pay_token?.date_issued ?? ''),
    ).toBe(180_000);
    expect(await status(a.id)).toBe('GRANTED');
  });

  it('WAITING → REFUSED, and a refused one cannot be granted', async () => {
    const a = (await c.createAuthorization()).body;
    expect((await c.sim<AuthorizationBody>(`authorization/${a.id}/refuse`)).body.status).toBe('REFUSED');
    expect(errorOf(await c.sim(`authorization/${a.id}/grant`))).toEqual({ status: 403, code: '200' });
  });

  it('WAITING → CANCELLED by DELETE; repeating is harmless; a GRANTED one cannot be cancelled', async () => {
    const a = (await c.createAuthorization()).body;
    const del = await c.api<AuthorizationBody>('DELETE', `/shop/v1/pos/authorization/${a.id}`);
    expect(del.status).toBe(200);
    expect(del.body.status).toBe('CANCELLED');
    expect((await c.api('DELETE', `/shop/v1/pos/authorization/${a.id}`)).status).toBe(200);
    expect(errorOf(await c.sim(`authorization/${a.id}/grant`))).toEqual({ status: 403, code: '200' });
    const b = await c.grantedAuthorization();
    expect(errorOf(await c.api('DELETE', `/shop/v1/pos/authorization/${b.id}`))).toEqual({
      status: 403,
      code: '200',
    });
    expect(await status(b.id)).toBe('GRANTED');
  });

  it('WAITING → EXPIRED when the waiting time passes on the simulated clock', async () => {
    const a = (await c.createAuthorization()).body;
    await c.advance(299);
    expect(await status(a.id)).toBe('WAITING');
    await c.advance(2);
    const expired = (await c.getAuthorization(a.id)).body;
    expect(expired.status).toBe('EXPIRED');
    // Stamped when it became due, not when it was noticed.
    expect(Date.parse(expired.date_last_update) - Date.parse(expired.date_creation)).toBe(300_000);
    expect(errorOf(await c.sim(`authorization/${a.id}/grant`))).toEqual({ status: 403, code: '200' });
  });

  it('GRANTED → REVOKED by the payer; only a GRANTED one can be revoked', async () => {
    const a = await c.grantedAuthorization();
    expect((await c.sim<AuthorizationBody>(`authorization/${a.id}/revoke`)).body.status).toBe('REVOKED');
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 403, code: '200' });
    const b = (await c.createAuthorization()).body;
    expect(errorOf(await c.sim(`authorization/${b.id}/revoke`))).toEqual({ status: 403, code: '200' });
  });

  it('GRANTED → EXPIRED when the charge window ends', async () => {
    const end = new Date(Date.now() + 1_800_000).toISOString();
    const a = await c.grantedAuthorization({ charge_date_end: end, charge_max_count: 2 });
    await c.advance(1801);
    expect(await status(a.id)).toBe('EXPIRED');
    expect(errorOf(await c.charge(a, 2.5))).toEqual({ status: 403, code: '201' });
  });

  it('GRANTED → EXPIRED when the charge count is used up', async () => {
    const a = await c.grantedAuthorization({ charge_max_count: 2 });
    expect((await c.charge(a, 2.5)).status).toBe(201);
    const mid = (await c.getAuthorization(a.id)).body;
    expect(mid.status).toBe('GRANTED');
    expect(mid.charge_success_count).toBe(1);
    expect(mid.pay_token?.charge_available).toBe(1);
    expect((await c.charge(mid, 2.5)).status).toBe(201);
    const done = (await c.getAuthorization(a.id)).body;
    expect(done.status).toBe('EXPIRED');
    expect(done.charge_success_count).toBe(2);
    expect(done.pay_token?.charge_available).toBe(0);
    expect(done.charges).toHaveLength(2);
    expect(errorOf(await c.charge(done, 2.5))).toEqual({ status: 403, code: '201' });
  });

  it('sim actions on an unknown authorization → 404/100', async () => {
    expect(errorOf(await c.sim('authorization/CHTNOPE/grant'))).toEqual({ status: 404, code: '100' });
  });
});

describe('policies', () => {
  it('CHARGED: DropPay charges at granting, charge_id appears, the count is used up, a merchant charge is refused', async () => {
    const a = (await c.createAuthorization({ policy: 'CHARGED', charge_amount: 7.2 })).body;
    const granted = (await c.sim<AuthorizationBody>(`authorization/${a.id}/grant`)).body;
    // Its one charge made, the count is used up: EXPIRED at once, as the contract has it.
    expect(granted.status).toBe('EXPIRED');
    expect(granted.charge_id).toMatch(/^CHA[A-Z0-9]+$/);
    expect(granted.charge_success_count).toBe(1);
    expect(granted.pay_token).toBeUndefined();
    expect(granted.charges).toEqual([{ id: granted.charge_id, amount: 7.2, status: 'DONE' }]);
    const charge = await c.api<{ status: string; amount: number; authorization_id: string }>(
      'GET',
      `/shop/v1/pos/charge/${granted.charge_id ?? ''}`,
    );
    expect(charge.body).toMatchObject({ status: 'DONE', amount: 7.2, authorization_id: a.id });
    const attempt = await c.charge({ id: a.id, pay_token: { val: 'x' } }, 7.2);
    expect(errorOf(attempt)).toEqual({ status: 403, code: '200' });
    expect((await c.ledger()).body.charges).toHaveLength(1);
  });

  it('CHARGED with a failing payment: GRANTED, charge_id points at the FAILED charge, nothing counted', async () => {
    const a = (await c.createAuthorization({ policy: 'CHARGED' })).body;
    await c.sim('charge/next-fails');
    const granted = (await c.sim<AuthorizationBody>(`authorization/${a.id}/grant`)).body;
    expect(granted.status).toBe('GRANTED');
    expect(granted.charge_success_count).toBe(0);
    expect(granted.charges).toEqual([{ id: granted.charge_id, amount: 2.5, status: 'FAILED' }]);
    expect((await c.ledger()).body.totals.charged).toBe(0);
  });

  it('BOOKED: one later charge of any amount up to charge_amount, then used up', async () => {
    const a = await c.grantedAuthorization({ policy: 'BOOKED', charge_amount: 50 });
    expect(errorOf(await c.charge(a, 50.01))).toEqual({ status: 403, code: '201' });
    const charged = await c.charge(a, 37.45);
    expect(charged.status).toBe(201);
    expect(charged.body.amount).toBe(37.45);
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.status).toBe('EXPIRED');
    expect(after.charge_success_count).toBe(1);
    expect(errorOf(await c.charge(after, 1))).toEqual({ status: 403, code: '201' });
  });

  it('CHARGEABLE: each charge for exactly charge_amount', async () => {
    const a = await c.grantedAuthorization({ charge_amount: 10 });
    expect(errorOf(await c.charge(a, 9.99))).toEqual({ status: 403, code: '201' });
    expect(errorOf(await c.charge(a, 10.01))).toEqual({ status: 403, code: '201' });
    expect((await c.charge(a, 10)).status).toBe(201);
  });
});
