import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BRIDGE_HEADER, startBridge, type RunningBridge } from '../../../electron/main/bridge/server';
import { createHandlers } from '../../../electron/main/app/handlers';
import { SETTINGS_UNLOCK_MS } from '../../../electron/main/app/settings-lock';
import { filesUnder, startApp, type TestApp } from './harness';

// QA C28: with a manager PIN set, the settings that decide where the money goes and how the day
// is counted change only while the core holds an unlock made with that PIN. The real runtime:
// the sandbox, real journals and PIN file, the real keychain.

const PIN = '48151623';
const code = (r: { ok: boolean; error?: { code: string } }): string => (r.ok ? 'ok' : (r.error?.code ?? '?'));
const detailOf = (r: { ok: boolean; error?: { detail?: unknown } }): unknown =>
  r.ok ? undefined : r.error?.detail;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A refund of a charge that does not exist: the PIN is checked (and counted) before the charge. */
const refund = (managerPin: string) => ({ chargeId: 'CH-none', amount: 100, reason: 'Prova', managerPin });

/** A till past its first run, with the manager PIN set and the settings locked again. */
async function lockedTill(options: Parameters<typeof startApp>[0] = {}): Promise<TestApp> {
  const app = await startApp(options);
  await app.runtime.ready();
  await app.value('settings:update', { storeName: 'Bar Lock', completeFirstRun: true });
  const set = await app.value('settings:set-manager-pin', { pin: PIN });
  // Who just chose the PIN may go on in the settings; leaving them locks.
  expect(set.settingsLocked).toBe(false);
  expect((await app.value('settings:lock')).settingsLocked).toBe(true);
  return app;
}

