import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, startClient, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

const faults = (settings: Record<string, number | string | string[]>) => c.sim('faults', settings);

describe('faults on the public API', () => {
  it('error_rate answers 503 before any state change', async () => {
    const a = await c.grantedAuthorization();
    await faults({ error_rate: 1, seed: 1 });
    const res = await c.charge(a, 2.5);
    expect(errorOf(res)).toEqual({ status: 503, code: '100' });
    await faults({});
    expect((await c.ledger()).body.charges).toEqual([]);
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.charge_success_count).toBe(0);
    // The pay token was not spent either: the same val charges once the fault is gone.
    expect((await c.charge(a, 2.5)).status).toBe(201);
  });

  it('drop_after_commit_rate commits the charge, then drops the connection without an answer', async () => {
    const a = await c.grantedAuthorization();
    await faults({ drop_after_commit_rate: 1, seed: 1 });
    await expect(c.charge(a, 2.5)).rejects.toThrow();
    await faults({});
    const ledger = (await c.ledger()).body;
    expect(ledger.charges).toHaveLength(1);
    expect(ledger.charges[0]).toMatchObject({ authorization_id: a.id, amount: 2.5, status: 'DONE' });
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.charge_success_count).toBe(1);
    expect(after.charges[0]?.id).toBe(ledger.charges[0]?.id);
  });

  it('latency_ms delays public answers but not the control surface or the payer page', async () => {
    await faults({ latency_ms: 300 });
    let t = performance.now();
    expect((await c.api('GET', '/shop/v1/brands')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    t = performance.now();
    expect((await c.ledger()).status).toBe(200);
    expect((await fetch(`${c.sb.baseUrl}/pay/CHTNOPE`)).status).toBe(404);
    expect(performance.now() - t).toBeLessThan(250);
  });

  it('faults never touch /_sim or the payer pages', async () => {
    await faults({ error_rate: 1, drop_after_commit_rate: 1 });
    expect((await c.ledger()).status).toBe(200);
    expect((await c.call('GET', '/_sim/faults')).body).toMatchObject({
      error_rate: 1,
      drop_after_commit_rate: 1,
    });
    expect((await fetch(`${c.sb.baseUrl}/pay/CHTNOPE`)).status).toBe(404);
  });

  it('the same seed gives the same fault sequence', async () => {
    const run = async (seed: number) => {
      await faults({ error_rate: 0.5, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 24; i += 1) statuses.push((await c.api('GET', '/shop/v1/brands')).status);
      return statuses;
    };
    const first = await run(42);
    expect(first).toContain(200);
    expect(first).toContain(503);
    expect(await run(42)).toEqual(first);
    expect(await run(7)).not.toEqual(first);
  });

  it('methods narrows the faults: a charge’s answer is lost while the reads get through', async () => {
    const a = await c.grantedAuthorization();
    expect((await faults({ drop_after_commit_rate: 1, methods: ['post'] })).body).toMatchObject({
      methods: ['POST'],
    });
    expect((await c.getAuthorization(a.id)).status).toBe(200);
    await expect(c.charge(a, 2.5)).rejects.toThrow();
    // Still under the faults: the read-back answers, with the charge the lost answer made.
    const after = (await c.getAuthorization(a.id)).body;
    expect(after.charge_success_count).toBe(1);
    // From a form, a comma-separated list.
    await faults({ error_rate: 1, methods: 'GET, DELETE' });
    expect((await c.call('GET', '/_sim/faults')).body).toMatchObject({ methods: ['GET', 'DELETE'] });
    expect(errorOf(await c.api('GET', '/shop/v1/brands'))).toEqual({ status: 503, code: '100' });
    await faults({});
    expect((await c.call('GET', '/_sim/faults')).body).toMatchObject({ methods: [] });
  });

  it('rejects settings out of range with 400/101; reset clears them', async () => {
    expect(errorOf(await faults({ methods: ['GET', 'FETCH'] }))).toEqual({ status: 400, code: '101' });
    expect(errorOf(await faults({ methods: 'POST,' }))).toEqual({ status: 400, code: '101' });
    expect(errorOf(await faults({ error_rate: 2 }))).toEqual({ status: 400, code: '101' });
    expect(errorOf(await faults({ latency_ms: -1 }))).toEqual({ status: 400, code: '101' });
    await faults({ error_rate: 1 });
    await c.sim('reset');
    expect((await c.call('GET', '/_sim/faults')).body).toMatchObject({ error_rate: 0, latency_ms: 0 });
  });
});
