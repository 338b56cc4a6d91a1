/**
 * Copies of the sales journal for safe keeping, one per business day and environment
 * (`journal-<environment>-<YYYY-MM-DD>.sqlite`, a custom one named with its host too; the
 * day's latest copy), the newest `keep`
 * days kept. Taken when the till starts on a day without one, after each day is closed, and
 * on request. A copy is written under a temporary name and renamed only once it has been
 * opened again and checked, so a file with the final name is always a whole journal. The
 * folder may be on another disk (a USB stick, a network share): then a broken disk does not
 * take the sales with it. The journal holds no secret, so neither does a copy.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { BackupStatus } from '../../../shared/backup';
import type { ErrorDetail } from '../../../shared/result';
import type { Journal } from '../journal';
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
  status(): BackupStatus;
  /** Writes today's copy now (replacing an earlier one of today). Throws AppFailure. */
  backupNow(): Promise<BackupStatus>;
  /** Writes today's copy unless there is one; a failure is kept in the status, not thrown. */
  ensureToday(): Promise<void>;
  /** Checks the folder is absolute; the caller stores it. */
  validateFolder(folder: string | null): void;
  /** Settles once no copy is being written (before the journal closes). */
  idle(): Promise<void>;
}

const NAME = /^journal-([A-Za-z0-9._-]+)-(\d{4}-\d{2}-\d{2})\.sqlite$/;

/** The name of `label`'s copy for business day `day`. */
function fileName(label: string, day: string): string {
  return `journal-${label}-${day}.sqlite`;
}

/** The copies labelled `label` in `dir`, newest day first. */
function ours(dir: string, label: string): { name: string; day: string }[] {
  return readdirSync(dir)
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
  let failure: BackupStatus['failure'] = null;
  let running: Promise<BackupStatus> | null = null;

  const folder = (): string => deps.chosenFolder() ?? deps.defaultFolder;
  const status = (): BackupStatus => ({
    folder: folder(),
    defaultFolder: deps.chosenFolder() === null,
    keep,
    last: last.get(deps.source().label) ?? found(),
    failure,
  });

  const fail = (detail: ErrorDetail, message: string): AppFailure => {
    failure = { at: now().toISOString(), detail, message };
    deps.log(`backup failed: ${message}`);
    return new AppFailure('STORAGE', message, detail);
  };

  /** The newest copy already in the folder (an earlier run's), when this run wrote none yet. */
  const found = (): BackupStatus['last'] => {
    const dir = folder();
    const { label } = deps.source();
    try {
      const newest = ours(dir, label)[0];
      if (newest === undefined) return null;
      const file = join(dir, newest.name);
      const info = statSync(file);
      return { at: info.mtime.toISOString(), file, bytes: info.size, events: null, day: newest.day };
    } catch {
      return null;
    }
  };

  /** Removes this environment's copies beyond the newest `keep` days; nothing else in the folder. */
  const rotate = (dir: string, label: string): void => {
    for (const old of ours(dir, label).slice(keep)) rmSync(join(dir, old.name), { force: true });
  };

  const write = async (): Promise<BackupStatus> => {
    const dir = folder();
    const { journal, label } = deps.source();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fail(
        { key: 'backup.folderUnavailable', params: { folder: dir } },
        `the backup folder ${dir} cannot be created: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const day = journal.businessDay(now());
    const file = join(dir, fileName(label, day));
    const part = `${file}.part`;
    rmSync(part, { force: true });
    try {
      const report = await journal.backup(part);
      renameSync(part, file);
      last.set(label, { at: now().toISOString(), file, bytes: report.bytes, events: report.events, day });
      failure = null;
    } catch (error) {
      rmSync(part, { force: true });
      const unavailable = !existsSync(dir);
      throw fail(
        unavailable ? { key: 'backup.folderUnavailable', params: { folder: dir } } : { key: 'backup.failed' },
        `the backup ${file} could not be written: ${toAppError(error).message}`,
      );
    }
    try {
      rotate(dir, label);
    } catch (error) {
      // The new copy is there; old ones left over are only space.
      deps.log(`old backups not removed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return status();
  };

  const backupNow = (): Promise<BackupStatus> => {
    // One copy at a time: a second request waits for the one under way and then writes again.
    const next = (running ?? Promise.resolve(status()))
      .catch(() => status())
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
    backupNow,
    async ensureToday() {
      const { journal, label } = deps.source();
      const day = journal.businessDay(now());
      if (existsSync(join(folder(), fileName(label, day)))) return;
      try {
        await backupNow();
      } catch {
        // Kept in the status (and logged): the settings screen and the status banner show it.
      }
    },
    async idle() {
      await running?.catch(() => undefined);
    },
    validateFolder(chosen) {
      if (chosen !== null && !isAbsolute(chosen)) {
        throw new AppFailure('VALIDATION', `a backup folder must be a full path, got ${chosen}`, {
          key: 'backup.folderNotAbsolute',
        });
      }
    },
  };
}
