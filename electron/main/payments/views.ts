/**
 * Journal rows to what the renderer sees (shared/sales.ts). Pure functions of the journal's
 * data: the UI can never learn anything the journal does not say.
 */
import { damagedSaleError, saleDamage } from './damage';
import type { ItemCheck } from './recovery';
import type { Charge, JournalEvent, PendingOperations, Refund, Sale, SaleDetail } from '../journal';
import {
  captureDeadline,
  type ChargeView,
  type RefundView,
  type SaleView,
  type TimelineEntry,
} from '../../../shared/sales';
import type { TimelineKind } from '../../../shared/sale-states';
import type { PendingItem, PendingSummary } from '../../../shared/sale-events';

const SETTLED = new Set(['DONE', 'ACCOUNTED']);

function refundView(r: Refund): RefundView {
  return {
    id: r.id,
    droppayId: r.droppayId,
    amount: r.amount,
    reason: r.reason,
    status: r.status,
    // When the refund shown (the row's current attempt) was asked: a refund asked again after a
    // FAILED one keeps its row, and the row its first attempt's createdAt.
    createdAt: r.askedAt,
    updatedAt: r.updatedAt,
    lastError: r.lastError,
  };
}

function chargeView(c: Charge, refund: Refund | undefined): ChargeView {
  return {
    id: c.id,
    droppayId: c.droppayId,
    amount: c.amount,
    status: c.status,
    origin: c.origin,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastError: c.lastError,
    refund: refund === undefined ? null : refundView(refund),
  };
}

/** When the payer's time runs out: creation plus the configured waiting time. */
export function waitingExpiresAt(sale: Sale, waitingSeconds: number): string {
  return new Date(Date.parse(sale.createdAt) + waitingSeconds * 1000).toISOString();
}

/** A charge can be refunded when it moved money and has no refund, or only one that FAILED. */
export function isRefundable(charge: Charge, refund: Refund | undefined): boolean {
  if (!SETTLED.has(charge.status) || charge.droppayId === null) return false;
  return refund === undefined || refund.status === 'FAILED';
}

/** The sale as every screen shows it; a PaymentsError (STORAGE, journal.saleDamaged) if a stored date is not real. */
export function toSaleView(detail: SaleDetail, waitingSeconds: number): SaleView {
  const damage = saleDamage(detail);
  if (damage !== null) throw damagedSaleError(detail, damage);
  const { sale } = detail;
  const refundOf = new Map(detail.refunds.map((r) => [r.chargeId, r]));
  let charged = 0;
  let refunded = 0;
  let refundable = 0;
  for (const c of detail.charges) {
    const refund = refundOf.get(c.id);
    if (SETTLED.has(c.status)) charged += c.amount;
    if (refund && SETTLED.has(refund.status)) refunded += refund.amount;
    if (isRefundable(c, refund)) refundable += c.amount;
  }
  return {
    id: sale.id,
    merchantRef: sale.merchantRef,
    amount: sale.amount,
    description: sale.description,
    policy: sale.policy,
    state: sale.state,
    authorizationId: sale.authorizationId,
    authorizationStatus: sale.authorizationStatus,
    sharingUrl: sale.sharingUrl,
    waitingExpiresAt: waitingExpiresAt(sale, waitingSeconds),
    captureBy: sale.policy === 'BOOKED' ? captureDeadline(sale.createdAt) : null,
    businessDay: sale.businessDay,
    createdAt: sale.createdAt,
    updatedAt: sale.updatedAt,
    lastError: sale.lastError,
    charged,
    refunded,
    refundable,
    charges: detail.charges.map((c) => chargeView(c, refundOf.get(c.id))),
  };
}

