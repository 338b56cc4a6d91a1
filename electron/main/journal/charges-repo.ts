/**
 * Charges: the terminal records its intent before POSTing a charge and the outcome after;
 * charges DropPay makes by itself (policy CHARGED) are recorded as observed. The sale row
 * moves in the same transaction, so a DONE charge and a paid sale can never disagree.
 */
import { randomUUID } from 'node:crypto';
import type { JsonObject } from './canonical-json';
import type { Core, Tx } from './core';
import { JournalNotFoundError, JournalStateError } from './errors';
import { type ChargeRow, type SaleRow, toCharge, toSale } from './rows';
import { loadSale, saveSale } from './sales-repo';
import {
  CHARGE_STATUSES,
  FINAL_SALE_STATES,
  type Charge,
  type ChargeOutcomeStatus,
  type ChargeStatus,
  type EventKind,
  type Sale,
  type SaleState,
} from './types';
import * as v from './validate';

const OUTCOMES = CHARGE_STATUSES.filter((s): s is ChargeOutcomeStatus => s !== 'intent');
/** What DropPay itself can report about a charge; 'unknown' only ever describes our own POST. */
const OBSERVABLE = OUTCOMES.filter((s) => s !== 'unknown');

/** DropPay's documented order; anything else is a bug somewhere and is refused. */
const NEXT: Record<ChargeStatus, readonly ChargeOutcomeStatus[]> = {
  intent: ['pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  pending: ['pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  unknown: ['pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'],
  DONE: ['DONE', 'ACCOUNTED'],
  ACCOUNTED: ['ACCOUNTED'],
  FAILED: ['FAILED'],
};

const KIND: Record<ChargeOutcomeStatus, EventKind & `charge.${string}`> = {
  pending: 'charge.pending',
  DONE: 'charge.done',
  FAILED: 'charge.failed',
  ACCOUNTED: 'charge.accounted',
  unknown: 'charge.unknown',
};

/**
 * Money that moved must show: a DONE charge makes the sale paid whatever it was. Other
 * outcomes leave a final sale alone.
 */
function saleStateAfter(current: SaleState, status: ChargeOutcomeStatus): SaleState {
  if (status === 'DONE' || status === 'ACCOUNTED') return 'paid';
  if (FINAL_SALE_STATES.has(current)) return current;
  return status === 'FAILED' ? 'failed' : status === 'unknown' ? 'unknown' : 'charging';
}

export interface ChargeOutcome {
  charge: Charge;
  sale: Sale;
}

export function loadCharge(core: Core, chargeId: string): ChargeRow {
  const row = core.st.charge.get(chargeId);
  if (!row) throw new JournalNotFoundError('charge', chargeId);
  return row;
}

function moveSaleAfterCharge(
  core: Core,
  tx: Tx,
  sale: SaleRow,
  status: ChargeOutcomeStatus,
  error: string | null,
  seq: number,
): SaleRow {
  const state = saleStateAfter(sale.state as SaleState, status);
  return saveSale(
    core,
    tx,
    sale,
    { state, last_error: status === 'FAILED' || status === 'unknown' ? error : null },
    seq,
  );
}

/**
 * Before POSTing a charge. Refused when DropPay would refuse it (no grant, policy CHARGED,
 * wrong amount) and, above all, when the sale is already paid or has a charge in flight.
 */
export function recordChargeIntent(core: Core, saleId: string, amount: number, extra?: JsonObject): Charge {
  const cents = v.positiveCents(amount, 'charge amount');
  return core.write('recordChargeIntent', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.policy === 'CHARGED')
      throw new JournalStateError(
        `sale ${saleId} has policy CHARGED: DropPay charges it, the terminal must not`,
      );
    if (core.st.paidChargeOf.get(saleId)) throw new JournalStateError(`sale ${saleId} is already paid`);
    if (core.st.openChargeOf.get(saleId))
      throw new JournalStateError(`sale ${saleId} already has a charge in flight`);
    if (sale.authorization_id === null || (sale.state !== 'granted' && sale.state !== 'failed')) {
      throw new JournalStateError(`sale ${saleId} is ${sale.state}; a charge needs a granted authorization`);
    }
    if (sale.policy === 'CHARGEABLE' ? cents !== sale.amount : cents > sale.amount) {
      throw new JournalStateError(
        `charge of ${cents} cents does not fit sale ${saleId} (${sale.policy}, ${sale.amount} cents)`,
      );
    }
    const id = randomUUID();
    const seq = tx.append(
      'charge.intent',
      { correlationId: saleId, entityId: id },
      { amount: cents, authorization_id: sale.authorization_id, sale_state: 'charging' },
      extra,
    );
    const row: ChargeRow = {
      id,
      sale_id: saleId,
      droppay_id: null,
      amount: cents,
      status: 'intent',
      origin: 'terminal',
      business_day: tx.day,
      created_at: tx.at,
      updated_at: tx.at,
      last_error: null,
      last_event_seq: seq,
    };
    core.st.insertCharge.run(row);
    saveSale(core, tx, sale, { state: 'charging', last_error: null }, seq);
    return toCharge(row);
  });
}

/**
 * What became of a charge: the POST's answer, or what recovery read back. Recording the status
 * (and DropPay id) already on file writes nothing, so duplicate webhooks are harmless.
 */
