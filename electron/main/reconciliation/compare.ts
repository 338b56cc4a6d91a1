/**
 * Comparing one journal row with what DropPay says about it. Statuses are compared by money
 * class: DONE and ACCOUNTED both mean the money moved, FAILED that it did not, anything else
 * that nobody knows yet. The journal's own NEXT rules decide what may be recorded: an outcome
 * the journal did not know can be settled; a settled outcome that DropPay contradicts cannot,
 * and becomes a finding for the owner.
 */
import type { ChargeStatus as RemoteChargeStatus, RefundStatus as RemoteRefundStatus } from '../droppay';
import type { ChargeOutcomeStatus, ChargeStatus, RefundOutcomeStatus, RefundStatus } from '../journal/types';

export type MoneyClass = 'paid' | 'failed' | 'open';

export function localClass(status: ChargeStatus | RefundStatus): MoneyClass {
  if (status === 'DONE' || status === 'ACCOUNTED') return 'paid';
  if (status === 'FAILED') return 'failed';
  return 'open';
}

export function remoteClass(status: RemoteChargeStatus | RemoteRefundStatus): MoneyClass {
  if (status === 'DONE' || status === 'ACCOUNTED') return 'paid';
  if (status === 'FAILED') return 'failed';
  return 'open';
}

export function chargeOutcomeOf(status: RemoteChargeStatus): ChargeOutcomeStatus {
  return status === 'PENDING' ? 'pending' : status;
}

export function refundOutcomeOf(status: RemoteRefundStatus): RefundOutcomeStatus {
  return status === 'PENDING' ? 'ENQUEUED' : status;
}

/** What to do about a row DropPay knows, given both statuses and amounts. */
export type Verdict =
  | { kind: 'match' }
  | { kind: 'pending' } // DropPay has not decided yet: ask again later
  | { kind: 'settle' } // the journal did not know; DropPay does: record it
  | { kind: 'status-differs' }
  | { kind: 'amount-differs' };

export function compare(
  local: { status: ChargeStatus | RefundStatus; amount: number },
  remote: { status: RemoteChargeStatus | RemoteRefundStatus; amount: number },
): Verdict {
  if (local.amount !== remote.amount) return { kind: 'amount-differs' };
  const l = localClass(local.status);
  const r = remoteClass(remote.status);
  if (l === 'open') return r === 'open' ? { kind: 'pending' } : { kind: 'settle' };
  if (r === 'open') return { kind: 'pending' };
  return l === r ? { kind: 'match' } : { kind: 'status-differs' };
}
