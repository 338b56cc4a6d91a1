import { describe, expect, it } from 'vitest';
import { MemoryCredentialStore } from '../../../electron/main/credentials/memory-store';
import { createDropPayClient } from '../../../electron/main/droppay/client';
import { DropPayError } from '../../../electron/main/droppay/errors';
import type { ConnectionState } from '../../../electron/main/droppay/token-manager';
import { fakeFetch, json, type SeenRequest } from './fake-fetch';

const CREDS = {
  applicationKey: 'app-key',
  applicationSecret: 'app-secret-XYZ',
  connectionCode: 'conn-code-XYZ',
  posId: 'POS1',
};

/** A token endpoint with a switchable mood, and a resource that checks the bearer. */
function world(opts: { refreshWorks?: boolean; codeWorks?: boolean; tokenDelayMs?: number } = {}) {
  let minted = 0;
  const live = new Set<string>();
  const mood = { refreshWorks: opts.refreshWorks ?? true, codeWorks: opts.codeWorks ?? true };
  const clock = { t: 1_000_000 };
  const grant = () => {
    minted++;
    const access = `access-${minted}`;
    live.add(access);
    return json(200, {
      token_type: 'bearer',
      access_token: access,
      refresh_token: `refresh-${minted}`,
      expires_in: 3600,
    });
  };
  const f = fakeFetch(async (req: SeenRequest) => {
    if (req.path === '/oa2/v1/cc/token') {
      const body = req.body as Record<string, string>;
      return body.client_secret === CREDS.applicationSecret
        ? json(200, { token_type: 'bearer', access_token: 'app-token', expires_in: 3600 })
        : json(401, { code: '100', description: 'wrong client credentials' });
    }
    if (req.path === '/oa2/v1/ac/token') {
      if (opts.tokenDelayMs) await new Promise((r) => setTimeout(r, opts.tokenDelayMs));
      const body = req.body as Record<string, string>;
      if (body.grant_type === 'refresh_token') {
        return mood.refreshWorks && body.refresh_token === `refresh-${minted}`
          ? grant()
          : json(401, { code: '100', description: 'bad refresh token' });
      }
      return mood.codeWorks &&
        body.code === CREDS.connectionCode &&
        body.client_secret === CREDS.applicationSecret
        ? grant()
        : json(401, { code: '100', description: `wrong credentials for code ${body.code}` });
    }
    const token = req.headers.authorization?.replace('Bearer ', '') ?? '';
    if (!live.has(token)) return json(401, { code: '102', description: 'expired' });
    return json(200, { brands: [{ id: 'B1', name: 'Bar' }] });
  });
  const store = new MemoryCredentialStore(CREDS);
  const client = createDropPayClient({
    baseUrl: 'http://droppay.test',
    store,
    fetch: f.fetch,
    now: () => clock.t,
    sleep: async () => {},
  });
  const tokenCalls = () => f.calls.filter((c) => c.path === '/oa2/v1/ac/token');
  return { client, store, calls: f.calls, tokenCalls, clock, live, mood };
}

