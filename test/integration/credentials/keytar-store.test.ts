import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CREDENTIAL_KEYS } from '../../../electron/main/credentials/credential-store';
import { KeytarCredentialStore } from '../../../electron/main/credentials/keytar-store';

// These tests write to the real OS keychain. They must only ever see the throw-away keyring
// that scripts/with-keyring.sh sets up, never a developer's own; and CI must not skip them.
if (!process.env.DROPPAY_TEST_KEYRING) {
  throw new Error(
    'The keychain tests need the private test keyring: run them via `npm test`, or ' +
      '`dbus-run-session -- scripts/with-keyring.sh npx vitest run test/integration/credentials`.',
  );
}

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');

// Three environments of this file's own. The app's real sandbox and production entries are
// left to runtime.test.ts, which runs at the same time in the same keyring: sharing them, one
// file's clear() would wipe what the other had just stored.
const tag = randomUUID().slice(0, 8);
const envOf = (name: string) =>
  ({ kind: 'custom', baseUrl: `https://${tag}-${name}.keychain.test:8443` }) as const;
const sandbox = new KeytarCredentialStore(envOf('sandbox'));
const production = new KeytarCredentialStore(envOf('production'));
const custom = new KeytarCredentialStore(envOf('staging'));

afterAll(async () => {
  await Promise.all([sandbox.clear(), production.clear(), custom.clear()]);
});

describe('KeytarCredentialStore on the real Secret Service', () => {
  it('sets, gets, overwrites and deletes', async () => {
    await sandbox.probe();
    expect(await sandbox.get('refreshToken')).toBeUndefined();
    await sandbox.set('refreshToken', 'r-1 with spaces & ünïcode');
    expect(await sandbox.get('refreshToken')).toBe('r-1 with spaces & ünïcode');
    await sandbox.set('refreshToken', 'r-2');
    expect(await sandbox.get('refreshToken')).toBe('r-2');
    await sandbox.delete('refreshToken');
    expect(await sandbox.get('refreshToken')).toBeUndefined();
    await sandbox.delete('refreshToken'); // deleting what is not there is fine
  });

  it('clear() removes every key of its environment', async () => {
    for (const key of CREDENTIAL_KEYS) await sandbox.set(key, `value-of-${key}`);
    expect(await sandbox.get('tokenExpiresAt')).toBe('value-of-tokenExpiresAt');
    await sandbox.clear();
    for (const key of CREDENTIAL_KEYS) expect(await sandbox.get(key)).toBeUndefined();
  });

  it('separate environments do not see each other', async () => {
    await sandbox.set('accessToken', 'sandbox-token');
    await production.set('accessToken', 'production-token');
    await custom.set('accessToken', 'custom-token');
    expect(await sandbox.get('accessToken')).toBe('sandbox-token');
    expect(await production.get('accessToken')).toBe('production-token');
    expect(await custom.get('accessToken')).toBe('custom-token');
    await production.clear();
    expect(await production.get('accessToken')).toBeUndefined();
    expect(await sandbox.get('accessToken')).toBe('sandbox-token');
    expect(await custom.get('accessToken')).toBe('custom-token');
  });

  it('a second store object for the same environment sees the same secrets (they persist in the keyring)', async () => {
    await production.set('connectionCode', 'persisted-code');
    expect(await new KeytarCredentialStore(envOf('production')).get('connectionCode')).toBe('persisted-code');
  });
});

describe('KeytarCredentialStore without a keychain', () => {
  function probe(env: NodeJS.ProcessEnv, secret: string): { ok: boolean; kind?: string; message?: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, 'probe-keychain.ts'), secret], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 25_000,
    });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    expect(line, `probe printed nothing; stderr: ${r.stderr}`).not.toBe('');
    return JSON.parse(line) as { ok: boolean; kind?: string; message?: string };
  }

  it('the probe works inside the test keyring (so the failure below is the bus, not the probe)', () => {
    expect(probe({ ...process.env }, 'fine-secret')).toEqual({ ok: true });
  });

  it('a bogus D-Bus address → KEYCHAIN_UNAVAILABLE naming what to install, without the secret', () => {
    const result = probe(
      { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/droppay-test-bus' },
      'SECRET-NOT-TO-LEAK',
    );
    expect(result.ok).toBe(false);
    expect(result.kind).toBe('KEYCHAIN_UNAVAILABLE');
    expect(result.message).toMatch(/gnome-keyring/);
    expect(result.message).toMatch(/libsecret-1-0/);
    expect(result.message).not.toContain('SECRET-NOT-TO-LEAK');
  });

  it('a keyring locked after the secrets were written → "locked: unlock it", without the secret', () => {
    // A keyring of its own, so locking it leaves the one the other tests use alone.
    const r = spawnSync(
      'dbus-run-session',
      ['--', join(root, 'scripts/with-keyring.sh'), join(here, 'locked-keyring.sh')],
      { cwd: root, encoding: 'utf8', timeout: 40_000 },
    );
    const lines = r.stdout
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(lines, `stderr: ${r.stderr}`).toHaveLength(2);
    const [before, after] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(before).toEqual({ ok: true });
    expect(after).toMatchObject({ ok: false, kind: 'KEYCHAIN_UNAVAILABLE', locked: true });
    expect(after?.message).toMatch(/locked/);
    expect(after?.message).toMatch(/unlock/);
    expect(after?.message).not.toContain('after-the-lock');
  });

  it('no session bus and no display → KEYCHAIN_UNAVAILABLE', () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const result = probe(env, 'another-secret');
    expect(result).toMatchObject({ ok: false, kind: 'KEYCHAIN_UNAVAILABLE' });
    expect(result.message).toMatch(/gnome-keyring/);
  });
});
