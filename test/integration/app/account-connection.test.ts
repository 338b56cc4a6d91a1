import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../electron/main/sandbox';
import { startApp, type TestApp } from './harness';

// Connecting the merchant's DropPay account from the till, on the real runtime against a
// DropPay of its own (a sandbox at a custom address): the Connection API's link, approved on
// DropPay's side, leaves the connection code in the real keychain and nowhere else.

let app: TestApp;
let remote: RunningSandbox;
let remoteDir: string;

beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  remoteDir = mkdtempSync(join(tmpdir(), 'droppay-remote-'));
  remote = await startSandbox({ dataDir: remoteDir });
  await app.value('settings:update', { environment: 'custom', customBaseUrl: remote.baseUrl });
});
afterAll(async () => {
  await app.close();
  await remote.close();
  rmSync(remoteDir, { recursive: true, force: true });
});

const detailKey = (r: { ok: boolean; error?: { detail?: { key: string } } }): string | undefined =>
  r.ok ? undefined : r.error?.detail?.key;
const connectionId = (sharingUrl: string | null): string => sharingUrl?.split('/').pop() ?? '';
const sim = async (id: string, move: 'grant' | 'refuse'): Promise<void> => {
  const res = await fetch(`${remote.baseUrl}/_sim/connection/${id}/${move}`, { method: 'POST' });
  if (!res.ok) throw new Error(`${move}: ${res.status} ${await res.text()}`);
};

describe('connecting the DropPay account from the till', () => {
  it('needs the application key and secret first', async () => {
    const early = await app.call('connection:start');
    expect(detailKey(early)).toBe('connect.needsApplication');
    // Nothing typed is wrong: the till has no application saved yet.
    expect(early.ok ? 'ok' : early.error.code).toBe('INVALID_STATE');
    const { applicationKey, applicationSecret } = remote.credentials;
    const view = await app.value('settings:set-credentials', {
      environment: 'custom',
      baseUrl: remote.baseUrl,
      applicationKey,
      applicationSecret,
    });
    expect(view.credentials).toMatchObject({ connectionCode: false, posId: null });
    expect((await app.value('app:status')).connection).not.toBe('connected');
  });

  it('shows a link; once the account holder approves, the code is in the keychain and the till sells', async () => {
    const started = await app.value('connection:start');
    expect(started.status).toBe('WAITING');
    expect(started.sharingUrl).toMatch(new RegExp(`^${remote.baseUrl}/connect/`));
    const id = connectionId(started.sharingUrl);
    expect(await app.value('connection:status')).toEqual({
      status: 'WAITING',
      sharingUrl: started.sharingUrl,
    });

    await sim(id, 'grant');
    expect(await app.value('connection:status')).toEqual({ status: 'GRANTED', sharingUrl: null });
    const view = await app.value('settings:get');
    expect(view.credentials.connectionCode).toBe(true);
    // DropPay named the POS too; it was not set, so the till took it.
    expect(view.credentials.posId).toMatch(/^POS/);
    expect(await app.value('app:check-connection')).toMatchObject({ connection: 'connected' });
    const sale = await app.value('sale:start', { amount: 820, description: 'Primo incasso' });
    expect(sale.state).toBe('waiting');
    await app.value('sale:cancel', { saleId: sale.id });

    // The code is in the keychain, and in no Result, event or log line.
    const code = await app.keychain({ kind: 'custom', baseUrl: remote.baseUrl }).get('connectionCode');
    expect(code).toBeTruthy();
    const seen = JSON.stringify([app.results, app.events, app.logs]);
    expect(seen).not.toContain(code ?? '');
    // Once settled, a read answers how it ended (the page may ask after the background did).
    expect(await app.value('connection:status')).toEqual({ status: 'GRANTED', sharingUrl: null });
  });

  it('a link can be withdrawn, and a refusal leaves the credentials as they were', async () => {
    const before = await app.keychain({ kind: 'custom', baseUrl: remote.baseUrl }).get('connectionCode');
    const first = await app.value('connection:start');
    expect(await app.value('connection:cancel')).toEqual({ status: 'CANCELLED', sharingUrl: null });
    expect(detailKey(await app.call('connection:cancel'))).toBe('connect.noneWaiting');
    const cancelled = await fetch(
      `${remote.baseUrl}/_sim/connection/${connectionId(first.sharingUrl)}/grant`,
      {
        method: 'POST',
      },
    );
    expect(cancelled.ok).toBe(false);

    const second = await app.value('connection:start');
    await sim(connectionId(second.sharingUrl), 'refuse');
    expect(await app.value('connection:status')).toEqual({ status: 'REFUSED', sharingUrl: null });
    expect(await app.keychain({ kind: 'custom', baseUrl: remote.baseUrl }).get('connectionCode')).toBe(
      before,
    );
  });

  it('an approval lands in the keychain even with nobody on the settings screen', async () => {
    const store = app.keychain({ kind: 'custom', baseUrl: remote.baseUrl });
    const before = await store.get('connectionCode');
    const started = await app.value('connection:start');
    await sim(connectionId(started.sharingUrl), 'grant');
    // No connection:status call: the till reads the link back by itself every few seconds.
    const until = Date.now() + 15_000;
    let code = before;
    while (code === before && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      code = await store.get('connectionCode');
    }
    expect(code).not.toBe(before);
    expect(code).toBeTruthy();
    expect(await app.value('connection:status')).toEqual({ status: 'GRANTED', sharingUrl: null });
    expect(await app.value('app:check-connection')).toMatchObject({ connection: 'connected' });
  });

  it('is refused on the embedded sandbox, which connects itself', async () => {
    await app.value('settings:update', { environment: 'sandbox' });
    expect(detailKey(await app.call('connection:start'))).toBe('settings.sandboxCredentials');
  });
});
