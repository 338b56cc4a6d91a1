import { describe, expect, it } from 'vitest';
import {
  CREDENTIAL_KEYS,
  CredentialStoreError,
  isCredentialKey,
} from '../../../electron/main/credentials/credential-store';
import {
  credentialServiceName,
  KeytarCredentialStore,
  type KeytarLike,
} from '../../../electron/main/credentials/keytar-store';
import { MemoryCredentialStore } from '../../../electron/main/credentials/memory-store';
import { provisionSandboxCredentials } from '../../../electron/main/credentials/provision-sandbox';

/** An in-memory keytar: same service/account model, so the store's use of it is checked. */
function fakeKeytar(
  fail?: (op: string, password?: string) => Error | undefined,
): KeytarLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  const check = (op: string, password?: string) => {
    const err = fail?.(op, password);
    if (err) throw err;
  };
  return {
    data,
    getPassword: (service, account) =>
      Promise.resolve().then(() => {
        check('get');
        return data.get(`${service}|${account}`) ?? null;
      }),
    setPassword: (service, account, password) =>
      Promise.resolve().then(() => {
        check('set', password);
        data.set(`${service}|${account}`, password);
      }),
    deletePassword: (service, account) =>
      Promise.resolve().then(() => {
        check('delete');
        return data.delete(`${service}|${account}`);
      }),
  };
}

describe('MemoryCredentialStore', () => {
  it('gets, sets, overwrites, deletes and clears', async () => {
    const s = new MemoryCredentialStore({ posId: 'P' });
    expect(await s.get('posId')).toBe('P');
    await s.set('accessToken', 'a');
    await s.set('accessToken', 'b');
    expect(await s.get('accessToken')).toBe('b');
    await s.delete('accessToken');
    expect(await s.get('accessToken')).toBeUndefined();
    await s.clear();
    expect(await s.get('posId')).toBeUndefined();
  });
});

describe('credential keys', () => {
  it('is a closed set', () => {
    expect(CREDENTIAL_KEYS).toHaveLength(7);
    expect(isCredentialKey('refreshToken')).toBe(true);
    expect(isCredentialKey('password')).toBe(false);
  });
});

