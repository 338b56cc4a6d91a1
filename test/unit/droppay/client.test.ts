import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../../electron/main/credentials/memory-store';
import { createDropPayClient } from '../../../electron/main/droppay/client';
import { DropPayError } from '../../../electron/main/droppay/errors';
import { fakeFetch, json, type Handler } from './fake-fetch';

const TOKEN = { token_type: 'bearer', access_token: 'acc', refresh_token: 'ref', expires_in: 3600 };

function setup(api: Handler, options: { posId?: string; timeoutMs?: number } = {}) {
  const f = fakeFetch((req, i) => (req.path.endsWith('/token') ? json(200, TOKEN) : api(req, i)));
  const store = new MemoryCredentialStore({
    applicationKey: 'k',
    applicationSecret: 's',
    connectionCode: 'c',
    posId: 'POS-STORE',
  });
  const client = createDropPayClient({
    baseUrl: 'http://droppay.test',
    store,
    sleep: async () => {},
    fetch: f.fetch,
    ...options,
  });
  const apiCalls = () => f.calls.filter((c) => !c.path.endsWith('/token'));
  const tokenCalls = () => f.calls.filter((c) => c.path.endsWith('/token'));
  return { client, apiCalls, tokenCalls };
}

const AUTH = {
  id: 'CHT1',
  status: 'WAITING',
  charge_amount: 12.3,
  charge_success_count: 0,
  sharing: 'https://dp.link/u/10/CHT1',
};
const CHARGE = { id: 'CHA1', authorization_id: 'CHT1', pay_token_val: 'v', amount: 12.3, status: 'DONE' };

