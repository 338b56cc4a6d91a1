import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DropPayError, type DropPayErrorKind } from '../../../electron/main/droppay/errors';
import { HttpClient } from '../../../electron/main/droppay/http';
import {
  advance,
  grantedAuthorization,
  openSandbox,
  openTill,
  sim,
  type Sandbox,
  type Till,
} from './harness';

/** Every (status, code) row the sandbox can produce, reached through the client and mapped. */

let sandbox: Sandbox & { dispose(): Promise<void> };
let till: Till;

beforeAll(async () => {
  sandbox = await openSandbox();
  till = await openTill(sandbox);
});
afterAll(async () => {
  await sandbox.dispose();
});

async function rejection(
  p: Promise<unknown>,
  kind: DropPayErrorKind,
  status: number,
  code: string,
): Promise<DropPayError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${kind}, the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DropPayError);
  expect(err).toMatchObject({ kind, status, code });
  const e = err as DropPayError;
  expect(e.description).toBeTruthy();
  expect(e.userMessage).toBeTruthy();
  return e;
}

describe('contract error rows, from the real sandbox', () => {
  it('400/100 missing argument → VALIDATION', async () => {
    const e = await rejection(
      till.client.authorizations.create({ description: '', amount: 100 }),
      'VALIDATION',
      400,
      '100',
    );
    expect(e.description).toContain('description');
    expect(e.inDoubt).toBe(false);
  });

  it('400/101 wrong argument → VALIDATION (text too long, refund above the charge, bad count for a policy)', async () => {
    await rejection(
      till.client.authorizations.create({ description: 'x'.repeat(513), amount: 100 }),
      'VALIDATION',
      400,
      '101',
    );
    await rejection(
      till.client.authorizations.create({
        description: 'x',
        amount: 100,
        policy: 'BOOKED',
        chargeMaxCount: 2,
      }),
      'VALIDATION',
      400,
      '101',
    );
    const a = await grantedAuthorization(sandbox, till, 1000);
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 1000,
    });
    await rejection(
      till.client.refunds.create({ chargeId: c.id, amount: 1001, reason: 'too much' }),
      'VALIDATION',
      400,
      '101',
    );
  });

  it('400/102 wrong date → VALIDATION', async () => {
    await rejection(
      till.client.authorizations.create({
        description: 'x',
        amount: 100,
        chargeDateEnd: '2001-01-01T00:00:00+01:00',
      }),
      'VALIDATION',
      400,
      '102',
    );
    await rejection(
      till.client.authorizations.create({ description: 'x', amount: 100, chargeDateStart: 'tomorrow' }),
      'VALIDATION',
      400,
      '102',
    );
  });

  it('401/100 wrong credentials → AUTH_INVALID_CREDENTIALS (application token for the Connection API)', async () => {
    const other = await openTill(sandbox);
    await other.store.set('applicationSecret', 'not-the-secret');
    const e = await rejection(other.client.connection.create(), 'AUTH_INVALID_CREDENTIALS', 401, '100');
    expect(e.path).toBe('/oa2/v1/cc/token');
    expect(JSON.stringify(e)).not.toContain('not-the-secret');
  });

  it('401/102 bad access token → AUTH_TOKEN', async () => {
    const http = new HttpClient({ baseUrl: sandbox.baseUrl, retry: { maxAttempts: 1 } });
    const e = await rejection(
      http.request({ method: 'GET', path: '/shop/v1/brands', bearer: 'forged-token', retry: 'idempotent' }),
      'AUTH_TOKEN',
      401,
      '102',
    );
    expect(e.message).not.toContain('forged-token');
  });

  it('403/101 not your resource → FORBIDDEN_RESOURCE (another merchant reads our authorization and charge)', async () => {
    const conn = await till.client.connection.create();
    const granted = (await sim(sandbox, 'POST', `/_sim/connection/${conn.id}/grant`)) as {
      code: string;
      pos_id: string;
    };
    const stranger = await openTill(sandbox);
    await stranger.client.tokens.useConnectionCode(granted.code, granted.pos_id);

    const a = await grantedAuthorization(sandbox, till, 300);
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 300,
    });
    await rejection(stranger.client.authorizations.get(a.id), 'FORBIDDEN_RESOURCE', 403, '101');
    await rejection(stranger.client.charges.get(c.id), 'FORBIDDEN_RESOURCE', 403, '101');
    await rejection(
      stranger.client.refunds.create({ chargeId: c.id, amount: 1, reason: 'x' }),
      'FORBIDDEN_RESOURCE',
      403,
      '101',
    );
    await rejection(
      stranger.client.authorizations.create({
        description: 'x',
        amount: 1,
        posId: sandbox.credentials.posId,
      }),
      'FORBIDDEN_RESOURCE',
      403,
      '101',
    );
  });

  it('403/200 charge not allowed → CHARGE_NOT_ALLOWED (not GRANTED; policy CHARGED)', async () => {
    const waiting = await till.client.authorizations.create({ description: 'x', amount: 100 });
    await rejection(
      till.client.charges.create({ authorizationId: waiting.id, payTokenVal: 'no-token-yet', amount: 100 }),
      'CHARGE_NOT_ALLOWED',
      403,
      '200',
    );
    const charged = await grantedAuthorization(sandbox, till, 100, { policy: 'CHARGED' });
    await rejection(
      till.client.charges.create({
        authorizationId: charged.id,
        payTokenVal: charged.payToken?.val ?? 'x',
        amount: 100,
      }),
      'CHARGE_NOT_ALLOWED',
      403,
      '200',
    );
  });

  it('403/201 outside scope → CHARGE_OUT_OF_SCOPE (wrong amount; count used up)', async () => {
    const a = await grantedAuthorization(sandbox, till, 500);
    const val = a.payToken?.val ?? '';
    await rejection(
      till.client.charges.create({ authorizationId: a.id, payTokenVal: val, amount: 499 }),
      'CHARGE_OUT_OF_SCOPE',
      403,
      '201',
    );
    await till.client.charges.create({ authorizationId: a.id, payTokenVal: val, amount: 500 });
    await rejection(
      till.client.charges.create({ authorizationId: a.id, payTokenVal: val, amount: 500 }),
      'CHARGE_OUT_OF_SCOPE',
      403,
      '201',
    );
  });

  it('403/202 already refunded → ALREADY_REFUNDED', async () => {
    const a = await grantedAuthorization(sandbox, till, 800);
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 800,
    });
    await till.client.refunds.create({ chargeId: c.id, amount: 100, reason: 'first' });
    await rejection(
      till.client.refunds.create({ chargeId: c.id, amount: 100, reason: 'second' }),
      'ALREADY_REFUNDED',
      403,
      '202',
    );
  });

  it('404/100 no such resource → NOT_FOUND', async () => {
    await rejection(till.client.authorizations.get('CHTNOPE'), 'NOT_FOUND', 404, '100');
    await rejection(till.client.charges.get('CHANOPE'), 'NOT_FOUND', 404, '100');
    await rejection(till.client.refunds.get('CHRNOPE'), 'NOT_FOUND', 404, '100');
    await rejection(till.client.connection.get('CONNOPE'), 'NOT_FOUND', 404, '100');
  });

  it('410/200 pay token expired, then superseded → PAY_TOKEN_EXPIRED; reading again gives a working one', async () => {
    const a = await grantedAuthorization(sandbox, till, 650);
    const old = a.payToken?.val ?? '';
    await advance(sandbox, 181);
    await rejection(
      till.client.charges.create({ authorizationId: a.id, payTokenVal: old, amount: 650 }),
      'PAY_TOKEN_EXPIRED',
      410,
      '200',
    );

    const reread = await till.client.authorizations.get(a.id);
    expect(reread.payToken?.val).toBeTruthy();
    expect(reread.payToken?.val).not.toBe(old);
    await rejection(
      till.client.charges.create({ authorizationId: a.id, payTokenVal: old, amount: 650 }),
      'PAY_TOKEN_EXPIRED',
      410,
      '200',
    );
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: reread.payToken?.val ?? '',
      amount: 650,
    });
    expect(c.status).toBe('DONE');
  });

  it('RECONNECT_NEEDED when the merchant revokes the connection', async () => {
    const conn = await till.client.connection.create();
    const granted = (await sim(sandbox, 'POST', `/_sim/connection/${conn.id}/grant`)) as {
      code: string;
      pos_id: string;
    };
    const t = await openTill(sandbox);
    await t.client.tokens.useConnectionCode(granted.code, granted.pos_id);
    await t.client.brands.list();
    await sim(sandbox, 'POST', `/_sim/connection/${conn.id}/revoke`);
    const e = (await t.client.brands.list().catch((x: unknown) => x)) as DropPayError;
    expect(e).toBeInstanceOf(DropPayError);
    expect(e.kind).toBe('RECONNECT_NEEDED');
    expect(await t.client.state()).toBe('reconnect_needed');
    expect(JSON.stringify(e)).not.toContain(granted.code);
  });
});
