import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../electron/main/sandbox';
import { startApp, type TestApp } from './harness';

// A POS ID belongs to a DropPay account. Moving the till to another account (another
// Application Key or Connection Code in place of the one stored, typed or approved in the
// DropPay app) must not leave the old account's POS ID in the keychain; a new secret for the
// same account, or a POS ID typed with the change, keeps the one the merchant means. On the
// real runtime and keychain, against a DropPay of its own at a custom address: a sandbox,
// where every approved connection is an account with its own POS and a sale on another
// account's POS is refused, seen through a front that can leave the POS out of a connection
// (the contract does not promise one).

let app: TestApp;
let remote: RunningSandbox;
let remoteDir: string;
let front: Front;

interface Front {
  baseUrl: string;
  /** Off: DropPay's connections come without a POS ID. */
  namesPos: boolean;
  close(): Promise<void>;
}

/** DropPay at its own address, passing every call on to the sandbox as it is. */
async function startFront(target: string): Promise<Front> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
            headers[name] = value;
        }
        const answer = await fetch(`${target}${req.url ?? '/'}`, {
          method: req.method ?? 'GET',
          headers,
          ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
        });
        let text = await answer.text();
        if (!front.namesPos && req.method === 'GET' && req.url?.startsWith('/oa2/v1/connection/')) {
          const { pos_id: _left, ...rest } = JSON.parse(text) as Record<string, unknown>;
          text = JSON.stringify(rest);
        }
        res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' });
        res.end(text);
      })().catch((error: unknown) => {
        res.writeHead(502);
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    namesPos: true,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  remoteDir = mkdtempSync(join(tmpdir(), 'droppay-remote-'));
  remote = await startSandbox({ dataDir: remoteDir });
  front = await startFront(remote.baseUrl);
  await app.value('settings:update', { environment: 'custom', customBaseUrl: front.baseUrl });
});
afterAll(async () => {
  await app.close();
  await front.close();
  await remote.close();
  rmSync(remoteDir, { recursive: true, force: true });
});

const store = () => app.keychain({ kind: 'custom', baseUrl: front.baseUrl });
const save = (fields: Record<string, string>) =>
  app.value('settings:set-credentials', { environment: 'custom', baseUrl: front.baseUrl, ...fields });
/** The POS ID as the settings screen and the status bar see it. */
const posIdShown = async (): Promise<{ settings: string | null; status: string | null }> => ({
  settings: (await app.value('settings:get')).credentials.posId,
  status: (await app.value('app:status')).posId,
});
/** A sale goes out to DropPay (on the POS in the keychain), then is cancelled. */
const sells = async (): Promise<void> => {
  const sale = await app.value('sale:start', { amount: 450, description: 'Cornetto e cappuccino' });
  expect(sale.state).toBe('waiting');
  await app.value('sale:cancel', { saleId: sale.id });
};
/** Every secret the test handles, to look for where none may be. */
const secrets: string[] = [];

