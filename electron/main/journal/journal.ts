/**
 * The journal's front door. `openJournal` opens the file safely and returns the repository
 * the payments layer uses. Its contract: every record* call is one transaction that appends
 * the event and updates the current-state row together; it returns only once that is on
 * disk, and when it throws (always a JournalError) nothing of it was written, so the
 * payments layer must then send nothing to DropPay.
 */
import type Database from 'better-sqlite3';
import { assertCutoffHour, assertTimeZone, businessDay, type BusinessDay } from './business-day';
import { backupJournal, type BackupReport } from './backup';
import type { JsonObject } from './canonical-json';
import { openJournalDatabase, readPragmas, type PragmaReport } from './connection';
import { createCore } from './core';
import { JournalError, JournalOpenError, messageOf } from './errors';
import {
  recordChargeIntent,
  recordChargeObserved,
  recordChargeOutcome,
  type ChargeOutcome,
  type ObservedCharge,
} from './charges-repo';
import { type ChainVerdict, verifyChainRows } from './hash-chain';
import * as q from './queries';
import { recordRefundIntent, recordRefundOutcome } from './refunds-repo';
import * as auth from './authorizations-repo';
import * as sales from './sales-repo';
import { getSetting, listSettings, setSetting } from './settings-repo';
import { prepareStatements } from './statements';
import type {
  AuthorizationStatus,
  Charge,
  ChargeOutcomeStatus,
  EventKind,
  JournalEvent,
  Refund,
  RefundOutcomeStatus,
  Sale,
  SaleDetail,
  SaleState,
  Setting,
} from './types';

export interface JournalOptions {
  /** The SQLite file; created (with its folder's -wal and -shm companions) if missing. */
  path: string;
  /** IANA zone the shop's business day is counted in. */
  timeZone?: string;
  /** Local hour (0..23) before which a moment still belongs to the previous business day. */
  cutoffHour?: number;
  /** The clock; tests pass their own. */
  now?: () => Date;
  readOnly?: boolean;
  busyTimeoutMs?: number;
}

export interface Journal {
  readonly path: string;
  /** The business-day rule in force (rows keep the day they were written with). */
  readonly timeZone: string;
  readonly cutoffHour: number;
  /**
   * Changes the business-day rule for what is written from now on; throws a
   * JournalValidationError for a zone Intl does not know or an hour outside 0..23.
   */
  setBusinessDayRule(rule: { timeZone: string; cutoffHour: number }): void;

  createSale(input: sales.NewSale): Sale;
  recordAuthorizationIntent(saleId: string, extra?: JsonObject): Sale;
  recordAuthorizationCreated(
    saleId: string,
    created: {
      authorizationId: string;
      sharingUrl: string;
      status?: AuthorizationStatus;
      extra?: JsonObject;
    },
  ): Sale;
  recordAuthorizationFailed(saleId: string, error: string, extra?: JsonObject): Sale;
  recordAuthorizationUnknown(saleId: string, error: string, extra?: JsonObject): Sale;
  recordAuthorizationStatus(
    saleId: string,
    status: AuthorizationStatus,
    detail?: { note?: string; extra?: JsonObject },
  ): Sale;
  recordAuthorizationCancelIntent(saleId: string, extra?: JsonObject): Sale;
  recordAuthorizationLink(saleId: string, sharingUrl: string, extra?: JsonObject): Sale;
  recordSaleState(
    saleId: string,
    state: SaleState,
    detail?: { error?: string; note?: string; extra?: JsonObject },
  ): Sale;

  recordChargeIntent(saleId: string, amount: number, extra?: JsonObject): Charge;
  recordChargeOutcome(
    chargeId: string,
    outcome: { status: ChargeOutcomeStatus; droppayId?: string; error?: string; extra?: JsonObject },
  ): ChargeOutcome;
  recordChargeObserved(saleId: string, observed: ObservedCharge): ChargeOutcome;

  recordRefundIntent(chargeId: string, amount: number, reason: string, extra?: JsonObject): Refund;
  recordRefundOutcome(
    refundId: string,
    outcome: { status: RefundOutcomeStatus; droppayId?: string; error?: string; extra?: JsonObject },
  ): Refund;

  /**
   * Runs several record calls as one commit (one fsync): all of them are recorded, or none.
   * For steps that have no DropPay call between them, e.g. a new sale and its first intent.
   */
  batch<T>(fn: () => T): T;

  getSale(saleId: string): Sale | null;
  /** The sale whose DropPay authorization is `authorizationId`, if it is on this till. */
  getSaleByAuthorization(authorizationId: string): Sale | null;
  /** The sales in progress at the customer (see queries.liveSales), newest first. */
  liveSales(): Sale[];
  getSaleDetail(saleId: string): SaleDetail | null;
  getCharge(chargeId: string): Charge | null;
  getRefund(refundId: string): Refund | null;
  /** The refund DropPay knows as `droppayId`, if it is on this till. */
  getRefundByDropPayId(droppayId: string): Refund | null;
  listSales(query?: q.SaleQuery): q.SalePage;
  saleTimeline(saleId: string): JournalEvent[];
  /** Whether the sale's history holds an event of this kind. */
  saleHasEvent(saleId: string, kind: EventKind): boolean;
  readEvents(afterSeq?: number, limit?: number): JournalEvent[];
  pendingOperations(): q.PendingOperations;

