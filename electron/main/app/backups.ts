/**
 * Copies of the sales journal for safe keeping, one per business day and environment
 * (`journal-<environment>-<YYYY-MM-DD>.sqlite`, a custom one named with its host too; the
 * day's latest copy), the newest `keep`
 * days kept. Taken when the till starts on a day without one, after each day is closed, and
 * on request. A copy is written under a temporary name and renamed only once it has been
 * opened again and checked, so a file with the final name is always a whole journal. The
 * folder may be on another disk (a USB stick, a network share): then a broken disk does not
 * take the sales with it. The journal holds no secret, so neither does a copy. The folder is
 * only ever touched asynchronously: a network share that hangs holds up the copy, not the till.
 */
import { constants } from 'node:fs';
import { access, chmod, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { BackupStatus } from '../../../shared/backup';
import type { ErrorDetail } from '../../../shared/result';
import { JournalOpenError, JournalWriteError, type Journal } from '../journal';
import { AppFailure, toAppError } from './errors';

/** Daily copies kept in the folder. */
export const BACKUP_KEEP_DAYS = 30;

export interface BackupDeps {
  /** The folder chosen in the settings, or null for the default. */
  chosenFolder(): string | null;
  /** `backups` inside the data folder. */
  defaultFolder: string;
  /** The journal of the environment in use, and the name its copies carry (backupLabelFor). */
  source(): { journal: Journal; label: string };
  keep?: number;
  now?: () => Date;
  log(line: string): void;
  /** After each attempt, whatever its outcome. */
  onChange?: () => void;
}

export interface Backups {
  /** Reads the folder for a copy an earlier run wrote. */
  status(): Promise<BackupStatus>;
  /** The environment in use's last failed attempt, if the newest failed (no disk access). */
  failure(): BackupStatus['failure'];
  /** Writes today's copy now (replacing an earlier one of today). Throws AppFailure. */
  backupNow(): Promise<BackupStatus>;
  /** Writes today's copy unless there is one; a failure is kept in the status, not thrown. */
  ensureToday(): Promise<void>;
  /**
   * Checks a folder chosen for the copies: a full path to a folder that is there and can be
   * written (never created: a typo, or a stick not plugged in, would put the copies on the
   * till's own disk). Throws AppFailure VALIDATION; the caller stores it.
   */
  validateFolder(folder: string | null): Promise<void>;
  /** The folder was changed: the failure in the one before is no longer this folder's. */
  folderChanged(): void;
  /** Settles once no copy is being written (before the journal closes). */
  idle(): Promise<void>;
}

const NAME = /^journal-([A-Za-z0-9._-]+)-(\d{4}-\d{2}-\d{2})\.sqlite$/;

/** The name of `label`'s copy for business day `day`. */
function fileName(label: string, day: string): string {
  return `journal-${label}-${day}.sqlite`;
}

/** The copies labelled `label` in `dir`, newest day first. */
async function ours(dir: string, label: string): Promise<{ name: string; day: string }[]> {
  return (await readdir(dir))
    .map((name) => NAME.exec(name))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === label)
    .map((m) => ({ name: m[0], day: m[2] ?? '' }))
    .sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0));
}

