import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../../electron/main/app/runtime';
import { KeytarCredentialStore } from '../../../electron/main/credentials';
import { openJournal } from '../../../electron/main/journal';

// The runtime against the real embedded sandbox and the real OS keychain (the private GNOME
// keyring that `npm test` runs in).
if (!process.env['DROPPAY_TEST_KEYRING']) {
  throw new Error('These tests use the real keychain: run them through `npm test`, which provides one.');
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-runtime-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Runtime> {
  const runtime = await createRuntime({ dataDir, env, log: () => undefined });
  cleanups.push(() => runtime.close());
  return runtime;
}

describe('runtime on the embedded sandbox', () => {
  it('defaults to the sandbox, provisions its credentials in the keychain and connects', async () => {
    await new KeytarCredentialStore({ kind: 'production' }).clear();
    const runtime = await start(tempDir());
    expect(runtime.environment).toBe('sandbox');
    expect(runtime.sandbox).not.toBeNull();

    const keychain = new KeytarCredentialStore({ kind: 'sandbox' });
    expect(await keychain.get('applicationSecret')).toBe(runtime.sandbox?.credentials.applicationSecret);

    const checked = await runtime.checkConnection();
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    expect(checked.value).toMatchObject({
      environment: 'sandbox',
      connection: 'connected',
      posId: runtime.sandbox?.credentials.posId,
      merchantName: 'Bar Sandbox',
    });
    expect(checked.value.baseUrl).toBe(runtime.sandbox?.baseUrl);
    // The access token went to the keychain, never into the status the renderer sees.
    const token = await keychain.get('accessToken');
    expect(token).toBeTruthy();
    expect(JSON.stringify(checked.value)).not.toContain(token);
    expect(JSON.stringify(checked.value)).not.toContain(runtime.sandbox?.credentials.applicationSecret);
  });

  it('a data folder it creates is readable by its owner only', async () => {
    const dir = join(tempDir(), 'data');
    await start(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('keeps the sandbox state in the data folder across a restart', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const creds = first.sandbox?.credentials;
    await first.close();
    const second = await start(dir);
    expect(second.sandbox?.credentials).toEqual(creds);
  });

  it('chooses production when production credentials are in the keychain', async () => {
    const production = new KeytarCredentialStore({ kind: 'production' });
    cleanups.push(() => production.clear());
    await production.set('applicationKey', 'key');
    await production.set('applicationSecret', 'secret');
    await production.set('connectionCode', 'code');
    const runtime = await start(tempDir());
    expect(runtime.environment).toBe('production');
    expect(runtime.baseUrl).toBe('https://api.drop-pay.io');
    expect(runtime.sandbox).toBeNull();
  });

  it('honours an explicit custom environment and refuses one without an address', async () => {
    const runtime = await start(tempDir(), { DROPPAY_ENV: 'custom', DROPPAY_BASE_URL: 'http://127.0.0.1:9' });
    expect(runtime.environment).toBe('custom');
    const status = await runtime.status();
    expect(status.ok && status.value.connection).toBe('not_configured');
    await expect(createRuntime({ dataDir: tempDir(), env: { DROPPAY_ENV: 'custom' } })).rejects.toThrow(
      /DROPPAY_BASE_URL/,
    );
    await expect(createRuntime({ dataDir: tempDir(), env: { DROPPAY_ENV: 'staging' } })).rejects.toThrow(
      /DROPPAY_ENV/,
    );
  });

  it('reports a custom DropPay it cannot reach as a NETWORK error, not a crash', async () => {
    const runtime = await start(tempDir(), { DROPPAY_ENV: 'custom', DROPPAY_BASE_URL: 'http://127.0.0.1:9' });
    const store = new KeytarCredentialStore({ kind: 'custom', baseUrl: 'http://127.0.0.1:9' });
    cleanups.push(() => store.clear());
    await store.set('applicationKey', 'k');
    await store.set('applicationSecret', 's');
    await store.set('connectionCode', 'c');
    await store.set('posId', 'POS1');
    const checked = await runtime.checkConnection();
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.error.code).toBe('NETWORK');
  });

  it('rejects a config file that is not valid JSON with a message naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'config.json'), '{ nope');
    await expect(createRuntime({ dataDir: dir, env: {} })).rejects.toThrow(/config\.json is not valid JSON/);
  });
});

describe('a journal whose closures cannot be read', () => {
  it('still gives the status, without the closed-day line, and says so once in the log', async () => {
    const dataDir = tempDir();
    const lines: string[] = [];
    const runtime = await createRuntime({ dataDir, env: {}, log: (line) => lines.push(line) });
    cleanups.push(() => runtime.close());
    expect((await runtime.status()).ok).toBe(true);
    // Another hand on the file drops the closures table (its triggers go with it).
    const db = new Database(join(dataDir, 'sandbox', 'journal.sqlite'));
    db.exec('DROP TABLE day_closures');
    db.close();
    for (let i = 0; i < 2; i += 1) {
      const status = await runtime.status();
      expect(status.ok ? status.value : status.error).toMatchObject({
        environment: 'sandbox',
        posId: runtime.sandbox?.credentials.posId,
        dayClosed: null,
      });
    }
    expect(lines.filter((l) => l.includes("the day's closures could not be read"))).toHaveLength(1);
  });
});

describe('settings the journal holds out of range (a hand edit, a damaged file)', () => {
  it('read as their defaults: the till starts, polls at the default pace and sells', async () => {
    const dir = tempDir();
    await (await start(dir)).close();
    const main = openJournal({ path: join(dir, 'journal.sqlite') });
    main.setSetting('payments.poll_interval_ms', '0');
    main.setSetting('business.cutoff_hour', '24');
    main.setSetting('business.time_zone', 'Mars/Olympus_Mons');
    main.close();

    const logged: string[] = [];
    const runtime = await createRuntime({ dataDir: dir, env: {}, log: (line) => logged.push(line) });
    cleanups.push(() => runtime.close());
    const view = await runtime.settings.view();
    expect(view).toMatchObject({ pollIntervalMs: 1000, cutoffHour: 0, timeZone: 'Europe/Rome' });
    // Each one set aside is on record, by its key.
    for (const key of ['payments.poll_interval_ms', 'business.cutoff_hour', 'business.time_zone']) {
      expect(logged.filter((line) => line.includes(`settings: ${key} `))).toHaveLength(1);
    }
    const payments = await runtime.payments();
    const sale = await payments.startSale({ amount: 500, description: 'Dopo il ripristino' });
    expect(sale.state).toBe('waiting');
  });
});
