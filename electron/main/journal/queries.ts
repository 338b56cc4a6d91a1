/** Read-only views of the journal: sales for the history screen, timelines, recovery work. */
import type { Core } from './core';
import { JournalValidationError } from './errors';
import { isBusinessDay } from './business-day';
import { toCharge, toEvent, toRefund, toSale } from './rows';
import { foldForSearch } from './search-fold';
import { MAX_CENTS, parseAmountText } from '../../../shared/money';
import {
  SALE_STATES,
  type Charge,
  type JournalEvent,
  type Refund,
  type Sale,
  type SaleDetail,
  type SaleState,
} from './types';

export interface SaleQuery {
  /** First business day, inclusive (YYYY-MM-DD). */
  from?: string;
  /** Last business day, inclusive. */
  to?: string;
  state?: SaleState | readonly SaleState[];
  /**
   * A substring of the merchant reference, description or authorization id, ignoring case and
   * accents ("caffe" finds "CAFFÈ"); % and _ are literal. Text that reads as an amount in euros
   * ("12,50", "12.5", "12", "€ 1.234,50") also finds the sales of that amount, and those with a
   * charge or a refund of it that did not fail (a pre-authorization captured for less, a
   * partial refund).
   */
  text?: string;
  /**
   * True: only the sales with a refund of all or part that did not fail (one on its way to
   * DropPay or in doubt counts: the money may be going back, as the day's figures count it).
   */
  refunded?: boolean;
  /** 1..500, default 50. */
  limit?: number;
  offset?: number;
}

export interface SalePage {
  /** Newest first. */
  sales: Sale[];
  /** How many sales match, ignoring limit and offset. */
  total: number;
}

/** Everything a restart must resolve before trusting the current-state tables. */
export interface PendingOperations {
  /** Authorization POSTs with no answer: state 'authorizing', or 'unknown' with no charge in flight. */
  authorizations: Sale[];
  /** Charges in intent, pending or unknown. */
  charges: Charge[];
  /** Refunds in intent, ENQUEUED or unknown. */
  refunds: Refund[];
  /** Authorizations created and not yet settled (waiting, granted): poll them. */
  openSales: Sale[];
}

function day(value: string | undefined, what: string): string | null {
  if (value === undefined) return null;
  if (!isBusinessDay(value))
    throw new JournalValidationError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  return value;
}

function whole(value: number | undefined, fallback: number, min: number, max: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new JournalValidationError(`${what} must be a whole number ${min}..${max}`);
  return n;
}

/** The amount a search text reads as, within what a sale can be; null when it is not one. */
function amountIn(text: string): number | null {
  const cents = parseAmountText(text);
  return cents !== null && cents <= MAX_CENTS ? cents : null;
}

export function listSales(core: Core, query: SaleQuery = {}): SalePage {
  const states =
    query.state === undefined ? null : typeof query.state === 'string' ? [query.state] : [...query.state];
  for (const s of states ?? []) {
    if (!(SALE_STATES as readonly string[]).includes(s))
      throw new JournalValidationError(`unknown sale state ${String(s)}`);
  }
  // Folded first, escaped after: folding may turn a full-width ％ into a % that must stay literal.
  const folded = query.text?.trim() ? foldForSearch(query.text.trim()) : '';
  const like = (t: string): string => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const text = folded ? like(folded) : null;
  const words = folded.split(/\s+/).filter((w) => w !== '');
  const cents = folded ? amountIn(folded) : null;
  // Words and one amount among them ("panino 4,50", "panino 4,50 €"): the other words, and
  // that amount.
  const mixed = words.filter((w) => w !== '€');
  const amounts = mixed.length > 1 ? mixed.map(amountIn) : [];
  const amountAt = amounts.findIndex((a) => a !== null);
  const withAmount = amountAt >= 0 && amounts.filter((a) => a !== null).length === 1;
  const params = {
    from: day(query.from, 'from'),
    to: day(query.to, 'to'),
    states: states === null ? null : JSON.stringify(states),
    text,
    refs: text !== null && cents === null ? 1 : null,
    words: words.length > 1 ? JSON.stringify(words.map(like)) : null,
    cents,
    amountCents: withAmount ? amounts[amountAt] : null,
    amountWords: withAmount ? JSON.stringify(mixed.filter((_, i) => i !== amountAt).map(like)) : null,
    refunded: query.refunded === true ? 1 : null,
    limit: whole(query.limit, 50, 1, 500, 'limit'),
    offset: whole(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, 'offset'),
  };
  return core.read('listSales', () => ({
    sales: core.st.listSales.all(params).map(toSale),
    total: core.st.countSales.get(params) ?? 0,
  }));
}

