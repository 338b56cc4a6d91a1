import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers } from '../../../electron/main/app/handlers';
import { BRIDGE_HEADER, startBridge, type RunningBridge } from '../../../electron/main/bridge/server';
import { events as eventSchemas } from '../../../shared/ipc/contract';
import type { SaleView } from '../../../shared/sales';
import { openEventStream } from './event-stream';
import { grant, startApp, type TestApp } from './harness';

// Browser mode end to end at the HTTP level: the real runtime behind the bridge, a sale made
// through POST /ipc, and its events arriving on the cashier's and the customer display's
// GET /events streams, each seeing only what it may.

let app: TestApp;
let bridge: RunningBridge;
let rendererDir: string;

beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  rendererDir = mkdtempSync(join(tmpdir(), 'droppay-renderer-'));
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<html></html>');
  bridge = await startBridge({
    handlers: createHandlers(app.runtime),
    rendererDir,
    events: app.runtime.events,
  });
});
afterAll(async () => {
  await bridge.close();
  await app.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

async function ipc(
  secret: string,
  channel: string,
  input?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bridge.origin}/ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [BRIDGE_HEADER]: secret },
    body: JSON.stringify({ input }),
  });
  return { status: res.status, body: res.status === 200 ? await res.json() : null };
}

describe('events over the bridge, from the real runtime', () => {
  it('a sale made over HTTP shows its QR and its outcome on both streams', async () => {
    const cashier = await openEventStream(bridge.origin, bridge.secret);
    const customer = await openEventStream(bridge.origin, bridge.displaySecret);
    try {
      const started = await ipc(bridge.secret, 'sale:start', { amount: 990, description: 'Spremuta' });
      expect(started.status).toBe(200);
      const sale = (started.body as { ok: true; value: SaleView }).value;

      const pay = await customer.until(
        (e) => e.event === 'display' && (e.data as { mode: string }).mode === 'pay',
      );
      expect(pay).toMatchObject({ saleId: sale.id, amount: 990, sharingUrl: sale.sharingUrl });

      await grant(app.runtime.sandbox?.baseUrl ?? '', sale.authorizationId ?? '');
      const paid = await cashier.until(
        (e) => e.event === 'sale' && (e.data as { sale?: SaleView }).sale?.state === 'paid',
      );
      expect(paid).toMatchObject({ type: 'sale.updated', sale: { id: sale.id, charged: 990 } });
      const result = await customer.until(
        (e) => e.event === 'display' && (e.data as { mode: string }).mode === 'result',
      );
      expect(result).toMatchObject({ saleId: sale.id, outcome: 'approved' });
      await cashier.until((e) => e.event === 'display' && (e.data as { mode: string }).mode === 'result');

      for (const e of [...cashier.events, ...customer.events]) {
        eventSchemas[e.event as keyof typeof eventSchemas].parse(e.data);
      }
      // The customer display learned nothing but its own screens.
      expect(new Set(customer.events.map((e) => e.event))).toEqual(new Set(['display']));
      expect(cashier.events.some((e) => e.event === 'sale')).toBe(true);
    } finally {
      cashier.close();
      customer.close();
    }
  });

  it('the display secret reads the display state and cannot start a sale', async () => {
    const state = await ipc(bridge.displaySecret, 'display:state');
    expect(state.body).toMatchObject({ ok: true, value: { merchantName: 'Bar Sandbox' } });
    expect((await ipc(bridge.displaySecret, 'sale:start', { amount: 100, description: 'x' })).status).toBe(
      403,
    );
    expect((await ipc(bridge.displaySecret, 'settings:get')).status).toBe(403);
    // Nor choose its own language: that is the cashier's.
    expect((await ipc(bridge.displaySecret, 'display:language', { language: 'en' })).status).toBe(403);
  });

  it('the cashier chooses the language for the customer at the display, who sees it at once', async () => {
    const customer = await openEventStream(bridge.origin, bridge.displaySecret);
    try {
      const chosen = await ipc(bridge.secret, 'display:language', { language: 'en' });
      expect(chosen.body).toMatchObject({ ok: true, value: { language: 'en', merchantName: 'Bar Sandbox' } });
      expect(
        await customer.until(
          (e) => e.event === 'display' && (e.data as { language: string }).language === 'en',
        ),
      ).toMatchObject({ language: 'en', merchantName: 'Bar Sandbox' });
      const back = await ipc(bridge.secret, 'display:language', { language: null });
      expect(back.body).toMatchObject({ ok: true, value: { language: 'it' } });
    } finally {
      customer.close();
    }
  });

  it('pushes a status event when the connection is checked', async () => {
    const cashier = await openEventStream(bridge.origin, bridge.secret);
    try {
      await ipc(bridge.secret, 'settings:update', { storeName: 'Chiosco' });
      const status = await cashier.until((e) => e.event === 'status');
      expect(status).toMatchObject({ environment: 'sandbox', storeName: 'Chiosco', connection: 'connected' });
    } finally {
      cashier.close();
    }
  });
});
