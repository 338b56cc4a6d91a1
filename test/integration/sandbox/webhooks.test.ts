import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startClient,
  startReceiver,
  type AuthorizationBody,
  type ChargeBody,
  type RefundBody,
  type SandboxClient,
} from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient({ webhookRetry: { attempts: 3, baseDelayMs: 20 }, refundSettleSeconds: 2 });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

describe('webhooks', () => {
  it('sends {etime, etype, edata} for every status update of an authorization, its charges and refunds', async () => {
    const rx = await startReceiver();
    try {
      const a = await c.grantedAuthorization({ webhooks: { ALL: rx.url('/all') } });
      const ch = (await c.charge(a, 2.5)).body;
      const r = (await c.api<RefundBody>('POST', '/shop/v1/pos/refund', { charge_id: ch.id, amount: 1 }))
        .body;
      await c.advance(100);
      await rx.until(() => rx.events.length >= 7);
      const seen = rx.events.map((e) => `${e.etype}:${(e.edata as { status: string }).status}`).sort();
      expect(seen).toEqual(
        [
          'pos.authorization.status_update:GRANTED',
          'pos.authorization.status_update:EXPIRED',
          'pos.charge.status_update:DONE',
          'pos.charge.status_update:ACCOUNTED',
          'pos.refund.status_update:ENQUEUED',
          'pos.refund.status_update:DONE',
          'pos.refund.status_update:ACCOUNTED',
        ].sort(),
      );
      const granted = rx.events.find((e) => (e.edata as AuthorizationBody).status === 'GRANTED');
      expect((granted?.edata as AuthorizationBody).id).toBe(a.id);
      expect((granted?.edata as AuthorizationBody).pay_token?.val).toBe(a.pay_token.val);
      expect(granted?.etime).toMatch(/^\d{4}-\d{2}-\d{2}T.*[+-]\d{2}:\d{2}$/);
      const accounted = rx.events.find(
        (e) => e.etype === 'pos.charge.status_update' && (e.edata as ChargeBody).status === 'ACCOUNTED',
      );
      expect((accounted?.edata as ChargeBody).id).toBe(ch.id);
      expect(
        rx.events
          .filter((e) => e.etype === 'pos.refund.status_update')
          .every((e) => (e.edata as RefundBody).id === r.id),
      ).toBe(true);
      expect(new Set(rx.events.map((e) => e.path))).toEqual(new Set(['/all']));
    } finally {
      await rx.close();
    }
  });

  it('routes by event key, with ALL catching the rest', async () => {
    const rx = await startReceiver();
    try {
      const a = await c.grantedAuthorization({
        webhooks: { 'pos.charge.status_update': rx.url('/charges'), ALL: rx.url('/all') },
      });
      await c.charge(a, 2.5);
      await rx.until(() => rx.events.filter((e) => e.etype === 'pos.charge.status_update').length >= 2);
      await rx.until(() => rx.events.some((e) => e.etype === 'pos.authorization.status_update'));
      const paths = (etype: string) =>
        rx.events
          .filter((e) => e.etype === etype)
          .map((e) => e.path)
          .sort();
      expect(paths('pos.charge.status_update')).toEqual(['/all', '/charges']);
      expect(new Set(paths('pos.authorization.status_update'))).toEqual(new Set(['/all']));
    } finally {
      await rx.close();
    }
  });

  it('retries after a non-2xx answer, with backoff, until one succeeds', async () => {
    const rx = await startReceiver([500, 503]);
    try {
      const a = (await c.createAuthorization({ webhooks: { ALL: rx.url() } })).body;
      await c.sim(`authorization/${a.id}/refuse`);
      await rx.until(() => rx.events.length === 1);
      expect(rx.attempts.map((x) => x.status)).toEqual([500, 503, 200]);
      expect((rx.events[0]?.edata as AuthorizationBody).status).toBe('REFUSED');
    } finally {
      await rx.close();
    }
  });

  it('gives up after the configured number of attempts', async () => {
    const rx = await startReceiver([500, 500, 500, 500, 500]);
    try {
      const a = (await c.createAuthorization({ webhooks: { ALL: rx.url() } })).body;
      await c.sim(`authorization/${a.id}/refuse`);
      await rx.until(() => rx.attempts.length >= 3);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rx.attempts).toHaveLength(3);
      expect(rx.events).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });

  it('never makes the request that caused an event wait for the receiver', async () => {
    const hung = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/`;
      const a = (await c.createAuthorization({ webhooks: { ALL: url } })).body;
      const t = performance.now();
      expect((await c.sim(`authorization/${a.id}/grant`)).status).toBe(200);
      expect(performance.now() - t).toBeLessThan(250);
    } finally {
      hung.closeAllConnections();
      hung.close();
    }
  });
});

describe('webhooks without a request to trigger them', () => {
  it('the periodic sweep fires time-driven transitions on its own', async () => {
    const own = await startClient({ refundSettleSeconds: 0.3 });
    const rx = await startReceiver();
    try {
      await own.login();
      const a = await own.grantedAuthorization({ webhooks: { 'pos.refund.status_update': rx.url() } });
      const ch = (await own.charge(a, 2.5)).body;
      await own.api('POST', '/shop/v1/pos/refund', { charge_id: ch.id, amount: 2.5 });
      await rx.until(() => rx.events.some((e) => (e.edata as RefundBody).status === 'DONE'), 3000);
    } finally {
      await own.sb.close();
      await rx.close();
    }
  });

  it('close() stops pending retries promptly', async () => {
    const own = await startClient({ webhookRetry: { attempts: 5, baseDelayMs: 200 } });
    const rx = await startReceiver([500, 500, 500]);
    try {
      await own.login();
      const a = (await own.createAuthorization({ webhooks: { ALL: rx.url() } })).body;
      await own.sim(`authorization/${a.id}/refuse`);
      await rx.until(() => rx.attempts.length === 1);
      const t = performance.now();
      await own.sb.close();
      expect(performance.now() - t).toBeLessThan(1000);
      // The retry due 200 ms after the first attempt never comes.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(rx.attempts).toHaveLength(1);
    } finally {
      await rx.close();
    }
  });
});
