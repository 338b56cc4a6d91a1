import { sql, type Db } from './db';

/** Row shapes of the state database, and the plain reads every module shares. */

export type Policy = 'CHARGEABLE' | 'CHARGED' | 'BOOKED';
export const POLICIES: readonly Policy[] = ['CHARGEABLE', 'CHARGED', 'BOOKED'];

export type AuthorizationStatus = 'WAITING' | 'GRANTED' | 'REFUSED' | 'CANCELLED' | 'EXPIRED' | 'REVOKED';
/** Why an authorization expired: a charge attempt answers differently for each. */
export type ExpiryReason = 'WAITING_TIME' | 'WINDOW' | 'COUNT';
export type ChargeStatus = 'DONE' | 'FAILED' | 'ACCOUNTED';
export type RefundStatus = 'ENQUEUED' | 'DONE' | 'FAILED' | 'ACCOUNTED';
export type ConnectionStatus = 'WAITING' | 'GRANTED' | 'REFUSED' | 'EXPIRED' | 'REVOKED' | 'CANCELLED';

export interface AuthorizationRow {
  id: string;
  pos_id: string;
  description: string;
  amount_cents: number;
  policy: Policy;
  max_count: number;
  date_start: number;
  date_end: number | null;
  merchant_custom_id: string | null;
  webhooks: string | null;
  loopback_uri: string | null;
  status: AuthorizationStatus;
  expiry_reason: ExpiryReason | null;
  success_count: number;
  created_at: number;
  updated_at: number;
  waiting_until: number;
  pay_token_val: string | null;
  pay_token_issued: number | null;
  pay_token_expiring: number | null;
  pay_token_used: number;
  charge_id: string | null;
}

export interface ChargeRow {
  id: string;
  authorization_id: string;
  pos_id: string;
  pay_token_val: string | null;
  amount_cents: number;
  description: string;
  merchant_custom_id: string | null;
  merchant_custom_label: string | null;
  status: ChargeStatus;
  created_at: number;
  done_at: number | null;
  updated_at: number;
}

export interface RefundRow {
  id: string;
  charge_id: string;
  pos_id: string;
  amount_cents: number;
  reason: string;
  status: RefundStatus;
  will_fail: number;
  created_at: number;
  done_at: number | null;
  updated_at: number;
}

export interface ConnectionRow {
  id: string;
  status: ConnectionStatus;
  code: string | null;
  pos_id: string;
  webhooks: string | null;
  loopback_uri: string | null;
  created_at: number;
  updated_at: number;
  waiting_until: number;
}

export function getAuthorization(db: Db, id: string): AuthorizationRow | undefined {
  return sql(db, 'SELECT * FROM authorizations WHERE id = ?').get(id) as AuthorizationRow | undefined;
}

export function getCharge(db: Db, id: string): ChargeRow | undefined {
  return sql(db, 'SELECT * FROM charges WHERE id = ?').get(id) as ChargeRow | undefined;
}

export function getRefund(db: Db, id: string): RefundRow | undefined {
  return sql(db, 'SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
}

export function getConnection(db: Db, id: string): ConnectionRow | undefined {
  return sql(db, 'SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRow | undefined;
}

export function chargesOf(db: Db, authorizationId: string): ChargeRow[] {
  return sql(db, 'SELECT * FROM charges WHERE authorization_id = ? ORDER BY rowid').all(
    authorizationId,
  ) as ChargeRow[];
}

/** The refund that counts for a charge: the newest one (a FAILED refund may be followed by another). */
export function latestRefundOf(db: Db, chargeId: string): RefundRow | undefined {
  return sql(db, 'SELECT * FROM refunds WHERE charge_id = ? ORDER BY rowid DESC LIMIT 1').get(chargeId) as
    RefundRow | undefined;
}

export function parseWebhooks(json: string | null): Record<string, string> | undefined {
  if (json === null) return undefined;
  return JSON.parse(json) as Record<string, string>;
}
