import { PAY_TOKEN_SECONDS } from './config';
import { sql } from './db';
import type { Outbox, SandboxCore } from './context';
import { fail } from './errors';
import { emitAuthorization } from './events';
import { createCharge } from './charge-flow';
import { newId, newPayTokenVal } from './ids';
import {
  getAuthorization,
  type AuthorizationRow,
  type AuthorizationStatus,
  type ExpiryReason,
  type Policy,
} from './rows';

/** Authorization state changes. Each checks the state it starts from, so callers need not. */

export interface NewAuthorization {
  posId: string;
  description: string;
  amountCents: number;
  policy: Policy;
  maxCount: number;
  dateStart: number;
  dateEnd: number | null;
  merchantCustomId: string | null;
  webhooks: Record<string, string> | null;
  loopbackUri: string | null;
}

export function createAuthorization(
  core: SandboxCore,
  input: NewAuthorization,
  now: number,
): AuthorizationRow {
  const id = newId.authorization();
  sql(
    core.db,
    `INSERT INTO authorizations (id, pos_id, description, amount_cents, policy, max_count, date_start, date_end,
         merchant_custom_id, webhooks, loopback_uri, status, created_at, updated_at, waiting_until)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'WAITING', ?, ?, ?)`,
  ).run(
    id,
    input.posId,
    input.description,
    input.amountCents,
    input.policy,
    input.maxCount,
    input.dateStart,
    input.dateEnd,
    input.merchantCustomId,
    input.webhooks === null ? null : JSON.stringify(input.webhooks),
    input.loopbackUri,
    now,
    now,
    now + core.timings.waitingSeconds * 1000,
  );
  return mustGet(core, id);
}

function mustGet(core: SandboxCore, id: string): AuthorizationRow {
  const row = getAuthorization(core.db, id);
  if (!row) throw fail.notFound(`authorization ${id}`);
  return row;
}

export function setAuthorizationStatus(
  core: SandboxCore,
  out: Outbox,
  id: string,
  status: AuthorizationStatus,
  at: number,
  reason: ExpiryReason | null = null,
): void {
  sql(core.db, 'UPDATE authorizations SET status = ?, expiry_reason = ?, updated_at = ? WHERE id = ?').run(
    status,
    reason,
    at,
    id,
  );
  emitAuthorization(core, out, id, at);
}

function requireStatus(row: AuthorizationRow, wanted: AuthorizationStatus, action: string): void {
  if (row.status !== wanted) {
    throw fail.notAllowed(`cannot ${action} authorization ${row.id}: it is ${row.status}, not ${wanted}`);
  }
}

/** The payer approves. CHARGED is paid on the spot; the others get their first pay token. */
export function grantAuthorization(core: SandboxCore, out: Outbox, id: string, at: number): AuthorizationRow {
  const row = mustGet(core, id);
  requireStatus(row, 'WAITING', 'grant');
  if (row.policy === 'CHARGED') {
    sql(core.db, "UPDATE authorizations SET status = 'GRANTED', updated_at = ? WHERE id = ?").run(at, id);
    const charge = createCharge(
      core,
      out,
      { ...row, status: 'GRANTED' },
      {
        amountCents: row.amount_cents,
        payTokenVal: null,
        description: row.description,
        merchantCustomId: row.merchant_custom_id,
        merchantCustomLabel: null,
      },
      at,
    );
    sql(core.db, 'UPDATE authorizations SET charge_id = ? WHERE id = ?').run(charge.id, id);
  } else {
    issuePayToken(core, id, at);
    sql(core.db, "UPDATE authorizations SET status = 'GRANTED', updated_at = ? WHERE id = ?").run(at, id);
  }
  emitAuthorization(core, out, id, at);
  return mustGet(core, id);
}

export function refuseAuthorization(
  core: SandboxCore,
  out: Outbox,
  id: string,
  at: number,
): AuthorizationRow {
  requireStatus(mustGet(core, id), 'WAITING', 'refuse');
  setAuthorizationStatus(core, out, id, 'REFUSED', at);
  return mustGet(core, id);
}

export function revokeAuthorization(
  core: SandboxCore,
  out: Outbox,
  id: string,
  at: number,
): AuthorizationRow {
  requireStatus(mustGet(core, id), 'GRANTED', 'revoke');
  setAuthorizationStatus(core, out, id, 'REVOKED', at);
  return mustGet(core, id);
}

/** The merchant withdraws a request nobody answered. Repeating it is harmless (a lost response). */
export function cancelAuthorization(
  core: SandboxCore,
  out: Outbox,
  id: string,
  at: number,
): AuthorizationRow {
  const row = mustGet(core, id);
  if (row.status === 'CANCELLED') return row;
  requireStatus(row, 'WAITING', 'cancel');
  setAuthorizationStatus(core, out, id, 'CANCELLED', at);
  return mustGet(core, id);
}

function issuePayToken(core: SandboxCore, id: string, at: number): void {
  sql(
    core.db,
    `UPDATE authorizations SET pay_token_val = ?, pay_token_issued = ?, pay_token_expiring = ?, pay_token_used = 0
       WHERE id = ?`,
  ).run(newPayTokenVal(), at, at + PAY_TOKEN_SECONDS * 1000, id);
}

/**
 * On a read: a GRANTED authorization with charges left whose pay token expired (or was spent
 * by a charge) gets a fresh one, which supersedes every earlier val.
 */
export function renewPayTokenIfDue(core: SandboxCore, row: AuthorizationRow, now: number): AuthorizationRow {
  const chargeable =
    row.status === 'GRANTED' && row.policy !== 'CHARGED' && row.success_count < row.max_count;
  if (!chargeable) return row;
  const spent = row.pay_token_used === 1 || row.pay_token_expiring === null || row.pay_token_expiring <= now;
  if (!spent) return row;
  issuePayToken(core, row.id, now);
  return mustGet(core, row.id);
}
