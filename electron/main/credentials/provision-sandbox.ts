import type { CredentialKey, CredentialStore } from './credential-store';

/** What the sandbox simulator hands out (same shape as its own SandboxCredentials). */
export interface SandboxCredentialValues {
  applicationKey: string;
  applicationSecret: string;
  connectionCode: string;
  posId: string;
}

const TOKEN_KEYS: readonly CredentialKey[] = ['accessToken', 'refreshToken', 'tokenExpiresAt'];

/**
 * In sandbox mode the simulator's credentials go to the store on their own. Idempotent: writes
 * only what differs, and drops cached tokens only when the identity changed (tokens from another
 * sandbox would just earn a 401). Returns whether anything was written.
 */
export async function provisionSandboxCredentials(
  store: CredentialStore,
  creds: SandboxCredentialValues,
): Promise<{ changed: boolean }> {
  const wanted: [CredentialKey, string][] = [
    ['applicationKey', creds.applicationKey],
    ['applicationSecret', creds.applicationSecret],
    ['connectionCode', creds.connectionCode],
    ['posId', creds.posId],
  ];
  let identityChanged = false;
  let changed = false;
  for (const [key, value] of wanted) {
    if ((await store.get(key)) === value) continue;
    await store.set(key, value);
    changed = true;
    if (key !== 'posId') identityChanged = true;
  }
  if (identityChanged) {
    for (const key of TOKEN_KEYS) await store.delete(key);
  }
  return { changed };
}
