import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../electron/main/sandbox';
import type { DisplayState } from '../../../shared/display';
import type { SaleView } from '../../../shared/sales';
import { eventually, filesUnder, grant, startApp, type TestApp } from './harness';

// The settings screen's channels on the real runtime: non-secret settings in the journal,
// credentials written to the real keychain and never readable back, the manager PIN, and
// switching DropPay environments live (embedded sandbox → a custom DropPay → back).

let app: TestApp;
let remote: RunningSandbox;
let remoteDir: string;
const PIN = '90817263';
const NEW_PIN = '57391846';

beforeAll(async () => {
  // The runtime's own log (stderr and its daily file), as the secret scan below must see it.
  app = await startApp({ defaultLog: true });
  await app.runtime.ready();
  // "Custom": another DropPay sandbox, started on its own like `npm run sandbox` would.
  remoteDir = mkdtempSync(join(tmpdir(), 'droppay-remote-'));
  remote = await startSandbox({ dataDir: remoteDir });
});
afterAll(async () => {
  await app.close();
  await remote.close();
  rmSync(remoteDir, { recursive: true, force: true });
});

const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));
/** The detail key the renderer words, of a refusal. */
const detailOf = (r: { ok: boolean; error?: { detail?: { key: string } } }): string | undefined =>
  r.ok ? undefined : r.error?.detail?.key;

describe('settings', () => {
  it('starts on the sandbox with first-run pending and the sandbox credentials present', async () => {
    expect(await app.value('settings:get')).toEqual({
      environment: 'sandbox',
      customBaseUrl: null,
      storeName: '',
      language: 'it',
      customerLanguage: null,
      customerDisplayId: null,
      pollIntervalMs: 1000,
      confirmFromCents: 50_000,
      timeZone: 'Europe/Rome',
      cutoffHour: 0,
      managerPinSet: false,
      managerPinLockedSeconds: 0,
      settingsLocked: false,
      settingsUnlockMs: 0,
      credentials: {
        applicationKey: true,
        applicationSecret: true,
        connectionCode: true,
        posId: app.runtime.sandbox?.credentials.posId,
        readable: true,
      },
      firstRun: true,
      startsOn: null,
    });
  });

  it('round-trips the non-secret settings through the journal, across a restart', async () => {
    const view = await app.value('settings:update', {
      storeName: 'Bar Centrale',
      language: 'en',
      customerDisplayId: 42,
      pollIntervalMs: 250,
      confirmFromCents: 20_000,
      completeFirstRun: true,
    });
    expect(view).toMatchObject({
      storeName: 'Bar Centrale',
      language: 'en',
      customerDisplayId: 42,
      pollIntervalMs: 250,
      confirmFromCents: 20_000,
      firstRun: false,
    });
    // The store name overrides DropPay's in the status and on the customer display.
    expect(await app.value('app:status')).toMatchObject({ storeName: 'Bar Centrale' });
    expect(await app.value('display:state')).toMatchObject({
      mode: 'idle',
      language: 'en',
      storeName: 'Bar Centrale',
    });
    expect(
      app.events.some(
        (e) => e.event === 'status' && (e.payload as { storeName: string }).storeName === 'Bar Centrale',
      ),
    ).toBe(true);
    expect(
      app.events.some((e) => e.event === 'display' && (e.payload as DisplayState).language === 'en'),
    ).toBe(true);

    const again = await startApp({ dataDir: app.dataDir });
    try {
      expect(again.runtime.settings.current()).toMatchObject({
        storeName: 'Bar Centrale',
        customerDisplayId: 42,
        confirmFromCents: 20_000,
      });
    } finally {
      await again.close();
    }
    const cleared = await app.value('settings:update', { customerDisplayId: null });
    expect(cleared.customerDisplayId).toBeNull();
  });

  it('the customer display speaks its own language when one is set, the till’s otherwise, across a restart', async () => {
    const view = await app.value('settings:update', { language: 'en', customerLanguage: 'it' });
    expect(view).toMatchObject({ language: 'en', customerLanguage: 'it' });
    expect(await app.value('display:state')).toMatchObject({ mode: 'idle', language: 'it' });
    const again = await startApp({ dataDir: app.dataDir });
    try {
      expect(again.runtime.settings.current().customerLanguage).toBe('it');
      expect(await again.value('display:state')).toMatchObject({ language: 'it' });
    } finally {
      await again.close();
    }
    expect(code(await app.call('settings:update', { customerLanguage: 'de' }))).toBe('VALIDATION');
    const follows = await app.value('settings:update', { customerLanguage: null });
    expect(follows.customerLanguage).toBeNull();
    expect(await app.value('display:state')).toMatchObject({ language: 'en' });
  });

  it('the amount to confirm from: 0 turns the question off; no negative, fractional or too large amount', async () => {
    expect((await app.value('settings:update', { confirmFromCents: 0 })).confirmFromCents).toBe(0);
    for (const bad of [-1, 12.5, 100_000_001, '50000']) {
      expect(code(await app.call('settings:update', { confirmFromCents: bad }))).toBe('VALIDATION');
    }
    expect((await app.value('settings:get')).confirmFromCents).toBe(0);
    expect((await app.value('settings:update', { confirmFromCents: 50_000 })).confirmFromCents).toBe(50_000);
  });

  it('refuses credentials for the sandbox, which sets its own', async () => {
    const refused = await app.call('settings:set-credentials', {
      environment: 'sandbox',
      applicationSecret: 'x',
    });
    expect(code(refused)).toBe('INVALID_STATE');
    expect(detailOf(refused)).toBe('settings.sandboxCredentials');
  });

  it('refuses credentials meant for another environment than the one the till is on, and stores nothing', async () => {
    // Production chosen on screen but not saved: the till is still on the sandbox.
    const refused = await app.call('settings:set-credentials', {
      environment: 'production',
      applicationKey: 'prod-key',
      applicationSecret: 'prod-secret',
    });
    expect(code(refused)).toBe('INVALID_STATE');
    expect(detailOf(refused)).toBe('settings.credentialsOtherEnvironment');
    for (const kind of ['production', 'sandbox'] as const) {
      const store = app.keychain({ kind });
      expect(await store.get('applicationKey')).not.toBe('prod-key');
      expect(await store.get('applicationSecret')).not.toBe('prod-secret');
    }
    expect((await app.value('settings:get')).environment).toBe('sandbox');
  });
});

