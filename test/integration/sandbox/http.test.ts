import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../electron/main/sandbox';
import { descriptionOf, errorOf, startClient, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient();
  await c.login();
});
afterAll(() => c.sb.close());

describe('HTTP surface', () => {
  it('an unknown route → 404/100; a wrong method → 405 with Allow', async () => {
    expect(errorOf(await c.api('GET', '/shop/v1/nothing'))).toEqual({ status: 404, code: '100' });
    const wrong = await c.api('PATCH', '/shop/v1/pos/charge');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('malformed JSON → 400/101 saying so; a JSON array body → 400/101', async () => {
    const bad = await c.call('POST', '/shop/v1/pos/authorization', { raw: '{"pos_id": ', token: c.token });
    expect(errorOf(bad)).toEqual({ status: 400, code: '101' });
    expect(descriptionOf(bad)).toContain('not valid JSON');
    expect(
      errorOf(await c.call('POST', '/shop/v1/pos/authorization', { raw: '[1]', token: c.token })),
    ).toEqual({
      status: 400,
      code: '101',
    });
  });

  it('a body over 64 KB → 413', async () => {
    const res = await c.call('POST', '/shop/v1/pos/authorization', {
      token: c.token,
      body: { pos_id: c.creds.posId, description: 'x'.repeat(70 * 1024), charge_amount: 1 },
    });
    expect(res.status).toBe(413);
  });

  it('brands: one brand with one REAL store', async () => {
    const res = await c.api<{ brands: { name: string; stores: { place: string; address: string }[] }[] }>(
      'GET',
      '/shop/v1/brands',
    );
    expect(res.status).toBe(200);
    expect(res.body.brands).toHaveLength(1);
    expect(res.body.brands[0]?.name).toBe('Bar Sandbox');
    expect(res.body.brands[0]?.stores).toEqual([
      expect.objectContaining({ place: 'REAL', address: 'Via Roma 1, 20121 Milano MI' }),
    ]);
  });

  it('an amount sent as a string is refused: money on the wire is a JSON number', async () => {
    for (const charge_amount of ['54.70', '12,34']) {
      const res = await c.createAuthorization({ charge_amount });
      expect(res.status, charge_amount).toBe(400);
    }
  });

  it('amounts go out as euros with at most two decimals', async () => {
    const a = (await c.createAuthorization({ charge_amount: 54.7 })).body;
    expect(a.charge_amount).toBe(54.7);
    const raw = await fetch(`${c.sb.baseUrl}/shop/v1/pos/authorization/${a.id}`, {
      headers: { authorization: `Bearer ${c.token}` },
    });
    expect(await raw.text()).toContain('"charge_amount":54.7,');
  });
});

const lan = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(lan === undefined)('bound beyond loopback (explicit opt-in)', () => {
  it('serves the API and payer pages on the LAN but keeps /_sim loopback-only', async () => {
    const sb = await startSandbox({ host: '0.0.0.0' });
    try {
      const port = new URL(sb.baseUrl).port;
      const viaLan = `http://${lan ?? ''}:${port}`;
      const token = await fetch(`${viaLan}/oa2/v1/ac/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          code: sb.credentials.connectionCode,
          client_id: sb.credentials.applicationKey,
          client_secret: sb.credentials.applicationSecret,
        }),
      });
      expect(token.status).toBe(200);
      const access = ((await token.json()) as { access_token: string }).access_token;
      const auth = await fetch(`${viaLan}/shop/v1/pos/authorization`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${access}` },
        body: JSON.stringify({ pos_id: sb.credentials.posId, description: 'x', charge_amount: 1 }),
      });
      const sharing = ((await auth.json()) as { sharing: string }).sharing;
      expect(sharing.startsWith(viaLan)).toBe(true);
      expect((await fetch(sharing)).status).toBe(200);
      const sim = await fetch(`${viaLan}/_sim/ledger`);
      expect(sim.status).toBe(403);
      expect(((await sim.json()) as { code: string }).code).toBe('101');
      expect((await fetch(`${sb.baseUrl}/_sim/ledger`)).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