export function createBackups(deps: BackupDeps): Backups {
  const keep = deps.keep ?? BACKUP_KEEP_DAYS;
  const now = deps.now ?? (() => new Date());
  /** This run's newest copy, per environment label (the status follows an environment switch). */
  const last = new Map<string, NonNullable<BackupStatus['last']>>();
  /** The newest attempt's failure, per environment label; gone once a copy succeeds. */
  const failures = new Map<string, NonNullable<BackupStatus['failure']>>();
  let running: Promise<BackupStatus> | null = null;

  const folder = (): string => deps.chosenFolder() ?? deps.defaultFolder;
  const status = async (): Promise<BackupStatus> => {
    const { label } = deps.source();
    return {
      folder: folder(),
      defaultFolder: deps.chosenFolder() === null,
      keep,
      last: last.get(label) ?? (await found(label)),
      failure: failures.get(label) ?? null,
    };
  };

  const fail = (label: string, detail: ErrorDetail, message: string): AppFailure => {
    failures.set(label, { at: now().toISOString(), detail, message });
    deps.log(`backup failed: ${message}`);
    return new AppFailure('STORAGE', message, detail);
  };

  /** The newest copy already in the folder (an earlier run's), when this run wrote none yet. */
  const found = async (label: string): Promise<BackupStatus['last']> => {
    const dir = folder();
    try {
      const newest = (await ours(dir, label))[0];
      if (newest === undefined) return null;
      const file = join(dir, newest.name);
      const info = await stat(file);
      return {
        at: info.mtime.toISOString(),
        file,
        bytes: info.size,
        events: null,
        day: newest.day,
        chainBrokenAt: null,
      };
    } catch {
      return null;
    }
  };

  /** Removes this environment's copies beyond the newest `keep` days; nothing else in the folder. */
  const rotate = async (dir: string, label: string): Promise<void> => {
    for (const old of (await ours(dir, label)).slice(keep)) await rm(join(dir, old.name), { force: true });
  };

  /** What went wrong with a copy, for the cashier: the folder, the disk, or the copy itself. */
  const reasonOf = async (error: unknown, dir: string): Promise<ErrorDetail> => {
    if (!(await exists(dir))) return { key: 'backup.folderUnavailable', params: { folder: dir } };
    if (error instanceof JournalWriteError) {
      if (error.failure === 'FULL') return { key: 'backup.diskFull', params: { folder: dir } };
      if (error.failure === 'READONLY' || error.failure === 'IO') {
        return { key: 'backup.notWritable', params: { folder: dir } };
      }
    }
    if (error instanceof JournalOpenError && error.failure === 'CORRUPT')
      return { key: 'backup.checkFailed' };
    return { key: 'backup.failed' };
  };

  const write = async (): Promise<BackupStatus> => {
    const dir = folder();
    const { journal, label } = deps.source();
    try {
      // A folder chosen for the copies is used as it is: one that went (a stick pulled out) is
      // a failure, not a folder to create on the till's own disk. The default one is created;
      // the sales history is for the owner only, so it is theirs alone.
      if (deps.chosenFolder() === null) await mkdir(dir, { recursive: true, mode: 0o700 });
      else if (!(await stat(dir)).isDirectory()) throw new Error(`${dir} is not a folder`);
    } catch (error) {
      throw fail(
        label,
        { key: 'backup.folderUnavailable', params: { folder: dir } },
        `the backup folder ${dir} cannot be created: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const day = journal.businessDay(now());
    const file = join(dir, fileName(label, day));
    const part = `${file}.part`;
    try {
      await rm(part, { force: true });
      const report = await journal.backup(part);
      // Readable by the owner only, whatever the folder (a shared /tmp, a stick others use).
      await chmod(part, 0o600);
      await rename(part, file);
      const chainBrokenAt = report.chain.ok ? null : report.chain.brokenAtSeq;
      if (!report.chain.ok) {
        // A faithful copy of a journal altered outside the till: kept, and said out loud.
        deps.log(`backup ${file}: the journal's hash chain is broken at event ${report.chain.brokenAtSeq}`);
      }
      last.set(label, {
        at: now().toISOString(),
        file,
        bytes: report.bytes,
        events: report.events,
        day,
        chainBrokenAt,
      });
      failures.delete(label);
    } catch (error) {
      await rm(part, { force: true }).catch(() => undefined);
      throw fail(
        label,
        await reasonOf(error, dir),
        `the backup ${file} could not be written: ${toAppError(error).message}`,
      );
    }
    try {
      await rotate(dir, label);
    } catch (error) {
      // The new copy is there; old ones left over are only space.
      deps.log(`old backups not removed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return status();
  };

  const backupNow = (): Promise<BackupStatus> => {
    // One copy at a time: a second request waits for the one under way and then writes again.
    const next = (running ?? Promise.resolve(null))
      .catch(() => null)
      .then(write)
      .finally(() => {
        if (running === next) running = null;
        deps.onChange?.();
      });
    running = next;
    return next;
  };

  return {
    status,
    failure: () => failures.get(deps.source().label) ?? null,
    backupNow,
    async ensureToday() {
      const { journal, label } = deps.source();
      const day = journal.businessDay(now());
      if (await exists(join(folder(), fileName(label, day)))) return;
      try {
        await backupNow();
      } catch {
        // Kept in the status (and logged): the settings screen and the status banner show it.
      }
    },
    async idle() {
      await running?.catch(() => undefined);
    },
    async validateFolder(chosen) {
      if (chosen === null) return;
      const refuse = (key: ErrorDetail['key'], why: string): AppFailure =>
        new AppFailure('VALIDATION', `backup folder ${chosen}: ${why}`, { key, params: { folder: chosen } });
      if (!isAbsolute(chosen)) throw refuse('backup.folderNotAbsolute', 'not a full path');
      let info;
      try {
        info = await stat(chosen);
      } catch {
        throw refuse('backup.folderMissing', 'no such folder');
      }
      if (!info.isDirectory()) throw refuse('backup.folderIsFile', 'a file, not a folder');
      try {
        await access(chosen, constants.W_OK);
      } catch {
        throw refuse('backup.notWritable', 'cannot be written');
      }
    },
    folderChanged() {
      failures.clear();
      deps.onChange?.();
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