export function recordChargeOutcome(
  core: Core,
  chargeId: string,
  outcome: { status: ChargeOutcomeStatus; droppayId?: string; error?: string; extra?: JsonObject },
): ChargeOutcome {
  const status = v.oneOf(outcome.status, OUTCOMES, 'charge status');
  const droppayId = outcome.droppayId === undefined ? undefined : v.id(outcome.droppayId, 'droppayId');
  const error = v.errorText(outcome.error);
  return core.write('recordChargeOutcome', (tx) => {
    const charge = loadCharge(core, chargeId);
    const sale = loadSale(core, charge.sale_id);
    if (droppayId !== undefined && charge.droppay_id !== null && charge.droppay_id !== droppayId) {
      throw new JournalStateError(
        `charge ${chargeId} is DropPay charge ${charge.droppay_id}, not ${droppayId}`,
      );
    }
    const learnsId = droppayId !== undefined && charge.droppay_id === null;
    if (learnsId && core.st.chargeByDroppayId.get(droppayId) !== undefined) {
      throw new JournalStateError(`DropPay charge ${droppayId} is already on file for another charge`);
    }
    if (charge.status === status && !learnsId) return { charge: toCharge(charge), sale: toSale(sale) };
    if (!NEXT[charge.status as ChargeStatus].includes(status)) {
      throw new JournalStateError(`charge ${chargeId} is ${charge.status}; it cannot become ${status}`);
    }
    const droppay = droppayId ?? charge.droppay_id;
    const seq = tx.append(
      KIND[status],
      { correlationId: charge.sale_id, entityId: chargeId },
      {
        droppay_id: droppay,
        charge_status: status,
        error,
        sale_state: saleStateAfter(sale.state as SaleState, status),
      },
      outcome.extra,
    );
    const next: ChargeRow = {
      ...charge,
      droppay_id: droppay,
      status,
      updated_at: tx.at,
      last_error: error,
      last_event_seq: seq,
    };
    core.st.updateCharge.run(next);
    const movedSale = moveSaleAfterCharge(core, tx, sale, status, error, seq);
    return { charge: toCharge(next), sale: toSale(movedSale) };
  });
}

/**
 * A charge the terminal did not ask for but DropPay reports: the one a CHARGED authorization
 * makes when granted, or one reconciliation finds. Refused when that DropPay id is already on file.
 */
/** A charge DropPay holds that the journal had no intent for (an automatic one, a stranger). */
export interface ObservedCharge {
  droppayId: string;
  amount: number;
  status: ChargeOutcomeStatus;
  /**
   * When DropPay says it was made (its `date_creation`). The row gets that time and its
   * business day, kept between the sale's start and now: money taken on a day belongs to that
   * day, even when the journal learns of it the next (a closed day then gets it as an
   * adjustment). Absent or not a real time: the moment it is recorded.
   */
  takenAt?: string;
  extra?: JsonObject;
}

/** DropPay's time of a charge as an instant, or null when it is absent or not a real time. */
function instantOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const time = Date.parse(text);
  // Only an ISO 8601 date and time; whatever it is, the caller keeps it within the sale's span.
  if (!Number.isFinite(time) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return null;
  return time;
}

export function recordChargeObserved(core: Core, saleId: string, observed: ObservedCharge): ChargeOutcome {
  const droppayId = v.id(observed.droppayId, 'droppayId');
  const cents = v.positiveCents(observed.amount, 'charge amount');
  const status = v.oneOf(observed.status, OBSERVABLE, 'observed charge status');
  const takenAt = instantOf(observed.takenAt);
  return core.write('recordChargeObserved', (tx) => {
    const sale = loadSale(core, saleId);
    // When and on which day the money moved: DropPay's time, within [the sale's start, now].
    let at = tx.at;
    let day = tx.day;
    if (takenAt !== null) {
      const time = Math.min(Math.max(takenAt, Date.parse(sale.created_at)), Date.parse(tx.at));
      if (Number.isFinite(time)) {
        at = new Date(time).toISOString();
        const of = core.dayOf(new Date(time));
        day = of < sale.business_day ? sale.business_day : of > tx.day ? tx.day : of;
      }
    }
    if (core.st.chargeByDroppayId.get(droppayId) !== undefined) {
      throw new JournalStateError(`DropPay charge ${droppayId} is already on file`);
    }
    if (cents > sale.amount)
      throw new JournalStateError(`charge of ${cents} cents exceeds sale ${saleId} (${sale.amount} cents)`);
    const id = randomUUID();
    const saleState = saleStateAfter(sale.state as SaleState, status);
    const seq = tx.append(
      'charge.observed',
      { correlationId: saleId, entityId: id },
      {
        droppay_id: droppayId,
        amount: cents,
        charge_status: status,
        sale_state: saleState,
        ...(at === tx.at ? {} : { taken_at: at }),
      },
      observed.extra,
    );
    const row: ChargeRow = {
      id,
      sale_id: saleId,
      droppay_id: droppayId,
      amount: cents,
      status,
      origin: 'droppay',
      business_day: day,
      created_at: at,
      updated_at: tx.at,
      last_error: null,
      last_event_seq: seq,
    };
    core.st.insertCharge.run(row);
    const movedSale = moveSaleAfterCharge(core, tx, sale, status, null, seq);
    return { charge: toCharge(row), sale: toSale(movedSale) };
  });
}
