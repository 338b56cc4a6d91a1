/**
 * Sales: creating one, and setting its state directly. Each function is one transaction: it
 * reads the current row, checks the move is legal, appends the event and updates the row.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { JsonObject } from './canonical-json';
import type { Core, Tx } from './core';
import { JournalNotFoundError, JournalStateError } from './errors';
import { type SaleRow, toSale } from './rows';
import { FINAL_SALE_STATES, POLICIES, SALE_STATES, type Policy, type Sale, type SaleState } from './types';
import * as v from './validate';

export interface NewSale {
  amount: number;
  description: string;
  policy?: Policy;
  extra?: JsonObject;
}

/** Crockford base32: no I, L, O, U, so a reference read aloud or retyped stays unambiguous. */
const REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** States recordSaleState may set; the others follow only from their own record* call. */
const SETTABLE_STATES: readonly SaleState[] = SALE_STATES.filter(
  (s) => s !== 'created' && s !== 'authorizing' && s !== 'charging' && s !== 'paid',
);

export function loadSale(core: Core, saleId: string): SaleRow {
  const row = core.st.sale.get(saleId);
  if (!row) throw new JournalNotFoundError('sale', saleId);
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

export function hasOpenCharge(core: Core, saleId: string): boolean {
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
    const seq = tx.append(
      'sale.state',
      { correlationId: saleId, entityId: saleId },
      { sale_state: state, from, error, note },
      detail.extra,
    );
    return toSale(saveSale(core, tx, sale, { state, last_error: error }, seq));
  });
}
