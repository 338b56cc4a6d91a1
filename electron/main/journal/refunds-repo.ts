/**
 * Refunds: one per charge (the schema enforces it, as DropPay does), never above the charge,
 * intent recorded before the POST and outcome after.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from './canonical-json';
import type { Core } from './core';
import { JournalNotFoundError, JournalStateError } from './errors';
import { loadCharge } from './charges-repo';
import { type RefundColumns, type RefundRow, toRefund } from './rows';
import { REFUND_STATUSES, type Refund, type RefundOutcomeStatus, type RefundStatus } from './types';
import * as v from './validate';

const OUTCOMES = REFUND_STATUSES.filter((s): s is RefundOutcomeStatus => s !== 'intent');

/** DropPay's order: ENQUEUED, then DONE or FAILED, then ACCOUNTED. */
const NEXT: Record<RefundStatus, readonly RefundOutcomeStatus[]> = {
  intent: ['ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  ENQUEUED: ['ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  unknown: ['ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  DONE: ['DONE', 'ACCOUNTED'],
  ACCOUNTED: ['ACCOUNTED'],
  FAILED: ['FAILED'],
};

function loadRefund(core: Core, refundId: string): RefundRow {
  const row = core.st.refund.get(refundId);
  if (!row) throw new JournalNotFoundError('refund', refundId);
  return row;
}

/** Strips the joined sale_id and the selected asked_at: they are not columns of refunds. */
function refundColumns(row: RefundRow): RefundColumns {
  const { sale_id: _saleId, asked_at: _askedAt, ...columns } = row;
  return columns;
}

/**
 * Before POSTing a refund. A charge's refund row is reused only when the earlier attempt
 * FAILED, so moved no money: DropPay never accepted it (the POST could not leave the terminal),
 * or accepted it and then marked it FAILED. The row's DropPay id is cleared for the new attempt;
 * the old one stays in the event log.
 */
export function recordRefundIntent(
  core: Core,
  chargeId: string,
  amount: number,
  reason: string,
  extra?: JsonObject,
): Refund {
  const cents = v.positiveCents(amount, 'refund amount');
  const why = v.text(reason, 'refund reason', 512);
  return core.write('recordRefundIntent', (tx) => {
    const charge = loadCharge(core, chargeId);
    if (charge.status !== 'DONE' && charge.status !== 'ACCOUNTED') {
      throw new JournalStateError(
        `charge ${chargeId} is ${charge.status}; only a DONE or ACCOUNTED charge can be refunded`,
      );
    }
    if (charge.droppay_id === null)
      throw new JournalStateError(`charge ${chargeId} has no DropPay id yet; it cannot be refunded`);
    if (cents > charge.amount) {
      throw new JournalStateError(
        `refund of ${cents} cents exceeds charge ${chargeId} (${charge.amount} cents)`,
      );
    }
    const previous = core.st.refundOfCharge.get(chargeId);
    if (previous && previous.status !== 'FAILED') {
      throw new JournalStateError(`charge ${chargeId} already has a refund (${previous.status})`);
    }
    const id = previous?.id ?? randomUUID();
    const attempt = (previous?.attempt ?? 0) + 1;
    const seq = tx.append(
      'refund.intent',
      { correlationId: charge.sale_id, entityId: id },
      { charge_id: chargeId, charge_droppay_id: charge.droppay_id, amount: cents, reason: why, attempt },
      extra,
    );
    const row: RefundColumns = {
      id,
      charge_id: chargeId,
      droppay_id: null,
      amount: cents,
      reason: why,
      status: 'intent',
      attempt,
      business_day: tx.day,
      created_at: previous?.created_at ?? tx.at,
      updated_at: tx.at,
      last_error: null,
      last_event_seq: seq,
    };
    if (previous) core.st.updateRefund.run(row);
    else core.st.insertRefund.run(row);
    return toRefund({ ...row, sale_id: charge.sale_id, asked_at: tx.at });
  });
}

/** What became of a refund. Recording the status (and id) already on file writes nothing. */
export function recordRefundOutcome(
  core: Core,
  refundId: string,
  outcome: { status: RefundOutcomeStatus; droppayId?: string; error?: string; extra?: JsonObject },
): Refund {
  const status = v.oneOf(outcome.status, OUTCOMES, 'refund status');
  const droppayId = outcome.droppayId === undefined ? undefined : v.id(outcome.droppayId, 'droppayId');
  const error = v.errorText(outcome.error);
  return core.write('recordRefundOutcome', (tx) => {
    const refund = loadRefund(core, refundId);
    if (droppayId !== undefined && refund.droppay_id !== null && refund.droppay_id !== droppayId) {
      throw new JournalStateError(
        `refund ${refundId} is DropPay refund ${refund.droppay_id}, not ${droppayId}`,
      );
    }
    const learnsId = droppayId !== undefined && refund.droppay_id === null;
    if (learnsId && core.st.refundByDroppayId.get(droppayId) !== undefined) {
      throw new JournalStateError(`DropPay refund ${droppayId} is already on file for another refund`);
    }
    if (refund.status === status && !learnsId) return toRefund(refund);
    if (!NEXT[refund.status as RefundStatus].includes(status)) {
      throw new JournalStateError(`refund ${refundId} is ${refund.status}; it cannot become ${status}`);
    }
    const droppay = droppayId ?? refund.droppay_id;
    const seq = tx.append(
      status === 'unknown' ? 'refund.unknown' : 'refund.status',
      { correlationId: refund.sale_id, entityId: refundId },
      { droppay_id: droppay, refund_status: status, error },
      outcome.extra,
    );
    const next: RefundRow = {
      ...refund,
      droppay_id: droppay,
      status,
      updated_at: tx.at,
      last_error: error,
      last_event_seq: seq,
    };
    core.st.updateRefund.run(refundColumns(next));
    return toRefund(next);
  });
}
