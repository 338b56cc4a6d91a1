import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropPayError } from '../../../electron/main/droppay/errors';
import { advance, openSandbox, openTill, type Sandbox } from './harness';

let sandbox: Sandbox & { dispose(): Promise<void> };

beforeAll(async () => {
  sandbox = await openSandbox();
});
afterAll(async () => {
  await sandbox.dispose();
});

const TOKEN = '/oa2/v1/ac/token';
const BRANDS = '/shop/v1/brands';

describe('token lifecycle against the sandbox', () => {
  it('renews transparently when DropPay says the token expired (its clock ran ahead)', async () => {
    const till = await openTill(sandbox);
    await till.client.brands.list();
    const firstToken = await till.store.get('accessToken');
    const firstRefresh = await till.store.get('refreshToken');

    await advance(sandbox, 3601);
    await till.client.brands.list();

    const trail = till.counter.seen.slice(2).map((s) => `${s.method} ${s.path} ${s.status}`);
    expect(trail).toEqual([`GET ${BRANDS} 401`, `POST ${TOKEN} 200`, `GET ${BRANDS} 200`]);
    expect(await till.store.get('accessToken')).not.toBe(firstToken);
    expect(await till.store.get('refreshToken')).not.toBe(firstRefresh);
    expect(await till.client.state()).toBe('connected');
  });

  it('refreshes ahead of expiry by our own clock, before any 401', async () => {
    const till = await openTill(sandbox);
    await till.client.brands.list();
    till.clock.t += 3600_000 - 30_000; // inside the 60 s margin
    await till.client.brands.list();
    expect(till.counter.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      `POST ${TOKEN} 200`,
      `GET ${BRANDS} 200`,
      `POST ${TOKEN} 200`,
      `GET ${BRANDS} 200`,
    ]);
  });

  it('falls back to the connection code when the refresh token is refused', async () => {
    const till = await openTill(sandbox);
    await till.store.set('accessToken', 'stale-access');
    await till.store.set('refreshToken', 'bogus-refresh');
    await till.store.set('tokenExpiresAt', String(till.clock.t - 1));
    await till.client.brands.list();
    expect(till.counter.seen.map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      `POST ${TOKEN} 401`, // refresh refused
      `POST ${TOKEN} 200`, // connection code
      `GET ${BRANDS} 200`,
    ]);
    expect(await till.store.get('refreshToken')).not.toBe('bogus-refresh');
  });

  it('falls back to the connection code when the refresh token itself has expired (a month later)', async () => {
    const till = await openTill(sandbox);
    await till.client.brands.list();
    await advance(sandbox, 31 * 24 * 3600);
    await till.client.brands.list();
    expect(till.counter.seen.slice(2).map((s) => `${s.method} ${s.path} ${s.status}`)).toEqual([
      `GET ${BRANDS} 401`,
      `POST ${TOKEN} 401`,
      `POST ${TOKEN} 200`,
      `GET ${BRANDS} 200`,
    ]);
  });

  it('RECONNECT_NEEDED when the connection code is wrong; fixed by adopting the right one', async () => {
    const till = await openTill(sandbox);
    await till.store.set('connectionCode', 'wrong-connection-code');
    const err = (await till.client.brands.list().catch((e: unknown) => e)) as DropPayError;
    expect(err).toBeInstanceOf(DropPayError);
    expect(err).toMatchObject({ kind: 'RECONNECT_NEEDED', status: 401, code: '100' });
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('wrong-connection-code');
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain(sandbox.credentials.applicationSecret);
    expect(await till.client.state()).toBe('reconnect_needed');

    // Until the code changes the till does not keep knocking.
    await expect(till.client.authorizations.get('CHT1')).rejects.toMatchObject({ kind: 'RECONNECT_NEEDED' });
    expect(till.counter.count('POST', TOKEN)).toBe(1);

    expect(await till.client.tokens.useConnectionCode(sandbox.credentials.connectionCode)).toBe('connected');
    expect((await till.client.brands.list()).length).toBeGreaterThan(0);
  });

  it('a mistyped application secret is AUTH_INVALID_CREDENTIALS, not a connection to renew; fixed by the right one', async () => {
    const till = await openTill(sandbox);
    await till.store.set('applicationSecret', 'mistyped-secret');
    const err = (await till.client.brands.list().catch((e: unknown) => e)) as DropPayError;
    expect(err).toBeInstanceOf(DropPayError);
    expect(err).toMatchObject({ kind: 'AUTH_INVALID_CREDENTIALS', status: 401 });
    expect(`${err.message} ${JSON.stringify(err)}`).not.toContain('mistyped-secret');
    expect(await till.client.state()).toBe('reconnect_needed');
    await till.store.set('applicationSecret', sandbox.credentials.applicationSecret);
    expect((await till.client.brands.list()).length).toBeGreaterThan(0);
  });

  it('50 concurrent calls hitting an expired token cause exactly one token request, and all use the new token', async () => {
    const till = await openTill(sandbox);
    await till.client.brands.list();
    await advance(sandbox, 3601);
    const before = till.counter.count('POST', TOKEN);
    const results = await Promise.all(Array.from({ length: 50 }, () => till.client.brands.list()));
    expect(results).toHaveLength(50);
    expect(till.counter.count('POST', TOKEN) - before).toBe(1);
    // Every call that was refused was retried once, with success.
    const after = till.counter.seen.filter((s) => s.path === BRANDS).slice(1);
    const refused = after.filter((s) => s.status === 401).length;
    expect(after.filter((s) => s.status === 200)).toHaveLength(50);
    expect(after).toHaveLength(50 + refused);
  });

  it('50 concurrent calls arriving during a proactive refresh cause exactly one token request', async () => {
    const till = await openTill(sandbox);
    await till.client.brands.list();
    till.clock.t += 3600_000;
    await Promise.all(Array.from({ length: 50 }, () => till.client.brands.list()));
    expect(till.counter.count('POST', TOKEN)).toBe(2);
    expect(till.counter.seen.filter((s) => s.status === 401)).toHaveLength(0);
  });
});
