import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSession, type SessionDeps } from '../../../electron/main/app/session';
import { MemoryCredentialStore } from '../../../electron/main/credentials/memory-store';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { createFilePinStore } from '../../../electron/main/payments/index';

// A session on the embedded sandbox, with a keychain in memory (the runtime's tests use the
// real one): what it leaves running when it cannot open.

const dirs: string[] = [];
const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The keychain in memory, counting its reads. */
class CountingStore extends MemoryCredentialStore {
  reads = 0;
  override get(key: Parameters<MemoryCredentialStore['get']>[0]) {
    this.reads += 1;
    return super.get(key);
  }
}

function deps(overrides: Partial<SessionDeps> = {}, store = new MemoryCredentialStore()): SessionDeps {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-session-'));
  dirs.push(dataDir);
  const mainJournal = openJournal({ path: join(dataDir, 'journal.sqlite') });
  journals.push(mainJournal);
  return {
    dataDir,
    storeFor: () => store,
    mainJournal,
    timeZone: 'Europe/Rome',
    cutoffHour: 0,
    pollIntervalMs: 1000,
    managerPin: createFilePinStore(join(dataDir, 'manager-pin.json')),
    log: () => undefined,
    onSaleEvent: () => undefined,
    onConnection: () => undefined,
    onReach: () => undefined,
    onIdentity: () => undefined,
    sandboxEvents: true,
    ...overrides,
  };
}

const listening = (): number => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;

/** The count once closed handles are let go (they go on a later turn of the event loop). */
async function settled(): Promise<number> {
  await new Promise((r) => setTimeout(r, 50));
  return listening();
}

describe('openSession', () => {
  it('on the sandbox runs the simulator and the events receiver, and stops both on close', async () => {
    const before = listening();
    const session = await openSession({ environment: 'sandbox' }, deps());
    expect(listening()).toBe(before + 2);
    await session.close();
    expect(await settled()).toBe(before);
  });

  it('with DropPay events off, runs the simulator alone', async () => {
    const before = listening();
    const session = await openSession({ environment: 'sandbox' }, deps({ sandboxEvents: false }));
    expect(listening()).toBe(before + 1);
    await session.close();
    expect(await settled()).toBe(before);
  });

  it('that cannot start its payments (a bad poll interval) leaves nothing listening', async () => {
    const before = listening();
    await expect(openSession({ environment: 'sandbox' }, deps({ pollIntervalMs: 0 }))).rejects.toThrow(
      /pollIntervalMs/,
    );
    expect(await settled()).toBe(before);
  });
});

describe('while DropPay does not answer', () => {
  const faults = (base: string, errorRate: number) =>
    fetch(`${base}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latency_ms: 0, error_rate: errorRate, drop_after_commit_rate: 0, seed: 1 }),
    });

  it('asks again by itself, and stops once a try cannot even reach it (not set up any more)', async () => {
    // The till's reads of the brands, as they leave for the sandbox (the client uses the global fetch).
    let brandReads = 0;
    const realFetch = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      if (String(input instanceof Request ? input.url : input).includes('/brands')) brandReads += 1;
      return realFetch(input, init);
    };
    const reaches: string[] = [];
    const store = new CountingStore();
    const session = await openSession(
      { environment: 'sandbox' },
      deps({ reachProbeMs: 40, onReach: (r) => reaches.push(r) }, store),
    );
    try {
      const base = session.target.sandbox?.baseUrl ?? 'no sandbox';
      await session.refreshIdentity();
      expect((await faults(base, 1)).ok).toBe(true);
      await expect(session.refreshIdentity()).rejects.toMatchObject({ kind: 'SERVER' });
      expect(reaches).toEqual(['answering', 'not_answering']);
      // The probe keeps asking DropPay.
      const before = brandReads;
      await new Promise((r) => setTimeout(r, 400));
      expect(brandReads).toBeGreaterThan(before);
      // The connection is gone: a try stops before asking, so the probe stops too (once the
      // read under way has spent its retries).
      await session.target.client.tokens.disconnect();
      let stopped = -1;
      // (Its retries wait up to 1 s apart: quiet for longer than that is stopped.)
      for (let i = 0; i < 20 && stopped !== brandReads; i++) {
        stopped = brandReads;
        await new Promise((r) => setTimeout(r, 1_200));
      }
      // Nor is the keychain read for tries that could not ask.
      const keychainReads = store.reads;
      await new Promise((r) => setTimeout(r, 1_200));
      expect(brandReads).toBe(stopped);
      expect(store.reads).toBe(keychainReads);
      expect(reaches.at(-1)).toBe('not_answering');
      await faults(base, 0);
    } finally {
      globalThis.fetch = realFetch;
      await session.close();
    }
  });
});
