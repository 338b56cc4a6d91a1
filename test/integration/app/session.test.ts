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

function deps(overrides: Partial<SessionDeps> = {}): SessionDeps {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-session-'));
  dirs.push(dataDir);
  const mainJournal = openJournal({ path: join(dataDir, 'journal.sqlite') });
  journals.push(mainJournal);
  const store = new MemoryCredentialStore();
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
