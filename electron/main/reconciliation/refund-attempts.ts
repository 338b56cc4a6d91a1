/**
 * The earlier attempts of a refund asked again after a FAILED one. Its journal row holds only
 * the latest attempt; the earlier ones are read back from its events (refund.intent, then the
 * refund.status or refund.unknown that followed) and shown each as a failed refund of its own,
 * as an export line in the items query's columns and order.
 */
import type Database from 'better-sqlite3';
import type { BusinessDay } from '../journal/business-day';
import type { EventLite } from './adjustments';
import { reportStatements, type ItemTuple } from './queries';

/** One attempt of a refund, as its events tell it. */
export interface RefundAttempt {
  attempt: number;
  businessDay: string;
  at: string;
  amount: number;
  reason: string;
  /** What its last event said: FAILED for every attempt but a refund's latest. */
  status: string;
  droppayId: string | null;
}

/**
 * A refund's attempts from its events, in order: each `refund.intent` starts one (its day,
 * time, amount, reason and number), and the `refund.status` / `refund.unknown` events after it
 * say what became of it and under which DropPay id. The row holds only the latest.
 */
export function refundAttempts(events: Iterable<EventLite>): RefundAttempt[] {
  const out: RefundAttempt[] = [];
  for (const e of events) {
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    if (e.kind === 'refund.intent') {
      out.push({
        attempt: typeof p.attempt === 'number' ? p.attempt : out.length + 1,
        businessDay: e.business_day,
        at: e.at,
        amount: typeof p.amount === 'number' ? p.amount : 0,
        reason: typeof p.reason === 'string' ? p.reason : '',
        status: 'intent',
        droppayId: null,
      });
      continue;
    }
    const current = out[out.length - 1];
    if (current === undefined || typeof p.refund_status !== 'string') continue;
    current.status = p.refund_status;
    if (typeof p.droppay_id === 'string' || p.droppay_id === null) current.droppayId = p.droppay_id;
  }
  return out;
}

/** An attempt as an export line of its refund, in the items query's columns. */
export function attemptLine(
  row: { id: string; sale_id: string; merchant_ref: string; policy: string; description: string },
  a: RefundAttempt,
): ItemTuple {
  return [
    'refund',
    row.id,
    row.sale_id,
    row.merchant_ref,
    row.policy,
    a.droppayId,
    a.status,
    a.amount,
    a.at,
    row.description,
    a.reason,
  ];
}

/**
 * The earlier attempts made on `day` of refunds asked again after a FAILED one, as export
 * lines: each FAILED, with its own time, amount, reason and DropPay id (when DropPay gave it
 * one), as a failed refund never asked again shows. The row keeps only the latest attempt; the
 * earlier ones are in the event log only (refund.intent with a lower attempt number, then the
 * refund.status FAILED that ended it). Call inside the report's read transaction.
 */
export function earlierFailedAttempts(db: Database.Database, day: BusinessDay): ItemTuple[] {
  const st = reportStatements(db);
  const out: ItemTuple[] = [];
  for (const row of st.retried.all({ day })) {
    for (const a of refundAttempts(st.entityEvents.all(row.sale_id, row.id, Number.MAX_SAFE_INTEGER))) {
      if (a.attempt < row.attempt && a.status === 'FAILED' && a.businessDay === day)
        out.push(attemptLine(row, a));
    }
  }
  return out;
}

/** The items query's order: time, then kind. */
export function byTime(a: ItemTuple, b: ItemTuple): number {
  return a[8] < b[8] ? -1 : a[8] > b[8] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** The day's lines with the earlier failed attempts among them, in the items query's order. */
export function withAttempts(lines: ItemTuple[], attempts: ItemTuple[]): ItemTuple[] {
  return attempts.length === 0 ? lines : [...lines, ...attempts].sort(byTime);
}
