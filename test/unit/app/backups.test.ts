/**
 * Copies of the journal: a real journal file, a real folder, a settable clock for the days.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackups } from '../../../electron/main/app/backups';
import { backupLabelFor } from '../../../electron/main/app/target';
import { AppFailure } from '../../../electron/main/app/errors';
import { JournalWriteError, openJournal, type Journal } from '../../../electron/main/journal/index';
import { tamperEvent } from '../../support/journal-file';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

function rig(options: { keep?: number; folder?: string | null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-backups-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  let at = new Date('2026-12-02T10:00:00Z');
  const journal: Journal = openJournal({ path: join(dir, 'journal.sqlite'), now: () => at });
  cleanups.push(() => journal.close());
  const logs: string[] = [];
  let chosen: string | null = options.folder ?? null;
  let source = { journal, label: 'production' };
  const backups = createBackups({
    chosenFolder: () => chosen,
    defaultFolder: join(dir, 'backups'),
    source: () => source,
    ...(options.keep === undefined ? {} : { keep: options.keep }),
    now: () => at,
    log: (line) => logs.push(line),
  });
  return {
    dir,
    journal,
    backups,
    logs,
    setDay: (iso: string) => (at = new Date(`${iso}T10:00:00Z`)),
    choose: (folder: string | null) => (chosen = folder),
    /** An environment switch: another journal, another label. */
    switchTo: (next: { journal: Journal; label: string }) => (source = next),
  };
}