describe('TokenManager', () => {
  it('gets a token from the connection code once and keeps it in the store', async () => {
    const w = world();
    await w.client.brands.list();
    await w.client.brands.list();
    expect(w.tokenCalls()).toHaveLength(1);
    expect(w.tokenCalls()[0]?.body).toMatchObject({
      grant_type: 'authorization_code',
      code: CREDS.connectionCode,
      scope: 'app',
      client_id: 'app-key',
    });
    expect(await w.store.get('accessToken')).toBe('access-1');
    expect(await w.store.get('refreshToken')).toBe('refresh-1');
    expect(Number(await w.store.get('tokenExpiresAt'))).toBe(w.clock.t + 3600_000);
  });

  it('reuses a token already in the store instead of minting one', async () => {
    const w = world();
    w.live.add('stored-token');
    await w.store.set('accessToken', 'stored-token');
    await w.store.set('tokenExpiresAt', String(w.clock.t + 600_000));
    await w.client.brands.list();
    expect(w.tokenCalls()).toHaveLength(0);
    expect(w.calls[0]?.headers.authorization).toBe('Bearer stored-token');
  });

  it('refreshes ahead of expiry (inside the 60 s margin) with the refresh token', async () => {
    const w = world();
    await w.client.brands.list();
    w.clock.t += 3600_000 - 61_000;
    await w.client.brands.list();
    expect(w.tokenCalls()).toHaveLength(1);
    w.clock.t += 2_000;
    await w.client.brands.list();
    expect(w.tokenCalls()).toHaveLength(2);
    expect(w.tokenCalls()[1]?.body).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
    });
    expect(w.calls.at(-1)?.headers.authorization).toBe('Bearer access-2');
  });

  it('single-flight: 50 calls waiting on one renewal cause one token request', async () => {
    const w = world({ tokenDelayMs: 20 });
    const all = await Promise.all(Array.from({ length: 50 }, () => w.client.brands.list()));
    expect(all).toHaveLength(50);
    expect(w.tokenCalls()).toHaveLength(1);
    w.clock.t += 3600_000;
    await Promise.all(Array.from({ length: 50 }, () => w.client.brands.list()));
    expect(w.tokenCalls()).toHaveLength(2);
  });

  it('a 401/102 renews once and retries the call once', async () => {
    const w = world();
    await w.client.brands.list();
    w.live.clear(); // DropPay forgot the token (its clock ran ahead of ours)
    await w.client.brands.list();
    const after = w.calls.slice(2).map((c) => `${c.path} ${c.headers.authorization ?? ''}`);
    expect(after).toEqual([
      '/shop/v1/brands Bearer access-1',
      '/oa2/v1/ac/token ',
      '/shop/v1/brands Bearer access-2',
    ]);
  });

  it('gives up after the one retry if the fresh token is refused too', async () => {
    const w = world();
    await w.client.brands.list();
    w.live.clear();
    const origAdd = w.live.add.bind(w.live);
    w.live.add = (v: string) => (v === 'never' ? origAdd(v) : w.live); // new tokens never become valid
    const err = await w.client.brands.list().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'AUTH_TOKEN' });
    expect(w.calls.filter((c) => c.path === '/shop/v1/brands')).toHaveLength(3);
  });

  it('falls back to the connection code when the refresh is refused', async () => {
    const w = world({ refreshWorks: false });
    await w.client.brands.list();
    w.clock.t += 3600_000;
    await w.client.brands.list();
    expect(w.tokenCalls().map((c) => (c.body as { grant_type: string }).grant_type)).toEqual([
      'authorization_code',
      'refresh_token',
      'authorization_code',
    ]);
    expect(await w.client.state()).toBe('connected');
  });

  it('a mistyped application secret is said as such, not as a connection to renew', async () => {
    const w = world();
    await w.store.set('applicationSecret', 'app-secret-TYPO');
    const err = (await w.client.brands.list().catch((e: unknown) => e)) as DropPayError;
    expect(err).toBeInstanceOf(DropPayError);
    expect(err.kind).toBe('AUTH_INVALID_CREDENTIALS');
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('app-secret-TYPO');
    // Still refused until the credentials change, as a refused code is.
    expect(await w.client.state()).toBe('reconnect_needed');
    await expect(w.client.brands.list()).rejects.toMatchObject({ kind: 'AUTH_INVALID_CREDENTIALS' });
    await w.store.set('applicationSecret', CREDS.applicationSecret);
    await w.client.brands.list();
    expect(await w.client.state()).toBe('connected');
  });

  it('RECONNECT_NEEDED when the connection code is refused, without leaking secrets, and sticks until it changes', async () => {
    const w = world({ codeWorks: false });
    const states: ConnectionState[] = [];
    w.client.tokens.onStateChange((s) => states.push(s));
    const err = (await w.client.brands.list().catch((e: unknown) => e)) as DropPayError;
    expect(err).toBeInstanceOf(DropPayError);
    expect(err.kind).toBe('RECONNECT_NEEDED');
    const everything = `${err.message} ${JSON.stringify(err)} ${String(err.stack)} ${err.description ?? ''}`;
    for (const secret of [CREDS.applicationSecret, CREDS.connectionCode])
      expect(everything).not.toContain(secret);
    expect(await w.client.state()).toBe('reconnect_needed');
    expect(states).toEqual(['reconnect_needed']);

    // No point asking again with the same code.
    await expect(w.client.brands.list()).rejects.toMatchObject({ kind: 'RECONNECT_NEEDED' });
    expect(w.tokenCalls()).toHaveLength(1);

    w.mood.codeWorks = true;
    expect(await w.client.tokens.useConnectionCode(CREDS.connectionCode)).toBe('connected');
    await w.client.brands.list();
    expect(states).toEqual(['reconnect_needed', 'connected']);
  });

  it('a token endpoint outage is not a reconnect: the error is the outage', async () => {
    const w = world();
    const f = (await import('./fake-fetch')).fakeFetch(() => json(503, {}));
    const client = createDropPayClient({
      baseUrl: 'http://x',
      store: w.store,
      fetch: f.fetch,
      sleep: async () => {},
      retry: { maxAttempts: 2 },
    });
    await expect(client.brands.list()).rejects.toMatchObject({ kind: 'SERVER' });
    expect(f.calls).toHaveLength(2); // the code grant is retried: it moves no money
    expect(await client.state()).toBe('connected');
  });

  it('a bare 401 from the token endpoint (a gateway) is an outage too, never a reconnect', async () => {
    const w = world();
    let gateway = true;
    const f = (await import('./fake-fetch')).fakeFetch((req) => {
      if (gateway) return new Response('', { status: 401 });
      return req.path.endsWith('/token')
        ? json(200, { token_type: 'bearer', access_token: 'a1', refresh_token: 'r1', expires_in: 3600 })
        : json(200, { brands: [] });
    });
    const states: ConnectionState[] = [];
    const client = createDropPayClient({
      baseUrl: 'http://x',
      store: w.store,
      fetch: f.fetch,
      sleep: async () => {},
    });
    client.tokens.onStateChange((s) => states.push(s));
    await expect(client.brands.list()).rejects.toMatchObject({ status: 401 });
    expect(states).not.toContain('reconnect_needed');
    expect(await client.state()).toBe('connected');
    gateway = false;
    await expect(client.brands.list()).resolves.toEqual([]);
  });

  it('not_configured without credentials, NOT_CONFIGURED on a call', async () => {
    const w = world();
    await w.store.clear();
    expect(await w.client.state()).toBe('not_configured');
    await expect(w.client.brands.list()).rejects.toMatchObject({ kind: 'NOT_CONFIGURED' });
    expect(w.calls).toHaveLength(0);
  });

  it('disconnect forgets the code and the tokens', async () => {
    const w = world();
    await w.client.brands.list();
    await w.client.tokens.disconnect();
    expect(await w.client.state()).toBe('not_configured');
    expect(await w.store.get('accessToken')).toBeUndefined();
    expect(await w.store.get('connectionCode')).toBeUndefined();
    expect(await w.store.get('applicationKey')).toBe('app-key');
  });
});

