/**
 * The day's report. An open day is computed from the journal's rows; a closed day is the
 * report stored by its closure, plus what changed on its rows since (later adjustments) and a
 * fresh look at the event chain. Everything is read in one read transaction, so the sections
 * describe the same moment even while the till keeps recording.
 */
import { isBusinessDay, type BusinessDay } from '../journal/business-day';
import { chainSection, rowAltered, type ChainMode, type VerifiedPrefix } from './chain';
import type { ChargeStatus, Policy, RefundStatus, SaleState } from '../journal/types';
import { POLICIES } from '../journal/types';
import { allAdjustments, section } from './adjustments';
import { withBook, type BookSource, type DayBook } from './book';
import { checkSection } from './check-store';
import { closureHeads, closureInfo, closureOf, verifyClosures, type ClosureRow } from './closures';
import { dayWindow, hourBuckets, type DayWindow } from './day-window';
import { ReconciliationError } from './errors';
import { reportStatements, unsettledOfClosedDays, type GroupRow, type ItemTuple } from './queries';
import { earlierFailedAttempts } from './refund-attempts';
import type { ChainSection, CountSum, DayReport, HourLine, PolicyLine } from './types';

export interface ReportOptions {
  /**
   * How much of the event chain to re-hash: true (default) the whole log, false none,
   * 'since-last-closure' only what came after the last closure's anchor (see chain.ts).
   */
  verifyChain?: boolean | 'since-last-closure';
  /** The clock for `generatedAt`. */
  now?: () => Date;
  /**
   * The shop's name as the app knows it (its setting, else DropPay's store name). Default:
   * the journal's own setting, which is all the command line has.
   */
  storeName?: string | null;
  /** The till's POS ID, printed on the report. Default: none. */
  posId?: string | null;
  /** For a full check: a prefix of the log already re-hashed (closeDay, outside its lock). */
  chainPrefix?: VerifiedPrefix | null;
  /**
   * Also hold the day's charges and refunds against their own events (chain.ts rowAltered), so
   * a row edited behind the app's back shows as a broken chain. About 80 ms for a day of
   * 10,000 sales: the close and the day screen ask for it; other reads (exports, the command
   * line, the benchmarks) do not. Only when the chain itself is checked and holds.
   */
  checkRows?: boolean;
}

const HOUR_MS = 3_600_000;

export function assertDay(day: string): BusinessDay {
  if (!isBusinessDay(day)) {
    throw new ReconciliationError(
      'INVALID_DAY',
      `a day is a date written YYYY-MM-DD, got ${JSON.stringify(day)}`,
    );
  }
  return day;
}

const zero = (): CountSum => ({ count: 0, cents: 0 });
const PAID = new Set(['DONE', 'ACCOUNTED']);

function add(into: CountSum, row: { count: number; cents: number }): void {
  into.count += row.count;
  into.cents += row.cents;
}

function byStatus<S extends string>(groups: GroupRow[]) {
  const done = zero();
  const failed = zero();
  const unsettled = zero();
  const all: Partial<Record<S, CountSum>> = {};
  for (const g of groups) {
    add((all[g.status as S] ??= zero()), g);
    add(PAID.has(g.status) ? done : g.status === 'FAILED' ? failed : unsettled, g);
  }
  return { done, failed, unsettled, byStatus: all };
}

/** Folds the paid (status, policy, UTC minute) groups into the policy lines and the hours. */
function spread(
  groups: GroupRow[],
  window: DayWindow,
  policies: Map<Policy, PolicyLine>,
  hours: HourLine[],
  kind: 'charged' | 'refunded',
): void {
  const sign = kind === 'charged' ? 1 : -1;
  for (const g of groups) {
    if (!PAID.has(g.status)) continue;
    const line = policies.get(g.policy as Policy);
    if (line) add(line[kind], g);
    const t = Date.parse(`${g.slot}:00.000Z`);
    const hour = hours[Math.min(Math.max(Math.floor((t - window.startMs) / HOUR_MS), 0), hours.length - 1)];
    if (hour) {
      add(hour[kind], g);
      hour.netCents += sign * g.cents;
    }
  }
}

/** An earlier failed attempt of a refund asked again, as one refund of its (status, policy, minute). */
function attemptGroup(line: ItemTuple): GroupRow {
  const [, , , , policy, , status, amount, at] = line;
  return { status, policy, slot: at.slice(0, 16), count: 1, cents: amount };
}

function chainOf(book: DayBook, day: BusinessDay, options: ReportOptions): ChainSection {
  const v = options.verifyChain ?? true;
  const mode: ChainMode = v === true ? 'full' : v === false ? 'none' : v;
  const chain = chainSection(book.db, mode, book.hasReconTables, options.chainPrefix ?? null);
  if (chain.ok !== true || options.checkRows !== true) return chain;
  // The totals come from the day's rows: each must still be what its events recorded.
  const altered = rowAltered(book.db, day);
  if (altered === null) return chain;
  return { ...chain, ok: false, brokenAtSeq: altered.seq, reason: 'row-altered', message: altered.message };
}

