import type { Cents } from '../../../shared/money';

/**
 * Domain types of the DropPay client. Money is always integer cents; dates stay the ISO 8601
 * strings DropPay sent (with their offset), parsed only where someone needs arithmetic.
 */

export type AuthorizationPolicy = 'CHARGEABLE' | 'CHARGED' | 'BOOKED';

/** `NEW`/`ENQUEUED` from the wire are reported as WAITING: nobody has decided yet. */
export type AuthorizationStatus = 'WAITING' | 'GRANTED' | 'REFUSED' | 'CANCELLED' | 'EXPIRED' | 'REVOKED';

/** `NEW`/`ENQUEUED` from the wire become PENDING: the charge is not settled either way yet. */
export type ChargeStatus = 'PENDING' | 'DONE' | 'FAILED' | 'ACCOUNTED';

/** DropPay's refund starts `ENQUEUED`, reported as PENDING. */
export type RefundStatus = 'PENDING' | 'DONE' | 'FAILED' | 'ACCOUNTED';

export type ConnectionStatus = 'WAITING' | 'GRANTED' | 'REFUSED' | 'EXPIRED' | 'REVOKED' | 'CANCELLED';

export interface PayToken {
  val: string;
  issuedAt: string | undefined;
  expiresAt: string | undefined;
  chargeAvailable: number | undefined;
}

/** A charge as listed on its authorization. */
export interface AuthorizationCharge {
  id: string;
  amount: Cents;
  status: ChargeStatus;
}

export interface Authorization {
  id: string;
  status: AuthorizationStatus;
  /** The status string as sent, for diagnostics. */
  rawStatus: string;
  posId: string | undefined;
  description: string | undefined;
  amount: Cents;
  policy: AuthorizationPolicy;
  chargeMaxCount: number;
  chargeSuccessCount: number;
  chargeDateStart: string | undefined;
  chargeDateEnd: string | undefined;
  merchantCustomId: string | undefined;
  sharing: string | undefined;
  createdAt: string | undefined;
  updatedAt: string | undefined;
  payToken: PayToken | undefined;
  /** Undefined when DropPay did not list them: then trust `chargeSuccessCount`. */
  charges: AuthorizationCharge[] | undefined;
  /** Policy CHARGED: the charge DropPay made at granting. */
  chargeId: string | undefined;
}

export interface Refund {
  id: string;
  chargeId: string;
  amount: Cents;
  reason: string | undefined;
  status: RefundStatus;
  rawStatus: string;
  createdAt: string | undefined;
  updatedAt: string | undefined;
}

export interface Charge {
  id: string;
  authorizationId: string;
  payTokenVal: string | undefined;
  amount: Cents;
  description: string | undefined;
  merchantCustomId: string | undefined;
  merchantCustomLabel: string | undefined;
  status: ChargeStatus;
  rawStatus: string;
  createdAt: string | undefined;
  doneAt: string | undefined;
  posId: string | undefined;
  merchantBusinessName: string | undefined;
  payerName: string | undefined;
  /** Present once the charge has been refunded. */
  refund: Refund | undefined;
}

export interface Connection {
  id: string;
  status: ConnectionStatus;
  rawStatus: string;
  sharing: string | undefined;
  /** The connection code, once GRANTED. A secret: goes to the keychain and nowhere else. */
  code: string | undefined;
  /** Not in DropPay's documentation; the sandbox sends it once GRANTED. */
  posId: string | undefined;
}

export interface Store {
  id: string;
  name: string;
  place: string | undefined;
  address: string | undefined;
}

export interface Brand {
  id: string;
  name: string;
  image: string | undefined;
  description: string | undefined;
  businessCategories: string[];
  status: string | undefined;
  stores: Store[];
}

export interface TokenGrant {
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds, as DropPay sent it. */
  expiresIn: number;
}

export interface CreateAuthorizationInput {
  /** Defaults to the client's POS id (from the options or the keychain). */
  posId?: string;
  description: string;
  amount: Cents;
  policy?: AuthorizationPolicy;
  chargeMaxCount?: number;
  chargeDateStart?: string;
  chargeDateEnd?: string;
  merchantCustomId?: string;
  webhooks?: Record<string, string>;
  loopbackUri?: string;
}

export interface CreateChargeInput {
  authorizationId: string;
  payTokenVal: string;
  amount: Cents;
  description?: string;
  merchantCustomId?: string;
  merchantCustomLabel?: string;
}

export interface CreateRefundInput {
  chargeId: string;
  amount: Cents;
  reason: string;
}

export interface CreateConnectionInput {
  webhooks?: Record<string, string>;
  loopbackUri?: string;
}

/**
 * The domain request a POST carried, attached to an OUTCOME_UNKNOWN error so the payments layer
 * can look for what it may have created (by authorization id, merchant_custom_id, charge id).
 */
export type SentRequest =
  | { operation: 'authorization.create'; input: CreateAuthorizationInput & { posId: string } }
  | { operation: 'charge.create'; input: CreateChargeInput }
  | { operation: 'refund.create'; input: CreateRefundInput }
  | { operation: 'authorization.cancel'; input: { id: string } }
  | { operation: 'connection.create'; input: CreateConnectionInput }
  | { operation: 'connection.cancel'; input: { id: string } };
