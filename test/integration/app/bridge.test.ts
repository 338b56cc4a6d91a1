import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Handlers } from '../../../electron/main/app/dispatch';
import { createEventBus } from '../../../electron/main/app/events';
import { BRIDGE_HEADER, startBridge, type RunningBridge } from '../../../electron/main/bridge/server';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import { fail, ok } from '../../../shared/result';
import { openEventStream } from './event-stream';

// The loopback bridge over real HTTP. The handlers are a stand-in for the core here (a unit of
// the transport); the core itself goes through the bridge in the end-to-end tests.
const status = {
  environment: 'sandbox',
  baseUrl: 'http://127.0.0.1:1',
  connection: 'connected',
  reach: 'answering',
  reachSince: '2026-12-03T10:00:00.000Z',
  posId: 'POS1',
  merchantName: 'Bar',
  storeName: 'Bar',
  backupFailedAt: null,
  dayClosed: null,
} as const;
const idle = { mode: 'idle', language: 'it', merchantName: 'Bar', storeName: 'Bar' } as const;
let calls = 0;
// Every channel answers NOT_FOUND unless the test needs more: the transport is under test.
const stubs = Object.fromEntries(
  CHANNEL_NAMES.map((c) => [c, () => Promise.resolve(fail('NOT_FOUND', `stub ${c}`))]),
) as unknown as Handlers;
const handlers: Handlers = {
  ...stubs,
  'app:status': () => {
    calls++;
    return Promise.resolve(ok(status));
  },
  'app:check-connection': () => Promise.reject(new Error('secret-token-in-a-bug')),
  'display:state': () => Promise.resolve(ok(idle)),
};
const bus = createEventBus();

let bridge: RunningBridge;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'droppay-bridge-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<html>cashier</html>');
  writeFileSync(join(dir, 'outside.txt'), 'not to be served');
  bridge = await startBridge({ handlers, rendererDir: join(dir, 'renderer'), events: bus, heartbeatMs: 50 });
});

afterAll(async () => {
  await bridge.close();
  rmSync(dir, { recursive: true, force: true });
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${bridge.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [BRIDGE_HEADER]: bridge.secret, ...headers },
    body: JSON.stringify(body),
  });
}

/** A raw request, so the Host header can be forged (fetch will not). */
function rawGet(path: string, host: string): Promise<number> {
  const url = new URL(bridge.origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('loopback bridge', () => {
  it('listens on loopback only and the page URL carries the secret', () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.url).toContain(`bridge=${encodeURIComponent(bridge.secret)}`);
    expect(bridge.secret.length).toBeGreaterThanOrEqual(40);
  });

  it('answers a channel call with the Result of its handler', async () => {
    const res = await post('/ipc/app:status', {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, value: status });
  });

  it('refuses a call without the secret or with a wrong one, without running the handler', async () => {
    const before = calls;
    expect((await post('/ipc/app:status', {}, { [BRIDGE_HEADER]: '' })).status).toBe(403);
    expect((await post('/ipc/app:status', {}, { [BRIDGE_HEADER]: `${bridge.secret}x` })).status).toBe(403);
    expect(calls).toBe(before);
  });

  it('answers an unknown channel and bad input with VALIDATION', async () => {
    expect(await (await post('/ipc/app:format-disk', {})).json()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(await (await post('/ipc/app:status', { input: { x: 1 } })).json()).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('turns a handler that throws into INTERNAL without leaking its message', async () => {
    const body = await (await post('/ipc/app:check-connection', {})).json();
    expect(body).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'Unexpected error.', detail: { key: 'internal.unexpected' } },
    });
  });

  it('serves the renderer with a CSP, and nothing outside its folder', async () => {
    const page = await fetch(`${bridge.origin}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('cashier');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${bridge.origin}/..%2Foutside.txt`)).status).toBe(404);
    expect((await fetch(`${bridge.origin}/%2e%2e/outside.txt`)).status).toBe(404);
  });

  it('refuses a request for another host name (DNS rebinding)', async () => {
    expect(await rawGet('/', 'evil.example:80')).toBe(421);
    expect(await rawGet('/', new URL(bridge.origin).host)).toBe(200);
  });

  it('refuses an oversized body', async () => {
    const res = await post('/ipc/app:status', { input: 'x'.repeat(100_000) });
    expect(res.status).toBe(413);
  });
});

describe('customer display secret', () => {
  it('has its own page URL and secret, different from the cashier one', () => {
    expect(bridge.customerUrl).toBe(
      `${bridge.origin}/?bridge=${encodeURIComponent(bridge.displaySecret)}#customer`,
    );
    expect(bridge.displaySecret).not.toBe(bridge.secret);
    expect(bridge.displaySecret.length).toBeGreaterThanOrEqual(40);
  });

  it('reaches display:state and nothing else', async () => {
    const asDisplay = { [BRIDGE_HEADER]: bridge.displaySecret };
    expect(await (await post('/ipc/display:state', {}, asDisplay)).json()).toEqual({ ok: true, value: idle });
    const before = calls;
    for (const channel of ['app:status', 'sale:start', 'settings:get', 'settings:unlock', 'refund:create']) {
      expect((await post(`/ipc/${channel}`, {}, asDisplay)).status).toBe(403);
    }
    expect(calls).toBe(before);
  });
});

describe('push events on GET /events', () => {
  it('streams every event to the cashier, only display events to the display, keeping the stream alive', async () => {
    const cashier = await openEventStream(bridge.origin, bridge.secret);
    const customer = await openEventStream(bridge.origin, bridge.displaySecret);
    try {
      bus.emit('status', status);
      bus.emit('display', idle);
      bus.emit('sale', { type: 'recovery', pending: 1, unknown: 0 });
      await cashier.waitFor(3);
      await customer.waitFor(1);
      expect(cashier.events).toEqual([
        { event: 'status', data: status },
        { event: 'display', data: idle },
        { event: 'sale', data: { type: 'recovery', pending: 1, unknown: 0 } },
      ]);
      // A beat later, still only the display event: the others were never sent to it.
      await new Promise((r) => setTimeout(r, 120));
      expect(customer.events).toEqual([{ event: 'display', data: idle }]);
      expect(customer.heartbeats).toBeGreaterThan(0);
    } finally {
      cashier.close();
      customer.close();
    }
  });

  it('refuses a stream without the secret, and a POST to it', async () => {
    expect((await fetch(`${bridge.origin}/events`)).status).toBe(403);
    expect((await fetch(`${bridge.origin}/events`, { headers: { [BRIDGE_HEADER]: 'nope' } })).status).toBe(
      403,
    );
    expect((await post('/events', {})).status).toBe(405);
  });

  it('ends open streams when the bridge closes', async () => {
    const own = await startBridge({ handlers, rendererDir: join(dir, 'renderer'), events: bus });
    const res = await fetch(`${own.origin}/events`, { headers: { [BRIDGE_HEADER]: own.secret } });
    const reader = res.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    await own.close();
    let done = false;
    while (!done) done = (await reader?.read().catch(() => ({ done: true })))?.done ?? true;
    expect(done).toBe(true);
  });
});