describe('DropPayClient resources', () => {
  it('creates an authorization: cents out as euros, POS id from the store, defaults left to DropPay', async () => {
    const { client, apiCalls } = setup(() => json(201, AUTH));
    const a = await client.authorizations.create({
      description: 'Sale 7',
      amount: 1230,
      merchantCustomId: 'sale-7',
    });
    expect(a).toMatchObject({ id: 'CHT1', amount: 1230, status: 'WAITING' });
    expect(apiCalls()[0]).toMatchObject({
      method: 'POST',
      path: '/shop/v1/pos/authorization',
      headers: { authorization: 'Bearer acc' },
      body: { pos_id: 'POS-STORE', description: 'Sale 7', charge_amount: 12.3, merchant_custom_id: 'sale-7' },
    });
    expect(Object.keys(apiCalls()[0]?.body as object)).not.toContain('policy');
  });

  it('an explicit posId option wins over the store', async () => {
    const { client, apiCalls } = setup(() => json(201, AUTH), { posId: 'POS-OPT' });
    await client.authorizations.create({ description: 'x', amount: 1 });
    expect(apiCalls()[0]?.body).toMatchObject({ pos_id: 'POS-OPT', charge_amount: 0.01 });
  });

  it('charges and refunds convert exactly in both directions', async () => {
    const { client, apiCalls } = setup((req) =>
      req.path === '/shop/v1/pos/charge'
        ? json(201, { ...CHARGE, amount: 54.72 })
        : json(201, { id: 'CHR1', charge_id: 'CHA1', amount: 0.07, reason: 'r', status: 'ENQUEUED' }),
    );
    const c = await client.charges.create({
      authorizationId: 'CHT1',
      payTokenVal: 'v',
      amount: 5472,
      description: 'd',
    });
    expect(c.amount).toBe(5472);
    const r = await client.refunds.create({ chargeId: 'CHA1', amount: 7, reason: 'r' });
    expect(r).toMatchObject({ amount: 7, status: 'PENDING' });
    expect(apiCalls().map((x) => x.body)).toEqual([
      { authorization_id: 'CHT1', pay_token_val: 'v', amount: 54.72, description: 'd' },
      { charge_id: 'CHA1', amount: 0.07, reason: 'r' },
    ]);
  });

  it('GETs ids with escaping', async () => {
    const { client, apiCalls } = setup(() => json(200, CHARGE));
    await client.charges.get('CHA/1');
    expect(apiCalls()[0]?.path).toBe('/shop/v1/pos/charge/CHA%2F1');
  });

  it.each([0, -5, 1.5, Number.NaN, 100_000_001])('refuses to send an amount of %s cents', async (amount) => {
    const { client, apiCalls } = setup(() => json(201, CHARGE));
    await expect(
      client.charges.create({ authorizationId: 'CHT1', payTokenVal: 'v', amount }),
    ).rejects.toMatchObject({ kind: 'VALIDATION' });
    expect(apiCalls()).toHaveLength(0);
  });

  it('OUTCOME_UNKNOWN on a charge carries the domain request (cents) for read-back', async () => {
    const { client, apiCalls } = setup(() => json(502, {}));
    const input = { authorizationId: 'CHT1', payTokenVal: 'v', amount: 999, merchantCustomId: 'sale-9' };
    const err = (await client.charges.create(input).catch((e: unknown) => e)) as DropPayError;
    expect(err).toBeInstanceOf(DropPayError);
    expect(err.kind).toBe('OUTCOME_UNKNOWN');
    expect(err.sent).toEqual({ operation: 'charge.create', input });
    expect(err.message).toContain('POST /shop/v1/pos/charge');
    expect(apiCalls()).toHaveLength(1);
    // Logged form: everything but the still-live pay token.
    const logged = JSON.stringify(err);
    expect(logged).toContain('sale-9');
    expect(logged).not.toContain('"payTokenVal":"v"');
  });

  it('a charge answered 201 with an unreadable body is in doubt and carries the request', async () => {
    const { client } = setup(() =>
      json(201, { id: 'CHA1', amount: 1.001, status: 'DONE', authorization_id: 'CHT1' }),
    );
    const err = (await client.charges
      .create({ authorizationId: 'CHT1', payTokenVal: 'v', amount: 100 })
      .catch((e: unknown) => e)) as DropPayError;
    expect(err).toMatchObject({ kind: 'MALFORMED_RESPONSE', inDoubt: true, field: 'amount' });
    expect(err.sent?.operation).toBe('charge.create');
  });

  it('a GET with a malformed body is not in doubt and carries nothing', async () => {
    const { client } = setup(() => json(200, { ...CHARGE, amount: '12.345' }));
    const err = (await client.charges.get('CHA1').catch((e: unknown) => e)) as DropPayError;
    expect(err).toMatchObject({ kind: 'MALFORMED_RESPONSE', inDoubt: false, sent: undefined });
  });

  it('a charge refused with 401/102 is retried once with a new token (nothing happened server side)', async () => {
    const { client, apiCalls } = setup((_, i) => (i === 1 ? json(401, { code: 102 }) : json(201, CHARGE)));
    await client.charges.create({ authorizationId: 'CHT1', payTokenVal: 'v', amount: 1230 });
    expect(apiCalls()).toHaveLength(2);
  });

  it('a bare 401 (no code: a gateway) on a charge is not sent again, but the next call gets a new token', async () => {
    const bare = () =>
      new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } });
    const { client, apiCalls, tokenCalls } = setup((_, i) => (i === 1 ? bare() : json(200, AUTH)));
    // It may have gone through: the payments layer reads it back instead of charging again.
    await expect(
      client.charges.create({ authorizationId: 'CHT1', payTokenVal: 'v', amount: 1230 }),
    ).rejects.toMatchObject({ status: 401 });
    expect(apiCalls()).toHaveLength(1);
    expect(tokenCalls()).toHaveLength(1);
    await client.authorizations.get('CHT1');
    expect(tokenCalls()).toHaveLength(2);
  });

  it('a read refused with a bare 401 is retried once with a new token, never more', async () => {
    const bare = () => new Response('', { status: 401 });
    const once = setup((_, i) => (i === 1 ? bare() : json(200, AUTH)));
    expect((await once.client.authorizations.get('CHT1')).id).toBe('CHT1');
    expect(once.apiCalls()).toHaveLength(2);
    const always = setup(() => bare());
    await expect(always.client.authorizations.get('CHT1')).rejects.toMatchObject({ status: 401 });
    expect(always.apiCalls()).toHaveLength(2);
  });

  it('refund errors from DropPay keep their kind', async () => {
    const { client } = setup(() =>
      json(403, { code: '202', description: 'charge CHA1 already has a refund' }),
    );
    await expect(client.refunds.create({ chargeId: 'CHA1', amount: 1, reason: 'r' })).rejects.toMatchObject({
      kind: 'ALREADY_REFUNDED',
      sent: undefined,
    });
  });

  it('cancels an authorization, with or without a body in the answer', async () => {
    const a = setup(() => json(200, { ...AUTH, status: 'CANCELLED' }));
    expect((await a.client.authorizations.cancel('CHT1'))?.status).toBe('CANCELLED');
    expect(a.apiCalls()[0]?.method).toBe('DELETE');
    const b = setup(() => new Response(null, { status: 204 }));
    expect(await b.client.authorizations.cancel('CHT1')).toBeUndefined();
  });

  it('the Connection API uses the client_credentials token', async () => {
    const f = fakeFetch((req) => {
      if (req.path === '/oa2/v1/cc/token') return json(200, { access_token: 'app-tok', expires_in: 600 });
      return json(200, {
        id: 'CONK1',
        status: 'GRANTED',
        code: 'new-code',
        sharing: 'https://dp.link/u/20/CONK1',
      });
    });
    const store = new MemoryCredentialStore({ applicationKey: 'k', applicationSecret: 's' });
    const client = createDropPayClient({ baseUrl: 'http://d', store, fetch: f.fetch });
    expect(await client.state()).toBe('not_configured');
    const conn = await client.connection.get('CONK1');
    expect(conn).toMatchObject({ status: 'GRANTED', code: 'new-code' });
    expect(f.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /oa2/v1/cc/token',
      'GET /oa2/v1/connection/CONK1',
    ]);
    expect(f.calls[0]?.body).toEqual({
      grant_type: 'client_credentials',
      client_id: 'k',
      client_secret: 's',
    });
    expect(f.calls[1]?.headers.authorization).toBe('Bearer app-tok');
    await client.connection.create({ webhooks: { ALL: 'http://hook' } });
    expect(f.calls.at(-1)?.body).toEqual({ webhooks: { ALL: 'http://hook' } });
    expect(f.calls.filter((c) => c.path === '/oa2/v1/cc/token')).toHaveLength(1);
    expect(await client.tokens.useConnectionCode(conn.code ?? '')).toBe('connected');
    expect(await store.get('connectionCode')).toBe('new-code');
  });
});
