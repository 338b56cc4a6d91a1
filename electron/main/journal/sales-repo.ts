/**
 * Sales and their DropPay authorization. Each function is one transaction: it reads the
 * current row, checks the move is legal, appends the event and updates the row.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { JsonObject } from './canonical-json';
import type { Core, Tx } from './core';
import { JournalNotFoundError, JournalStateError } from './errors';
import { type SaleRow, toSale } from './rows';
import {
  AUTHORIZATION_STATUSES,
  FINAL_SALE_STATES,
  POLICIES,
  SALE_STATES,
  type AuthorizationStatus,
  type Policy,
  type Sale,
  type SaleState,
} from './types';
import * as v from './validate';

export interface NewSale {
  amount: number;
  description: string;
  policy?: Policy;
  extra?: JsonObject;
}

/** Crockford base32: no I, L, O, U, so a reference read aloud or retyped stays unambiguous. */
const REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const AUTHORIZATION_TO_SALE: Record<AuthorizationStatus, SaleState> = {
  WAITING: 'waiting',
  GRANTED: 'granted',
  REFUSED: 'refused',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
};

/** States recordSaleState may set; the others follow only from their own record* call. */
const SETTABLE_STATES: readonly SaleState[] = SALE_STATES.filter(
  (s) => s !== 'created' && s !== 'authorizing' && s !== 'charging' && s !== 'paid',
);

export function loadSale(core: Core, saleId: string): SaleRow {
  const row = core.st.sale.get(saleId);
  if (!row) throw new JournalNotFoundError(`no sale ${saleId}`);
  return row;
}

export function saveSale(core: Core, tx: Tx, sale: SaleRow, changes: Partial<SaleRow>, seq: number): SaleRow {
  const next: SaleRow = { ...sale, ...changes, updated_at: tx.at, last_event_seq: seq };
  core.st.updateSale.run(next);
  return next;
}

function newMerchantRef(core: Core, day: string): string {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    let suffix = '';
    for (let i = 0; i < 6; i += 1) suffix += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
    const ref = `S-${day.replaceAll('-', '')}-${suffix}`;
    if (core.st.merchantRefTaken.get(ref) === 0) return ref;
  }
  throw new JournalStateError('could not find a free merchant reference');
}

function hasOpenCharge(core: Core, saleId: string): boolean {
  return core.st.openChargeOf.get(saleId) !== undefined;
}

export function createSale(core: Core, input: NewSale): Sale {
  const amount = v.positiveCents(input.amount, 'sale amount');
  const description = v.text(input.description, 'description', 512);
  const policy = v.oneOf(input.policy ?? 'CHARGEABLE', POLICIES, 'policy');
  return core.write('createSale', (tx) => {
    const id = randomUUID();
    const merchantRef = newMerchantRef(core, tx.day);
    const seq = tx.append(
      'sale.started',
      { correlationId: id, entityId: id },
      { merchant_ref: merchantRef, amount, description, policy, sale_state: 'created' },
      input.extra,
    );
    const row: SaleRow = {
      id,
      merchant_ref: merchantRef,
      amount,
      description,
      policy,
      state: 'created',
      authorization_id: null,
      authorization_status: null,
      sharing_url: null,
      business_day: tx.day,
      created_at: tx.at,
      updated_at: tx.at,
      last_error: null,
      last_event_seq: seq,
    };
    core.st.insertSale.run(row);
    return toSale(row);
  });
}

/** Before POSTing the authorization. A sale DropPay never accepted ('failed', no id) may try again. */
export function recordAuthorizationIntent(core: Core, saleId: string, extra?: JsonObject): Sale {
  return core.write('recordAuthorizationIntent', (tx) => {
    const sale = loadSale(core, saleId);
    const retry = sale.state === 'failed' && sale.authorization_id === null;
    if (sale.state !== 'created' && !retry) {
      throw new JournalStateError(`sale ${saleId} is ${sale.state}; an authorization can only be requested for a new sale`);
    }
    const seq = tx.append(
      'authorization.create.intent',
      { correlationId: saleId, entityId: saleId },
      {
        merchant_ref: sale.merchant_ref,
        amount: sale.amount,
        description: sale.description,
        policy: sale.policy as Policy,
        sale_state: 'authorizing',
      },
      extra,
    );
    return toSale(saveSale(core, tx, sale, { state: 'authorizing', last_error: null }, seq));
  });
}

function assertAwaitingCreation(sale: SaleRow): void {
  const inDoubt = sale.state === 'authorizing' || (sale.state === 'unknown' && sale.authorization_id === null);
  if (!inDoubt) throw new JournalStateError(`sale ${sale.id} is ${sale.state}; no authorization request is pending`);
}

/** DropPay answered the POST (or recovery found the authorization). */
export function recordAuthorizationCreated(
  core: Core,
  saleId: string,
  created: { authorizationId: string; sharingUrl: string; status?: AuthorizationStatus; extra?: JsonObject },
): Sale {
  const authorizationId = v.id(created.authorizationId, 'authorizationId');
  const sharingUrl = v.text(created.sharingUrl, 'sharingUrl', 2048);
  const status = v.oneOf(created.status ?? 'WAITING', AUTHORIZATION_STATUSES, 'authorization status');
  return core.write('recordAuthorizationCreated', (tx) => {
    const sale = loadSale(core, saleId);
    assertAwaitingCreation(sale);
    const state = AUTHORIZATION_TO_SALE[status];
    const seq = tx.append(
      'authorization.created',
      { correlationId: saleId, entityId: saleId },
      { authorization_id: authorizationId, sharing_url: sharingUrl, authorization_status: status, sale_state: state },
      created.extra,
    );
    const changes = { state, authorization_id: authorizationId, authorization_status: status, sharing_url: sharingUrl, last_error: null };
    return toSale(saveSale(core, tx, sale, changes, seq));
  });
}