describe('journal backups', () => {
  it("writes today's copy: one self-contained file that opens as a journal with every event", async () => {
    const r = rig();
    r.journal.createSale({ amount: 1250, description: 'Caffè' });
    r.journal.createSale({ amount: 300, description: 'Acqua' });
    const status = await r.backups.backupNow();
    const file = join(r.dir, 'backups', 'journal-production-2026-12-02.sqlite');
    expect(status).toMatchObject({
      folder: join(r.dir, 'backups'),
      defaultFolder: true,
      last: { file, day: '2026-12-02', events: 2, chainBrokenAt: null },
      failure: null,
    });
    // No -wal beside it, no leftover temporary file: the one file is the whole journal.
    expect(readdirSync(join(r.dir, 'backups'))).toEqual(['journal-production-2026-12-02.sqlite']);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('delete');
    raw.close();
    // Restored (opened as the journal), it is the journal as it was.
    const copy = openJournal({ path: file });
    expect(copy.verifyChain()).toMatchObject({ ok: true, count: 2 });
    expect(copy.listSales().total).toBe(2);
    copy.close();
  });

  it('a copy and the default folder it creates are for the owner only', async () => {
    const r = rig();
    const status = await r.backups.backupNow();
    expect(statSync(status.last?.file ?? '').mode & 0o777).toBe(0o600);
    expect(statSync(join(r.dir, 'backups')).mode & 0o777).toBe(0o700);
  });

  it('a chosen folder that is not there is a failure, never made on the till’s disk', async () => {
    const r = rig();
    const chosen = join(r.dir, 'stick', 'copies');
    r.choose(chosen);
    await expect(r.backups.backupNow()).rejects.toMatchObject({
      code: 'STORAGE',
      detail: { key: 'backup.folderUnavailable', params: { folder: chosen } },
    });
    expect(existsSync(join(r.dir, 'stick'))).toBe(false);
    // Refused when chosen, too: missing, a file, or not a full path, each said as such.
    await expect(r.backups.validateFolder(chosen)).rejects.toMatchObject({
      code: 'VALIDATION',
      detail: { key: 'backup.folderMissing' },
    });
    writeFileSync(join(r.dir, 'stick'), 'a file');
    await expect(r.backups.validateFolder(join(r.dir, 'stick'))).rejects.toMatchObject({
      detail: { key: 'backup.folderIsFile' },
    });
    await expect(r.backups.validateFolder('stick')).rejects.toMatchObject({
      detail: { key: 'backup.folderNotAbsolute' },
    });
    await expect(r.backups.validateFolder(r.dir)).resolves.toBeUndefined();
    await expect(r.backups.validateFolder(null)).resolves.toBeUndefined();
  });

  it('one copy a day, the latest; the newest `keep` days kept, nothing else in the folder touched', async () => {
    const r = rig({ keep: 3 });
    writeFileSync(join(r.dir, 'notes.txt'), 'mine');
    r.choose(r.dir);
    for (const day of ['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01']) {
      r.setDay(day);
      r.journal.createSale({ amount: 100, description: day });
      await r.backups.backupNow();
    }
    r.journal.createSale({ amount: 100, description: 'again' });
    const again = await r.backups.backupNow();
    expect(again.last?.events).toBe(5);
    expect(
      readdirSync(r.dir)
        .filter((f) => f.startsWith('journal-production'))
        .sort(),
    ).toEqual([
      'journal-production-2026-11-29.sqlite',
      'journal-production-2026-11-30.sqlite',
      'journal-production-2026-12-01.sqlite',
    ]);
    expect(existsSync(join(r.dir, 'notes.txt'))).toBe(true);
    expect(existsSync(join(r.dir, 'journal.sqlite'))).toBe(true);
  });

  it('ensureToday writes only when the day has no copy; a later run finds the copy on disk', async () => {
    const r = rig();
    r.journal.createSale({ amount: 100, description: 'x' });
    await r.backups.ensureToday();
    const first = (await r.backups.status()).last;
    expect(first?.events).toBe(1);
    r.journal.createSale({ amount: 100, description: 'y' });
    await r.backups.ensureToday();
    expect((await r.backups.status()).last).toEqual(first);
    // A new run: what is in the folder is shown, with no event count it did not read.
    const later = createBackups({
      chosenFolder: () => null,
      defaultFolder: join(r.dir, 'backups'),
      source: () => ({ journal: r.journal, label: 'production' }),
      log: () => undefined,
    });
    expect((await later.status()).last).toMatchObject({ file: first?.file, day: '2026-12-02', events: null });
  });

  it('a folder that cannot be written: a clear failure in the status, then cleared by the next copy', async () => {
    const r = rig();
    const blocker = join(r.dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    r.choose(join(blocker, 'backups'));
    const failed = await r.backups.backupNow().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AppFailure);
    expect((failed as AppFailure).detail).toEqual({
      key: 'backup.folderUnavailable',
      params: { folder: join(blocker, 'backups') },
    });
    expect((await r.backups.status()).failure).toMatchObject({ detail: { key: 'backup.folderUnavailable' } });
    // ensureToday keeps the failure in the status instead of throwing.
    await expect(r.backups.ensureToday()).resolves.toBeUndefined();
    expect(r.logs.some((l) => l.startsWith('backup failed'))).toBe(true);

    r.choose(null);
    const fixed = await r.backups.backupNow();
    expect(fixed.failure).toBeNull();
    expect(fixed.last?.events).toBe(0);
  });

  it('a journal altered outside the till: the copy is kept, faithful, and the broken link is said', async () => {
    const r = rig();
    for (const d of ['a', 'b', 'c']) r.journal.createSale({ amount: 100, description: d });
    r.journal.close();
    tamperEvent(join(r.dir, 'journal.sqlite'), 2, 'at', '2026-12-02T09:00:00.000Z');
    const reopened = openJournal({
      path: join(r.dir, 'journal.sqlite'),
      now: () => new Date('2026-12-02T10:00:00Z'),
    });
    cleanups.push(() => reopened.close());
    r.switchTo({ journal: reopened, label: 'production' });
    const status = await r.backups.backupNow();
    expect(status.last).toMatchObject({ events: 3, chainBrokenAt: 2 });
    expect(status.failure).toBeNull();
    expect(r.logs.some((l) => /hash chain is broken at event 2/.test(l))).toBe(true);
    // The copy shows the same break: it is evidence, not a repair.
    const copy = openJournal({ path: status.last?.file ?? '' });
    expect(copy.verifyChain()).toMatchObject({ ok: false, brokenAtSeq: 2 });
    copy.close();
  });

  it('a folder that cannot be written to (here /proc): said as such, not as a generic failure', async () => {
    const r = rig({ folder: '/proc' });
    const failed = await r.backups.backupNow().catch((e: unknown) => e);
    expect((failed as AppFailure).detail).toEqual({ key: 'backup.notWritable', params: { folder: '/proc' } });
    expect((await r.backups.status()).failure).toMatchObject({ detail: { key: 'backup.notWritable' } });
  });

  it('a full disk is said as such, and leaves no partial file', async () => {
    const r = rig();
    // The disk itself cannot be filled here: the journal's copy reports what SQLite said.
    r.journal.backup = () =>
      Promise.reject(new JournalWriteError('FULL', 'database or disk is full', 'SQLITE_FULL'));
    const failed = await r.backups.backupNow().catch((e: unknown) => e);
    expect((failed as AppFailure).detail).toEqual({
      key: 'backup.diskFull',
      params: { folder: join(r.dir, 'backups') },
    });
    expect(readdirSync(join(r.dir, 'backups'))).toEqual([]);
  });

  it('the journal copy names what the disk did: a full device is FULL', async () => {
    const r = rig();
    await expect(r.journal.backup('/dev/full')).rejects.toMatchObject({
      name: 'JournalWriteError',
      failure: 'FULL',
      sqliteCode: 'SQLITE_FULL',
    });
  });

  it('a failure belongs to its environment: another one’s copies are not reported failing', async () => {
    const r = rig({ folder: '/proc' });
    await r.backups.backupNow().catch(() => undefined);
    expect(r.backups.failure()).toMatchObject({ detail: { key: 'backup.notWritable' } });
    const sandbox = openJournal({ path: join(r.dir, 'sandbox.sqlite') });
    cleanups.push(() => sandbox.close());
    r.switchTo({ journal: sandbox, label: 'sandbox' });
    expect(r.backups.failure()).toBeNull();
    expect((await r.backups.status()).failure).toBeNull();
    r.switchTo({ journal: r.journal, label: 'production' });
    expect(r.backups.failure()).toMatchObject({ detail: { key: 'backup.notWritable' } });
  });

  it('each environment keeps its own copies; a custom one is named with its host', async () => {
    expect(backupLabelFor({ environment: 'production' })).toBe('production');
    expect(backupLabelFor({ environment: 'custom', baseUrl: 'https://sandbox.drop-pay.io:8443/x' })).toBe(
      'custom-sandbox.drop-pay.io_8443',
    );
    const r = rig({ keep: 1 });
    mkdirSync(join(r.dir, 'copies'));
    r.choose(join(r.dir, 'copies'));
    await r.backups.backupNow();
    // A copy of another environment in the same folder is not this one's to rotate away.
    const other = join(r.dir, 'copies', 'journal-custom-sandbox.drop-pay.io_8443-2026-11-01.sqlite');
    writeFileSync(other, 'x');
    r.setDay('2026-12-03');
    await r.backups.backupNow();
    expect(readdirSync(join(r.dir, 'copies')).sort()).toEqual([
      'journal-custom-sandbox.drop-pay.io_8443-2026-11-01.sqlite',
      'journal-production-2026-12-03.sqlite',
    ]);
  });

  it('after an environment switch the status shows that environment’s copy, not the last one written', async () => {
    const r = rig();
    r.journal.createSale({ amount: 100, description: 'real' });
    const production = await r.backups.backupNow();
    const sandbox = openJournal({ path: join(r.dir, 'sandbox.sqlite') });
    cleanups.push(() => sandbox.close());
    r.switchTo({ journal: sandbox, label: 'sandbox' });
    expect((await r.backups.status()).last).toBeNull();
    const copied = await r.backups.backupNow();
    expect(copied.last).toMatchObject({
      file: join(r.dir, 'backups', 'journal-sandbox-2026-12-02.sqlite'),
      events: 0,
    });
    r.switchTo({ journal: r.journal, label: 'production' });
    expect((await r.backups.status()).last).toEqual(production.last);
  });
});
