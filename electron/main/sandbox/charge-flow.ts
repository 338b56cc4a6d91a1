import type { Outbox, SandboxCore } from './context';
import { sql } from './db';
import { fail } from './errors';
import { emitAuthorization, emitCharge, emitRefund } from './events';
import { newId } from './ids';
import {
  getAuthorization,
  getCharge,
  getRefund,
  latestRefundOf,
  type AuthorizationRow,
  type ChargeRow,
  type RefundRow,
} from './rows';

/** Moving money: charges on an authorization, and refunds of a charge. */

export interface ChargeDetails {
  amountCents: number;
  payTokenVal: string | null;
  description: string;
  merchantCustomId: string | null;
  merchantCustomLabel: string | null;
}

/**
 * Records a charge the checks have already allowed. It is DONE at once unless a failure was
 * armed; only a DONE charge counts, spends the pay token, and may use up the authorization.
 */
export function createCharge(
  core: SandboxCore,
  out: Outbox,
  auth: AuthorizationRow,
  details: ChargeDetails,
  at: number,
): ChargeRow {
  const failed = core.chargeFailuresPending > 0;
  if (failed) core.chargeFailuresPending -= 1;
  const id = newId.charge();
  sql(
    core.db,
    `INSERT INTO charges (id, authorization_id, pos_id, pay_token_val, amount_cents, description,
         merchant_custom_id, merchant_custom_label, status, created_at, done_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    auth.id,
    auth.pos_id,
    details.payTokenVal,
    details.amountCents,
    details.description,
    details.merchantCustomId,
    details.merchantCustomLabel,
    failed ? 'FAILED' : 'DONE',
    at,
    failed ? null : at,
    at,
  );
  if (!failed) {
    const count = auth.success_count + 1;
    sql(
      core.db,
      'UPDATE authorizations SET success_count = ?, pay_token_used = 1, updated_at = ? WHERE id = ?',
    ).run(count, at, auth.id);
    // Count used up: EXPIRED, whatever the policy (the contract's statuses). A CHARGED one is
    // so at once, in the grant's own transaction: a till polling it sees WAITING, then EXPIRED
    // with its charge_id, never GRANTED, and must take the charge as the payment.
    if (count >= auth.max_count) {
      sql(
        core.db,
        "UPDATE authorizations SET status = 'EXPIRED', expiry_reason = 'COUNT', updated_at = ? WHERE id = ?",
      ).run(at, auth.id);
      emitAuthorization(core, out, auth.id, at);
    }
  }
  emitCharge(core, out, id, at);
  const row = getCharge(core.db, id);
  if (!row) throw new Error(`charge ${id} vanished inside its own transaction`);
  return row;
}

export interface ChargeRequest {
  authorizationId: string;
  payTokenVal: string;
  amountCents: number;
  description: string | null;
  merchantCustomId: string | null;
  merchantCustomLabel: string | null;
}

/** A merchant charge: every rule of the contract, in the order a real gateway would check them. */
export function chargeAuthorization(
  core: SandboxCore,
  out: Outbox,
  posId: string,
  req: ChargeRequest,
  now: number,
): ChargeRow {
  const auth = getAuthorization(core.db, req.authorizationId);
  if (!auth) throw fail.notFound(`authorization ${req.authorizationId}`);
  if (auth.pos_id !== posId) throw fail.notYours(`authorization ${auth.id}`);
  if (auth.policy === 'CHARGED') {
    throw fail.notAllowed(`authorization ${auth.id} has policy CHARGED: DropPay charged it at granting`);
  }
  if (auth.status === 'EXPIRED' && (auth.expiry_reason === 'COUNT' || auth.expiry_reason === 'WINDOW')) {
    const why = auth.expiry_reason === 'COUNT' ? 'all its charges are used' : 'its charge window has ended';
    throw fail.outOfScope(`authorization ${auth.id} is out of scope: ${why}`);
  }
  if (auth.status !== 'GRANTED')
    throw fail.notAllowed(`authorization ${auth.id} is ${auth.status}, not GRANTED`);
  if (now < auth.date_start)
    throw fail.outOfScope(`authorization ${auth.id}: its charge window has not started`);
  if (auth.pay_token_val !== req.payTokenVal)
    throw fail.payToken('superseded or unknown: read the authorization again');
  if (auth.pay_token_used === 1)
    throw fail.payToken('already used by a charge: read the authorization again');
  if (auth.pay_token_expiring === null || auth.pay_token_expiring <= now) {
    throw fail.payToken('expired: read the authorization again');
  }
  if (auth.policy === 'CHARGEABLE' && req.amountCents !== auth.amount_cents) {
    throw fail.outOfScope(`amount must be exactly the authorized charge_amount`);
  }
  if (auth.policy === 'BOOKED' && req.amountCents > auth.amount_cents) {
    throw fail.outOfScope(`amount is above the booked charge_amount`);
  }
  return createCharge(
    core,
    out,
    auth,
    {
      amountCents: req.amountCents,
      payTokenVal: req.payTokenVal,
      description: req.description ?? auth.description,
      merchantCustomId: req.merchantCustomId,
      merchantCustomLabel: req.merchantCustomLabel,
    },
    now,
  );
}

export interface RefundRequest {
  chargeId: string;
  amountCents: number;
  reason: string;
}

export function refundCharge(
  core: SandboxCore,
  out: Outbox,
  posId: string,
  req: RefundRequest,
  now: number,
): RefundRow {
  const charge = getCharge(core.db, req.chargeId);
  if (!charge) throw fail.notFound(`charge ${req.chargeId}`);
  if (charge.pos_id !== posId) throw fail.notYours(`charge ${charge.id}`);
  if (charge.status !== 'DONE' && charge.status !== 'ACCOUNTED') {
    throw fail.notAllowed(
      `charge ${charge.id} is ${charge.status}: only a DONE or ACCOUNTED charge can be refunded`,
    );
  }
  // A FAILED refund moved no money, so it does not use up the charge's one refund.
  const previous = latestRefundOf(core.db, charge.id);
  if (previous && previous.status !== 'FAILED') throw fail.alreadyRefunded(charge.id);
  if (req.amountCents > charge.amount_cents) throw fail.wrong('amount', 'is above the amount of the charge');
  const willFail = core.refundFailuresPending > 0;
  if (willFail) core.refundFailuresPending -= 1;
  const id = newId.refund();
  sql(
    core.db,
    `INSERT INTO refunds (id, charge_id, pos_id, amount_cents, reason, status, will_fail, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'ENQUEUED', ?, ?, ?)`,
  ).run(id, charge.id, charge.pos_id, req.amountCents, req.reason, willFail ? 1 : 0, now, now);
  emitRefund(core, out, id, now);
  const row = getRefund(core.db, id);
  if (!row) throw new Error(`refund ${id} vanished inside its own transaction`);
  return row;
}
