/**
 * The core's composition root: the one place that builds the running app out of its parts
 * (the main journal, the current DropPay session, the settings, the customer display, the end
 * of day, the copies) and wires each one's news to the others, so the parts stay unaware of
 * each other and Electron (or a test, or the bridge) gets the whole core from one call.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DropPayClient } from '../droppay';
import { messageOf, type Journal } from '../journal';
import { createFilePinStore, type PaymentsService } from '../payments';
import type { RunningSandbox } from '../sandbox';
import type { AppStatus, Environment } from '../../../shared/ipc/contract';
import type { Result } from '../../../shared/result';
import type { BackupStatus } from '../../../shared/backup';
import type { Backups } from './backups';
import type { TargetConfig } from './config';
import { initialTarget, openMainJournal } from './startup';
import { createDayService, type DayService } from './day-service';
import { createCustomerDisplay } from './customer-display';
import type { CustomerDisplay } from './customer-display-contract';
import { createEnvironmentSwitch } from './environment-switch';
import { reportedAppError } from './errors';
import { createEventBus, type EventBus } from './events';
import { createRuntimeBackups } from './runtime-backups';
import { withDefaults, type Assembly, type RuntimeOptions } from './runtime-options';
import { createRuntimeStatus, posIdOrNull } from './runtime-status';
import { openSession, type Session, type SessionDeps } from './session';
import { createSettingsLock } from './settings-lock';
import { createSettingsService, type SettingsService } from './settings-service';
import { discardedSettings, readSettings, type StoredSettings } from './settings-store';

export type { RuntimeOptions };

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

/**
 * Starts the core: the main journal (settings), the environment's session (DropPay target,
 * its sales journal, the payments service and its start-up recovery), the customer display's
 * state machine, and the event bus both transports listen to.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { dataDir } = options;
  // The sales history and the logs are the owner's alone: a data folder made here is theirs only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const { config, assembly } = withDefaults(options);
  const { log } = assembly;
  const mainJournal = openMainJournal(dataDir);
  try {
    for (const key of discardedSettings(mainJournal)) {
      log(`settings: ${key} holds a value the settings do not accept; the default is in force`);
    }
    return await assemble(mainJournal, config, assembly);
  } catch (error) {
    mainJournal.close();
    throw error;
  }
}

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

  // The sale the till holds as it starts (the cashier's screen resumes it) is on the customer
  // display too: the customer is still there with their phone (QA E2).
  const followSaleInProgress = (service: PaymentsService): void => {
    try {
      display.resume(service.currentSale());
    } catch (error) {
      log(`customer display: cannot read the sale in progress: ${messageOf(error)}`);
    }
  };

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
      onPayments: followSaleInProgress,
      onConnection: () => void shown.publish(),
      onReach: () => void shown.publish(),
      ...(options.reachProbeMs === undefined ? {} : { reachProbeMs: options.reachProbeMs }),
      ...(options.resolveIntervalMs === undefined ? {} : { resolveIntervalMs: options.resolveIntervalMs }),
      onIdentity: () => {
        shown.refreshDisplayIdentity();
        void shown.publish();
      },
    };
  };

  const environment = createEnvironmentSwitch({
    mainJournal,
    first: await openSession(await initialTarget(config, stored, options.storeFor), sessionDeps()),
    open: (spec) => openSession(spec, sessionDeps()),
    log,
    replaced: (next) => {
      display.reset();
      followSaleInProgress(next.payments());
      shown.refreshDisplayIdentity();
    },
    switched: (next) => {
      void shown.publish();
      shown.loadIdentity(next);
      copies.ensureTodayAfterRecovery(next);
    },
  });
  const session = (): Session => environment.current();
  const copies = createRuntimeBackups({
    dataDir,
    mainJournal,
    session,
    lock: settingsLock,
    log,
    changed: () => void shown.publish(),
  });
  const { backups } = copies;
  const shown = createRuntimeStatus({
    mainJournal,
    session,
    display,
    events,
    backups,
    log,
    ...(options.identityRetryMs === undefined ? {} : { identityRetryMs: options.identityRetryMs }),
  });

  const settings = createSettingsService({
    journal: mainJournal,
    pins,
    lock: settingsLock,
    session,
    switchTo: (spec) => environment.switchTo(spec),
    changeBusinessDay: (rule) => environment.changeBusinessDay(rule),
    restartPayments: (pollIntervalMs) => environment.restartPayments(pollIntervalMs),
    changed: (now) => {
      shown.refreshDisplayIdentity();
      void shown.publish();
      for (const listener of [...settingsListeners]) listener(now);
    },
    startsOn: config.source === 'env' ? config.environment : null,
    credentialsChanged: () => {
      // New credentials (the first run, a reconnection): the shop's names can be read now.
      shown.loadIdentity(session());
      return shown.publish();
    },
  });

  const dayService = createDayService({
    journal: () => session().journal,
    client: () => session().target.client,
    onProgress: (progress) => events.emit('day', progress),
    identity: async () => ({ storeName: shown.brandStore(), posId: await posIdOrNull(session()) }),
    ...(options.daySettleAfterMs !== undefined ? { settleAfterMs: options.daySettleAfterMs } : {}),
  });
  // A day closed: the status bar's word on today (sales now are changes after closing) follows.
  const day: DayService = {
    ...dayService,
    async close(which, forceReason) {
      const report = await dayService.close(which, forceReason);
      void shown.publish();
      return report;
    },
  };

  shown.loadIdentity(session());
  copies.ensureTodayAfterRecovery(session());
  let closed: Promise<void> | null = null;

  return {
    dataDir,
    get environment() {
      return session().spec.environment;
    },
    get baseUrl() {
      return session().target.baseUrl;
    },
    get client() {
      return session().target.client;
    },
    get sandbox() {
      return session().target.sandbox;
    },
    get journal() {
      return session().journal;
    },
    events,
    display,
    settings,
    day,
    backups,
    log,
    salesInProgress: () => environment.salesInProgress(),
    setBackupFolder: (folder) => copies.setFolder(folder),
    ready: () => environment.ready(),
    payments: (request) => environment.payments(request),
    status: () => shown.status(),
    async checkConnection() {
      try {
        await session().refreshIdentity();
      } catch (error) {
        void shown.publish();
        return { ok: false, error: reportedAppError(error, log) };
      }
      return shown.status();
    },
    onSettingsChange(listener) {
      settingsListeners.add(listener);
      return () => void settingsListeners.delete(listener);
    },
    close() {
      closed ??= (async () => {
        shown.stop();
        display.close();
        settings.close();
        await environment.idle();
        await backups.idle();
        try {
          await session().close();
        } finally {
          mainJournal.close();
        }
      })();
      return closed;
    },
  };
}
