import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startClient, type ConnectionBody, type SandboxClient, type TokenBody } from './helpers';

let c: SandboxClient;
let app = '';
beforeAll(async () => {
  c = await startClient({ waitingSeconds: 120 });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  const res = await c.call<TokenBody>('POST', '/oa2/v1/cc/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: c.creds.applicationKey,
      client_secret: c.creds.applicationSecret,
    },
  });
  app = res.body.access_token;
  await c.login();
});

const create = (body: unknown = {}) =>
  c.call<ConnectionBody>('POST', '/oa2/v1/connection', { token: app, body });
const read = (id: string) => c.call<ConnectionBody>('GET', `/oa2/v1/connection/${id}`, { token: app });

describe('Connection API', () => {
  it('creates a WAITING connection with a sharing page and echoes webhooks and loopback_uri', async () => {
    const res = await create({
      webhooks: { ALL: 'https://example.test/hook' },
      loopback_uri: 'cashier://connected',
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^CONK[A-Z0-9]+$/);
    expect(res.body.status).toBe('WAITING');
    expect(res.body.code).toBeUndefined();
    expect(res.body.sharing).toBe(`${c.sb.baseUrl}/connect/${res.body.id}`);
    expect(res.body.webhooks).toEqual({ ALL: 'https://example.test/hook' });
    expect(res.body.loopback_uri).toBe('cashier://connected');
    const page = await fetch(res.body.sharing);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-status="WAITING"');
    const list = await c.call<{ connections: ConnectionBody[] }>('GET', '/oa2/v1/connection', { token: app });
    expect(list.body.connections.map((x) => x.id)).toEqual([res.body.id]);
  });

  it('once granted shows a code (and POS) whose tokens reach only that POS', async () => {
    const conn = (await create()).body;
    expect((await c.sim(`connection/${conn.id}/grant`)).status).toBe(200);
    const granted = (await read(conn.id)).body;
    expect(granted.status).toBe('GRANTED');
    expect(granted.code).toMatch(/^\S{20,}$/);
    expect(granted.pos_id).toMatch(/^POS[A-Z0-9]{10}$/);
    expect(granted.pos_id).not.toBe(c.creds.posId);

    const other = (await c.grantCode(granted.code)).body.access_token;
    // The original merchant's authorization is not the new merchant's business.
    const mine = await c.createAuthorization();
    const foreign = await c.call('GET', `/shop/v1/pos/authorization/${mine.body.id}`, { token: other });
    expect(errorOf(foreign)).toEqual({ status: 403, code: '101' });
    // Nor may the new merchant create one for a POS that is not its own.
    const wrongPos = await c.call('POST', '/shop/v1/pos/authorization', {
      token: other,
      body: { pos_id: c.creds.posId, description: 'x', charge_amount: 1 },
    });
    expect(errorOf(wrongPos)).toEqual({ status: 403, code: '101' });
    const own = await c.call('POST', '/shop/v1/pos/authorization', {
      token: other,
      body: { pos_id: granted.pos_id, description: 'x', charge_amount: 1 },
    });
    expect(own.status).toBe(201);
  });

  it('can be granted or refused on its sharing page', async () => {
    const a = (await create()).body;
    const approve = await fetch(`${a.sharing}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'pin=24680',
      redirect: 'manual',
    });
    expect(approve.status).toBe(303);
    expect((await read(a.id)).body.status).toBe('GRANTED');
    const b = (await create()).body;
    await fetch(`${b.sharing}/decline`, { method: 'POST', redirect: 'manual' });
    expect((await read(b.id)).body.status).toBe('REFUSED');
  });

  it('DELETE cancels a WAITING connection, repeatable, but not a GRANTED one', async () => {
    const a = (await create()).body;
    const del = await c.call<ConnectionBody>('DELETE', `/oa2/v1/connection/${a.id}`, { token: app });
    expect(del.body.status).toBe('CANCELLED');
    expect((await c.call('DELETE', `/oa2/v1/connection/${a.id}`, { token: app })).status).toBe(200);
    const b = (await create()).body;
    await c.sim(`connection/${b.id}/grant`);
    expect(errorOf(await c.call('DELETE', `/oa2/v1/connection/${b.id}`, { token: app }))).toEqual({
      status: 403,
      code: '200',
    });
  });

  it('expires after the waiting time', async () => {
    const a = (await create()).body;
    await c.advance(121);
    expect((await read(a.id)).body.status).toBe('EXPIRED');
    expect(errorOf(await c.sim(`connection/${a.id}/grant`))).toEqual({ status: 403, code: '200' });
  });

  it('revoking kills the code and every token issued from it', async () => {
    const conn = (await create()).body;
    await c.sim(`connection/${conn.id}/grant`);
    const code = (await read(conn.id)).body.code;
    const pair = (await c.grantCode(code)).body;
    expect((await c.call('GET', '/shop/v1/brands', { token: pair.access_token })).status).toBe(200);
    const revoked = await c.sim<ConnectionBody>(`connection/${conn.id}/revoke`);
    expect(revoked.body.status).toBe('REVOKED');
    expect(revoked.body.code).toBeUndefined();
    expect(errorOf(await c.call('GET', '/shop/v1/brands', { token: pair.access_token }))).toEqual({
      status: 401,
      code: '102',
    });
    expect(errorOf(await c.grantCode(code))).toEqual({ status: 401, code: '100' });
    const put = await c.call('PUT', '/oa2/v1/ac/token', { body: { refresh_token: pair.refresh_token } });
    expect(errorOf(put)).toEqual({ status: 401, code: '100' });
  });

  it('an unknown connection is 404/100', async () => {
    expect(errorOf(await read('CONKNOPE'))).toEqual({ status: 404, code: '100' });
  });
});