export function getSale(core: Core, saleId: string): Sale | null {
  return core.read('getSale', () => {
    const row = core.st.sale.get(saleId);
    return row ? toSale(row) : null;
  });
}

/** The sale an authorization belongs to (an index lookup, whatever the journal's size). */
export function getSaleByAuthorization(core: Core, authorizationId: string): Sale | null {
  return core.read('getSaleByAuthorization', () => {
    const row = core.st.saleByAuthorization.get(authorizationId);
    return row ? toSale(row) : null;
  });
}

/**
 * The sales in progress at the customer, newest first: being created, their QR out, approved
 * and about to be charged, or being charged. A pre-authorization granted and waiting for its
 * capture (or being captured) is not one, nor a sale whose outcome is in doubt (the resolver
 * follows it).
 */
export function liveSales(core: Core): Sale[] {
  return core.read('liveSales', () => core.st.liveSales.all().map(toSale));
}

export function getSaleDetail(core: Core, saleId: string): SaleDetail | null {
  return core.read('getSaleDetail', () => {
    const row = core.st.sale.get(saleId);
    if (!row) return null;
    return {
      sale: toSale(row),
      charges: core.st.chargesOf.all(saleId).map(toCharge),
      refunds: core.st.refundsOf.all(saleId).map(toRefund),
    };
  });
}

export function getCharge(core: Core, chargeId: string): Charge | null {
  return core.read('getCharge', () => {
    const row = core.st.charge.get(chargeId);
    return row ? toCharge(row) : null;
  });
}

export function getRefund(core: Core, refundId: string): Refund | null {
  return core.read('getRefund', () => {
    const row = core.st.refund.get(refundId);
    return row ? toRefund(row) : null;
  });
}

/** The refund DropPay knows as `droppayId`, if it is on this till. */
export function getRefundByDropPayId(core: Core, droppayId: string): Refund | null {
  return core.read('getRefundByDropPayId', () => {
    const row = core.st.refundByDroppayId.get(droppayId);
    return row ? toRefund(row) : null;
  });
}

/** A sale's events in the order they happened: its complete history. */
export function saleTimeline(core: Core, saleId: string): JournalEvent[] {
  return core.read('saleTimeline', () => core.st.eventsOf.all(saleId).map(toEvent));
}

/** Whether the sale's history holds an event of `kind` (without reading the history). */
export function saleHasEvent(core: Core, saleId: string, kind: string): boolean {
  return core.read('saleHasEvent', () => core.st.saleHasEvent.get(saleId, kind) !== undefined);
}

/** Events after `afterSeq`, in order, for export and reconciliation. */
export function readEvents(core: Core, afterSeq = 0, limit = 1000): JournalEvent[] {
  const after = whole(afterSeq, 0, 0, Number.MAX_SAFE_INTEGER, 'afterSeq');
  const n = whole(limit, 1000, 1, 10_000, 'limit');
  return core.read('readEvents', () => core.st.eventsAfter.all(after, n).map(toEvent));
}

export function pendingOperations(core: Core): PendingOperations {
  // One read transaction so the four lists describe the same moment.
  return core.read('pendingOperations', () =>
    core.db
      .transaction(() => ({
        authorizations: core.st.salesInDoubt.all().map(toSale),
        charges: core.st.chargesInDoubt.all().map(toCharge),
        refunds: core.st.refundsInDoubt.all().map(toRefund),
        openSales: core.st.salesOpen.all().map(toSale),
      }))
      .deferred(),
  );
}