/** DropPay rejected the POST, or it certainly never left the terminal: no authorization exists. */
export function recordAuthorizationFailed(core: Core, saleId: string, error: string, extra?: JsonObject): Sale {
  const message = v.errorText(error) ?? 'authorization failed';
  return core.write('recordAuthorizationFailed', (tx) => {
    const sale = loadSale(core, saleId);
    assertAwaitingCreation(sale);
    const seq = tx.append('authorization.create.failed', { correlationId: saleId, entityId: saleId }, { error: message, sale_state: 'failed' }, extra);
    return toSale(saveSale(core, tx, sale, { state: 'failed', last_error: message }, seq));
  });
}

/** The POST may or may not have created an authorization (timeout, 5xx, dropped connection). */
export function recordAuthorizationUnknown(core: Core, saleId: string, error: string, extra?: JsonObject): Sale {
  const message = v.errorText(error) ?? 'authorization outcome unknown';
  return core.write('recordAuthorizationUnknown', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.state === 'unknown' && sale.authorization_id === null) return toSale(sale);
    assertAwaitingCreation(sale);
    const seq = tx.append('authorization.create.unknown', { correlationId: saleId, entityId: saleId }, { error: message, sale_state: 'unknown' }, extra);
    return toSale(saveSale(core, tx, sale, { state: 'unknown', last_error: message }, seq));
  });
}

/**
 * What DropPay says the authorization is now (a poll or a webhook read back). Recording the
 * status already on file writes nothing, so polling does not flood the journal. The sale
 * follows the authorization only before any charge: once money is in play, the charge's
 * outcome decides, and a final sale stays final.
 */
export function recordAuthorizationStatus(
  core: Core,
  saleId: string,
  status: AuthorizationStatus,
  detail: { note?: string; extra?: JsonObject } = {},
): Sale {
  v.oneOf(status, AUTHORIZATION_STATUSES, 'authorization status');
  const note = v.errorText(detail.note);
  return core.write('recordAuthorizationStatus', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.authorization_id === null) throw new JournalStateError(`sale ${saleId} has no authorization yet`);
    if (sale.authorization_status === status) return toSale(sale);
    const frozen = FINAL_SALE_STATES.has(sale.state as SaleState) || hasOpenCharge(core, saleId);
    const state = frozen ? (sale.state as SaleState) : AUTHORIZATION_TO_SALE[status];
    const seq = tx.append(
      'authorization.status',
      { correlationId: saleId, entityId: saleId },
      { authorization_status: status, sale_state: state, note },
      detail.extra,
    );
    return toSale(saveSale(core, tx, sale, { state, authorization_status: status }, seq));
  });
}

/** Before DELETEing a waiting authorization; the outcome arrives as status CANCELLED. */
export function recordAuthorizationCancelIntent(core: Core, saleId: string, extra?: JsonObject): Sale {
  return core.write('recordAuthorizationCancelIntent', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.authorization_id === null || sale.state !== 'waiting') {
      throw new JournalStateError(`sale ${saleId} is ${sale.state}; only a waiting authorization can be cancelled`);
    }
    const seq = tx.append('authorization.cancel.intent', { correlationId: saleId, entityId: saleId }, { authorization_id: sale.authorization_id }, extra);
    return toSale(saveSale(core, tx, sale, {}, seq));
  });
}

/**
 * Sets a sale's state directly, for what no other record* covers (cancelled before anything
 * was sent, marked unknown after a failed poll...). Never to 'paid' or 'charging' (those need
 * a charge row), never out of a final state, never away from a charge still in flight.
 */
export function recordSaleState(
  core: Core,
  saleId: string,
  state: SaleState,
  detail: { error?: string; note?: string; extra?: JsonObject } = {},
): Sale {
  v.oneOf(state, SETTABLE_STATES, 'sale state');
  const error = v.errorText(detail.error);
  const note = v.errorText(detail.note);
  return core.write('recordSaleState', (tx) => {
    const sale = loadSale(core, saleId);
    const from = sale.state as SaleState;
    if (from === state) return toSale(sale);
    if (FINAL_SALE_STATES.has(from)) throw new JournalStateError(`sale ${saleId} is ${from}, a final state`);
    if ((state === 'waiting' || state === 'granted') && sale.authorization_id === null) {
      throw new JournalStateError(`sale ${saleId} has no authorization, so it cannot be ${state}`);
    }
    if (state !== 'unknown' && hasOpenCharge(core, saleId)) {
      throw new JournalStateError(`sale ${saleId} has a charge in flight; record its outcome first`);
    }
    const seq = tx.append('sale.state', { correlationId: saleId, entityId: saleId }, { sale_state: state, from, error, note }, detail.extra);
    return toSale(saveSale(core, tx, sale, { state, last_error: error }, seq));
  });
}