describe('KeytarCredentialStore (with a stand-in keytar)', () => {
  it('uses one service per environment', () => {
    expect(credentialServiceName({ kind: 'sandbox' })).toBe('droppay-cashier:sandbox');
    expect(credentialServiceName({ kind: 'production' })).toBe('droppay-cashier:production');
    expect(credentialServiceName({ kind: 'custom', baseUrl: 'https://staging.example.com:8443/api' })).toBe(
      'droppay-cashier:custom:staging.example.com:8443',
    );
    expect(() => credentialServiceName({ kind: 'custom', baseUrl: 'not a url' })).toThrow(
      CredentialStoreError,
    );
  });

  it('stores under the environment service, and clear() removes only its own keys', async () => {
    const keytar = fakeKeytar();
    keytar.data.set('someone-else|x', 'keep');
    const sandbox = new KeytarCredentialStore({ kind: 'sandbox' }, { keytar });
    const prod = new KeytarCredentialStore({ kind: 'production' }, { keytar });
    await sandbox.set('accessToken', 'sand');
    await prod.set('accessToken', 'prod');
    expect(keytar.data.get('droppay-cashier:sandbox|accessToken')).toBe('sand');
    expect(await sandbox.get('accessToken')).toBe('sand');
    expect(await sandbox.get('refreshToken')).toBeUndefined();
    await sandbox.clear();
    expect(await sandbox.get('accessToken')).toBeUndefined();
    expect(await prod.get('accessToken')).toBe('prod');
    expect(keytar.data.get('someone-else|x')).toBe('keep');
  });

  it.each([
    'Cannot autolaunch D-Bus without X11 $DISPLAY',
    'Could not connect: No such file or directory',
    'The name org.freedesktop.secrets was not provided by any .service files',
    'Object does not exist at path “/org/freedesktop/secrets/collection/login”',
  ])('"%s" → KEYCHAIN_UNAVAILABLE naming what to install', async (native) => {
    const store = new KeytarCredentialStore(
      { kind: 'sandbox' },
      { keytar: fakeKeytar(() => new Error(native)) },
    );
    const err = (await store.get('posId').catch((e: unknown) => e)) as CredentialStoreError;
    expect(err).toBeInstanceOf(CredentialStoreError);
    expect(err.kind).toBe('KEYCHAIN_UNAVAILABLE');
    expect(err.message).toContain('gnome-keyring');
    expect(err.message).toContain('libsecret-1-0');
  });

  it('a locked keyring ("Cannot create an item in a locked collection") → unlock it, not install anything', async () => {
    const store = new KeytarCredentialStore(
      { kind: 'production' },
      {
        keytar: fakeKeytar((op) =>
          op === 'set' ? new Error('Cannot create an item in a locked collection') : undefined,
        ),
      },
    );
    const err = (await store.set('applicationKey', 'K').catch((e: unknown) => e)) as CredentialStoreError;
    expect(err).toBeInstanceOf(CredentialStoreError);
    expect(err).toMatchObject({ kind: 'KEYCHAIN_UNAVAILABLE', locked: true });
    expect(err.message).toContain('locked collection');
    expect(err.message).toContain('unlock');
    expect(err.message).not.toContain('install');
  });

  it('never echoes the secret being written, even if the native error does', async () => {
    const keytar = fakeKeytar((op, password) =>
      op === 'set' ? new Error(`failed to store "${password}" via D-Bus`) : undefined,
    );
    const store = new KeytarCredentialStore({ kind: 'production' }, { keytar });
    const err = (await store.set('applicationSecret', 'TOP-SECRET-42').catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(CredentialStoreError);
    expect(`${err.message} ${String(err.stack)} ${JSON.stringify(err)}`).not.toContain('TOP-SECRET-42');
    expect(err.message).toContain('[redacted]');
  });

  it('a native module that fails to load → KEYCHAIN_UNAVAILABLE, and a later call may try again', async () => {
    let attempts = 0;
    const store = new KeytarCredentialStore(
      { kind: 'sandbox' },
      {
        importKeytar: () => {
          attempts++;
          if (attempts === 1)
            return Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file'));
          return Promise.resolve({ default: fakeKeytar() });
        },
      },
    );
    const err = (await store.get('posId').catch((e: unknown) => e)) as CredentialStoreError;
    expect(err).toMatchObject({ kind: 'KEYCHAIN_UNAVAILABLE' });
    expect(err.message).toContain('libsecret-1.so.0');
    expect(err.message).toContain('libsecret-1-0');
    await store.set('posId', 'P');
    expect(await store.get('posId')).toBe('P');
  });

  it('takes the functions from `default` when ESM sniffing exposed only some named exports', async () => {
    const full = fakeKeytar();
    const store = new KeytarCredentialStore(
      { kind: 'sandbox' },
      {
        importKeytar: () =>
          Promise.resolve({ default: full, getPassword: (s: string, a: string) => full.getPassword(s, a) }),
      },
    );
    await store.set('posId', 'P');
    expect(full.data.get('droppay-cashier:sandbox|posId')).toBe('P');
  });

  it('rejects a module that is not keytar', async () => {
    const store = new KeytarCredentialStore(
      { kind: 'sandbox' },
      { importKeytar: () => Promise.resolve({ default: {} }) },
    );
    await expect(store.get('posId')).rejects.toMatchObject({ kind: 'KEYCHAIN_UNAVAILABLE' });
  });

  it('other failures are KEYCHAIN_ERROR', async () => {
    const store = new KeytarCredentialStore(
      { kind: 'sandbox' },
      { keytar: fakeKeytar(() => new Error('user canceled')) },
    );
    await expect(store.delete('posId')).rejects.toMatchObject({ kind: 'KEYCHAIN_ERROR' });
  });

  it('a keychain that never answers fails after the operation timeout', async () => {
    const hanging: KeytarLike = {
      getPassword: () => new Promise(() => {}),
      setPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
    };
    const store = new KeytarCredentialStore({ kind: 'sandbox' }, { keytar: hanging, operationTimeoutMs: 20 });
    await expect(store.probe()).rejects.toMatchObject({
      kind: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringContaining('did not answer'),
    });
  });
});

describe('provisionSandboxCredentials', () => {
  const creds = { applicationKey: 'k1', applicationSecret: 's1', connectionCode: 'c1', posId: 'P1' };

  it('writes the sandbox credentials and is idempotent', async () => {
    const store = new MemoryCredentialStore();
    expect(await provisionSandboxCredentials(store, creds)).toEqual({ changed: true });
    expect(await store.get('applicationSecret')).toBe('s1');
    expect(await store.get('posId')).toBe('P1');
    await store.set('accessToken', 'still-good');
    expect(await provisionSandboxCredentials(store, creds)).toEqual({ changed: false });
    expect(await store.get('accessToken')).toBe('still-good');
  });

  it('drops cached tokens when the identity changes (a fresh sandbox), keeps them for a POS id change', async () => {
    const store = new MemoryCredentialStore();
    await provisionSandboxCredentials(store, creds);
    await store.set('accessToken', 'a');
    await store.set('refreshToken', 'r');
    await store.set('tokenExpiresAt', '1');
    await provisionSandboxCredentials(store, { ...creds, posId: 'P2' });
    expect(await store.get('accessToken')).toBe('a');
    await provisionSandboxCredentials(store, { ...creds, connectionCode: 'c2' });
    expect(await store.get('connectionCode')).toBe('c2');
    expect(await store.get('accessToken')).toBeUndefined();
    expect(await store.get('refreshToken')).toBeUndefined();
    expect(await store.get('tokenExpiresAt')).toBeUndefined();
  });
});
