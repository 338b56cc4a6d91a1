import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { descriptionOf, errorOf, startClient, type SandboxClient, type TokenBody } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
});

const brands = (token: string) => c.call('GET', '/shop/v1/brands', { token });

describe('token endpoint: authorization_code grant', () => {
  it('exchanges the connection code for a bearer pair that opens the API', async () => {
    const res = await c.grantCode();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(res.body.access_token).toMatch(/^\S{20,}$/);
    expect(res.body.refresh_token).toMatch(/^\S{20,}$/);
    const ok = await brands(res.body.access_token);
    expect(ok.status).toBe(200);
  });

  it('tolerates a form-encoded body', async () => {
    const res = await c.call<TokenBody>('POST', '/oa2/v1/ac/token', {
      form: {
        grant_type: 'authorization_code',
        code: c.creds.connectionCode,
        client_id: c.creds.applicationKey,
        client_secret: c.creds.applicationSecret,
        scope: 'app',
      },
    });
    expect(res.status).toBe(200);
    expect((await brands(res.body.access_token)).status).toBe(200);
  });

  it('refuses a wrong secret, a wrong code or an unknown client with 401/100', async () => {
    const base = {
      grant_type: 'authorization_code',
      code: c.creds.connectionCode,
      client_id: c.creds.applicationKey,
    };
    const wrongSecret = await c.call('POST', '/oa2/v1/ac/token', {
      body: { ...base, client_secret: 'nope' },
    });
    expect(errorOf(wrongSecret)).toEqual({ status: 401, code: '100' });
    const wrongCode = await c.call('POST', '/oa2/v1/ac/token', {
      body: { ...base, code: 'not-a-code', client_secret: c.creds.applicationSecret },
    });
    expect(errorOf(wrongCode)).toEqual({ status: 401, code: '100' });
    const wrongClient = await c.call('POST', '/oa2/v1/ac/token', {
      body: { ...base, client_id: 'APPKNOPE', client_secret: c.creds.applicationSecret },
    });
    expect(errorOf(wrongClient)).toEqual({ status: 401, code: '100' });
  });

  it('names a missing field with 400/100 and an unknown grant type with 400/101', async () => {
    const noCode = await c.call('POST', '/oa2/v1/ac/token', {
      body: {
        grant_type: 'authorization_code',
        client_id: c.creds.applicationKey,
        client_secret: c.creds.applicationSecret,
      },
    });
    expect(errorOf(noCode)).toEqual({ status: 400, code: '100' });
    expect(descriptionOf(noCode)).toContain('code');
    const badGrant = await c.call('POST', '/oa2/v1/ac/token', {
      body: {
        grant_type: 'password',
        client_id: c.creds.applicationKey,
        client_secret: c.creds.applicationSecret,
      },
    });
    expect(errorOf(badGrant)).toEqual({ status: 400, code: '101' });
  });
});

describe('token endpoint: refresh', () => {
  it('POST refresh_token returns a new pair and the old refresh token stops working', async () => {
    const first = (await c.grantCode()).body;
    const refresh = (token: string | undefined) =>
      c.call<TokenBody>('POST', '/oa2/v1/ac/token', {
        body: {
          grant_type: 'refresh_token',
          refresh_token: token,
          client_id: c.creds.applicationKey,
          client_secret: c.creds.applicationSecret,
        },
      });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await brands(second.body.access_token)).status).toBe(200);
    expect(errorOf(await refresh(first.refresh_token))).toEqual({ status: 401, code: '100' });
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
  });

  it('accepts PUT with the refresh token in the body, once', async () => {
    const first = (await c.grantCode()).body;
    const put = () =>
      c.call<TokenBody>('PUT', '/oa2/v1/ac/token', { body: { refresh_token: first.refresh_token } });
    const res = await put();
    expect(res.status).toBe(200);
    expect((await brands(res.body.access_token)).status).toBe(200);
    expect(errorOf(await put())).toEqual({ status: 401, code: '100' });
  });

  it('PUT does not turn a connection code into tokens without the client credentials', async () => {
    const res = await c.call<TokenBody>('PUT', '/oa2/v1/ac/token', {
      body: { grant_type: 'authorization_code', code: c.creds.connectionCode },
    });
    expect([400, 401]).toContain(res.status);
    expect(errorOf(res).code).toBe('100');
    expect(JSON.stringify(res.body)).not.toContain('access_token');
  });

  it('PUT with wrong client credentials is refused', async () => {
    const first = (await c.grantCode()).body;
    const res = await c.call('PUT', '/oa2/v1/ac/token', {
      body: { refresh_token: first.refresh_token, client_id: c.creds.applicationKey, client_secret: 'wrong' },
    });
    expect(errorOf(res)).toEqual({ status: 401, code: '100' });
  });
});

