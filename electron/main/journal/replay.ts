/**
 * Rebuilds a sale from its events alone. This is what makes the event log a record and not
 * just a log: a reader (an auditor, a support tool, a test) can check that the current-state
 * rows say exactly what the events say.
 */
import type {
  AuthorizationStatus,
  ChargeOrigin,
  ChargeStatus,
  JournalEvent,
  Policy,
  RefundStatus,
  SaleState,
} from './types';

export interface SaleSnapshot {
  id: string;
  merchantRef: string;
  amount: number;
  description: string;
  policy: Policy;
  state: SaleState;
  authorizationId: string | null;
  authorizationStatus: AuthorizationStatus | null;
  sharingUrl: string | null;
  charges: Record<
    string,
    { droppayId: string | null; amount: number; status: ChargeStatus; origin: ChargeOrigin }
  >;
  refunds: Record<
    string,
    {
      chargeId: string;
      droppayId: string | null;
      amount: number;
      reason: string;
      status: RefundStatus;
      attempt: number;
    }
  >;
}

/** Folds one sale's events (in seq order). Throws if they do not start with sale.started. */
export function replaySale(events: readonly JournalEvent[]): SaleSnapshot {
  let s: SaleSnapshot | null = null;
  for (const e of events) {
    if (e.kind === 'sale.started') {
      const p = e.payload;
      s = {
        id: e.entityId ?? '',
        merchantRef: p.merchant_ref,
        amount: p.amount,
        description: p.description,
        policy: p.policy,
        state: p.sale_state,
        authorizationId: null,
        authorizationStatus: null,
        sharingUrl: null,
        charges: {},
        refunds: {},
      };
      continue;
    }
    if (s === null) throw new Error(`event ${e.seq} (${e.kind}) comes before sale.started`);
    const entity = e.entityId ?? '';
    switch (e.kind) {
      case 'sale.state':
      case 'authorization.create.intent':
      case 'authorization.create.failed':
      case 'authorization.create.unknown':
        s.state = e.payload.sale_state;
        break;
      case 'authorization.created':
        s.state = e.payload.sale_state;
        s.authorizationId = e.payload.authorization_id;
        s.authorizationStatus = e.payload.authorization_status;
        s.sharingUrl = e.payload.sharing_url;
        break;
      case 'authorization.status':
        s.state = e.payload.sale_state;
        s.authorizationStatus = e.payload.authorization_status;
        break;
      case 'authorization.cancel.intent':
        break;
      case 'authorization.link':
        s.sharingUrl = e.payload.sharing_url;
        break;
      case 'charge.intent':
        s.state = e.payload.sale_state;
        s.charges[entity] = {
          droppayId: null,
          amount: e.payload.amount,
          status: 'intent',
          origin: 'terminal',
        };
        break;
      case 'charge.observed':
        s.state = e.payload.sale_state;
        s.charges[entity] = {
          droppayId: e.payload.droppay_id,
          amount: e.payload.amount,
          status: e.payload.charge_status,
          origin: 'droppay',
        };
        break;
      case 'charge.pending':
      case 'charge.done':
      case 'charge.failed':
      case 'charge.accounted':
      case 'charge.unknown': {
        const c = s.charges[entity];
        if (!c) throw new Error(`event ${e.seq} updates charge ${entity}, which has no intent`);
        c.status = e.payload.charge_status;
        c.droppayId = e.payload.droppay_id;
        s.state = e.payload.sale_state;
        break;
      }
      case 'refund.intent': {
        const p = e.payload;
        s.refunds[entity] = {
          chargeId: p.charge_id,
          droppayId: null,
          amount: p.amount,
          reason: p.reason,
          status: 'intent',
          attempt: p.attempt,
        };
        break;
      }
      case 'refund.status':
      case 'refund.unknown': {
        const r = s.refunds[entity];
        if (!r) throw new Error(`event ${e.seq} updates refund ${entity}, which has no intent`);
        r.status = e.payload.refund_status;
        r.droppayId = e.payload.droppay_id;
        break;
      }
      case 'setting.changed':
        throw new Error(`event ${e.seq} is not part of a sale`);
      default: {
        const unhandled: never = e;
        throw new Error(`unhandled event ${JSON.stringify(unhandled)}`);
      }
    }
  }
  if (s === null) throw new Error('no sale.started event');
  return s;
}
