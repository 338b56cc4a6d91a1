import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../electron/main/sandbox';
import type { SaleView } from '../../../shared/sales';
import { POLL_INTERVAL_MAX_MS } from '../../../shared/settings';
import { eventually, grant, startApp, type TestApp } from './harness';

// The runtime on the embedded sandbox receives DropPay's events: with the slowest poll the
// settings allow (10 s), the payer's approval still shows as paid within a moment.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  await app.value('settings:update', { pollIntervalMs: POLL_INTERVAL_MAX_MS });
});
afterAll(() => app.close());

const updatedIn = (of: TestApp, id: string, state: SaleView['state']): SaleView | undefined =>
  of.events
    .map((e) => (e.event === 'sale' ? (e.payload as { type: string; sale?: SaleView }) : null))
    .find((p) => p?.type === 'sale.updated' && p.sale?.id === id && p.sale.state === state)?.sale;
const updated = (id: string, state: SaleView['state']): SaleView | undefined => updatedIn(app, id, state);

/** The events a sandbox sent and the answers it got (its delivery record). */
async function deliveries(baseUrl: string): Promise<{ etype: string; answer: number }[]> {
  const res = await fetch(`${baseUrl}/_sim/webhooks/faults`);
  return ((await res.json()) as { deliveries: { etype: string; answer: number }[] }).deliveries;
}

describe('DropPay events in the app', () => {
  it('an approval is charged and shown paid long before the next poll', async () => {
    const started = await app.value('sale:start', { amount: 990, description: 'Spritz' });
    expect(started.state).toBe('waiting');
    const granted = Date.now();
    await grant(app.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
    const paid = await eventually(() => updated(started.id, 'paid'), 3_000);
    expect(Date.now() - granted).toBeLessThan(POLL_INTERVAL_MAX_MS / 2);
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 990 }]);
    // By an event the till took, not by luck of a poll.
    const sent = await deliveries(app.runtime.sandbox?.baseUrl ?? '');
    expect(sent).toContainEqual(
      expect.objectContaining({ etype: 'pos.authorization.status_update', answer: 204 }),
    );
  });

  it('a sandbox run alone at a custom loopback address sends its events to the till too', async () => {
    const remoteDir = mkdtempSync(join(tmpdir(), 'droppay-remote-'));
    const remote = await startSandbox({ dataDir: remoteDir });
    const alone = await startApp();
    try {
      await alone.runtime.ready();
      await alone.value('settings:update', {
        environment: 'custom',
        customBaseUrl: remote.baseUrl,
        pollIntervalMs: POLL_INTERVAL_MAX_MS,
      });
      await alone.value('settings:set-credentials', {
        environment: 'custom',
        baseUrl: remote.baseUrl,
        ...remote.credentials,
      });
      const started = await alone.value('sale:start', { amount: 1200, description: 'Tagliere' });
      expect(started.state).toBe('waiting');
      const granted = Date.now();
      await grant(remote.baseUrl, started.authorizationId ?? '');
      await eventually(() => updatedIn(alone, started.id, 'paid'), 3_000);
      expect(Date.now() - granted).toBeLessThan(POLL_INTERVAL_MAX_MS / 2);
      expect(await deliveries(remote.baseUrl)).toContainEqual(
        expect.objectContaining({ etype: 'pos.authorization.status_update', answer: 204 }),
      );
    } finally {
      await alone.close();
      await remote.close();
      rmSync(remoteDir, { recursive: true, force: true });
    }
  });

  it('with DROPPAY_SANDBOX_EVENTS=off the sandbox acts as a real DropPay: the approval waits for the poll', async () => {
    const quiet = await startApp({ env: { DROPPAY_ENV: 'sandbox', DROPPAY_SANDBOX_EVENTS: 'off' } });
    try {
      await quiet.runtime.ready();
      await quiet.value('settings:update', { pollIntervalMs: POLL_INTERVAL_MAX_MS });
      const started = await quiet.value('sale:start', { amount: 450, description: 'Caffè' });
      await grant(quiet.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await quiet.value('sale:get', { saleId: started.id })).state).toBe('waiting');
      // Not one event was sent: the sale was created with nowhere to send them.
      expect(await deliveries(quiet.runtime.sandbox?.baseUrl ?? '')).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
