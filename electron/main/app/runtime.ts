import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialEnvironment, CredentialStore } from '../credentials';
import { isDropPayError, type DropPayClient } from '../droppay';
import type { Journal } from '../journal';
import { businessDay } from '../journal/business-day';
import { dayWindow, isDayClosed } from '../reconciliation';
import { createFilePinStore, type PaymentsService } from '../payments';
import type { RunningSandbox } from '../sandbox';
import type { AppStatus, Environment } from '../../../shared/ipc/contract';
import type { SaleState } from '../../../shared/sales';
import { ok, type Result } from '../../../shared/result';
import { resolveTarget, type TargetConfig } from './config';
import { initialTarget, openMainJournal } from './startup';
import { createDayService, type DayService } from './day-service';
import { createCustomerDisplay, type CustomerDisplay, type DisplayTimers } from './customer-display';
import { createIdentityLoader, type IdentityLoader } from './identity-loader';
import { AppFailure, reportedAppError, toAppError } from './errors';
import { createEventBus, type EventBus } from './events';
import { openSession, type Session, type SessionDeps } from './session';
import { createSettingsLock } from './settings-lock';
import { createSettingsService, type SettingsService } from './settings-service';
import { discardedSettings, readSettings, writeSettings, type StoredSettings } from './settings-store';
import { createBackups, type Backups } from './backups';
import { createFileLog, scrubSecrets } from './file-log';
import type { BackupStatus } from '../../../shared/backup';
import { backupLabelFor, defaultStoreFor, sameTarget, type TargetDeps, type TargetSpec } from './target';

export interface RuntimeOptions {
  /** The app's data folder (Electron's userData/data, or a temp folder in tests). */
  dataDir: string;
  /** Where DROPPAY_ENV / DROPPAY_BASE_URL are read from. */
  env?: NodeJS.ProcessEnv;
  /** Replaces the OS keychain for one environment (tests of the runtime itself). */
  storeFor?: (environment: CredentialEnvironment) => CredentialStore;
  /** Extra options for the embedded sandbox (tests shorten its timings). */
  sandbox?: TargetDeps['sandbox'];
  /**
   * Whether the events (webhooks) of the embedded sandbox, or of a DropPay at a custom
   * loopback address, reach the till. Default: yes, unless DROPPAY_SANDBOX_EVENTS=off, which
   * makes the sandbox behave as a real DropPay that cannot reach the till: every sale is
   * followed by polling alone, as in production.
   */
  sandboxEvents?: boolean;
  /** Diagnostics (never a secret). Default: standard error. */
  log?: (line: string) => void;
  /** The customer display's timers (tests drive them). */
  displayTimers?: DisplayTimers;
  /** The first wait before DropPay's brands are read again after a failure (tests: short). */
  identityRetryMs?: number;
  /** While DropPay does not answer, how often it is asked again (default 15 s; tests: short). */
  reachProbeMs?: number;
  /** How long the manager PIN unlocks the guarded settings (default 5 minutes; tests: short). */
  settingsUnlockMs?: number;
  /** How long an item must be quiet before checking the day concludes it did not happen. */
  daySettleAfterMs?: number;
}

/** The core of the running app, independent of Electron: what the IPC handlers call. */
export interface Runtime {
  readonly dataDir: string;
  /** These follow the current environment, which the settings screen can switch. */
  readonly environment: Environment;
  readonly baseUrl: string;
  readonly client: DropPayClient;
  /** The embedded sandbox, when the environment is sandbox. */
  readonly sandbox: RunningSandbox | null;
  /** The current environment's sales journal. */
  readonly journal: Journal;
  /** Push events for both transports. */
  readonly events: EventBus;
  readonly display: CustomerDisplay;
  readonly settings: SettingsService;
  /** The end of day over the current environment's journal. */
  readonly day: DayService;
  /** Copies of the current environment's journal for safe keeping. */
  readonly backups: Backups;
  /** Stores where the copies go (null: the data folder) and returns the new status. */
  setBackupFolder(folder: string | null): Promise<BackupStatus>;
  /** Sales started and not yet ended on the current environment (closing the till asks first). */
  salesInProgress(): number;
  /** The app's log (stderr and the daily file): for what the caller cannot show anyone. */
  log(line: string): void;
  /** Settles once the current environment's start-up recovery pass ran (sales wait for it). */
  ready(): Promise<void>;
  /**
   * The payments service, once no environment switch is under way. With `forWork`, also gives
   * the start-up recovery a few seconds to finish, so a Charge pressed right after start waits
   * briefly instead of being refused as not ready (it still is, past that wait).
   */
  payments(options?: { forWork?: boolean }): Promise<PaymentsService>;
  status(): Promise<Result<AppStatus>>;
  /** Re-reads the merchant from DropPay (token + brands) and returns the fresh status. */
  checkConnection(): Promise<Result<AppStatus>>;
  /** Called after every settings change (Electron moves the customer window). */
  onSettingsChange(listener: (settings: StoredSettings) => void): () => void;
  close(): Promise<void>;
}

