/**
 * The end-of-day report and what checking and closing a day produce. Plain data (JSON-safe),
 * money always integer cents, instants ISO UTC, so it crosses IPC, is stored in a closure and
 * exported as JSON unchanged.
 */
import type { Cents } from '../../../shared/money';
import type { BusinessDay } from '../journal/business-day';
import type { ChargeStatus, Policy, RefundStatus, SaleState } from '../journal/types';
import type { Finding } from './hints';

export interface CountSum {
  count: number;
  cents: Cents;
}

export interface PolicyLine {
  policy: Policy;
  /** Sales started that day with this policy. */
  sales: number;
  charged: CountSum;
  refunded: CountSum;
  netCents: number;
}

export interface HourLine {
  index: number;
  startsAt: string;
  /** Local "HH:MM"; on the day the clocks go back one label appears twice, told apart by `utcOffset`. */
  label: string;
  utcOffset: string;
  charged: CountSum;
  refunded: CountSum;
  netCents: number;
}

export interface OpenPreauthorization {
  saleId: string;
  merchantRef: string;
  authorizationId: string | null;
  amount: Cents;
  state: SaleState;
  createdAt: string;
}

/** Something whose outcome nobody knows yet: it blocks closing the day unless forced. */
export interface UnsettledItem {
  kind: 'authorization' | 'charge' | 'refund';
  id: string;
  saleId: string;
  merchantRef: string;
  droppayId: string | null;
  amount: Cents;
  status: string;
  createdAt: string;
  lastError: string | null;
}

/** What the report found when it re-hashed the event chain (see chain.ts for the scopes). */
export interface ChainSection {
  /** true: every event checked holds; false: broken at `brokenAtSeq`; null: not checked. */
  ok: boolean | null;
  scope: 'full' | 'since-last-closure' | 'none';
  /** Events after this seq were re-hashed (0 for the whole log). */
  fromSeq: number;
  /** How many events were re-hashed. */
  count: number;
  headSeq: number;
  headHash: string;
  brokenAtSeq?: number;
  reason?: string;
  message?: string;
}

/** A change that reached a closed day's row after the day was closed. */
export interface Adjustment {
  /** The closed day the row belongs to. */
  day: BusinessDay;
  /** The report that carries it (see adjustments.ts for the rule). */
  carriedBy: BusinessDay;
  seq: number;
  at: string;
  itemKind: 'charge' | 'refund';
  itemId: string;
  saleId: string;
  merchantRef: string;
  droppayId: string | null;
  from: ChargeStatus | RefundStatus | null;
  to: ChargeStatus | RefundStatus;
  chargedDeltaCents: number;
  refundedDeltaCents: number;
  netDeltaCents: number;
  /** The charge's or refund's amount after the step: at stake while its outcome is open. */
  amountCents: number;
}

export interface AdjustmentsSection {
  items: Adjustment[];
  chargedCents: number;
  refundedCents: number;
  netCents: number;
}

export interface ClosureInfo {
  seq: number;
  day: BusinessDay;
  createdAt: string;
  chainHeadSeq: number;
  chainHeadHash: string;
  forcedReason: string | null;
  hash: string;
  /** The event at chainHeadSeq still has chainHeadHash (the log was not cut back or rewritten). */
  anchorIntact: boolean;
  /** Every closure so far still hashes and links (none edited, dropped or reordered). */
  closuresIntact: boolean;
}

export interface CheckSection {
  startedAt: string;
  finishedAt: string | null;
  total: number;
  checked: number;
  skipped: number;
  errors: number;
  /** The day's charges and refunds made or changed in the journal after they were checked. */
  changedSince: number;
  /** Open disagreements with DropPay. */
  mismatches: Finding[];
  /** Outcomes the check learnt from DropPay and recorded in the journal. */
  settled: Finding[];
}

export interface DayReport {
  version: 1;
  day: BusinessDay;
  timeZone: string;
  cutoffHour: number;
  window: { start: string; end: string; hours: number };
  storeName: string | null;
  /** The till's DropPay POS ID, when the app built the report (the command line has none). */
  posId: string | null;
  generatedAt: string;
  sales: { count: number; byState: Partial<Record<SaleState, number>> };
  charges: {
    done: CountSum;
    failed: CountSum;
    unsettled: CountSum;
    byStatus: Partial<Record<ChargeStatus, CountSum>>;
  };
  refunds: {
    done: CountSum;
    failed: CountSum;
    unsettled: CountSum;
    byStatus: Partial<Record<RefundStatus, CountSum>>;
  };
  /** DONE and ACCOUNTED only: the money that moved. */
  totals: { chargedCents: Cents; refundedCents: Cents; netCents: number };
  byPolicy: PolicyLine[];
  byHour: HourLine[];
  openPreauthorizations: OpenPreauthorization[];
  unsettled: UnsettledItem[];
  chain: ChainSection;
  /** Changes to earlier closed days that this day's report carries. */
  adjustments: AdjustmentsSection;
  /** Set when the day is closed: the report is then the stored one. */
  closure: ClosureInfo | null;
  /** Closed days only: what changed on this day's rows after it was closed. */
  laterAdjustments: AdjustmentsSection;
  check: CheckSection | null;
}
