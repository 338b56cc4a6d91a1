/**
 * Reconciliation's own connection to the journal file. The journal's API is built for the
 * payments flow (one row at a time); a day's report over a long journal needs set-based SQL,
 * and closing a day must read the rows and write the closure in one transaction. So this
 * module opens a second connection to the same file: WAL lets it read while the journal
 * writes, and an IMMEDIATE transaction serialises it with the journal's writers.
 * It only ever writes its own tables (migration 0002).
 */
import Database from 'better-sqlite3';
import type { Journal } from '../journal';
import { assertCutoffHour, assertTimeZone } from '../journal/business-day';
import { DEFAULT_BUSY_TIMEOUT_MS } from '../journal/connection';
import { LATEST_VERSION } from '../journal/migrations/index';
import { JOURNAL_APPLICATION_ID } from '../journal/migrations/runner';
import { ReconciliationError } from './errors';

/** The journal's settings keys (see app/settings-store.ts), read by the command line. */
const SETTING_TIME_ZONE = 'business.time_zone';
const SETTING_CUTOFF_HOUR = 'business.cutoff_hour';
const SETTING_STORE_NAME = 'store.name';

export interface DayBook {
  readonly db: Database.Database;
  readonly path: string;
  readonly timeZone: string;
  readonly cutoffHour: number;
  readonly readOnly: boolean;
  /** False for a read-only look at a journal the app has not yet migrated to version 2. */
  readonly hasReconTables: boolean;
  /** The store name from the settings, or null when none was set. */
  storeName(): string | null;
  close(): void;
}

export interface OpenFileOptions {
  path: string;
  /** Default true: the command line never writes. */
  readOnly?: boolean;
  /** Default: the journal's own setting, else Europe/Rome. */
  timeZone?: string;
  /** Default: the journal's own setting, else 0. */
  cutoffHour?: number;
}

export type BookSource = Journal | DayBook;

export function isDayBook(source: BookSource): source is DayBook {
  return 'db' in source;
}

function setting(db: Database.Database, key: string): string | null {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key);
  return row === undefined || row.value === '' ? null : row.value;
}

function makeBook(
  db: Database.Database,
  rule: { timeZone: string; cutoffHour: number },
  readOnly: boolean,
): DayBook {
  const version = db.pragma('user_version', { simple: true }) as number;
  return {
    db,
    path: db.name,
    timeZone: rule.timeZone,
    cutoffHour: rule.cutoffHour,
    readOnly,
    hasReconTables: version >= 2,
    storeName: () => setting(db, SETTING_STORE_NAME),
    close: () => {
      if (db.open) db.close();
    },
  };
}

function connect(path: string, readOnly: boolean): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: readOnly, fileMustExist: true });
  } catch (error) {
    throw new ReconciliationError('CANNOT_OPEN', `cannot open the journal ${path}: ${String(error)}`);
  }
  try {
    db.pragma(`busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== JOURNAL_APPLICATION_ID || version < 1) {
      throw new ReconciliationError('NOT_A_JOURNAL', `${path} is not a DropPay Cashier journal`);
    }
    if (version > LATEST_VERSION) {
      throw new ReconciliationError(
        'TOO_NEW',
        `${path} has schema version ${version}; this version knows up to ${LATEST_VERSION}: update the app`,
      );
    }
    if (!readOnly) {
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** A second connection next to an open journal, with its business-day rule. */
export function openDayBook(journal: Journal, options: { readOnly?: boolean } = {}): DayBook {
  const readOnly = options.readOnly ?? false;
  return makeBook(connect(journal.path, readOnly), journal, readOnly);
}

/** A journal file on its own (the command line): read-only unless asked otherwise. */
export function openDayBookFile(options: OpenFileOptions): DayBook {
  const readOnly = options.readOnly ?? true;
  const db = connect(options.path, readOnly);
  try {
    const timeZone = options.timeZone ?? setting(db, SETTING_TIME_ZONE) ?? 'Europe/Rome';
    const storedCutoff = setting(db, SETTING_CUTOFF_HOUR);
    const cutoffHour =
      options.cutoffHour ?? (storedCutoff !== null && /^\d+$/.test(storedCutoff) ? Number(storedCutoff) : 0);
    assertTimeZone(timeZone);
    assertCutoffHour(cutoffHour);
    return makeBook(db, { timeZone, cutoffHour }, readOnly);
  } catch (error) {
    db.close();
    if (error instanceof ReconciliationError) throw error;
    throw new ReconciliationError('INVALID_OPTIONS', String(error));
  }
}

/** Runs `fn` on the source's book, opening (and closing) one for a Journal. */
export function withBook<T>(source: BookSource, readOnly: boolean, fn: (book: DayBook) => T): T {
  if (isDayBook(source)) return fn(source);
  const book = openDayBook(source, { readOnly });
  try {
    return fn(book);
  } finally {
    book.close();
  }
}

export async function withBookAsync<T>(
  source: BookSource,
  readOnly: boolean,
  fn: (book: DayBook) => Promise<T>,
): Promise<T> {
  if (isDayBook(source)) return fn(source);
  const book = openDayBook(source, { readOnly });
  try {
    return await fn(book);
  } finally {
    book.close();
  }
}
