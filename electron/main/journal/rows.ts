/** Rows as SQLite returns them, and their mapping to the camelCase types callers see. */
import type {
  AuthorizationStatus,
  Charge,
  ChargeOrigin,
  ChargeStatus,
  EventKind,
  JournalEvent,
  Policy,
  Refund,
  RefundStatus,
  Sale,
  SaleState,
  Setting,
} from './types';

export interface EventRow {
  seq: number;
  at: string;
  business_day: string;
  kind: string;
  correlation_id: string | null;
  entity_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface SaleRow {
  id: string;
  merchant_ref: string;
  amount: number;
  description: string;
  policy: string;
  state: string;
  authorization_id: string | null;
  authorization_status: string | null;
  sharing_url: string | null;
  business_day: string;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  last_event_seq: number;
}

export interface ChargeRow {
  id: string;
  sale_id: string;
  droppay_id: string | null;
  amount: number;
  status: string;
  origin: string;
  business_day: string;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  last_event_seq: number;
}

export interface RefundRow {
  id: string;
  charge_id: string;
  sale_id: string;
  droppay_id: string | null;
  amount: number;
  reason: string;
  status: string;
  attempt: number;
  business_day: string;
  created_at: string;
  updated_at: string;
  last_error: string | null;
  last_event_seq: number;
  /**
   * Selected, not stored: when the current attempt was asked. `created_at` (which the schema
   * fixes at the first attempt) unless the refund was asked again after a FAILED one, then its
   * latest `refund.intent`'s time.
   */
  asked_at: string;
}

/** A refund's own columns, as written. */
export type RefundColumns = Omit<RefundRow, 'sale_id' | 'asked_at'>;

export interface SettingRow {
  key: string;
  value: string;
  updated_at: string;
}

// The casts below narrow TEXT columns to their unions; the schema's CHECK constraints are
// what guarantee them.

export function toEvent(r: EventRow): JournalEvent {
  return {
    seq: r.seq,
    at: r.at,
    businessDay: r.business_day,
    kind: r.kind as EventKind,
    correlationId: r.correlation_id,
    entityId: r.entity_id,
    payload: JSON.parse(r.payload) as JournalEvent['payload'],
    prevHash: r.prev_hash,
    hash: r.hash,
  } as JournalEvent;
}

export function toSale(r: SaleRow): Sale {
  return {
    id: r.id,
    merchantRef: r.merchant_ref,
    amount: r.amount,
    description: r.description,
    policy: r.policy as Policy,
    state: r.state as SaleState,
    authorizationId: r.authorization_id,
    authorizationStatus: r.authorization_status as AuthorizationStatus | null,
    sharingUrl: r.sharing_url,
    businessDay: r.business_day,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
    lastEventSeq: r.last_event_seq,
  };
}

export function toCharge(r: ChargeRow): Charge {
  return {
    id: r.id,
    saleId: r.sale_id,
    droppayId: r.droppay_id,
    amount: r.amount,
    status: r.status as ChargeStatus,
    origin: r.origin as ChargeOrigin,
    businessDay: r.business_day,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
    lastEventSeq: r.last_event_seq,
  };
}

export function toRefund(r: RefundRow): Refund {
  return {
    id: r.id,
    chargeId: r.charge_id,
    saleId: r.sale_id,
    droppayId: r.droppay_id,
    amount: r.amount,
    reason: r.reason,
    status: r.status as RefundStatus,
    attempt: r.attempt,
    businessDay: r.business_day,
    createdAt: r.created_at,
    askedAt: r.asked_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
    lastEventSeq: r.last_event_seq,
  };
}

export function toSetting(r: SettingRow): Setting {
  return { key: r.key, value: r.value, updatedAt: r.updated_at };
}
