/**
 * Run as a child process by the keychain tests: touches the real keychain once through
 * KeytarCredentialStore and prints the outcome as one JSON line. A child, so the test can hand
 * it a broken D-Bus address without disturbing its own session.
 */
import { CredentialStoreError } from '../../../electron/main/credentials/credential-store';
import { KeytarCredentialStore } from '../../../electron/main/credentials/keytar-store';

const store = new KeytarCredentialStore(
  { kind: 'custom', baseUrl: 'http://probe.invalid' },
  { operationTimeoutMs: 15_000 },
);
try {
  await store.set('applicationSecret', process.argv[2] ?? 'probe-secret');
  console.log(JSON.stringify({ ok: true }));
} catch (err) {
  const e =
    err instanceof CredentialStoreError
      ? { kind: err.kind, locked: err.locked, message: err.message }
      : { kind: 'OTHER', message: String(err) };
  console.log(JSON.stringify({ ok: false, ...e }));
}
