/**
 * The real OS keychain for the torture tests. Each sandbox gets its own keychain service
 * (environment `custom`, keyed by the sandbox's host:port), so tests running side by side in
 * the same private keyring never read each other's credentials or tokens.
 */
import {
  CREDENTIAL_KEYS,
  KeytarCredentialStore,
  provisionSandboxCredentials,
  type CredentialStore,
} from '../../electron/main/credentials';
import type { SandboxCredentials } from '../../electron/main/sandbox';

/** Refuses to run outside the private keyring of scripts/with-keyring.sh. */
export function assertTestKeyring(): void {
  if (process.env.DROPPAY_TEST_KEYRING !== '1') {
    throw new Error(
      'the torture tests use the real keychain: run them inside the private test keyring ' +
        '(npm test, or dbus-run-session -- scripts/with-keyring.sh npx vitest run ...)',
    );
  }
}

export function keychainFor(baseUrl: string): KeytarCredentialStore {
  return new KeytarCredentialStore({ kind: 'custom', baseUrl });
}

/** The store a till pointed at `baseUrl` uses, with the sandbox's credentials in it. */
export async function provisionKeychain(
  baseUrl: string,
  credentials: SandboxCredentials,
): Promise<KeytarCredentialStore> {
  assertTestKeyring();
  const store = keychainFor(baseUrl);
  await provisionSandboxCredentials(store, credentials);
  return store;
}

/** Removes everything the tests wrote under that service. */
export async function forgetKeychain(store: CredentialStore): Promise<void> {
  for (const key of CREDENTIAL_KEYS) await store.delete(key);
}
