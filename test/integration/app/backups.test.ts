import Database from 'better-sqlite3';
/**
 * Copies of the journal through the IPC channels, on the real runtime: the embedded sandbox,
 * real journal files, the real keychain. A copy is opened again as a journal and compared.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJournal } from '../../../electron/main/journal/index';
import { eventually, grant, startApp, type TestApp } from './harness';

let app: TestApp;
let elsewhere: string;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  elsewhere = mkdtempSync(join(tmpdir(), 'droppay-usb-'));
});
afterAll(async () => {
  await app.close();
  rmSync(elsewhere, { recursive: true, force: true });
});

const today = (): string => app.runtime.journal.businessDay();

describe('journal backups over IPC', () => {
  it('the till starts by copying a day that has none, into the data folder', async () => {
    await eventually(async () => (await app.runtime.backups.status()).last ?? undefined);
    const status = await app.value('backup:status');
    expect(status).toMatchObject({
      folder: join(app.dataDir, 'backups'),
      defaultFolder: true,
      keep: 30,
      failure: null,
      last: { day: today(), file: join(app.dataDir, 'backups', `journal-sandbox-${today()}.sqlite`) },
    });
  });

  it('backup:now copies the sales as they are: the copy opens as a journal with the same sales and chain', async () => {
    const started = await app.value('sale:start', { amount: 1890, description: 'Pranzo' });
    await grant(app.runtime.sandbox?.baseUrl ?? '', started.authorizationId ?? '');
    await eventually(() => (app.runtime.journal.getSale(started.id)?.state === 'paid' ? true : undefined));
    const status = await app.value('backup:now');
    const file = status.last?.file ?? '';
    expect(status.last?.events).toBe(app.runtime.journal.verifyChain().count);
    const copy = openJournal({ path: file });
    try {
      expect(copy.verifyChain()).toMatchObject({ ok: true, count: status.last?.events });
      expect(copy.getSale(started.id)).toMatchObject({ state: 'paid', amount: 1890 });
    } finally {
      copy.close();
    }
  });

  it('another folder (a USB stick): a full path is required, copies go there, and its loss is reported', async () => {
    const relative = await app.call('backup:set-folder', { folder: 'usb/till' });
    expect(relative.ok ? null : relative.error).toMatchObject({
      code: 'VALIDATION',
      detail: { key: 'backup.folderNotAbsolute' },
    });
    // A folder that is not there is refused, and not made: a typo, or a stick not plugged in,
    // must not put the "other disk" copies on the till's own.
    const missing = join(elsewhere, 'not-plugged', 'till');
    const absent = await app.call('backup:set-folder', { folder: missing });
    expect(absent.ok ? null : absent.error).toMatchObject({
      code: 'VALIDATION',
      detail: { key: 'backup.folderMissing', params: { folder: missing } },
    });
    expect(existsSync(join(elsewhere, 'not-plugged'))).toBe(false);
    const aFile = join(elsewhere, 'notes.txt');
    writeFileSync(aFile, 'not a folder');
    const file = await app.call('backup:set-folder', { folder: aFile });
    expect(file.ok ? null : file.error).toMatchObject({
      code: 'VALIDATION',
      detail: { key: 'backup.folderIsFile', params: { folder: aFile } },
    });
    rmSync(aFile);
    expect((await app.value('backup:status')).defaultFolder).toBe(true);
    const set = await app.value('backup:set-folder', { folder: elsewhere });
    expect(set).toMatchObject({ folder: elsewhere, defaultFolder: false });
    const copied = await app.value('backup:now');
    expect(copied.last?.file).toBe(join(elsewhere, `journal-sandbox-${today()}.sqlite`));
    expect(readdirSync(elsewhere)).toEqual([`journal-sandbox-${today()}.sqlite`]);

    // The stick is pulled out (its mount point is a plain file now): a clear failure, kept.
    rmSync(elsewhere, { recursive: true, force: true });
    writeFileSync(elsewhere, 'unplugged');
    const unplugged = await app.call('backup:now');
    expect(unplugged.ok ? null : unplugged.error).toMatchObject({
      code: 'STORAGE',
      detail: { key: 'backup.folderUnavailable', params: { folder: elsewhere } },
    });
    expect((await app.value('backup:status')).failure).toMatchObject({
      detail: { key: 'backup.folderUnavailable' },
    });
    // Told on the status bar at once: a status event, and app:status, carry when it failed.
    const failedAt = (await app.value('backup:status')).failure?.at;
    expect((await app.value('app:status')).backupFailedAt).toBe(failedAt);
    await eventually(() =>
      app.events.some(
        (e) =>
          e.event === 'status' &&
          (e.payload as { backupFailedAt: string | null }).backupFailedAt === failedAt,
      )
        ? true
        : undefined,
    );
    rmSync(elsewhere, { force: true });
    // Gone altogether: still a failure, and the folder is not made again on the till's disk.
    const gone = await app.call('backup:now');
    expect(gone.ok ? null : gone.error).toMatchObject({
      code: 'STORAGE',
      detail: { key: 'backup.folderUnavailable', params: { folder: elsewhere } },
    });
    expect(existsSync(elsewhere)).toBe(false);

    // Back to the data folder: the old folder's failure is not this one's, and goes at once.
    const back = await app.value('backup:set-folder', { folder: null });
    expect(back).toMatchObject({ folder: join(app.dataDir, 'backups'), defaultFolder: true, failure: null });
    expect((await app.value('app:status')).backupFailedAt).toBeNull();
    expect((await app.value('backup:now')).failure).toBeNull();
    expect((await app.value('app:status')).backupFailedAt).toBeNull();
  });

  it('closing a day copies the journal', async () => {
    const file = join(app.dataDir, 'backups', `journal-sandbox-${today()}.sqlite`);
    rmSync(file, { force: true });
    await app.value('day:close', { day: today(), forceReason: 'prova delle copie' });
    await eventually(() => (existsSync(file) ? true : undefined));
    const copy = openJournal({ path: file });
    try {
      expect(copy.verifyChain().ok).toBe(true);
    } finally {
      copy.close();
    }
    // Taken after the close: the closure is in the copy.
    const raw = new Database(file, { readonly: true });
    try {
      const closures = raw.prepare('SELECT count(*) FROM day_closures WHERE business_day = ?').pluck();
      expect(closures.get(today())).toBe(1);
    } finally {
      raw.close();
    }
  });
});
