/**
 * The runtime's side of the journal copies (backups.ts makes them). The copies follow whichever
 * environment is current, a day's first copy waits for the start-up recovery and runs in the
 * background (starting the till never waits for a copy), and where they go is the manager's
 * choice: a guarded setting, kept with the other settings in the main journal.
 */
import { join } from 'node:path';
import type { Journal } from '../journal';
import type { BackupStatus } from '../../../shared/backup';
import { createBackups, type Backups } from './backups';
import type { Session } from './session';
import type { SettingsLock } from './settings-lock';
import { readSettings, writeSettings } from './settings-store';
import { backupLabelFor } from './target';

export interface RuntimeBackupsDeps {
  dataDir: string;
  /** The main journal, whose settings hold the chosen folder. */
  mainJournal: Journal;
  session(): Session;
  lock: SettingsLock;
  log: (line: string) => void;
  /** A copy failed (or the next one succeeded): the status shows it. */
  changed(): void;
}

export interface RuntimeBackups {
  readonly backups: Backups;
  /** A day without a copy gets one once `of`'s start-up recovery has run (in the background). */
  ensureTodayAfterRecovery(of: Session): void;
  /** See Runtime.setBackupFolder. */
  setFolder(folder: string | null): Promise<BackupStatus>;
}

export function createRuntimeBackups(deps: RuntimeBackupsDeps): RuntimeBackups {
  const { mainJournal } = deps;
  const backups = createBackups({
    chosenFolder: () => readSettings(mainJournal).backupFolder,
    defaultFolder: join(deps.dataDir, 'backups'),
    source: () => ({ journal: deps.session().journal, label: backupLabelFor(deps.session().spec) }),
    log: deps.log,
    // A failed copy (or the next good one) shows on the status bar's banner at once.
    onChange: () => deps.changed(),
  });

  return {
    backups,
    ensureTodayAfterRecovery(of) {
      // Only if `of` is still current then: a switch meanwhile made its own.
      void of.recovery.then(() => (deps.session() === of ? backups.ensureToday() : undefined));
    },
    async setFolder(folder) {
      const before = readSettings(mainJournal).backupFolder;
      // Where the copies of the sales go is the manager's choice (a stick taken home, or none).
      if (folder !== before) deps.lock.guard('the backup folder');
      await backups.validateFolder(folder);
      writeSettings(mainJournal, { backupFolder: folder });
      if (folder !== before) backups.folderChanged();
      return backups.status();
    },
  };
}
