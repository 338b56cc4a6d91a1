/**
 * A copy of the journal for safe keeping: taken online with SQLite's backup API (a consistent
 * snapshot while sales go on), turned into a single self-contained file (rollback journal
 * mode, no -wal beside it, so it can be carried on a USB stick), then checked: SQLite's
 * quick_check must pass, and the hash chain's verdict is reported with it (a faithful copy of
 * a journal altered before the copy shows the same break; the caller decides what to say).
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { JournalOpenError, JournalWriteError, messageOf, storageFailureOf } from './errors';
import { verifyChainRows, type ChainVerdict } from './hash-chain';
import { prepareStatements } from './statements';

export interface BackupReport {
  /** The copy's size in bytes. */
  bytes: number;
  /** Events in the copy. */
  events: number;
  /** The copy's hash chain, as verify reports it (a journal altered before the copy stays so). */
  chain: ChainVerdict;
}

/** Copies the journal open on `db` to `path` (which must not be in use) and checks the copy. */
export async function backupJournal(db: Database.Database, path: string): Promise<BackupReport> {
  try {
    await db.backup(path);
  } catch (error) {
    // Said as what the disk did (full, read-only, an I/O error), as for a journal write.
    const { failure, sqliteCode } = storageFailureOf(error);
    throw new JournalWriteError(failure, `cannot write the backup ${path}: ${messageOf(error)}`, sqliteCode, {
      cause: error,
    });
  }
  let copy: Database.Database | null = null;
  try {
    copy = new Database(path);
    // The copy carries the WAL mode of its source; a backup is one file on its own. Opened as
    // the journal again (a restore), it goes back to WAL.
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`quick_check: ${String(check)}`);
    const chain = verifyChainRows(prepareStatements(copy).chain.all.iterate());
    // Every row, also past a broken link (the verdict counts only up to it).
    const events = chain.ok
      ? chain.count
      : copy.prepare<[], { n: number }>('SELECT count(*) AS n FROM events').get()?.n;
    return { bytes: statSync(path).size, events: events ?? 0, chain };
  } catch (error) {
    throw new JournalOpenError('CORRUPT', `the backup ${path} does not check out: ${messageOf(error)}`, {
      cause: error,
    });
  } finally {
    copy?.close();
  }
}
