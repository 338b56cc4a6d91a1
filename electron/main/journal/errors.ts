/**
 * Errors thrown by the journal. Every `record*` method either commits everything it was
 * asked to record or throws one of these and leaves the file exactly as it was; the payments
 * layer relies on that to send nothing to DropPay when the intent could not be recorded.
 */
import Database from 'better-sqlite3';

/** Why opening the journal failed. Each one means the file was left untouched. */
export type JournalOpenFailure =
  | 'INVALID_OPTIONS' // timeZone or cutoffHour make no sense
  | 'CANNOT_OPEN' // SQLite could not open the file (missing folder, permissions)
  | 'CORRUPT' // quick_check failed or the file is not a SQLite database
  | 'NOT_A_JOURNAL' // a SQLite database, but someone else's
  | 'TOO_NEW' // written by a newer version of the app
  | 'PRAGMA' // a durability setting did not take
  | 'MIGRATION'; // a migration failed and was rolled back

/** Why a write or a read hit the storage layer and failed. */
export type JournalStorageFailure =
  'READONLY' | 'FULL' | 'IO' | 'BUSY' | 'CORRUPT' | 'CONSTRAINT' | 'CLOSED' | 'OTHER';

export class JournalError extends Error {
  override readonly name: string = 'JournalError';
  /** The journal file, when the error was met opening it (set by openJournal). */
  journalPath?: string;
}

export class JournalOpenError extends JournalError {
  override readonly name = 'JournalOpenError';
  constructor(
    readonly failure: JournalOpenFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The storage refused the write; nothing of it was kept. */
export class JournalWriteError extends JournalError {
  override readonly name = 'JournalWriteError';
  constructor(
    readonly failure: JournalStorageFailure,
    message: string,
    readonly sqliteCode: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The storage could not be read (closed handle, I/O error). */
export class JournalReadError extends JournalError {
  override readonly name = 'JournalReadError';
  constructor(
    readonly failure: JournalStorageFailure,
    message: string,
    readonly sqliteCode: string | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The caller passed something the journal will not record (bad amount, secret-like key...). */
export class JournalValidationError extends JournalError {
  override readonly name = 'JournalValidationError';
}

/** The record asked for contradicts what the journal already holds (e.g. a paid sale going back to waiting). */
export class JournalStateError extends JournalError {
  override readonly name = 'JournalStateError';
}

/** What a journal id names. */
export type JournalRecordKind = 'sale' | 'charge' | 'refund';

/** No sale, charge or refund with that id. */
export class JournalNotFoundError extends JournalError {
  override readonly name = 'JournalNotFoundError';
  constructor(
    readonly what: JournalRecordKind,
    readonly id: string,
  ) {
    super(`no ${what} ${id}`);
  }
}

/** Maps an SQLite error code (SQLITE_FULL, SQLITE_IOERR_WRITE...) to a storage failure. */
export function storageFailureOf(error: unknown): {
  failure: JournalStorageFailure;
  sqliteCode: string | null;
} {
  if (error instanceof Database.SqliteError) {
    const code = error.code;
    const failure: JournalStorageFailure = code.startsWith('SQLITE_READONLY')
      ? 'READONLY'
      : code.startsWith('SQLITE_FULL')
        ? 'FULL'
        : code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN'
          ? 'IO'
          : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')
            ? 'BUSY'
            : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
              ? 'CORRUPT'
              : code.startsWith('SQLITE_CONSTRAINT')
                ? 'CONSTRAINT'
                : 'OTHER';
    return { failure, sqliteCode: code };
  }
  // better-sqlite3 throws a plain TypeError for any use of a closed handle.
  if (error instanceof TypeError && /database connection is not open/i.test(error.message)) {
    return { failure: 'CLOSED', sqliteCode: null };
  }
  return { failure: 'OTHER', sqliteCode: null };
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