/** The report computed from the rows as they are now. Call inside a transaction. */
export function liveReport(book: DayBook, day: BusinessDay, options: ReportOptions = {}): DayReport {
  const st = reportStatements(book.db);
  const window = dayWindow(day, book.timeZone, book.cutoffHour);
  const chargeGroups = st.chargeGroups.all({ day });
  // A refund asked again keeps one row, at its latest attempt: each earlier attempt of it that
  // failed on this day counts here too, as a failed refund of its own (rare: rows with attempt > 1).
  const attempts = earlierFailedAttempts(book.db, day);
  const refundGroups = st.refundGroups.all({ day });
  if (attempts.length > 0) refundGroups.push(...attempts.map(attemptGroup));
  const charges = byStatus<ChargeStatus>(chargeGroups);
  const refunds = byStatus<RefundStatus>(refundGroups);

  const policies = new Map<Policy, PolicyLine>(
    POLICIES.map((p) => [p, { policy: p, sales: 0, charged: zero(), refunded: zero(), netCents: 0 }]),
  );
  const sales = { count: 0, byState: {} as Partial<Record<SaleState, number>> };
  for (const r of st.sales.all({ day })) {
    sales.count += r.count;
    const state = r.state as SaleState;
    sales.byState[state] = (sales.byState[state] ?? 0) + r.count;
    const line = policies.get(r.policy as Policy);
    if (line) line.sales += r.count;
  }
  const byHour: HourLine[] = hourBuckets(window, book.timeZone).map((b) => ({
    ...b,
    charged: zero(),
    refunded: zero(),
    netCents: 0,
  }));
  spread(chargeGroups, window, policies, byHour, 'charged');
  spread(refundGroups, window, policies, byHour, 'refunded');
  for (const line of policies.values()) line.netCents = line.charged.cents - line.refunded.cents;

  const adjustments = book.hasReconTables
    ? allAdjustments(book.db, closureHeads(book.db)).filter((a) => a.carriedBy === day)
    : [];
  return {
    version: 1,
    day,
    timeZone: book.timeZone,
    cutoffHour: book.cutoffHour,
    window: { start: window.start, end: window.end, hours: window.hours },
    storeName: options.storeName ?? book.storeName(),
    posId: options.posId ?? null,
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    sales,
    charges,
    refunds,
    totals: {
      chargedCents: charges.done.cents,
      refundedCents: refunds.done.cents,
      netCents: charges.done.cents - refunds.done.cents,
    },
    byPolicy: [...policies.values()],
    byHour,
    openPreauthorizations: st.openPreauthorizations.all({ day }).map((r) => ({
      saleId: r.id,
      merchantRef: r.merchant_ref,
      authorizationId: r.authorization_id,
      amount: r.amount,
      state: r.state as SaleState,
      createdAt: r.created_at,
    })),
    unsettled: [
      ...(book.hasReconTables ? unsettledOfClosedDays(book.db, day) : []),
      ...st.unsettled.all({ day }),
    ].map((r) => ({
      kind: r.kind,
      id: r.id,
      saleId: r.sale_id,
      merchantRef: r.merchant_ref,
      droppayId: r.droppay_id,
      amount: r.amount,
      status: r.status,
      createdAt: r.created_at,
      lastError: r.last_error,
    })),
    chain: chainOf(book, day, options),
    adjustments: section(adjustments),
    closure: null,
    laterAdjustments: section([]),
    check: book.hasReconTables ? checkSection(book.db, day) : null,
  };
}

/** A closed day: the stored report, with what changed since and the chain as it is now. */
function closedReport(book: DayBook, row: ClosureRow, options: ReportOptions): DayReport {
  const stored = JSON.parse(row.report_json) as DayReport;
  const later = allAdjustments(book.db, closureHeads(book.db)).filter((a) => a.day === row.business_day);
  const anchor =
    row.chain_head_seq === 0 ? undefined : reportStatements(book.db).eventHash.get(row.chain_head_seq);
  return {
    ...stored,
    // Closures stored before the report carried a POS ID.
    posId: stored.posId ?? null,
    // Read now: when it was closed is the closure's own time (closure.createdAt).
    generatedAt: (options.now ?? (() => new Date()))().toISOString(),
    chain: chainOf(book, row.business_day, options),
    closure: closureInfo(row, anchor, verifyClosures(book.db).ok),
    laterAdjustments: section(later),
    check: checkSection(book.db, row.business_day),
  };
}

/** The report of `day` (YYYY-MM-DD, a business day by the journal's zone and cut-off). */
export function buildDayReport(source: BookSource, day: string, options: ReportOptions = {}): DayReport {
  const d = assertDay(day);
  return withBook(source, true, (book) =>
    book.db
      .transaction(() => {
        const closure = book.hasReconTables ? closureOf(book.db, d) : null;
        return closure ? closedReport(book, closure, options) : liveReport(book, d, options);
      })
      .deferred(),
  );
}
