import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../electron/main/journal';
import { openJournalDatabase } from '../../../electron/main/journal/connection';
import { createJournal } from '../../../electron/main/journal/journal';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import { runMigrations } from '../../../electron/main/journal/migrations/runner';
import { buildDayReport, closeDay } from '../../../electron/main/reconciliation';
import { chargedSale, clock, tempDir } from './harness';
import { markDayChecked } from '../../support/checked-day';

const objects = (db: Database.Database, type: string): string[] =>
  db
    .prepare<[string], string>(
      `SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .pluck()
    .all(type);

describe('migration 0002-reconciliation', () => {
  it('on an empty journal: STRICT tables, immutability triggers, day indexes', () => {
    const db = new Database(`${tempDir()}/j.sqlite`);
    runMigrations(db, MIGRATIONS, 2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(objects(db, 'table')).toEqual(
      expect.arrayContaining(['day_closures', 'recon_check_runs', 'recon_checks']),
    );
    const strict = db
      .prepare<[], { name: string; strict: number }>(
        `SELECT name, strict FROM pragma_table_list WHERE name IN ('day_closures', 'recon_checks', 'recon_check_runs')`,
      )
      .all();
    expect(strict.every((t) => t.strict === 1)).toBe(true);
    expect(objects(db, 'trigger')).toEqual(
      expect.arrayContaining(['day_closures_chain_link', 'day_closures_no_delete', 'day_closures_no_update']),
    );
    expect(objects(db, 'index')).toEqual(
      expect.arrayContaining([
        'charges_by_day',
        'charges_by_day_seq',
        'refunds_by_day',
        'refunds_by_day_seq',
        'sales_by_day_policy',
      ]),
    );
    // STRICT and CHECKs refuse what a closure must never hold.
    expect(() =>
      db
        .prepare(
          `INSERT INTO day_closures VALUES (1, '2026-05-04', 'Europe/Rome', 0, 1, 100, 0, 0, 0, 100, 0, 0, 1, 0,
            '${'0'.repeat(64)}', '{}', '2026-05-04T19:00:00.000Z', NULL, '${'0'.repeat(64)}', '${'a'.repeat(64)}')`,
        )
        .run(),
    ).toThrow(/CHECK constraint failed/); // unsettled without a reason
    expect(() =>
      db
        .prepare(
          `INSERT INTO day_closures VALUES (1, '2026-05-04', 'Europe/Rome', 0, 1, 100, 0, 0, 0, 99, 0, 0, 0, 0,
            '${'0'.repeat(64)}', '{}', '2026-05-04T19:00:00.000Z', NULL, '${'0'.repeat(64)}', '${'a'.repeat(64)}')`,
        )
        .run(),
    ).toThrow(/CHECK constraint failed/); // net is not charged - refunded
    db.close();
  });

  it('on a version-1 journal with data: rows and chain untouched, then the day reports and closes', () => {
    const path = `${tempDir()}/journal.sqlite`;
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    runMigrations(db, MIGRATIONS, 1);
    db.close();
    // A journal at version 1 written by the version-1 code path: open it pinned to 0001.
    const c = clock();
    const pinned = openJournalAt1(path, c.now);
    chargedSale(pinned.journal, 2500, 'DONE');
    const before = pinned.journal.verifyChain();
    pinned.journal.close();
    const j = openJournal({ path, now: c.now });
    try {
      expect(j.verifyChain()).toEqual(before);
      expect(buildDayReport(j, '2026-05-04').totals.chargedCents).toBe(2500);
      markDayChecked(path, '2026-05-04');
      expect(closeDay(j, '2026-05-04', { now: c.now }).closure.seq).toBe(1);
    } finally {
      j.close();
    }
  });
});

function openJournalAt1(path: string, now: () => Date) {
  const db = openJournalDatabase({ path, migrations: MIGRATIONS.slice(0, 1) });
  return { journal: createJournal(db, { now }) };
}
