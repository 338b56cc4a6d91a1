/**
 * The journal's vocabulary: the closed sets stored in its CHECK constraints, the event kinds
 * with the payload each carries, and the current-state rows handed to callers.
 */
import type { Cents } from '../../../shared/money';
import type { BusinessDay } from './business-day';
import type { JsonObject } from './canonical-json';

export const POLICIES = ['CHARGEABLE', 'BOOKED', 'CHARGED'] as const;
export type Policy = (typeof POLICIES)[number];

/** The sale as the cashier sees it. Final states never change again. */
export const SALE_STATES = [
  'created', // recorded, nothing sent yet
  'authorizing', // authorization POST about to go / in flight
  'waiting', // authorization created, payer has not answered
  'granted', // payer confirmed; a charge can be made
  'charging', // charge POST about to go / in flight
  'paid', // a charge is DONE or ACCOUNTED
  'failed', // DropPay rejected the authorization or the charge
  'refused', // payer declined
  'expired', // authorization ran out before being used
  'cancelled', // merchant cancelled the waiting authorization
  'revoked', // payer withdrew the grant before any charge
  'unknown', // a POST's outcome is not known yet (timeout, 5xx, crash)
] as const;
export type SaleState = (typeof SALE_STATES)[number];
export const FINAL_SALE_STATES: ReadonlySet<SaleState> = new Set([
  'paid',
  'refused',
  'expired',
  'cancelled',
  'revoked',
]);

export const AUTHORIZATION_STATUSES = [
  'WAITING',
  'GRANTED',
  'REFUSED',
  'CANCELLED',
  'EXPIRED',
  'REVOKED',
] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** `intent` and `unknown` are local; `pending` stands for DropPay's NEW/ENQUEUED. */
export const CHARGE_STATUSES = ['intent', 'pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];
export type ChargeOutcomeStatus = Exclude<ChargeStatus, 'intent'>;

export const REFUND_STATUSES = ['intent', 'ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type RefundOutcomeStatus = Exclude<RefundStatus, 'intent'>;

/** Who started a charge: the terminal (intent then outcome) or DropPay itself (policy CHARGED). */
export type ChargeOrigin = 'terminal' | 'droppay';

type ChargeEventPayload = {
  droppay_id: string | null;
  charge_status: ChargeOutcomeStatus;
  error: string | null;
  sale_state: SaleState;
};
type RefundEventPayload = {
  droppay_id: string | null;
  refund_status: RefundOutcomeStatus;
  error: string | null;
};

/**
 * Every event kind and its payload. Each event that moves an entity carries that entity's new
 * state, so folding a sale's events rebuilds its rows (see replay.ts). Adding a kind needs no
 * migration: the events table only checks the shape of the name.
 */
export interface EventPayloads {
  'sale.started': {
    merchant_ref: string;
    amount: Cents;
    description: string;
    policy: Policy;
    sale_state: 'created';
  };
  'sale.state': { sale_state: SaleState; from: SaleState; error: string | null; note: string | null };
  'authorization.create.intent': {
    merchant_ref: string;
    amount: Cents;
    description: string;
    policy: Policy;
    sale_state: 'authorizing';
  };
  'authorization.created': {
    authorization_id: string;
    sharing_url: string;
    authorization_status: AuthorizationStatus;
    sale_state: SaleState;
  };
  'authorization.create.failed': { error: string; sale_state: 'failed' };
  'authorization.create.unknown': { error: string; sale_state: 'unknown' };
  'authorization.status': {
    authorization_status: AuthorizationStatus;
    sale_state: SaleState;
    note: string | null;
  };
  'authorization.cancel.intent': { authorization_id: string };
  /** DropPay gave a waiting authorization's link anew, and it differs from the one on record. */
  'authorization.link': { sharing_url: string };
  'charge.intent': { amount: Cents; authorization_id: string; sale_state: 'charging' };
  'charge.observed': {
    droppay_id: string;
    amount: Cents;
    charge_status: ChargeOutcomeStatus;
    sale_state: SaleState;
    /** When DropPay says the money moved, as the row's time (only when it gave a usable one). */
    taken_at?: string;
  };
  'charge.pending': ChargeEventPayload;
  'charge.done': ChargeEventPayload;
  'charge.failed': ChargeEventPayload;
  'charge.accounted': ChargeEventPayload;
  'charge.unknown': ChargeEventPayload;
  'refund.intent': {
    charge_id: string;
    charge_droppay_id: string;
    amount: Cents;
    reason: string;
    attempt: number;
  };
  'refund.status': RefundEventPayload;
  'refund.unknown': RefundEventPayload;
  'setting.changed': { key: string; value: string };
}
export type EventKind = keyof EventPayloads;

export const EVENT_KINDS = [
  'sale.started',
  'sale.state',
  'authorization.create.intent',
  'authorization.created',
  'authorization.create.failed',
  'authorization.create.unknown',
  'authorization.status',
  'authorization.cancel.intent',
  'authorization.link',
  'charge.intent',
  'charge.observed',
  'charge.pending',
  'charge.done',
  'charge.failed',
  'charge.accounted',
  'charge.unknown',
  'refund.intent',
  'refund.status',
  'refund.unknown',
  'setting.changed',
] as const satisfies readonly EventKind[];
// Fails to compile when a kind is added to EventPayloads but not to the list above.
type MissingKinds = Exclude<EventKind, (typeof EVENT_KINDS)[number]>;
const allKindsListed: MissingKinds extends never ? true : MissingKinds = true;
void allKindsListed;

/** One event as stored, with its payload typed by its kind. */
export type JournalEvent = {
  [K in EventKind]: {
    seq: number;
    at: string;
    businessDay: BusinessDay;
    kind: K;
    correlationId: string | null;
    entityId: string | null;
    /** `extra` holds the caller's optional detail, checked for secret-like keys. */
    payload: EventPayloads[K] & { extra?: JsonObject };
    prevHash: string;
    hash: string;
  };
}[EventKind];

export interface Sale {
  id: string;
  merchantRef: string;
  amount: Cents;
  description: string;
  policy: Policy;
  state: SaleState;
  authorizationId: string | null;
  authorizationStatus: AuthorizationStatus | null;
  sharingUrl: string | null;
  businessDay: BusinessDay;
  createdAt: string;
  updatedAt: string;
  lastError: string | null;
  lastEventSeq: number;
}

export interface Charge {
  id: string;
  saleId: string;
  droppayId: string | null;
  amount: Cents;
  status: ChargeStatus;
  origin: ChargeOrigin;
  businessDay: BusinessDay;
  createdAt: string;
  updatedAt: string;
  lastError: string | null;
  lastEventSeq: number;
}

export interface Refund {
  id: string;
  chargeId: string;
  saleId: string;
  droppayId: string | null;
  amount: Cents;
  reason: string;
  status: RefundStatus;
  /** Goes up when a refund DropPay never accepted is tried again on the same row. */
  attempt: number;
  businessDay: BusinessDay;
  /** When the first attempt was asked (a refund asked again keeps its row). */
  createdAt: string;
  /**
   * When the current attempt was asked: `createdAt`, or the latest attempt's time for a refund
   * asked again after a FAILED one.
   */
  askedAt: string;
  updatedAt: string;
  lastError: string | null;
  lastEventSeq: number;
}

export interface SaleDetail {
  sale: Sale;
  charges: Charge[];
  refunds: Refund[];
}

export interface Setting {
  key: string;
  value: string;
  updatedAt: string;
}