/** Another merchant connects to the application on DropPay's side: its code and its POS. */
async function otherAccount(): Promise<{ code: string; posId: string }> {
  const { applicationKey, applicationSecret } = remote.credentials;
  const token = (await (
    await fetch(`${remote.baseUrl}/oa2/v1/cc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'client_credentials',
        client_id: applicationKey,
        client_secret: applicationSecret,
      }),
    })
  ).json()) as { access_token: string };
  const created = (await (
    await fetch(`${remote.baseUrl}/oa2/v1/connection`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: '{}',
    })
  ).json()) as { id: string };
  const granted = (await (await grantConnection(created.id)).json()) as { code: string; pos_id: string };
  secrets.push(granted.code);
  return { code: granted.code, posId: granted.pos_id };
}

const grantConnection = async (id: string): Promise<Response> => {
  const res = await fetch(`${remote.baseUrl}/_sim/connection/${id}/grant`, { method: 'POST' });
  if (!res.ok) throw new Error(`grant: ${res.status} ${await res.text()}`);
  return res;
};

/** The account holder approves a link from the till in the DropPay app; returns the POS it named. */
async function connectByLink(): Promise<string> {
  const started = await app.value('connection:start');
  const granted = (await (await grantConnection(started.sharingUrl?.split('/').pop() ?? '')).json()) as {
    pos_id: string;
  };
  expect(await app.value('connection:status')).toEqual({ status: 'GRANTED', sharingUrl: null });
  secrets.push((await store().get('connectionCode')) ?? '');
  return granted.pos_id;
}

/** As connectByLink, with DropPay naming no POS for the connection (the contract allows it). */
async function connectByLinkNamingNoPos(): Promise<void> {
  front.namesPos = false;
  try {
    await connectByLink();
  } finally {
    front.namesPos = true;
  }
}

describe('another DropPay account in place of the one connected', () => {
  it('the first connection through the DropPay app keeps a POS ID typed before it', async () => {
    const { applicationKey, applicationSecret, posId } = remote.credentials;
    secrets.push(applicationSecret, remote.credentials.connectionCode);
    await save({ applicationKey, applicationSecret, posId });
    const linked = await connectByLink();
    expect(linked).not.toBe(posId);
    expect(await store().get('connectionCode')).toBeTruthy();
    expect(await posIdShown()).toEqual({ settings: posId, status: posId });
  });

  it('a new secret for the same account keeps its POS ID', async () => {
    const { applicationSecret, connectionCode, posId } = remote.credentials;
    // The merchant's own connection, typed with its POS ID (the one already stored).
    await save({ connectionCode, posId });
    expect(await posIdShown()).toEqual({ settings: posId, status: posId });
    await sells();

    const rotated = await save({ applicationSecret: 'rotated-secret-0001' });
    secrets.push('rotated-secret-0001');
    expect(rotated.credentials.posId).toBe(posId);
    expect(await store().get('posId')).toBe(posId);
    await save({ applicationSecret });
    expect(await posIdShown()).toEqual({ settings: posId, status: posId });
    expect(await app.value('app:check-connection')).toMatchObject({ connection: 'connected', posId });
    await sells();
  });

  it("another account's Connection Code typed alone clears the old POS ID, so it is asked for", async () => {
    const other = await otherAccount();
    const view = await save({ connectionCode: other.code });
    expect(view.credentials).toMatchObject({ connectionCode: true, posId: null });
    expect(await store().get('posId')).toBeUndefined();
    expect(await posIdShown()).toEqual({ settings: null, status: null });
    // No sale goes out on the old account's POS.
    const refused = await app.call('sale:start', { amount: 450, description: 'Cornetto e cappuccino' });
    expect(refused.ok).toBe(false);

    await save({ posId: other.posId });
    expect(await posIdShown()).toEqual({ settings: other.posId, status: other.posId });
    await sells();
  });

  it('a POS ID typed in the same save as the new account is the one kept', async () => {
    const other = await otherAccount();
    await save({ connectionCode: other.code, posId: other.posId });
    expect(await posIdShown()).toEqual({ settings: other.posId, status: other.posId });
    await sells();
  });

  it('another Application Key clears the old POS ID and the Connection Code issued to the old application', async () => {
    const { applicationKey, applicationSecret, connectionCode, posId } = remote.credentials;
    const view = await save({ applicationKey: 'OTHERAPPKEY01', applicationSecret: 'other-secret-0001' });
    secrets.push('other-secret-0001');
    const left = { posId: await store().get('posId'), code: await store().get('connectionCode') };
    // Back to the merchant's own application and connection, all typed at once.
    await save({ applicationKey, applicationSecret, connectionCode, posId });
    expect(view.credentials).toMatchObject({ applicationKey: true, connectionCode: false, posId: null });
    expect(left).toEqual({ posId: undefined, code: undefined });
    expect(await posIdShown()).toEqual({ settings: posId, status: posId });
    await sells();
  });

  it('another Application Key typed with its POS ID, then connected through the DropPay app, keeps that POS ID', async () => {
    const { applicationKey, applicationSecret, posId } = remote.credentials;
    await save({ applicationKey: 'OTHERAPPKEY02', applicationSecret: 'other-secret-0002' });
    secrets.push('other-secret-0002');
    // The right application again, with the POS ID the merchant means, and no code typed.
    await save({ applicationKey, applicationSecret, posId });
    expect(await store().get('connectionCode')).toBeUndefined();
    // DropPay names no POS for the connection: the typed one is the one there is.
    await connectByLinkNamingNoPos();
    expect(await store().get('connectionCode')).toBeTruthy();
    expect(await posIdShown()).toEqual({ settings: posId, status: posId });
  });

  it('connecting another account through the DropPay app takes the POS ID DropPay names for it', async () => {
    const before = await store().get('posId');
    const linked = await connectByLink();
    expect(linked).not.toBe(before);
    expect(await posIdShown()).toEqual({ settings: linked, status: linked });
    expect(await app.value('app:check-connection')).toMatchObject({ connection: 'connected', posId: linked });
    await sells();
  });

  it('a connection through the DropPay app that names no POS keeps the stored one (DropPay cannot say whether it is a renewal)', async () => {
    const before = await store().get('posId');
    expect(before).toBeTruthy();
    await connectByLinkNamingNoPos();
    expect(await store().get('posId')).toBe(before);
    expect(await posIdShown()).toEqual({ settings: before, status: before });
  });

  it('no secret reached a Result, an event or a log line', () => {
    const seen = JSON.stringify([app.results, app.events, app.logs]);
    for (const secret of secrets) {
      expect(secret).toBeTruthy();
      expect(seen).not.toContain(secret);
    }
  });
});