/** The newest change to a sale or anything under it: a new value means "tell the UI". */
export function versionOf(detail: SaleDetail): number {
  let v = detail.sale.lastEventSeq;
  for (const c of detail.charges) v = Math.max(v, c.lastEventSeq);
  for (const r of detail.refunds) v = Math.max(v, r.lastEventSeq);
  return v;
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
function num(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/**
 * One journal event as a history line. Only named summary fields are copied (never the whole
 * payload), so nothing secret-like can reach the screen even if a payload grew a field.
 */
export function toTimelineEntry(e: JournalEvent): TimelineEntry | null {
  if (e.kind === 'setting.changed') return null;
  const p = e.payload as Record<string, unknown> & { extra?: Record<string, unknown> };
  const kind: TimelineKind = e.kind;
  return {
    seq: e.seq,
    at: e.at,
    kind,
    entityId: e.entityId,
    saleState: (str(p.sale_state) as TimelineEntry['saleState']) ?? null,
    amount: num(p.amount),
    status: str(p.authorization_status) ?? str(p.charge_status) ?? str(p.refund_status),
    droppayId: str(p.droppay_id) ?? str(p.authorization_id),
    error: str(p.error),
    note: str(p.note) ?? str(p.extra?.note),
  };
}

export function toTimeline(events: readonly JournalEvent[]): TimelineEntry[] {
  return events.flatMap((e) => toTimelineEntry(e) ?? []);
}

/**
 * How long a charge DropPay took but has not settled (NEW, ENQUEUED) stays off the banner:
 * a moment is normal; a minute means DropPay, or the till's reading of it, is stuck.
 */
export const PENDING_CHARGE_SHOWN_AFTER_MS = 60_000;

/** What the resolver last learnt of an item; times are epoch ms. */
export type PendingCheck = ItemCheck;

/**
 * Operations whose outcome nobody knows yet, for the banner. `live` holds the ids this process
 * is working on right now (a charge POST in flight is not "unknown", just busy). `now` (epoch
 * ms) decides which pending charges have waited too long. `checks` (by sale id for an
 * authorization, else by charge or refund id) says why the last read-back did not settle one
 * and when the next is due.
 */
export function pendingSummary(
  ops: PendingOperations,
  saleOf: (saleId: string) => Sale | null,
  live: ReadonlySet<string>,
  now: number = Date.now(),
  checks: ReadonlyMap<string, PendingCheck> = new Map(),
): PendingSummary {
  const items: PendingItem[] = [];
  const add = (
    id: string,
    base: Pick<PendingItem, 'saleId' | 'merchantRef' | 'kind' | 'amount' | 'since' | 'lastError'>,
    qrNeverShown = false,
  ): void => {
    const check = checks.get(id);
    items.push({
      ...base,
      qrNeverShown,
      problem: check?.problem ?? null,
      checkedAt: check ? new Date(check.checkedAt).toISOString() : null,
      nextCheckAt: check ? new Date(check.nextAt).toISOString() : null,
    });
  };
  for (const s of ops.authorizations) {
    if (live.has(s.id)) continue;
    add(
      s.id,
      {
        saleId: s.id,
        merchantRef: s.merchantRef,
        kind: 'authorization',
        amount: s.amount,
        since: s.updatedAt,
        lastError: s.lastError,
      },
      s.sharingUrl === null,
    );
  }
  for (const c of ops.charges) {
    const settling = c.status === 'pending' && now - Date.parse(c.updatedAt) < PENDING_CHARGE_SHOWN_AFTER_MS;
    if (live.has(c.id) || settling) continue;
    add(c.id, {
      saleId: c.saleId,
      merchantRef: saleOf(c.saleId)?.merchantRef ?? '',
      kind: 'charge',
      amount: c.amount,
      since: c.updatedAt,
      lastError: c.lastError,
    });
  }
  for (const r of ops.refunds) {
    if (live.has(r.id) || r.status === 'ENQUEUED') continue;
    add(r.id, {
      saleId: r.saleId,
      merchantRef: saleOf(r.saleId)?.merchantRef ?? '',
      kind: 'refund',
      amount: r.amount,
      since: r.updatedAt,
      lastError: r.lastError,
    });
  }
  return { count: items.length, items };
}