describe('a renewal under way when the connection changes', () => {
  /** A token endpoint that holds its answer for the code OLD until released. */
  function held() {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const bearers: string[] = [];
    const codes: string[] = [];
    const f = fakeFetch(async (req: SeenRequest) => {
      if (req.path === '/oa2/v1/ac/token') {
        const code = (req.body as Record<string, string>).code ?? '';
        codes.push(code);
        if (code === 'OLD') await gate;
        return json(200, { token_type: 'bearer', access_token: `TOKEN-OF-${code}`, expires_in: 3600 });
      }
      bearers.push(req.headers.authorization ?? '');
      return json(200, { brands: [{ id: 'B1', name: 'Bar' }] });
    });
    const store = new MemoryCredentialStore({ ...CREDS, connectionCode: 'OLD' });
    const client = createDropPayClient({
      baseUrl: 'http://droppay.test',
      store,
      fetch: f.fetch,
      sleep: async () => {},
    });
    return { client, store, bearers, codes, release: () => release() };
  }

  it('a new connection code: the old grant is not saved, and calls use the new connection', async () => {
    const w = held();
    const first = w.client.brands.list();
    await new Promise((r) => setTimeout(r, 10));
    await w.client.tokens.useConnectionCode('NEW');
    w.release();
    await first;
    await w.client.brands.list();
    expect(w.bearers).toEqual(['Bearer TOKEN-OF-NEW', 'Bearer TOKEN-OF-NEW']);
    expect(await w.store.get('accessToken')).toBe('TOKEN-OF-NEW');
  });

  it('a renewal that begins while the disconnect is writing the keychain does not save the old grant', async () => {
    const w = held();
    const slow = w.store as unknown as { set: typeof w.store.set; delete: typeof w.store.delete };
    const set = slow.set.bind(w.store);
    const del = slow.delete.bind(w.store);
    const pause = () => new Promise((r) => setTimeout(r, 20));
    slow.set = async (...a: Parameters<typeof set>) => {
      await pause();
      return set(...a);
    };
    slow.delete = async (...a: Parameters<typeof del>) => {
      await pause();
      return del(...a);
    };
    const disconnecting = w.client.tokens.disconnect();
    // A call while the keychain is being written reads the old code; DropPay answers it only
    // once the disconnect is done.
    const during = w.client.brands.list().catch((e: unknown) => e);
    await disconnecting;
    w.release();
    expect(await during).toMatchObject({ kind: 'NOT_CONFIGURED' });
    expect(await w.client.brands.list().catch((e: unknown) => e)).toMatchObject({ kind: 'NOT_CONFIGURED' });
    expect(await w.store.get('accessToken')).toBeUndefined();
    expect(w.bearers).toEqual([]);
  });

  it('after a new code, one renewal for it: the old one joins it instead of starting its own', async () => {
    const w = held();
    const first = w.client.brands.list();
    await new Promise((r) => setTimeout(r, 10));
    await w.client.tokens.useConnectionCode('NEW');
    const second = w.client.brands.list();
    w.release();
    await Promise.all([first, second]);
    expect(w.codes.filter((c) => c === 'NEW')).toHaveLength(1);
  });

  it('a disconnect: the old grant is not saved, and no call goes out as the old merchant', async () => {
    const w = held();
    const first = w.client.brands.list().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    await w.client.tokens.disconnect();
    w.release();
    expect(await first).toMatchObject({ kind: 'NOT_CONFIGURED' });
    expect(w.bearers).toEqual([]);
    expect(await w.store.get('accessToken')).toBeUndefined();
  });
});
