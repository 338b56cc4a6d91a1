/**
 * Saving credentials when the keychain fails halfway (locked, its daemon gone): whatever was
 * written takes effect as a change (old tokens dropped, and the old account's POS ID beside
 * another account's key or code), and the failure still reaches the screen. The keychain and
 * the session are fakes; the journal and the PIN file are real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSettingsService } from '../../../electron/main/app/settings-service';
import type { Session } from '../../../electron/main/app/session';
import {
  CredentialStoreError,
  MemoryCredentialStore,
  type CredentialKey,
} from '../../../electron/main/credentials';
import { openJournal } from '../../../electron/main/journal';
import { createFilePinStore } from '../../../electron/main/payments';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A keychain that refuses to write `failOn` (it is locked by then). */
class LockingStore extends MemoryCredentialStore {
  constructor(
    initial: Partial<Record<CredentialKey, string>>,
    private readonly failOn: CredentialKey,
  ) {
    super(initial);
  }
  override set(key: CredentialKey, value: string): Promise<void> {
    if (key === this.failOn) return Promise.reject(new Error('the keychain is locked'));
    return super.set(key, value);
  }
}

function setup(store: MemoryCredentialStore) {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-settings-'));
  const journal = openJournal({ path: join(dir, 'journal.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  let forgotten = 0;
  let changed = 0;
  const session = {
    spec: { environment: 'production', baseUrl: 'https://api.drop-pay.io' },
    target: { store, client: { tokens: { forget: () => void (forgotten += 1) } } },
  } as unknown as Session;
  const service = createSettingsService({
    journal,
    pins: createFilePinStore(join(dir, 'manager-pin.json')),
    session: () => session,
    switchTo: () => Promise.resolve(),
    restartPayments: () => Promise.resolve(),
    changeBusinessDay: () => Promise.resolve(),
    changed: () => undefined,
    credentialsChanged: () => {
      changed += 1;
      return Promise.resolve();
    },
  });
  return { service, counts: () => ({ forgotten, changed }) };
}

const OLD = {
  applicationKey: 'old-key',
  applicationSecret: 'old-secret',
  connectionCode: 'old-code',
  accessToken: 'old-access',
  refreshToken: 'old-refresh',
  tokenExpiresAt: '2026-12-02T23:00:00.000Z',
} as const;

describe('credentials saved while the keychain fails halfway', () => {
  it('drops the tokens and the POS ID of the old ones, says the change, and still reports the failure', async () => {
    const store = new LockingStore({ ...OLD, posId: 'POSOLD0001' }, 'applicationSecret');
    const { service, counts } = setup(store);
    await expect(
      service.setCredentials({
        environment: 'production',
        applicationKey: 'new-key',
        applicationSecret: 'new-secret',
      }),
    ).rejects.toThrow('the keychain is locked');
    // The new key landed beside the old secret: the old tokens must not go on with it.
    expect(await store.get('applicationKey')).toBe('new-key');
    expect(await store.get('applicationSecret')).toBe('old-secret');
    for (const key of ['accessToken', 'refreshToken', 'tokenExpiresAt'] as const)
      expect(await store.get(key)).toBeUndefined();
    // Nor the old account's POS ID beside the new key.
    expect(await store.get('posId')).toBeUndefined();
    expect(counts().forgotten).toBeGreaterThan(0);
    expect(counts().changed).toBe(1);
  });

  it("the old account's POS ID does not stay beside a new code whose POS ID, typed with it, the keychain refused", async () => {
    const store = new LockingStore({ ...OLD, posId: 'POSOLD0001' }, 'posId');
    const { service } = setup(store);
    await expect(
      service.setCredentials({ environment: 'production', connectionCode: 'new-code', posId: 'POSNEW0001' }),
    ).rejects.toThrow('the keychain is locked');
    expect(await store.get('connectionCode')).toBe('new-code');
    expect(await store.get('posId')).toBeUndefined();
  });

  it("the old application's Connection Code does not stay beside a new key whose code, typed with it, the keychain refused", async () => {
    const store = new LockingStore({ ...OLD, connectionCode: 'old-code' }, 'connectionCode');
    const { service } = setup(store);
    await expect(
      service.setCredentials({
        environment: 'production',
        applicationKey: 'new-key',
        connectionCode: 'new-code',
      }),
    ).rejects.toThrow('the keychain is locked');
    expect(await store.get('applicationKey')).toBe('new-key');
    expect(await store.get('connectionCode')).toBeUndefined();
  });

  it('when nothing could be written, nothing is dropped', async () => {
    const store = new LockingStore({ ...OLD }, 'applicationKey');
    const { service, counts } = setup(store);
    await expect(
      service.setCredentials({ environment: 'production', applicationKey: 'new-key' }),
    ).rejects.toThrow('the keychain is locked');
    expect(await store.get('accessToken')).toBe('old-access');
    expect(counts()).toEqual({ forgotten: 0, changed: 0 });
  });

  it('a save that works drops the old tokens once and says the change once', async () => {
    const store = new MemoryCredentialStore({ ...OLD, posId: 'POSOLD0001' });
    const { service, counts } = setup(store);
    const view = await service.setCredentials({ environment: 'production', applicationSecret: 'new-secret' });
    expect(view.credentials.applicationSecret).toBe(true);
    // A new secret is the same account's: its POS ID stays.
    expect(view.credentials.posId).toBe('POSOLD0001');
    expect(await store.get('refreshToken')).toBeUndefined();
    expect(counts().changed).toBe(1);
  });
});

/** A keychain whose reads fail while `down` (its service gone, an unlock prompt timed out). */
class UnreadableStore extends MemoryCredentialStore {
  down = false;
  override get(key: CredentialKey): Promise<string | undefined> {
    if (this.down)
      return Promise.reject(
        new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'The OS keychain is not available'),
      );
    return super.get(key);
  }
}

describe('settings while the keychain cannot be read', () => {
  it('a store name saved then is saved and says so; the credentials are "not known", not "missing"', async () => {
    const store = new UnreadableStore({ ...OLD, posId: 'POSOLD0001' });
    const { service } = setup(store);
    store.down = true;
    const saved = await service.update({ storeName: 'Bar Roma', language: 'en' });
    expect(saved).toMatchObject({ storeName: 'Bar Roma', language: 'en' });
    expect(saved.credentials).toEqual({
      applicationKey: false,
      applicationSecret: false,
      connectionCode: false,
      posId: null,
      readable: false,
    });
    expect(service.current().storeName).toBe('Bar Roma');
    expect((await service.view()).credentials.readable).toBe(false);

    store.down = false;
    expect((await service.view()).credentials).toEqual({
      applicationKey: true,
      applicationSecret: true,
      connectionCode: true,
      posId: 'POSOLD0001',
      readable: true,
    });
  });

  it('credentials typed then are refused with the keychain error, and nothing changes', async () => {
    const store = new UnreadableStore({ ...OLD });
    const { service, counts } = setup(store);
    store.down = true;
    await expect(
      service.setCredentials({ environment: 'production', applicationKey: 'new-key' }),
    ).rejects.toThrow('The OS keychain is not available');
    store.down = false;
    expect(await store.get('applicationKey')).toBe('old-key');
    expect(counts()).toEqual({ forgotten: 0, changed: 0 });
  });
});