describe('settings behind the manager PIN', () => {
  let app: TestApp;
  let folder: string;
  beforeAll(async () => {
    app = await lockedTill();
    folder = mkdtempSync(join(tmpdir(), 'droppay-lock-copies-'));
  });
  afterAll(async () => {
    await app.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses every guarded change while locked, and changes nothing', async () => {
    const before = await app.value('settings:get');
    const backup = await app.value('backup:status');
    const refusals = [
      await app.call('settings:update', { confirmFromCents: 1_000 }),
      await app.call('settings:update', { timeZone: 'Europe/London' }),
      await app.call('settings:update', { cutoffHour: 4 }),
      await app.call('settings:update', { environment: 'production' }),
      await app.call('settings:update', { environment: 'custom', customBaseUrl: 'https://pay.example' }),
      // A free field beside a guarded one: the whole patch is refused, the name too.
      await app.call('settings:update', { storeName: 'Altro', confirmFromCents: 1_000 }),
      await app.call('settings:set-credentials', { environment: 'production', applicationKey: 'k' }),
      await app.call('connection:start'),
      await app.call('backup:set-folder', { folder }),
    ];
    for (const refusal of refusals) {
      expect(code(refusal)).toBe('SETTINGS_LOCKED');
      expect(detailOf(refusal)).toEqual({ key: 'settings.locked' });
    }
    expect(await app.value('settings:get')).toEqual(before);
    expect((await app.value('backup:status')).folder).toBe(backup.folder);
    expect(app.runtime.environment).toBe('sandbox');
  });

  it('leaves the free settings free, and a guarded value sent as it is', async () => {
    const before = await app.value('settings:get');
    const view = await app.value('settings:update', {
      storeName: 'Bar Aperto',
      language: 'en',
      customerLanguage: 'it',
      pollIntervalMs: 500,
      // The store form sends its whole section: the same amount and day rule are no change.
      confirmFromCents: before.confirmFromCents,
      timeZone: before.timeZone,
      cutoffHour: before.cutoffHour,
      environment: before.environment,
    });
    expect(view).toMatchObject({ storeName: 'Bar Aperto', language: 'en', pollIntervalMs: 500 });
    expect(view.settingsLocked).toBe(true);
    // Withdrawing a link keeps the account as it is: free (none is waiting here).
    expect(detailOf(await app.call('connection:cancel'))).toEqual({ key: 'connect.noneWaiting' });
    // The same folder as now, and writing a copy, are no change either.
    expect(code(await app.call('backup:set-folder', { folder: null }))).toBe('ok');
    expect(code(await app.call('backup:now'))).toBe('ok');
  });

  it('counts a wrong PIN to unlock toward the same lock as refunds and PIN changes', async () => {
    const first = await app.call('settings:unlock', { pin: '0000' });
    expect(code(first)).toBe('PIN_WRONG');
    expect(detailOf(first)).toEqual({ key: 'pin.wrong', params: { triesLeft: 4 } });
    const inRefund = await app.call('refund:create', refund('1111'));
    expect(detailOf(inRefund)).toEqual({ key: 'pin.wrong', params: { triesLeft: 3 } });
    const again = await app.call('settings:unlock', { pin: '2222' });
    expect(detailOf(again)).toEqual({ key: 'pin.wrong', params: { triesLeft: 2 } });
    expect((await app.value('settings:get')).settingsLocked).toBe(true);
    // The right one resets the count (as for refunds) and unlocks.
    const unlocked = await app.value('settings:unlock', { pin: PIN });
    expect(unlocked.settingsLocked).toBe(false);
    const next = await app.call('refund:create', refund('3333'));
    expect(detailOf(next)).toEqual({ key: 'pin.wrong', params: { triesLeft: 4 } });
    // That wrong refund PIN does not lock the settings unlocked a moment ago.
    expect((await app.value('settings:get')).settingsLocked).toBe(false);
    await app.value('settings:lock');
  });

  it('takes guarded changes once unlocked, and none after settings:lock', async () => {
    expect((await app.value('settings:get')).settingsUnlockMs).toBe(0);
    const opened = await app.value('settings:unlock', { pin: PIN });
    // The time the unlock still lasts, for the screen to lock itself at its end.
    expect(opened.settingsUnlockMs).toBeGreaterThan(SETTINGS_UNLOCK_MS - 5_000);
    expect(opened.settingsUnlockMs).toBeLessThanOrEqual(SETTINGS_UNLOCK_MS);
    const view = await app.value('settings:update', { confirmFromCents: 12_345, cutoffHour: 3 });
    expect(view).toMatchObject({ confirmFromCents: 12_345, cutoffHour: 3, settingsLocked: false });
    expect((await app.value('backup:set-folder', { folder })).folder).toBe(folder);
    expect(code(await app.call('backup:set-folder', { folder: null }))).toBe('ok');
    // The sandbox provisions its own credentials: refused for that, not for the lock.
    const credentials = await app.call('settings:set-credentials', {
      environment: 'sandbox',
      applicationKey: 'k',
    });
    expect(detailOf(credentials)).toEqual({ key: 'settings.sandboxCredentials' });

    expect(await app.value('settings:lock')).toMatchObject({ settingsLocked: true, settingsUnlockMs: 0 });
    expect(code(await app.call('settings:update', { confirmFromCents: 1 }))).toBe('SETTINGS_LOCKED');
    expect((await app.value('settings:get')).confirmFromCents).toBe(12_345);
  });

  it('changing or removing the PIN still asks for the current one, unlocked or not', async () => {
    await app.value('settings:unlock', { pin: PIN });
    expect(code(await app.call('settings:set-manager-pin', { pin: '1234' }))).toBe('PIN_REQUIRED');
    expect(code(await app.call('settings:set-manager-pin', { pin: '1234', currentPin: PIN }))).toBe('ok');
    expect(code(await app.call('settings:set-manager-pin', { pin: PIN, currentPin: '1234' }))).toBe('ok');
    await app.value('settings:lock');
  });

  it('keeps the customer display away from unlocking and locking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'droppay-lock-bridge-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<html></html>');
    let bridge: RunningBridge | null = null;
    try {
      bridge = await startBridge({
        handlers: createHandlers(app.runtime),
        rendererDir: join(dir, 'renderer'),
        events: app.runtime.events,
      });
      const pinFile = join(app.dataDir, 'manager-pin.json');
      const guard = readFileSync(pinFile, 'utf8');
      for (const [channel, body] of [
        ['settings:unlock', { pin: PIN }],
        ['settings:unlock', { pin: '0000' }],
        ['settings:lock', undefined],
      ] as const) {
        const res = await fetch(`${bridge.origin}/ipc/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [BRIDGE_HEADER]: bridge.displaySecret },
          body: JSON.stringify(body ?? null),
        });
        expect(res.status, channel).toBe(403);
      }
      // Neither unlocked, nor a wrong PIN counted.
      expect((await app.value('settings:get')).settingsLocked).toBe(true);
      expect(readFileSync(pinFile, 'utf8')).toBe(guard);
    } finally {
      await bridge?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('removing the PIN opens everything again', async () => {
    const removed = await app.value('settings:set-manager-pin', { pin: null, currentPin: PIN });
    expect(removed).toMatchObject({ managerPinSet: false, settingsLocked: false });
    expect(code(await app.call('settings:update', { confirmFromCents: 50_000 }))).toBe('ok');
    // With no PIN there is nothing to unlock: the call answers the view as it is.
    expect((await app.value('settings:unlock', { pin: '0000' })).settingsLocked).toBe(false);
  });
});

describe('the unlock lasts a while, renewed by each guarded change', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await lockedTill({ settingsUnlockMs: 1_500 });
  });
  afterAll(() => app.close());

  it('ends by itself after the time without a guarded change', async () => {
    await app.value('settings:unlock', { pin: PIN });
    await sleep(900);
    expect(code(await app.call('settings:update', { confirmFromCents: 2_000 }))).toBe('ok');
    await sleep(900);
    // 1.8 s since the unlock, 0.9 s since the change: still open.
    expect(code(await app.call('settings:update', { confirmFromCents: 3_000 }))).toBe('ok');
    // A free change does not keep it open.
    await sleep(900);
    expect(code(await app.call('settings:update', { storeName: 'Bar Tempo' }))).toBe('ok');
    await sleep(900);
    expect((await app.value('settings:get')).settingsLocked).toBe(true);
    expect(code(await app.call('settings:update', { confirmFromCents: 4_000 }))).toBe('SETTINGS_LOCKED');
    expect((await app.value('settings:get')).confirmFromCents).toBe(3_000);
  });

  it('five wrong PINs lock unlocking as they lock refunds', async () => {
    try {
      for (let i = 0; i < 4; i++)
        expect(code(await app.call('settings:unlock', { pin: '0000' }))).toBe('PIN_WRONG');
      const fifth = await app.call('settings:unlock', { pin: '0000' });
      expect(code(fifth)).toBe('PIN_LOCKED');
      expect(detailOf(fifth)).toEqual({ key: 'pin.locked', params: { seconds: 30 } });
      // Even the right PIN now waits, here and for a refund.
      expect(code(await app.call('settings:unlock', { pin: PIN }))).toBe('PIN_LOCKED');
      expect(code(await app.call('refund:create', refund(PIN)))).toBe('PIN_LOCKED');
      const view = await app.value('settings:get');
      expect(view.settingsLocked).toBe(true);
      expect(view.managerPinLockedSeconds).toBeGreaterThan(0);
    } finally {
      // Nobody can remove a locked PIN through the app for 30 s: the test removes its file.
      rmSync(join(app.dataDir, 'manager-pin.json'), { force: true });
    }
  });
});

describe('the PIN typed to unlock', () => {
  it('reaches no answer, event, log or file, right or wrong (only its hash is kept)', async () => {
    const app = await lockedTill({ defaultLog: true });
    try {
      const WRONG = '90817263';
      expect(code(await app.call('settings:unlock', { pin: WRONG }))).toBe('PIN_WRONG');
      expect((await app.value('settings:unlock', { pin: PIN })).settingsLocked).toBe(false);
      await app.value('settings:update', { confirmFromCents: 4_200 });
      await app.value('settings:lock');
      const texts = [JSON.stringify(app.results), JSON.stringify(app.events), app.logs.join('\n')];
      const files = filesUnder(app.dataDir);
      expect([...files.keys()]).toEqual(expect.arrayContaining(['journal.sqlite', 'manager-pin.json']));
      for (const pin of [PIN, WRONG]) {
        for (const text of texts) expect(text.includes(pin)).toBe(false);
        for (const [file, bytes] of files)
          expect(bytes.includes(Buffer.from(pin)), `${file} holds the PIN`).toBe(false);
      }
    } finally {
      await app.close();
    }
  });
});

describe('no PIN, and the first run', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
    await app.runtime.ready();
  });
  afterAll(() => app.close());

  it('with no PIN nothing is locked', async () => {
    const view = await app.value('settings:get');
    expect(view).toMatchObject({ managerPinSet: false, settingsLocked: false, firstRun: true });
    expect(code(await app.call('settings:update', { confirmFromCents: 7_500, cutoffHour: 2 }))).toBe('ok');
  });

  it('a PIN set during the first-run setup does not lock the setup itself', async () => {
    await app.value('settings:set-manager-pin', { pin: PIN });
    await app.value('settings:lock');
    expect((await app.value('settings:get')).settingsLocked).toBe(false);
    expect(code(await app.call('settings:update', { confirmFromCents: 8_000 }))).toBe('ok');
    // Once the setup is done, the PIN guards.
    const done = await app.value('settings:update', { storeName: 'Bar Primo', completeFirstRun: true });
    expect(done.settingsLocked).toBe(true);
    expect(code(await app.call('settings:update', { cutoffHour: 5 }))).toBe('SETTINGS_LOCKED');
  });
});