  setSetting(key: string, value: string): Setting;
  getSetting(key: string): string | null;
  listSettings(): Setting[];

  /** Re-hashes the whole log and reports the first broken link. */
  verifyChain(): ChainVerdict;
  /** Writes a checked, self-contained copy of the journal to `path` (backup.ts). */
  backup(path: string): Promise<BackupReport>;
  /** The business day `instant` (default: now) falls in, by this journal's rule. */
  businessDay(instant?: Date): BusinessDay;
  /** The pragmas as SQLite reports them now, for a diagnostics screen. */
  pragmas(): PragmaReport;
  close(): void;
}

/** Wraps an already opened and migrated connection. openJournal is the normal way in. */
export function createJournal(
  db: Database.Database,
  options: { timeZone?: string; cutoffHour?: number; now?: () => Date } = {},
): Journal {
  const { timeZone = 'Europe/Rome', cutoffHour = 0, now = () => new Date() } = options;
  const core = createCore(db, prepareStatements(db), { now, timeZone, cutoffHour });
  return {
    path: db.name,
    get timeZone() {
      return core.timeZone;
    },
    get cutoffHour() {
      return core.cutoffHour;
    },
    setBusinessDayRule: (rule) => core.setRule(rule),
    createSale: (input) => sales.createSale(core, input),
    recordAuthorizationIntent: (id, extra) => auth.recordAuthorizationIntent(core, id, extra),
    recordAuthorizationCreated: (id, created) => auth.recordAuthorizationCreated(core, id, created),
    recordAuthorizationFailed: (id, error, extra) => auth.recordAuthorizationFailed(core, id, error, extra),
    recordAuthorizationUnknown: (id, error, extra) => auth.recordAuthorizationUnknown(core, id, error, extra),
    recordAuthorizationStatus: (id, status, detail) =>
      auth.recordAuthorizationStatus(core, id, status, detail),
    recordAuthorizationCancelIntent: (id, extra) => auth.recordAuthorizationCancelIntent(core, id, extra),
    recordAuthorizationLink: (id, link, extra) => auth.recordAuthorizationLink(core, id, link, extra),
    recordSaleState: (id, state, detail) => sales.recordSaleState(core, id, state, detail),
    recordChargeIntent: (id, amount, extra) => recordChargeIntent(core, id, amount, extra),
    recordChargeOutcome: (id, outcome) => recordChargeOutcome(core, id, outcome),
    recordChargeObserved: (id, observed) => recordChargeObserved(core, id, observed),
    recordRefundIntent: (id, amount, reason, extra) => recordRefundIntent(core, id, amount, reason, extra),
    recordRefundOutcome: (id, outcome) => recordRefundOutcome(core, id, outcome),
    batch: (fn) => core.batch('batch', fn),
    getSale: (id) => q.getSale(core, id),
    getSaleByAuthorization: (id) => q.getSaleByAuthorization(core, id),
    liveSales: () => q.liveSales(core),
    getSaleDetail: (id) => q.getSaleDetail(core, id),
    getCharge: (id) => q.getCharge(core, id),
    getRefund: (id) => q.getRefund(core, id),
    getRefundByDropPayId: (id) => q.getRefundByDropPayId(core, id),
    listSales: (query) => q.listSales(core, query),
    saleTimeline: (id) => q.saleTimeline(core, id),
    saleHasEvent: (id, kind) => q.saleHasEvent(core, id, kind),
    readEvents: (afterSeq, limit) => q.readEvents(core, afterSeq, limit),
    pendingOperations: () => q.pendingOperations(core),
    setSetting: (key, value) => setSetting(core, key, value),
    getSetting: (key) => getSetting(core, key),
    listSettings: () => listSettings(core),
    // A deferred read transaction gives the walk one consistent snapshot while writers go on.
    verifyChain: () =>
      core.read('verifyChain', () =>
        db.transaction(() => verifyChainRows(core.st.chain.all.iterate())).deferred(),
      ),
    backup: (target) => backupJournal(db, target),
    businessDay: (instant = now()) => businessDay(instant, core.timeZone, core.cutoffHour),
    pragmas: () => core.read('pragmas', () => readPragmas(db)),
    close: () => {
      if (db.open) db.close();
    },
  };
}

/** Opens (creating or migrating as needed) the journal at `options.path`. Throws JournalOpenError. */
export function openJournal(options: JournalOptions): Journal {
  const { timeZone = 'Europe/Rome', cutoffHour = 0 } = options;
  try {
    assertTimeZone(timeZone);
    assertCutoffHour(cutoffHour);
  } catch (error) {
    throw new JournalOpenError('INVALID_OPTIONS', messageOf(error), { cause: error });
  }
  let db;
  try {
    db = openJournalDatabase(options);
  } catch (error) {
    throw withPath(error, options.path);
  }
  try {
    return createJournal(db, { timeZone, cutoffHour, ...(options.now ? { now: options.now } : {}) });
  } catch (error) {
    db.close();
    throw withPath(error, options.path);
  }
}

/** Marks a journal error met while opening with the file it was about (for whoever reports it). */
function withPath(error: unknown, path: string): unknown {
  if (error instanceof JournalError && error.journalPath === undefined) error.journalPath = path;
  return error;
}
