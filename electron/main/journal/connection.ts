/**
 * Opens the journal file the one safe way: look before writing (quick_check, whose file it
 * is, which schema), then set the durability pragmas, migrate, and read the pragmas back,
 * because SQLite ignores some of them silently (an in-memory or network file stays out of WAL).
 */
import Database from 'better-sqlite3';
import { JournalOpenError, messageOf, storageFailureOf } from './errors';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';
import { assertMigratable, runMigrations, schemaVersion } from './migrations/runner';

export interface DatabaseOptions {
  path: string;
  /** Opens without write access: every record* call then fails with a JournalWriteError. */
  readOnly?: boolean;
  /** How long a writer waits for another connection's lock before giving up. */
  busyTimeoutMs?: number;
  /** Only tests pass their own list. */
  migrations?: readonly Migration[];
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface PragmaReport {
  journalMode: string;
  synchronous: number;
  foreignKeys: number;
  busyTimeout: number;
  userVersion: number;
}

export function readPragmas(db: Database.Database): PragmaReport {
  return {
    journalMode: String(db.pragma('journal_mode', { simple: true })).toLowerCase(),
    synchronous: db.pragma('synchronous', { simple: true }) as number,
    foreignKeys: db.pragma('foreign_keys', { simple: true }) as number,
    busyTimeout: db.pragma('busy_timeout', { simple: true }) as number,
    userVersion: schemaVersion(db),
  };
}

/** Throws a JournalOpenError('PRAGMA') naming every setting that did not take. */
export function verifyPragmas(
  db: Database.Database,
  busyTimeoutMs: number,
  expectedVersion: number,
): PragmaReport {
  const got = readPragmas(db);
  const wrong: string[] = [];
  // WAL + synchronous=FULL: every commit is fsynced to the WAL before record* returns, so a
  // power cut after a recorded intent cannot lose it (NORMAL could lose the last commits).
  if (got.journalMode !== 'wal') wrong.push(`journal_mode is "${got.journalMode}", expected "wal"`);
  if (got.synchronous !== 2) wrong.push(`synchronous is ${got.synchronous}, expected 2 (FULL)`);
  if (got.foreignKeys !== 1) wrong.push(`foreign_keys is ${got.foreignKeys}, expected 1 (ON)`);
  if (got.busyTimeout !== busyTimeoutMs)
    wrong.push(`busy_timeout is ${got.busyTimeout}, expected ${busyTimeoutMs}`);
  if (got.userVersion !== expectedVersion)
    wrong.push(`schema version is ${got.userVersion}, expected ${expectedVersion}`);
  if (wrong.length > 0) {
    throw new JournalOpenError('PRAGMA', `the journal's safety settings did not take: ${wrong.join('; ')}`);
  }
  return got;
}

function quickCheck(db: Database.Database, path: string): void {
  let rows: unknown[];
  try {
    rows = db.pragma('quick_check') as unknown[];
  } catch (error) {
    const { failure } = storageFailureOf(error);
    if (failure === 'CORRUPT') {
      throw new JournalOpenError(
        'CORRUPT',
        `the journal file ${path} is damaged or not a database (${messageOf(error)}); it was left untouched`,
        {
          cause: error,
        },
      );
    }
    throw new JournalOpenError('CANNOT_OPEN', `cannot read the journal file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  const problems = rows.map((r) => String(Object.values(r as Record<string, unknown>)[0]));
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new JournalOpenError(
      'CORRUPT',
      `the journal file ${path} failed its integrity check and was left untouched: ${problems.slice(0, 5).join('; ')}`,
    );
  }
}

/** Opens, checks, configures and migrates the journal file; closes it again on any failure. */
export function openJournalDatabase(options: DatabaseOptions): Database.Database {
  const {
    path,
    readOnly = false,
    busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
    migrations = MIGRATIONS,
  } = options;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new JournalOpenError(
      'INVALID_OPTIONS',
      `busyTimeoutMs must be a whole number of milliseconds, got ${busyTimeoutMs}`,
    );
  }
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: readOnly, fileMustExist: readOnly });
  } catch (error) {
    throw new JournalOpenError('CANNOT_OPEN', `cannot open the journal file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // Nothing below writes until the file has proved to be a healthy journal we may touch.
    quickCheck(db, path);
    assertMigratable(db, migrations);
    if (!readOnly) {
      db.pragma('journal_mode = WAL');
    }
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (!readOnly) runMigrations(db, migrations);
    verifyPragmas(db, busyTimeoutMs, migrations.length);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof JournalOpenError) throw error;
    const { failure } = storageFailureOf(error);
    throw new JournalOpenError(
      failure === 'CORRUPT' ? 'CORRUPT' : 'CANNOT_OPEN',
      `cannot open the journal ${path}: ${messageOf(error)}`,
      {
        cause: error,
      },
    );
  }
}
