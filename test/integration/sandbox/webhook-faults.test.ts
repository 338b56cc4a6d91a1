/**
 * The sandbox's event fault switch over real HTTP: held events are capped (the oldest go, and
 * the control surface counts them), and /_sim/reset stops everything raised before it — a
 * release under way, the copies of a duplicated event, the retries queued for a failed one.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startClient, startReceiver, type SandboxClient } from './helpers';

interface DeliveryState {
  duplicate: number;
  hold: boolean;
  held: { etype: string; authorization_id: string; id: string | null; status: string | null }[];
  /** Present once any held event was dropped. */
  held_dropped: number;
  deliveries: { etype: string; id: string | null; status: string | null; attempt: number; answer: number }[];
}

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient({ waitingSeconds: 60, webhookRetry: { attempts: 3, baseDelayMs: 300 } });
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

const deliveryState = async (): Promise<DeliveryState> =>
  (await c.call<DeliveryState>('GET', '/_sim/webhooks/faults')).body;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A receiver that answers nothing until `open()`: the request in hand stays in flight, so a
 * test can act while a delivery (and what is chained after it) is under way.
 */
async function gatedReceiver() {
  const arrived: string[] = [];
  const waiting: ServerResponse[] = [];
  let gateOpen = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      arrived.push((JSON.parse(body) as { edata: { id: string } }).edata.id);
      if (gateOpen) res.writeHead(200).end();
      else waiting.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    /** The entity ids of the events received, in order of arrival. */
    arrived,
    open(): void {
      gateOpen = true;
      for (const res of waiting.splice(0)) if (!res.destroyed) res.writeHead(200).end();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `n` authorizations, each refused: one REFUSED event apiece, in creation order. */
async function refusedAuthorizations(n: number, url: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const a = (await c.createAuthorization({ webhooks: { ALL: url } })).body;
    expect((await c.sim(`authorization/${a.id}/refuse`)).status).toBe(200);
    ids.push(a.id);
  }
  return ids;
}

describe('held events are capped', () => {
  it('keeps the newest 1000, drops the oldest, and says how many went', async () => {
    const rx = await startReceiver();
    try {
      expect((await c.sim('webhooks/faults', { hold: true })).status).toBe(200);
      const ids: string[] = [];
      for (let i = 0; i < 1003; i++) {
        ids.push((await c.createAuthorization({ webhooks: { ALL: rx.url() } })).body.id);
      }
      // One clock jump lapses them all: 1003 EXPIRED events, raised in creation order.
      await c.advance(61);
      const state = await deliveryState();
      expect(state.held).toHaveLength(1000);
      expect(state.held_dropped).toBe(3);
      expect(state.held.map((h) => h.authorization_id)).toEqual(ids.slice(3));
      expect(state.held.every((h) => h.status === 'EXPIRED')).toBe(true);

      const released = await c.sim<{ released: number }>('webhooks/release', { order: 'original' });
      expect(released.body.released).toBe(1000);
      await rx.until(() => rx.events.length === 1000, 20_000);
      expect(rx.events.map((e) => (e.edata as { id: string }).id)).toEqual(ids.slice(3));
      // Releasing does not undo the count; a reset does.
      expect((await deliveryState()).held_dropped).toBe(3);
      await c.sim('reset');
      const after = await deliveryState();
      expect(after).toMatchObject({ held: [], held_dropped: 0, deliveries: [] });
    } finally {
      await rx.close();
    }
  });

  it('counts no drop while none were dropped', async () => {
    const res = await c.sim<DeliveryState>('webhooks/faults', { hold: true });
    expect(res.body).toEqual({ duplicate: 1, hold: true, held: [], held_dropped: 0, deliveries: [] });
  });
});

describe('/_sim/reset stops what was raised before it', () => {
  it('a release under way: no event goes out after the reset answered', async () => {
    const rx = await gatedReceiver();
    try {
      await c.sim('webhooks/faults', { hold: true });
      const ids = await refusedAuthorizations(4, rx.url);
      await c.sim('webhooks/release', { order: 'original' });
      // The first released event is at the till, unanswered; the other three wait behind it.
      await expect.poll(() => rx.arrived.length).toBe(1);
      expect(rx.arrived).toEqual([ids[0]]);
      expect((await c.sim('reset')).status).toBe(200);
      rx.open();
      await pause(400);
      expect(rx.arrived).toEqual([ids[0]]);
      expect(await deliveryState()).toMatchObject({ hold: false, held: [], deliveries: [] });
    } finally {
      await rx.close();
    }
  });

  it('the copies of a duplicated event stop at the reset', async () => {
    const rx = await gatedReceiver();
    try {
      await c.sim('webhooks/faults', { duplicate: 3 });
      const [id] = await refusedAuthorizations(1, rx.url);
      await expect.poll(() => rx.arrived.length).toBe(1);
      await c.sim('reset');
      rx.open();
      await pause(400);
      expect(rx.arrived).toEqual([id]);
      expect((await deliveryState()).deliveries).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it('a retry queued before the reset never fires after it', async () => {
    const rx = await startReceiver([500, 500, 500]);
    try {
      await refusedAuthorizations(1, rx.url());
      await rx.until(() => rx.attempts.length === 1);
      // Let the 500 reach the sandbox, so the retry due 300 ms later is queued.
      await expect.poll(async () => (await deliveryState()).deliveries.length).toBe(1);
      await c.sim('reset');
      await pause(800);
      expect(rx.attempts).toHaveLength(1);
      expect((await deliveryState()).deliveries).toEqual([]);
    } finally {
      await rx.close();
    }
  });

  it('events raised after the reset still go out, retried as usual', async () => {
    const rx = await startReceiver([500]);
    try {
      // The reset before this test bumped the dispatcher; what is raised now is not stale.
      const [id] = await refusedAuthorizations(1, rx.url());
      await rx.until(() => rx.events.length === 1);
      expect(rx.attempts.map((a) => a.status)).toEqual([500, 200]);
      expect((rx.events[0]?.edata as { id: string }).id).toBe(id);
    } finally {
      await rx.close();
    }
  });
});