describe('bearer tokens', () => {
  it('expire after 3600 s of simulated time with 401/102, and a refresh still works', async () => {
    const pair = (await c.grantCode()).body;
    await c.advance(3590);
    expect((await brands(pair.access_token)).status).toBe(200);
    await c.advance(11);
    expect(errorOf(await brands(pair.access_token))).toEqual({ status: 401, code: '102' });
    const renewed = await c.call<TokenBody>('PUT', '/oa2/v1/ac/token', {
      body: { refresh_token: pair.refresh_token },
    });
    expect((await brands(renewed.body.access_token)).status).toBe(200);
  });

  it('a missing, malformed or unknown bearer gets 401/102', async () => {
    expect(errorOf(await c.call('GET', '/shop/v1/brands'))).toEqual({ status: 401, code: '102' });
    expect(
      errorOf(await c.call('GET', '/shop/v1/brands', { headers: { authorization: 'Token abc' } })),
    ).toEqual({
      status: 401,
      code: '102',
    });
    expect(errorOf(await brands('not-a-token'))).toEqual({ status: 401, code: '102' });
  });

  it('reset forgets issued tokens', async () => {
    const pair = (await c.grantCode()).body;
    await c.sim('reset');
    expect(errorOf(await brands(pair.access_token))).toEqual({ status: 401, code: '102' });
    expect((await c.grantCode()).status).toBe(200);
  });
});

describe('client_credentials (application token)', () => {
  const appToken = () =>
    c.call<TokenBody>('POST', '/oa2/v1/cc/token', {
      body: {
        grant_type: 'client_credentials',
        client_id: c.creds.applicationKey,
        client_secret: c.creds.applicationSecret,
      },
    });

  it('opens the Connection API and nothing else', async () => {
    const res = await appToken();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(res.body.refresh_token).toBeUndefined();
    const created = await c.call('POST', '/oa2/v1/connection', { token: res.body.access_token, body: {} });
    expect(created.status).toBe(201);
    expect(errorOf(await brands(res.body.access_token))).toEqual({ status: 401, code: '102' });
  });

  it('a merchant token does not open the Connection API', async () => {
    const merchant = (await c.grantCode()).body.access_token;
    const res = await c.call('POST', '/oa2/v1/connection', { token: merchant, body: {} });
    expect(errorOf(res)).toEqual({ status: 401, code: '102' });
  });

  it('wrong secret → 401/100; wrong grant type → 400/101', async () => {
    const bad = await c.call('POST', '/oa2/v1/cc/token', {
      body: { grant_type: 'client_credentials', client_id: c.creds.applicationKey, client_secret: 'x' },
    });
    expect(errorOf(bad)).toEqual({ status: 401, code: '100' });
    const wrongGrant = await c.call('POST', '/oa2/v1/cc/token', {
      body: {
        grant_type: 'authorization_code',
        client_id: c.creds.applicationKey,
        client_secret: c.creds.applicationSecret,
      },
    });
    expect(errorOf(wrongGrant)).toEqual({ status: 400, code: '101' });
  });

  it('accepts the client credentials through HTTP Basic', async () => {
    const basic = Buffer.from(`${c.creds.applicationKey}:${c.creds.applicationSecret}`).toString('base64');
    const res = await c.call('POST', '/oa2/v1/cc/token', {
      form: { grant_type: 'client_credentials' },
      headers: { authorization: `Basic ${basic}` },
    });
    expect(res.status).toBe(200);
  });
});
