import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDropPayClient } from '../../../electron/main/droppay/client';
import { DropPayError } from '../../../electron/main/droppay/errors';
import { grantedAuthorization, ledger, openSandbox, openTill, setFaults, type Sandbox } from './harness';

let sandbox: Sandbox & { dispose(): Promise<void> };

beforeAll(async () => {
  sandbox = await openSandbox();
});
afterEach(async () => {
  await setFaults(sandbox, {});
});
afterAll(async () => {
  await sandbox.dispose();
});

const CHARGE = '/shop/v1/pos/charge';

async function failure(p: Promise<unknown>): Promise<DropPayError> {
  const err = await p.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DropPayError);
  return err as DropPayError;
}

async function chargesOf(authorizationId: string) {
  return (await ledger(sandbox)).charges.filter((c) => c.authorization_id === authorizationId);
}

describe('network faults from the sandbox', () => {
  it('latency below the timeout is just slow; above it, a GET times out after its bounded retries', async () => {
    const patient = await openTill(sandbox, { timeoutMs: 2_000 });
    const hasty = await openTill(sandbox, {
      timeoutMs: 80,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    await patient.client.brands.list();
    await hasty.client.brands.list();
    await setFaults(sandbox, { latency_ms: 250 });

    const started = Date.now();
    expect((await patient.client.brands.list()).length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);

    const err = await failure(hasty.client.brands.list());
    expect(err.kind).toBe('TIMEOUT');
    expect(
      hasty.counter.seen
        .filter((s) => s.path === '/shop/v1/brands')
        .slice(1)
        .map((s) => s.status),
    ).toEqual(['error', 'error', 'error']);
  });

  it('a POST charge that times out is OUTCOME_UNKNOWN, sent once; the read-back finds it happened', async () => {
    const till = await openTill(sandbox, { timeoutMs: 100 });
    const a = await grantedAuthorization(sandbox, till, 1234, { merchantCustomId: 'sale-timeout' });
    await setFaults(sandbox, { latency_ms: 400 });
    const input = {
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 1234,
      merchantCustomId: 'sale-timeout',
    };
    const err = await failure(till.client.charges.create(input));
    expect(err).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'TIMEOUT', inDoubt: true });
    expect(err.sent).toEqual({ operation: 'charge.create', input });
    expect(till.counter.count('POST', CHARGE)).toBe(1);

    await setFaults(sandbox, {});
    const readBack = await till.client.authorizations.get(a.id);
    expect(readBack.chargeSuccessCount).toBe(1);
    expect(await chargesOf(a.id)).toHaveLength(1);
  });

  it('503s on GETs are retried until one gets through', async () => {
    const till = await openTill(sandbox, { retry: { maxAttempts: 12, baseDelayMs: 1, maxDelayMs: 4 } });
    const a = await till.client.authorizations.create({ description: 'x', amount: 100 });
    await setFaults(sandbox, { error_rate: 0.5, seed: 42 });
    for (let i = 0; i < 10; i++) expect((await till.client.authorizations.get(a.id)).id).toBe(a.id);
    const gets = till.counter.seen.filter((s) => s.method === 'GET');
    expect(gets.filter((s) => s.status === 200)).toHaveLength(10);
    expect(gets.filter((s) => s.status === 503).length).toBeGreaterThan(0);
  });

  it('a 503 on a POST charge is not retried: OUTCOME_UNKNOWN, and the ledger shows no charge', async () => {
    const till = await openTill(sandbox);
    const a = await grantedAuthorization(sandbox, till, 4321);
    await setFaults(sandbox, { error_rate: 1 });
    const err = await failure(
      till.client.charges.create({ authorizationId: a.id, payTokenVal: a.payToken?.val ?? '', amount: 4321 }),
    );
    expect(err).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'SERVER', status: 503 });
    expect(err.sent?.operation).toBe('charge.create');
    expect(till.counter.count('POST', CHARGE)).toBe(1);

    await setFaults(sandbox, {});
    expect(await chargesOf(a.id)).toHaveLength(0);
    const readBack = await till.client.authorizations.get(a.id);
    expect(readBack.chargeSuccessCount).toBe(0);
    // Having read back that nothing happened, the payments layer may charge again.
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: readBack.payToken?.val ?? '',
      amount: 4321,
    });
    expect(c.status).toBe('DONE');
    expect(await chargesOf(a.id)).toHaveLength(1);
  });

  it('drop after commit on a POST charge: OUTCOME_UNKNOWN, sent once, and exactly one charge exists', async () => {
    const till = await openTill(sandbox);
    const a = await grantedAuthorization(sandbox, till, 999, { merchantCustomId: 'sale-drop' });
    await setFaults(sandbox, { drop_after_commit_rate: 1 });
    const err = await failure(
      till.client.charges.create({
        authorizationId: a.id,
        payTokenVal: a.payToken?.val ?? '',
        amount: 999,
        merchantCustomId: 'sale-drop',
      }),
    );
    expect(err).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'NETWORK', inDoubt: true });
    expect(err.sent).toMatchObject({
      operation: 'charge.create',
      input: { authorizationId: a.id, amount: 999, merchantCustomId: 'sale-drop' },
    });
    expect(till.counter.count('POST', CHARGE)).toBe(1);

    await setFaults(sandbox, {});
    const inLedger = await chargesOf(a.id);
    expect(inLedger).toHaveLength(1);
    expect(inLedger[0]?.amount).toBe(9.99);
    const readBack = await till.client.authorizations.get(a.id);
    expect(readBack.chargeSuccessCount).toBe(1);
    expect(readBack.charges?.map((c) => c.id)).toEqual([inLedger[0]?.id]);
    expect((await till.client.charges.get(inLedger[0]?.id ?? '')).amount).toBe(999);
  });

  it('drop after commit on a POST refund is OUTCOME_UNKNOWN too, with the refund in the ledger once', async () => {
    const till = await openTill(sandbox);
    const a = await grantedAuthorization(sandbox, till, 500);
    const c = await till.client.charges.create({
      authorizationId: a.id,
      payTokenVal: a.payToken?.val ?? '',
      amount: 500,
    });
    await setFaults(sandbox, { drop_after_commit_rate: 1 });
    const err = await failure(till.client.refunds.create({ chargeId: c.id, amount: 500, reason: 'x' }));
    expect(err).toMatchObject({ kind: 'OUTCOME_UNKNOWN', sent: { operation: 'refund.create' } });
    await setFaults(sandbox, {});
    expect((await ledger(sandbox)).refunds.filter((r) => r.charge_id === c.id)).toHaveLength(1);
    expect((await till.client.charges.get(c.id)).refund?.amount).toBe(500);
  });

  it('connection refused: a POST charge is retried (it never left) and ends NETWORK, not in doubt', async () => {
    const real = await openTill(sandbox);
    await real.client.brands.list(); // a valid token in the store
    const port = await closedPort();
    const till = createDropPayClient({
      baseUrl: `http://127.0.0.1:${port}`,
      store: real.store,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const err = await failure(
      till.charges.create({ authorizationId: 'CHT1', payTokenVal: 'v', amount: 100 }),
    );
    expect(err).toMatchObject({ kind: 'NETWORK', neverSent: true, inDoubt: false, sent: undefined });
    expect(err.message).toContain('ECONNREFUSED');
  });
});

/** A loopback port with nothing listening: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
