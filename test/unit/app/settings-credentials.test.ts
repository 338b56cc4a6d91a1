/**
 * Saving credentials, or adopting a connection approved in the DropPay app, when the keychain
 * fails halfway (locked, its daemon gone): whatever was written takes effect as a change (old
 * tokens dropped, and the old account's POS ID beside another account's key or code), and the
 * failure still reaches the screen. The keychain, the session and DropPay's side of a
 * connection are fakes; the journal and the PIN file are real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createSettingsLock } from '../../../electron/main/app/settings-lock';
import { createSettingsService } from '../../../electron/main/app/settings-service';
import type { Session } from '../../../electron/main/app/session';
import {
  CredentialStoreError,
  MemoryCredentialStore,
  type CredentialKey,
} from '../../../electron/main/credentials';
import type { Connection, DropPayClient } from '../../../electron/main/droppay';
import { openJournal } from '../../../electron/main/journal';
import { createFilePinStore } from '../../../electron/main/payments';
import type { CredentialsInput } from '../../../shared/settings';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A keychain that refuses to write `failOn` (it is locked by then), until that is set to null. */
class LockingStore extends MemoryCredentialStore {
  constructor(
    initial: Partial<Record<CredentialKey, string>>,
    public failOn: CredentialKey | null,
  ) {
    super(initial);
  }
  override set(key: CredentialKey, value: string): Promise<void> {
    if (key === this.failOn) return Promise.reject(new Error('the keychain is locked'));
    return super.set(key, value);
  }
}

/** `connection`: DropPay's side of a connection link, for the tests that approve one. */
function setup(store: MemoryCredentialStore, connection?: DropPayClient['connection']) {
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
    target: { store, client: { tokens: { forget: () => void (forgotten += 1) }, connection } },
  } as unknown as Session;
  const pins = createFilePinStore(join(dir, 'manager-pin.json'));
  const service = createSettingsService({
    journal,
    pins,
    lock: createSettingsLock({ pins, firstRun: () => false }),
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

/**
 * Two values typed in one save: the first lands, the keychain refuses the second, the save
 * fails with the keychain's error, and neither the refused value nor the old one it was to
 * replace stays in the keychain.
 */
async function expectSecondRefused(save: {
  initial: Partial<Record<CredentialKey, string>>;
  typed: Omit<CredentialsInput, 'environment'>;
  landed: { key: CredentialKey; value: string };
  refused: CredentialKey;
}): Promise<void> {
  const store = new LockingStore(save.initial, save.refused);
  const { service } = setup(store);
  await expect(service.setCredentials({ environment: 'production', ...save.typed })).rejects.toThrow(
    'the keychain is locked',
  );
  expect(await store.get(save.landed.key)).toBe(save.landed.value);
  expect(await store.get(save.refused)).toBeUndefined();
}

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

  it("the old account's POS ID does not stay beside a new code whose POS ID, typed with it, the keychain refused", () =>
    expectSecondRefused({
      initial: { ...OLD, posId: 'POSOLD0001' },
      typed: { connectionCode: 'new-code', posId: 'POSNEW0001' },
      landed: { key: 'connectionCode', value: 'new-code' },
      refused: 'posId',
    }));

  it("the old application's Connection Code does not stay beside a new key whose code, typed with it, the keychain refused", () =>
    expectSecondRefused({
      initial: { ...OLD, connectionCode: 'old-code' },
      typed: { applicationKey: 'new-key', connectionCode: 'new-code' },
      landed: { key: 'applicationKey', value: 'new-key' },
      refused: 'connectionCode',
    }));

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

/**
 * DropPay's side of a connection link that the account holder of another account approves at
 * once: the first read back finds it GRANTED, with `code` and the POS `posId` it names.
 */
function approvedConnection(code: string, posId: string): DropPayClient['connection'] {
  const connection = (status: 'WAITING' | 'GRANTED'): Connection => ({
    id: 'CON1',
    status,
    rawStatus: status,
    sharing: status === 'WAITING' ? 'https://droppay.example/connect/CON1' : undefined,
    code: status === 'GRANTED' ? code : undefined,
    posId: status === 'GRANTED' ? posId : undefined,
  });
  return {
    create: () => Promise.resolve(connection('WAITING')),
    get: () => Promise.resolve(connection('GRANTED')),
    cancel: () => Promise.resolve(undefined),
  };
}

describe('a connection approved in the DropPay app while the keychain fails halfway', () => {
  it('another account: the code refused after its POS ID landed; a retry once the keychain works switches', async () => {
    const store = new LockingStore({ ...OLD, posId: 'POSOLD0001' }, 'connectionCode');
    const { service, counts } = setup(store, approvedConnection('new-code', 'POSNEW0001'));
    onTestFinished(() => service.close());
    expect(await service.startConnection()).toEqual({
      status: 'WAITING',
      sharingUrl: 'https://droppay.example/connect/CON1',
    });

    // The keychain's own error reaches the screen.
    await expect(service.connectionStatus()).rejects.toThrow('the keychain is locked');
    // The POS ID went first and landed; the code did not, so the old one is still there.
    expect(await store.get('posId')).toBe('POSNEW0001');
    expect(await store.get('connectionCode')).toBe('old-code');
    // Whatever landed is a change: the old tokens go, and the runtime is told.
    for (const key of ['accessToken', 'refreshToken', 'tokenExpiresAt'] as const)
      expect(await store.get(key)).toBeUndefined();
    expect(counts().forgotten).toBeGreaterThan(0);
    expect(counts().changed).toBe(1);

    // Unlocked: the next read back finds the connection still approved and adopts it.
    store.failOn = null;
    expect(await service.connectionStatus()).toEqual({ status: 'GRANTED', sharingUrl: null });
    expect(await store.get('connectionCode')).toBe('new-code');
    expect(await store.get('posId')).toBe('POSNEW0001');
    expect((await service.view()).credentials).toMatchObject({ connectionCode: true, posId: 'POSNEW0001' });
    expect(counts().changed).toBe(2);
  });

  it('another account: its POS ID refused first leaves the old account whole; a retry switches', async () => {
    const store = new LockingStore({ ...OLD, posId: 'POSOLD0001' }, 'posId');
    const { service } = setup(store, approvedConnection('new-code', 'POSNEW0001'));
    onTestFinished(() => service.close());
    await service.startConnection();
    await expect(service.connectionStatus()).rejects.toThrow('the keychain is locked');
    // Nothing of the new account landed: the old code and POS ID still go together.
    expect(await store.get('connectionCode')).toBe('old-code');
    expect(await store.get('posId')).toBe('POSOLD0001');

    store.failOn = null;
    expect(await service.connectionStatus()).toEqual({ status: 'GRANTED', sharingUrl: null });
    expect(await store.get('connectionCode')).toBe('new-code');
    expect(await store.get('posId')).toBe('POSNEW0001');
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