/** A sale started over IPC, approved by the payer: the id of its charge once paid. */
async function paidCharge(amount: number, description: string): Promise<string> {
  const started = await app.value('sale:start', { amount, description });
  await grant(app.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
  return eventually(() => {
    const paid = app.events
      .map((e) => (e.event === 'sale' ? (e.payload as { sale?: SaleView }).sale : undefined))
      .find((s) => s?.id === started.id && s.state === 'paid');
    return paid?.charges[0]?.id;
  });
}

describe('a new poll interval while a charge is on its way', () => {
  it('restarts the payments without losing the sale events the old ones still send', async () => {
    const base = app.runtime.sandbox?.baseUrl ?? '';
    const faults = (latency: number) =>
      fetch(`${base}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latency_ms: latency, error_rate: 0, drop_after_commit_rate: 0, seed: 1 }),
      });
    const sale = await app.value('sale:start', { amount: 1590, description: 'Pranzo' });
    const before = (await app.value('settings:get')).pollIntervalMs;
    // DropPay answers slowly: the charge is still travelling when the interval changes.
    await faults(700);
    try {
      await grant(base, sale.authorizationId ?? '');
      await eventually(() => (app.runtime.journal.getSale(sale.id)?.state === 'charging' ? true : undefined));
      await app.value('settings:update', { pollIntervalMs: before + 250 });
    } finally {
      await faults(0);
    }
    expect(app.runtime.journal.getSale(sale.id)?.state).toBe('paid');
    // The cashier's screen and the customer display heard it.
    const states = app.events.flatMap((e) =>
      e.event === 'sale' && (e.payload as { type: string; sale?: SaleView }).sale?.id === sale.id
        ? [(e.payload as { sale: SaleView }).sale.state]
        : [],
    );
    expect(states).toContain('paid');
    await app.value('settings:update', { pollIntervalMs: before });
  });
});

describe('manager PIN', () => {
  it('sets, requires for refunds, changes only with the current PIN, and removes', async () => {
    const set = await app.value('settings:set-manager-pin', { pin: PIN });
    expect(set.managerPinSet).toBe(true);

    // A refund now needs it.
    const chargeId = await paidCharge(500, 'Panino');
    const refund = { chargeId, amount: 100, reason: 'Errore' };
    expect(code(await app.call('refund:create', refund))).toBe('PIN_REQUIRED');
    expect(code(await app.call('refund:create', { ...refund, managerPin: NEW_PIN }))).toBe('PIN_WRONG');
    expect(code(await app.call('refund:create', { ...refund, managerPin: PIN }))).toBe('ok');

    const withoutCurrent = await app.call('settings:set-manager-pin', { pin: NEW_PIN });
    expect(code(withoutCurrent)).toBe('PIN_REQUIRED');
    expect(detailOf(withoutCurrent)).toBe('pin.currentRequired');
    expect(code(await app.call('settings:set-manager-pin', { pin: NEW_PIN, currentPin: '0000' }))).toBe(
      'PIN_WRONG',
    );
    expect(code(await app.call('settings:set-manager-pin', { pin: NEW_PIN, currentPin: PIN }))).toBe('ok');
    expect(code(await app.call('settings:set-manager-pin', { pin: null, currentPin: PIN }))).toBe(
      'PIN_WRONG',
    );
    const removed = await app.value('settings:set-manager-pin', { pin: null, currentPin: NEW_PIN });
    expect(removed.managerPinSet).toBe(false);
    await app.value('settings:set-manager-pin', { pin: PIN });
  });

  it('locks after five wrong PINs in a row, one lock for refunds and PIN changes', async () => {
    const refund = { chargeId: await paidCharge(400, 'Toast'), amount: 100, reason: 'Errore' };
    // Wrong guesses split between the refund dialog and the settings add up to one count, and
    // each answer says how many are left before the lock.
    for (const triesLeft of [4, 3, 2]) {
      const wrong = await app.call('refund:create', { ...refund, managerPin: '2222' });
      expect(code(wrong)).toBe('PIN_WRONG');
      expect(wrong.ok ? null : wrong.error.detail).toEqual({ key: 'pin.wrong', params: { triesLeft } });
    }
    const lastWrong = await app.call('settings:set-manager-pin', { pin: '1111', currentPin: '2222' });
    expect(code(lastWrong)).toBe('PIN_WRONG');
    expect(lastWrong.ok ? null : lastWrong.error.detail).toEqual({
      key: 'pin.wrong',
      params: { triesLeft: 1 },
    });
    expect((await app.value('settings:get')).managerPinLockedSeconds).toBe(0);
    // The fifth is answered with the lock it starts.
    const fifth = await app.call('settings:set-manager-pin', { pin: '1111', currentPin: '2222' });
    expect(code(fifth)).toBe('PIN_LOCKED');
    expect(fifth.ok ? null : fifth.error.detail).toEqual({ key: 'pin.locked', params: { seconds: 30 } });
    const locked = await app.call('settings:set-manager-pin', { pin: '1111', currentPin: PIN });
    expect(code(locked)).toBe('PIN_LOCKED');
    expect(locked.ok ? '' : locked.error.message).toMatch(/Too many wrong PINs: wait \d+ s/);
    expect(code(await app.call('refund:create', { ...refund, managerPin: PIN }))).toBe('PIN_LOCKED');
    // The settings say the lock, for a form to show it before a PIN is typed.
    const { managerPinLockedSeconds } = await app.value('settings:get');
    expect(managerPinLockedSeconds).toBeGreaterThan(25);
    expect(managerPinLockedSeconds).toBeLessThanOrEqual(30);
    // Restarting the payments service (a new poll interval) does not lift the lock.
    const before = (await app.value('settings:get', undefined)).pollIntervalMs;
    await app.value('settings:update', { pollIntervalMs: before + 1 });
    expect(code(await app.call('refund:create', { ...refund, managerPin: PIN }))).toBe('PIN_LOCKED');
    await app.value('settings:update', { pollIntervalMs: before });
  });

  it('changing the PIN: each wrong current PIN says the tries left, the fifth the lock, the next lock twice as long', async () => {
    const file = join(app.dataDir, 'manager-pin.json');
    // A fresh PIN, with no lock before it (the test above left one).
    rmSync(file, { force: true });
    await app.value('settings:set-manager-pin', { pin: PIN });
    const change = { pin: NEW_PIN, currentPin: '2222' };
    const wrongThenLocked = async (seconds: number): Promise<void> => {
      for (const triesLeft of [4, 3, 2, 1]) {
        const wrong = await app.call('settings:set-manager-pin', change);
        expect(code(wrong), `${triesLeft} left`).toBe('PIN_WRONG');
        expect(wrong.ok ? null : wrong.error.detail).toEqual({ key: 'pin.wrong', params: { triesLeft } });
        expect(wrong.ok ? '' : wrong.error.message).toContain(
          `${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`,
        );
      }
      const fifth = await app.call('settings:set-manager-pin', change);
      expect(code(fifth)).toBe('PIN_LOCKED');
      expect(fifth.ok ? null : fifth.error.detail).toEqual({ key: 'pin.locked', params: { seconds } });
      expect(fifth.ok ? '' : fifth.error.message).toContain(`wait ${seconds} s`);
    };
    await wrongThenLocked(30);
    // The lock made to end now, in the PIN file: the next five wrong ones lock twice as long.
    const record = JSON.parse(readFileSync(file, 'utf8')) as { lockedUntil: number; lockouts: number };
    expect(record.lockouts).toBe(1);
    writeFileSync(file, JSON.stringify({ ...record, lockedUntil: Date.now() - 1 }));
    await wrongThenLocked(60);
    expect((await app.value('settings:get', undefined)).managerPinSet).toBe(true);
  });

  it('a damaged PIN file is said as such, names the file, and is mended by deleting it', async () => {
    const file = join(app.dataDir, 'manager-pin.json');
    writeFileSync(file, '{"v":1,"alg":"scrypt"');
    const refund = { chargeId: await paidCharge(300, 'Caffè'), amount: 100, reason: 'Errore' };
    const refused = await app.call('refund:create', { ...refund, managerPin: PIN });
    expect(code(refused)).toBe('PIN_WRONG');
    expect(refused.ok ? null : refused.error.detail).toEqual({ key: 'pin.damaged', params: { file } });
    const change = await app.call('settings:set-manager-pin', { pin: NEW_PIN, currentPin: PIN });
    expect(change.ok ? null : change.error.detail).toEqual({
      key: 'pin.damaged',
      params: { file },
    });
    // Never counted as wrong guesses: no lock however often it is tried.
    for (let i = 0; i < 6; i++) await app.call('refund:create', { ...refund, managerPin: PIN });
    expect(detailOf(await app.call('refund:create', { ...refund, managerPin: PIN }))).toBe('pin.damaged');
    // What the message says: delete the file, set a new PIN.
    rmSync(file);
    await app.value('settings:set-manager-pin', { pin: PIN });
    expect(code(await app.call('refund:create', { ...refund, managerPin: PIN }))).toBe('ok');
  });
});

describe('switching environment live: sandbox → custom → sandbox', () => {
  it('refuses custom without an address, and a switch while a sale is in progress', async () => {
    const noAddress = await app.call('settings:update', { environment: 'custom' });
    expect(code(noAddress)).toBe('VALIDATION');
    expect(detailOf(noAddress)).toBe('settings.customUrlMissing');
    const waiting = await app.value('sale:start', { amount: 300, description: 'Acqua' });
    const refused = await app.call('settings:update', {
      environment: 'custom',
      customBaseUrl: remote.baseUrl,
    });
    expect(refused.ok ? '' : refused.error.message).toMatch(/sale in progress/);
    expect(code(refused)).toBe('INVALID_STATE');
    expect(detailOf(refused)).toBe('settings.saleInProgress');
    expect(app.runtime.environment).toBe('sandbox');
    await app.value('sale:cancel', { saleId: waiting.id });
  });

  it('switches to a custom DropPay: not configured until its credentials are entered', async () => {
    const embedded = app.runtime.sandbox?.baseUrl ?? '';
    const view = await app.value('settings:update', { environment: 'custom', customBaseUrl: remote.baseUrl });
    expect(view).toMatchObject({ environment: 'custom', customBaseUrl: remote.baseUrl });
    expect(view.credentials).toEqual({
      applicationKey: false,
      applicationSecret: false,
      connectionCode: false,
      posId: null,
      readable: true,
    });
    expect(app.runtime.sandbox).toBeNull();
    // The embedded sandbox was stopped cleanly.
    await expect(fetch(`${embedded}/_sim/ledger`)).rejects.toThrow();
    expect(await app.value('app:status')).toMatchObject({
      environment: 'custom',
      baseUrl: remote.baseUrl,
      connection: 'not_configured',
    });
    // A new environment has its own history: the sandbox's sales are not in it.
    expect((await app.value('sale:list', {})).total).toBe(0);
  });

  it('stores credentials write-only: presence and POS id come back, the values never do', async () => {
    const { applicationKey, applicationSecret, connectionCode, posId } = remote.credentials;
    // For another custom address than the one the till is on: refused, nothing stored.
    const elsewhere = await app.call('settings:set-credentials', {
      environment: 'custom',
      baseUrl: 'https://other.example.com',
      applicationKey,
    });
    expect(detailOf(elsewhere)).toBe('settings.credentialsOtherEnvironment');
    expect(
      await app.keychain({ kind: 'custom', baseUrl: remote.baseUrl }).get('applicationKey'),
    ).toBeUndefined();
    const view = await app.value('settings:set-credentials', {
      environment: 'custom',
      baseUrl: remote.baseUrl,
      applicationKey,
      applicationSecret,
      connectionCode,
      posId,
    });
    expect(view.credentials).toEqual({
      applicationKey: true,
      applicationSecret: true,
      connectionCode: true,
      posId,
      readable: true,
    });
    const store = app.keychain({ kind: 'custom', baseUrl: remote.baseUrl });
    expect(await store.get('applicationSecret')).toBe(applicationSecret);
    expect(await store.get('connectionCode')).toBe(connectionCode);
    // Saved credentials are tried at once: the shop's name comes from DropPay's brands without
    // anyone pressing "test connection".
    const named = await eventually(async () => {
      const status = await app.value('app:status');
      return status.merchantName === null ? undefined : status.merchantName;
    });
    expect(named).toBe('Bar Sandbox');

    expect(await app.value('app:check-connection')).toMatchObject({
      connection: 'connected',
      merchantName: 'Bar Sandbox',
      posId,
    });
    expect(
      app.events.some(
        (e) => e.event === 'status' && (e.payload as { connection: string }).connection === 'connected',
      ),
    ).toBe(true);
  });

  it('sells on the custom DropPay', async () => {
    const started = await app.value('sale:start', { amount: 720, description: 'Tramezzino' });
    expect(started.sharingUrl?.startsWith(remote.baseUrl)).toBe(true);
    await grant(remote.baseUrl, started.authorizationId ?? '');
    await eventually(() =>
      app.events.find(
        (e) =>
          e.event === 'sale' &&
          (e.payload as { sale?: SaleView }).sale?.state === 'paid' &&
          (e.payload as { sale: SaleView }).sale.id === started.id,
      ),
    );
  });

  it('remembers the chosen environment across a restart; DROPPAY_ENV still wins', async () => {
    const restarted = await startApp({ dataDir: app.dataDir });
    try {
      expect(restarted.runtime.environment).toBe('custom');
      expect(restarted.runtime.baseUrl).toBe(remote.baseUrl);
      expect((await restarted.value('settings:get')).startsOn).toBeNull();
    } finally {
      await restarted.close();
    }
    const forced = await startApp({ dataDir: app.dataDir, env: { DROPPAY_ENV: 'sandbox' } });
    try {
      expect(forced.runtime.environment).toBe('sandbox');
      // The settings screen is told, so a choice made there is not taken for a lasting one.
      expect((await forced.value('settings:get')).startsOn).toBe('sandbox');
    } finally {
      await forced.close();
    }
  });

  it('switches back to the embedded sandbox, with its own history again', async () => {
    const view = await app.value('settings:update', { environment: 'sandbox' });
    expect(view.environment).toBe('sandbox');
    expect(app.runtime.sandbox).not.toBeNull();
    expect(await app.value('app:check-connection')).toMatchObject({
      environment: 'sandbox',
      connection: 'connected',
    });
    const history = await app.value('sale:list', {});
    expect(history.sales.map((s) => s.description)).not.toContain('Tramezzino');
    expect(history.sales.map((s) => s.description)).toContain('Panino');
    // The custom address is remembered for next time.
    expect(view.customBaseUrl).toBe(remote.baseUrl);
  });
});

describe('secrets never come back out', () => {
  it('appear in no Result, no event, no log line and no byte of the data folder', async () => {
    const custom = app.keychain({ kind: 'custom', baseUrl: remote.baseUrl });
    const embedded = app.runtime.sandbox?.credentials;
    const secrets = [
      remote.credentials.applicationKey,
      remote.credentials.applicationSecret,
      remote.credentials.connectionCode,
      await custom.get('accessToken'),
      await custom.get('refreshToken'),
      PIN,
      NEW_PIN,
    ];
    expect(secrets[3]).toBeTruthy();
    const embeddedSecrets = [
      embedded?.applicationSecret,
      embedded?.connectionCode,
      await app.keychain({ kind: 'sandbox' }).get('accessToken'),
    ];
    for (const s of [...secrets, ...embeddedSecrets])
      expect(s, 'every secret to look for is known').toBeTruthy();

    const texts = [JSON.stringify(app.results), JSON.stringify(app.events), app.logs.join('\n')];
    for (const secret of [...secrets, ...embeddedSecrets]) {
      for (const text of texts) expect(text.includes(secret ?? '')).toBe(false);
    }
    // The embedded simulator keeps its own (fake) credentials in its state file, as DropPay
    // would on its side: every other file is scanned for those too.
    for (const [file, bytes] of filesUnder(app.dataDir)) {
      const simulatorState = file.startsWith('sandbox/droppay-sandbox.sqlite');
      for (const secret of simulatorState ? secrets : [...secrets, ...embeddedSecrets]) {
        expect(bytes.includes(Buffer.from(secret ?? '')), `${file} holds a secret`).toBe(false);
      }
    }
    expect([...filesUnder(app.dataDir).keys()]).toEqual(
      expect.arrayContaining(['journal.sqlite', 'manager-pin.json', 'sandbox/journal.sqlite']),
    );
    // The log file was among the files scanned, and holds what the core logged.
    const logFiles = [...filesUnder(app.dataDir).keys()].filter((f) =>
      /^logs\/cashier-\d{4}-\d{2}-\d{2}\.log$/.test(f),
    );
    expect(logFiles.length).toBeGreaterThan(0);
    expect(app.logs.length).toBeGreaterThan(0);
    // What went to stderr went to the file too: the scan above read the runtime's own log.
    const written = logFiles.map((f) => readFileSync(join(app.dataDir, f), 'utf8')).join('\n');
    expect(written).toContain(app.logs.find((l) => l.startsWith('DropPay environment: custom')));
  });
});
