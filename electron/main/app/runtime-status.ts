/**
 * What the status bar and the customer display say about the till: the environment, the
 * connection and whether DropPay answers, the shop's names, a closed day, a failed backup.
 * Its parts change on their own (the current session, the saved settings, DropPay's brands
 * read in the background), so one place builds the whole picture, and whatever changed asks
 * it to publish again rather than sending its own piece.
 */
import { isDropPayError } from '../droppay';
import type { Journal } from '../journal';
import { businessDay } from '../journal/business-day';
import { dayWindow, isDayClosed } from '../reconciliation';
import type { AppStatus } from '../../../shared/ipc/contract';
import { ok, type Result } from '../../../shared/result';
import type { Backups } from './backups';
import type { CustomerDisplay } from './customer-display-contract';
import { reportedAppError, toAppError } from './errors';
import type { EventBus } from './events';
import { createIdentityLoader, type IdentityLoader } from './identity-loader';
import type { Session } from './session';
import { readSettings } from './settings-store';

export interface RuntimeStatusDeps {
  /** The main journal, whose settings name the store and the business day. */
  mainJournal: Journal;
  session(): Session;
  display: CustomerDisplay;
  events: EventBus;
  backups: Pick<Backups, 'failure'>;
  log: (line: string) => void;
  /** The first wait before DropPay's brands are read again after a failure. */
  identityRetryMs?: number;
}

export interface RuntimeStatus {
  /** See Runtime.status. */
  status(): Promise<Result<AppStatus>>;
  /** Sends the fresh status to both transports (nothing when it cannot be read). */
  publish(): Promise<void>;
  /** The store's name: the one saved in the settings, else the one DropPay's brands give. */
  brandStore(): string | null;
  /** The customer display takes the current language and names. */
  refreshDisplayIdentity(): void;
  /**
   * Brands in the background: the status and the display fill in when DropPay answers, and a
   * read that fails (DropPay not reachable yet) is tried again until one succeeds.
   */
  loadIdentity(session: Session): void;
  /** Stops reading the brands (the till is closing). */
  stop(): void;
}

/** The POS ID for a report: a locked keychain leaves it off rather than failing the report. */
export async function posIdOrNull(session: Session): Promise<string | null> {
  try {
    return (await session.target.store.get('posId')) ?? null;
  } catch {
    return null;
  }
}

export function createRuntimeStatus(deps: RuntimeStatusDeps): RuntimeStatus {
  const { mainJournal, display, events, backups, log } = deps;

  const brandStore = (): string | null =>
    readSettings(mainJournal).storeName || deps.session().identity().storeName;
  const refreshDisplayIdentity = (): void => {
    const stored = readSettings(mainJournal);
    display.setIdentity({
      // Its own language when one is set; else the till's.
      language: stored.customerLanguage ?? stored.language,
      merchantName: deps.session().identity().merchantName,
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
    const s = deps.session();
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

  let identityLoader: IdentityLoader | null = null;

  return {
    status,
    async publish() {
      const result = await status();
      if (result.ok) events.emit('status', result.value);
    },
    brandStore,
    refreshDisplayIdentity,
    loadIdentity(s) {
      identityLoader?.stop();
      identityLoader = createIdentityLoader({
        refresh: () => s.refreshIdentity(),
        final: (error) => isDropPayError(error, 'NOT_CONFIGURED'),
        failed: (error) => {
          // Not set up yet is the normal first run, not worth a line.
          if (!isDropPayError(error, 'NOT_CONFIGURED')) log(`brands not read: ${toAppError(error).message}`);
        },
        ...(deps.identityRetryMs === undefined ? {} : { retryMs: deps.identityRetryMs }),
      });
      identityLoader.load();
    },
    stop() {
      identityLoader?.stop();
    },
  };
}

function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
