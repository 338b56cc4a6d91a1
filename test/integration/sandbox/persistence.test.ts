import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, startClient, type ChargeBody, type RefundBody, type SandboxClient } from './helpers';

const dirs: string[] = [];
const clients: SandboxClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.sb.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-sandbox-'));
  dirs.push(dir);
  return dir;
}

async function open(dataDir: string | undefined, extra = {}): Promise<SandboxClient> {
  const c = await startClient({ dataDir, ...extra });
  clients.push(c);
  return c;
}

describe('persistence with a dataDir', () => {
  it('a restart remembers credentials, tokens, authorizations, charges, refunds and the clock', async () => {
    const dataDir = tempDir();
    const first = await open(dataDir);
    expect(existsSync(join(dataDir, 'droppay-sandbox.sqlite'))).toBe(true);
    const token = await first.login();
    const a = await first.grantedAuthorization({ charge_max_count: 2, merchant_custom_id: 'SALE-9' });
    const ch = (await first.charge(a, 2.5)).body;
    const r = (await first.api<RefundBody>('POST', '/shop/v1/pos/refund', { charge_id: ch.id, amount: 1 }))
      .body;
    await first.advance(1000);
    const pendingWaiting = (await first.createAuthorization()).body;
    await first.sb.close();
    clients.splice(0);

    const second = await open(dataDir);
    expect(second.sb.credentials).toEqual(first.sb.credentials);
    second.token = token;
    const auth = (await second.getAuthorization(a.id)).body;
    expect(auth).toMatchObject({ status: 'GRANTED', charge_success_count: 1, merchant_custom_id: 'SALE-9' });
    const charge = (await second.api<ChargeBody>('GET', `/shop/v1/pos/charge/${ch.id}`)).body;
    expect(charge.status).toBe('ACCOUNTED');
    expect(charge.refund?.id).toBe(r.id);
    expect((await second.ledger()).body.totals).toEqual({ charged: 2.5, refunded: 1, net: 1.5 });
    // The clock offset survived: 1000 s already passed, so 2700 more expire the token (3600 s).
    const clock = await second.call<{ offset_seconds: number }>('GET', '/_sim/clock');
    expect(clock.body.offset_seconds).toBeGreaterThanOrEqual(1000);
    expect((await second.getAuthorization(pendingWaiting.id)).body.status).toBe('WAITING');
    await second.advance(2700);
    expect(errorOf(await second.getAuthorization(a.id))).toEqual({ status: 401, code: '102' });
  });

  it('fixed credentials win over stored ones; without a dataDir nothing survives', async () => {
    const dataDir = tempDir();
    const first = await open(dataDir, {
      credentials: { posId: 'POSFIXED0001', applicationKey: 'APPKFIXED' },
    });
    expect(first.sb.credentials.posId).toBe('POSFIXED0001');
    expect(first.sb.credentials.applicationKey).toBe('APPKFIXED');
    await first.login();
    await first.sb.close();
    clients.splice(0);
    const second = await open(dataDir, { credentials: { connectionCode: 'a-fixed-connection-code' } });
    expect(second.sb.credentials).toMatchObject({
      posId: 'POSFIXED0001',
      applicationKey: 'APPKFIXED',
      applicationSecret: first.sb.credentials.applicationSecret,
      connectionCode: 'a-fixed-connection-code',
    });
    expect((await second.grantCode('a-fixed-connection-code')).status).toBe(200);
    expect(errorOf(await second.grantCode(first.sb.credentials.connectionCode))).toEqual({
      status: 401,
      code: '100',
    });

    const memory = await open(undefined);
    const memory2 = await open(undefined);
    expect(memory2.sb.credentials.applicationSecret).not.toBe(memory.sb.credentials.applicationSecret);
  });
});