/** How long a sale, cancel, capture or refund waits for the start-up recovery to finish. */
const RECOVERY_WAIT_MS = 5_000;

/** Sales that tie the till to its current DropPay: switching away would strand them. */
const IN_PROGRESS: readonly SaleState[] = ['created', 'authorizing', 'waiting', 'granted', 'charging'];

/** How many sales of `journal` are started and not yet ended. */
const inProgress = (journal: Journal): number => journal.listSales({ state: IN_PROGRESS, limit: 1 }).total;

/**
 * Starts the core: the main journal (settings), the environment's session (DropPay target,
 * its sales journal, the payments service and its start-up recovery), the customer display's
 * state machine, and the event bus both transports listen to.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { dataDir } = options;
  // The sales history and the logs are the owner's alone: a data folder made here is theirs only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // By default to stderr and to a daily file under the data folder (file-log.ts).
  const log = options.log ?? teeLog(createFileLog(join(options.dataDir, 'logs')));
  const storeFor = options.storeFor ?? defaultStoreFor;
  const config = resolveTarget(dataDir, options.env ?? process.env);
  const sandboxEvents =
    options.sandboxEvents ?? (options.env ?? process.env)['DROPPAY_SANDBOX_EVENTS'] !== 'off';
  const mainJournal = openMainJournal(dataDir);
  try {
    for (const key of discardedSettings(mainJournal)) {
      log(`settings: ${key} holds a value the settings do not accept; the default is in force`);
    }
    return await assemble(mainJournal, config, { ...options, log, storeFor, sandboxEvents });
  } catch (error) {
    mainJournal.close();
    throw error;
  }
}

type Assembly = RuntimeOptions & Required<Pick<RuntimeOptions, 'log' | 'storeFor' | 'sandboxEvents'>>;

async function assemble(mainJournal: Journal, config: TargetConfig, options: Assembly): Promise<Runtime> {
  const { dataDir, log } = options;
  const events = createEventBus((error) => log(`event listener failed: ${messageOf(error)}`));
  const pins = createFilePinStore(join(dataDir, 'manager-pin.json'));
  const settingsListeners = new Set<(settings: StoredSettings) => void>();
  const settingsLock = createSettingsLock({
    pins,
    firstRun: () => !readSettings(mainJournal).firstRunDone,
    ...(options.settingsUnlockMs === undefined ? {} : { unlockMs: options.settingsUnlockMs }),
  });
  const stored = readSettings(mainJournal);
  const display = createCustomerDisplay({
    identity: {
      language: stored.customerLanguage ?? stored.language,
      merchantName: null,
      storeName: stored.storeName || null,
    },
    onChange: (state) => events.emit('display', state),
    ...(options.displayTimers ? { timers: options.displayTimers } : {}),
  });

  const sessionDeps = (): SessionDeps => {
    const now = readSettings(mainJournal);
    return {
      dataDir,
      storeFor: options.storeFor,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      sandboxEvents: options.sandboxEvents,
      mainJournal,
      timeZone: now.timeZone,
      cutoffHour: now.cutoffHour,
      pollIntervalMs: now.pollIntervalMs,
      managerPin: pins,
      log,
      onSaleEvent: (event) => {
        events.emit('sale', event);
        display.handle(event);
      },
      onConnection: () => void publishStatus(),
      onReach: () => void publishStatus(),
      ...(options.reachProbeMs === undefined ? {} : { reachProbeMs: options.reachProbeMs }),
      onIdentity: () => {
        refreshDisplayIdentity();
        void publishStatus();
      },
    };
  };

  let session: Session = await openSession(
    await initialTarget(config, stored, options.storeFor),
    sessionDeps(),
  );
  const backups = createBackups({
    chosenFolder: () => readSettings(mainJournal).backupFolder,
    defaultFolder: join(dataDir, 'backups'),
    source: () => ({ journal: session.journal, label: backupLabelFor(session.spec) }),
    log,
    // A failed copy (or the next good one) shows on the status bar's banner at once.
    onChange: () => void publishStatus(),
  });
  // Environment switches and payments restarts run one at a time; sales wait for them.
  let transition: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = transition.then(fn);
    transition = run.catch(() => undefined);
    return run;
  };

  /** The POS ID for a report: a locked keychain leaves it off rather than failing the report. */
  const posIdOrNull = async (s: Session): Promise<string | null> => {
    try {
      return (await s.target.store.get('posId')) ?? null;
    } catch {
      return null;
    }
  };
  const brandStore = (): string | null => readSettings(mainJournal).storeName || session.identity().storeName;
  const refreshDisplayIdentity = (): void => {
    const stored = readSettings(mainJournal);
    display.setIdentity({
      // Its own language when one is set; else the till's.
      language: stored.customerLanguage ?? stored.language,
      merchantName: session.identity().merchantName,
      storeName: brandStore(),
    });
  };

  /**
   * Today's business day when it is already closed, with when it ends (see AppStatus). Closures
   * that cannot be read (a damaged file) cost this line only, said once in the log: the rest of
   * the status (the connection, the POS ID) still reaches the screens, and the end-of-day screen
   * is where the damage shows.
   */
  let closuresUnread = false;
  const dayClosedNow = (journal: Journal): AppStatus['dayClosed'] => {
    const { timeZone, cutoffHour } = readSettings(mainJournal);
    const today = businessDay(new Date(), timeZone, cutoffHour);
    let closed: boolean;
    try {
      closed = isDayClosed(journal, today);
      closuresUnread = false;
    } catch (error) {
      if (!closuresUnread) log(`status: the day's closures could not be read: ${toAppError(error).message}`);
      closuresUnread = true;
      return null;
    }
    if (!closed) return null;
    return { day: today, endsAt: dayWindow(today, timeZone, cutoffHour).end };
  };

  const status = async (): Promise<Result<AppStatus>> => {
    const s = session;
    try {
      return ok({
        environment: s.spec.environment,
        baseUrl: s.target.baseUrl,
        connection: await s.target.client.state(),
        reach: s.target.client.reach.state(),
        reachSince: isoOrNull(s.target.client.reach.since()),
        posId: (await s.target.store.get('posId')) ?? null,
        merchantName: s.identity().merchantName,
        storeName: brandStore(),
        backupFailedAt: backups.failure()?.at ?? null,
        dayClosed: dayClosedNow(s.journal),
      });
    } catch (error) {
      return { ok: false, error: reportedAppError(error, log) };
    }
  };
  const publishStatus = async (): Promise<void> => {
    const result = await status();
    if (result.ok) events.emit('status', result.value);
  };
  /**
   * Brands in the background: the status and the display fill in when DropPay answers, and a
   * read that fails (DropPay not reachable yet) is tried again until one succeeds.
   */
  let identityLoader: IdentityLoader | null = null;
  const loadIdentity = (s: Session): void => {
    identityLoader?.stop();
    identityLoader = createIdentityLoader({
      refresh: () => s.refreshIdentity(),
      final: (error) => isDropPayError(error, 'NOT_CONFIGURED'),
      failed: (error) => {
        // Not set up yet is the normal first run, not worth a line.
        if (!isDropPayError(error, 'NOT_CONFIGURED')) log(`brands not read: ${toAppError(error).message}`);
      },
      ...(options.identityRetryMs === undefined ? {} : { retryMs: options.identityRetryMs }),
    });
    identityLoader.load();
  };

  const switchTo = (spec: TargetSpec): Promise<void> =>
    exclusive(async () => {
      if (sameTarget(spec, session.spec)) return;
      if (inProgress(session.journal) > 0) {
        throw new AppFailure(
          'VALIDATION',
          'Finish or cancel the sale in progress before changing the DropPay environment.',
          { key: 'settings.saleInProgress' },
        );
      }
      const next = await openSession(spec, sessionDeps());
      const old = session;
      session = next;
      display.reset();
      refreshDisplayIdentity();
      log(`DropPay environment: ${spec.environment} (${next.target.baseUrl})`);
      try {
        await old.close();
      } catch (error) {
        log(`closing the previous environment failed: ${messageOf(error)}`);
      }
      void publishStatus();
      loadIdentity(next);
      backupToday(next);
    });

  /** See SettingsDeps.changeBusinessDay. Both journals follow: settings (main) and sales. */
  const changeBusinessDay = (rule: { timeZone: string; cutoffHour: number }): Promise<void> =>
    exclusive(() => {
      const journals = session.journal === mainJournal ? [mainJournal] : [session.journal, mainJournal];
      if (journals.some((j) => inProgress(j) > 0)) {
        throw new AppFailure(
          'VALIDATION',
          'Finish or cancel the sale in progress before changing the business day.',
          { key: 'settings.dayRuleSaleInProgress' },
        );
      }
      // Sales from now on would be booked on this day: it must still be open.
      const day = businessDay(new Date(), rule.timeZone, rule.cutoffHour);
      if (journals.some((j) => isDayClosed(j, day))) {
        throw new AppFailure(
          'VALIDATION',
          `With this rule the present moment falls in business day ${day}, which is already closed.`,
          { key: 'settings.dayRuleClosedDay', params: { day } },
        );
      }
      for (const j of journals) j.setBusinessDayRule(rule);
      log(`business day: ${rule.timeZone}, ends at ${String(rule.cutoffHour).padStart(2, '0')}:00`);
      return Promise.resolve();
    });

  const settings = createSettingsService({
    journal: mainJournal,
    pins,
    lock: settingsLock,
    session: () => session,
    switchTo,
    changeBusinessDay,
    restartPayments: (pollIntervalMs) => exclusive(() => session.restartPayments(pollIntervalMs)),
    changed: (now) => {
      refreshDisplayIdentity();
      void publishStatus();
      for (const listener of [...settingsListeners]) listener(now);
    },
    startsOn: config.source === 'env' ? config.environment : null,
    credentialsChanged: () => {
      // New credentials (the first run, a reconnection): the shop's names can be read now.
      loadIdentity(session);
      return publishStatus();
    },
  });

  const dayService = createDayService({
    journal: () => session.journal,
    client: () => session.target.client,
    onProgress: (progress) => events.emit('day', progress),
    identity: async () => ({ storeName: brandStore(), posId: await posIdOrNull(session) }),
    ...(options.daySettleAfterMs !== undefined ? { settleAfterMs: options.daySettleAfterMs } : {}),
  });
  // A day closed: the status bar's word on today (sales now are changes after closing) follows.
  const day: DayService = {
    ...dayService,
    async close(which, forceReason) {
      const report = await dayService.close(which, forceReason);
      void publishStatus();
      return report;
    },
  };

  // A day without a copy gets one once the start-up recovery has run (in the background).
  const backupToday = (of: Session): void => {
    void of.recovery.then(() => (session === of ? backups.ensureToday() : undefined));
  };

  loadIdentity(session);
  backupToday(session);
  let closed: Promise<void> | null = null;

  return {
    dataDir,
    get environment() {
      return session.spec.environment;
    },
    get baseUrl() {
      return session.target.baseUrl;
    },
    get client() {
      return session.target.client;
    },
    get sandbox() {
      return session.target.sandbox;
    },
    get journal() {
      return session.journal;
    },
    events,
    display,
    settings,
    day,
    backups,
    log,
    salesInProgress() {
      try {
        return inProgress(session.journal);
      } catch {
        // A journal that cannot be read has nothing to protect by keeping the window open.
        return 0;
      }
    },
    async setBackupFolder(folder) {
      const before = readSettings(mainJournal).backupFolder;
      // Where the copies of the sales go is the manager's choice (a stick taken home, or none).
      if (folder !== before) settingsLock.guard('the backup folder');
      await backups.validateFolder(folder);
      writeSettings(mainJournal, { backupFolder: folder });
      if (folder !== before) backups.folderChanged();
      return backups.status();
    },
    async ready() {
      await transition;
      await session.recovery;
    },
    async payments({ forWork = false } = {}) {
      await transition;
      if (forWork) await settleWithin(session.recovery, RECOVERY_WAIT_MS);
      return session.payments();
    },
    status,
    async checkConnection() {
      try {
        await session.refreshIdentity();
      } catch (error) {
        void publishStatus();
        return { ok: false, error: reportedAppError(error, log) };
      }
      return status();
    },
    onSettingsChange(listener) {
      settingsListeners.add(listener);
      return () => void settingsListeners.delete(listener);
    },
    close() {
      closed ??= (async () => {
        identityLoader?.stop();
        display.close();
        settings.close();
        await transition;
        await backups.idle();
        try {
          await session.close();
        } finally {
          mainJournal.close();
        }
      })();
      return closed;
    },
  };
}

/** Waits for `promise` (whatever its outcome) or `ms`, whichever comes first. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.then(noop, noop), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function noop(): void {}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Each line to stderr and to `file`. */
function teeLog(file: (line: string) => void): (line: string) => void {
  return (line) => {
    // The file log scrubs its own copy; stderr gets the same second guard.
    console.error(scrubSecrets(line));
    file(line);
  };
}
