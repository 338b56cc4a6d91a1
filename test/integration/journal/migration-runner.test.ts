import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JournalOpenError, openJournal } from '../../../electron/main/journal/index';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import type { Migration } from '../../../electron/main/journal/migrations/migration';
import { runMigrations } from '../../../electron/main/journal/migrations/runner';
import { open, paidSale, raw, tempPath } from './helpers';

function openError(path: string): JournalOpenError {
  try {
    openJournal({ path }).close();
  } catch (error) {
    if (error instanceof JournalOpenError) return error;
    throw error;
  }
  throw new Error('openJournal did not fail');
}

describe('migration runner', () => {
  it('migrates a new file to the latest version once, and a second run does nothing', () => {
    const db = raw(tempPath());
    expect(runMigrations(db, MIGRATIONS)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(runMigrations(db, MIGRATIONS)).toEqual([]);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // restored after migrating
  });

  it('refuses a journal newer than itself, with a clear error, and leaves the file untouched', () => {
    const path = tempPath();
    open({ path }).close();
    const db = raw(path);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    const before = readFileSync(path);
    const error = openError(path);
    expect(error.failure).toBe('TOO_NEW');
    expect(error.message).toMatch(
      new RegExp(
        `schema version ${MIGRATIONS.length + 1} but this version of the app knows only up to ${MIGRATIONS.length}.*update the app`,
      ),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a SQLite file that belongs to someone else', () => {
    const foreignId = tempPath();
    const a = raw(foreignId);
    a.pragma('application_id = 12345');
    a.exec('CREATE TABLE t (x INTEGER)');
    a.close();
    expect(openError(foreignId)).toMatchObject({ failure: 'NOT_A_JOURNAL' });

    const unversioned = tempPath();
    const b = raw(unversioned);
    b.exec('CREATE TABLE customers (name TEXT)');
    b.close();
    expect(openError(unversioned)).toMatchObject({ failure: 'NOT_A_JOURNAL' });
    const check = raw(unversioned);
    expect(check.prepare(`SELECT name FROM sqlite_schema`).pluck().all()).toEqual(['customers']);
  });

  it('a failing migration is rolled back whole: no new objects, version unchanged', () => {
    const db = raw(tempPath());
    runMigrations(db, MIGRATIONS);
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER) STRICT');
        d.exec('ALTER TABLE sales ADD COLUMN note TEXT');
        throw new Error('disk on fire');
      },
    };
    expect(() => runMigrations(db, [...MIGRATIONS, broken])).toThrow(
      new RegExp(
        `migration ${String(MIGRATIONS.length + 1).padStart(4, '0')}-broken failed and was rolled back: disk on fire`,
      ),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).pluck().get()).toBe(0);
    expect(
      db.prepare(`SELECT count(*) FROM pragma_table_info('sales') WHERE name = 'note'`).pluck().get(),
    ).toBe(0);
  });

  it("a later migration keeps the previous version's data (how each future migration is tested)", () => {
    const path = tempPath();
    const j = open({ path });
    const { sale } = paidSale(j);
    const head = j.verifyChain();
    j.close();
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'sale-notes',
      up(d) {
        d.exec('ALTER TABLE sales ADD COLUMN note TEXT');
      },
    };
    const db = raw(path);
    expect(runMigrations(db, [...MIGRATIONS, next])).toEqual([MIGRATIONS.length + 1]);
    const row = db.prepare('SELECT amount, state, note FROM sales WHERE id = ?').get(sale.id);
    expect(row).toEqual({ amount: 1250, state: 'paid', note: null });
    expect(db.prepare('SELECT hash FROM events ORDER BY seq DESC LIMIT 1').pluck().get()).toBe(
      head.ok ? head.head : 'broken',
    );
  });

  it('rejects a migration list with a gap', () => {
    const db = raw(tempPath());
    const gap: Migration = { version: MIGRATIONS.length + 2, name: 'gap', up: () => undefined };
    expect(() => runMigrations(db, [...MIGRATIONS, gap])).toThrow(/migration list is broken/);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
  });
});
