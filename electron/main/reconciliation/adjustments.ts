/**
 * Adjustments: what reaches a closed day after it was closed. A closed day's report never
 * changes, but the journal can still learn things about its rows (a late-settled unknown, a
 * refund recorded after closing on the same business day). Each such event is an adjustment:
 *
 * - it concerns a charge or refund row whose business_day is a closed day D, and its seq is
 *   after the closure's chain head;
 * - it counts only when it moves the row between money classes (paid, failed, unsettled):
 *   DONE → ACCOUNTED changes nothing and is not listed;
 * - it is carried by ONE later report: the first day on or after max(the day it landed on,
 *   D + 1) that was not already closed when it landed. That report lists it and sums it, and
 *   its closure stores the sum; D's own report lists it under `laterAdjustments`.
 */
import type Database from 'better-sqlite3';
import type { BusinessDay } from '../journal/business-day';
import type { ChargeStatus, RefundStatus } from '../journal/types';
import { dayAfter } from './day-window';
import type { Adjustment, AdjustmentsSection } from './types';

type Status = ChargeStatus | RefundStatus;
type MoneyClass = 'none' | 'paid' | 'failed' | 'unsettled';

function classOf(status: Status | null): MoneyClass {
  if (status === null) return 'none';
  if (status === 'DONE' || status === 'ACCOUNTED') return 'paid';
  if (status === 'FAILED') return 'failed';
  return 'unsettled';
}

interface RowRef {
  kind: 'charge' | 'refund';
  id: string;
  sale_id: string;
  merchant_ref: string;
  droppay_id: string | null;
  amount: number;
}

export interface EventLite {
  seq: number;
  at: string;
  business_day: string;
  kind: string;
  payload: string;
}

/** The row's status and amount right after an event about it. */
export function statusAfter(e: EventLite): { status: Status; amount: number | null } | null {
  const p = JSON.parse(e.payload) as Record<string, unknown>;
  const amount = typeof p.amount === 'number' ? p.amount : null;
  if (e.kind === 'charge.intent' || e.kind === 'refund.intent') return { status: 'intent', amount };
  const status = p.charge_status ?? p.refund_status;
  return typeof status === 'string' ? { status: status as Status, amount } : null;
}

function emptySection(): AdjustmentsSection {
  return { items: [], chargedCents: 0, refundedCents: 0, netCents: 0 };
}

export function section(items: Adjustment[]): AdjustmentsSection {
  const s = emptySection();
  for (const a of items) {
    s.items.push(a);
    s.chargedCents += a.chargedDeltaCents;
    s.refundedCents += a.refundedDeltaCents;
    s.netCents += a.netDeltaCents;
  }
  return s;
}

/** Which report carries an event that landed (`seq`, on `landedOn`) for closed day `day`. */
export function carrierOf(
  day: BusinessDay,
  seq: number,
  landedOn: BusinessDay,
  closedHead: ReadonlyMap<BusinessDay, number>,
): BusinessDay {
  const next = dayAfter(day);
  let d = landedOn > next ? landedOn : next;
  for (;;) {
    const head = closedHead.get(d);
    if (head === undefined || head >= seq) return d;
    d = dayAfter(d);
  }
}

/** Every adjustment to every closed day, in event order. */
export function allAdjustments(
  db: Database.Database,
  closures: readonly { day: BusinessDay; headSeq: number }[],
): Adjustment[] {
  const rows = db.prepare<[{ day: string; head: number }], RowRef>(
    `SELECT 'charge' AS kind, c.id, c.sale_id, s.merchant_ref, c.droppay_id, c.amount
       FROM charges c JOIN sales s ON s.id = c.sale_id WHERE c.business_day = @day AND c.last_event_seq > @head
     UNION ALL
     SELECT 'refund', r.id, c.sale_id, s.merchant_ref, r.droppay_id, r.amount
       FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
      WHERE r.business_day = @day AND r.last_event_seq > @head`,
  );
  const events = db.prepare<[string, string], EventLite>(
    `SELECT seq, at, business_day, kind, payload FROM events
      WHERE correlation_id = ? AND entity_id = ? ORDER BY seq`,
  );
  const closedHead = new Map(closures.map((c) => [c.day, c.headSeq]));
  const out: Adjustment[] = [];
  for (const closure of closures) {
    for (const row of rows.all({ day: closure.day, head: closure.headSeq })) {
      let status: Status | null = null;
      let amount = row.kind === 'charge' ? row.amount : 0;
      for (const e of events.all(row.sale_id, row.id)) {
        const after = statusAfter(e);
        if (after === null) continue;
        // A refund asked again after a FAILED attempt: the failed attempt stays as it was, on
        // its own day's report (refund-attempts.ts earlierFailedAttempts); what follows is a
        // new refund.
        if (e.kind === 'refund.intent') status = null;
        const before = status;
        const beforeAmount = amount;
        status = after.status;
        if (after.amount !== null) amount = after.amount;
        if (e.seq <= closure.headSeq || classOf(before) === classOf(status)) continue;
        const delta =
          (classOf(status) === 'paid' ? amount : 0) - (classOf(before) === 'paid' ? beforeAmount : 0);
        const charged = row.kind === 'charge' ? delta : 0;
        const refunded = row.kind === 'refund' ? delta : 0;
        out.push({
          day: closure.day,
          carriedBy: carrierOf(closure.day, e.seq, e.business_day, closedHead),
          seq: e.seq,
          at: e.at,
          itemKind: row.kind,
          itemId: row.id,
          saleId: row.sale_id,
          merchantRef: row.merchant_ref,
          droppayId: row.droppay_id,
          from: before,
          to: status,
          chargedDeltaCents: charged,
          refundedDeltaCents: refunded,
          netDeltaCents: charged - refunded,
          amountCents: amount === 0 ? row.amount : amount,
        });
      }
    }
  }
  return out.sort((a, b) => a.seq - b.seq);
}
