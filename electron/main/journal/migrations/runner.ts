/**
 * Brings a journal file up to the newest schema. Each version runs in its own IMMEDIATE
 * transaction together with the PRAGMA user_version bump, so a failure leaves the file at
 * the previous version, whole.
 */
import type Database from 'better-sqlite3';
import { JournalOpenError, messageOf } from '../errors';
import type { Migration } from './migration';

/** Stamped in the file header ("DPJL") so the app never migrates somebody else's database. */
export const JOURNAL_APPLICATION_ID = 0x44504a4c;

function assertContiguous(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration list is broken: entry ${i} has version ${m.version}, expected ${i + 1}`);
    }
  });
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses files the app must not touch: a schema newer than `migrations` knows, or a SQLite
 * file that belongs to something else. Read-only; safe before any write.
 */
export function assertMigratable(db: Database.Database, migrations: readonly Migration[]): void {
  const version = schemaVersion(db);
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== 0 && appId !== JOURNAL_APPLICATION_ID) {
    throw new JournalOpenError(
      'NOT_A_JOURNAL',
      `this SQLite file is not a DropPay Cashier journal (application_id ${appId}); refusing to touch it`,
    );
  }
  if (version > migrations.length) {
    throw new JournalOpenError(
      'TOO_NEW',
      `the journal has schema version ${version} but this version of the app knows only up to ${migrations.length}; ` +
        'it was written by a newer DropPay Cashier, so it is left untouched: update the app',
    );
  }
  if (version === 0) {
    const objects = db
      .prepare(`SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`)
      .pluck()
      .get() as number;
    if (objects > 0) {
      throw new JournalOpenError(
        'NOT_A_JOURNAL',
        'this SQLite file already holds tables but no journal schema version; refusing to touch it',
      );
    }
  }
}

/**
 * Applies the pending migrations up to `to` (default: all). Returns the versions applied.
 * Foreign keys are switched off meanwhile, as SQLite advises for schema changes that rebuild
 * tables, and checked with foreign_key_check before each commit instead.
 */
export function runMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  to: number = migrations.length,
): number[] {
  assertContiguous(migrations);
  assertMigratable(db, migrations);
  const from = schemaVersion(db);
  const pending = migrations.filter((m) => m.version > from && m.version <= to);
  if (pending.length === 0) return [];

  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of pending) {
      const apply = db.transaction(() => {
        if (m.version === 1) db.pragma(`application_id = ${JOURNAL_APPLICATION_ID}`);
        m.up(db);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0)
          throw new Error(
            `foreign key violations after migration: ${JSON.stringify(violations.slice(0, 5))}`,
          );
        // Integer from our own list, not user input: safe to interpolate (PRAGMA takes no parameters).
        db.pragma(`user_version = ${m.version}`);
      });
      try {
        apply.immediate();
      } catch (error) {
        throw new JournalOpenError(
          'MIGRATION',
          `migration ${String(m.version).padStart(4, '0')}-${m.name} failed and was rolled back: ${messageOf(error)}`,
          { cause: error },
        );
      }
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  // A migration that rebuilds a table writes the whole table to the WAL, and SQLite keeps a
  // WAL file at its largest size: move it into the database now and cut it back to nothing.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return pending.map((m) => m.version);
}
