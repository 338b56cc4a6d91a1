/** Every SQL statement the journal runs, prepared once when it opens. */
import type Database from 'better-sqlite3';
import { type ChainStatements, prepareChainStatements } from './hash-chain';
import type { ChargeRow, EventRow, RefundColumns, RefundRow, SaleRow, SettingRow } from './rows';
import { registerSearchFold, SEARCH_FOLD_FUNCTION as FOLD } from './search-fold';

type Params = Record<string, unknown>;

/**
 * When a refund's current attempt was asked, as SQL over `refunds r JOIN charges c`: a refund
 * asked again after a FAILED one keeps its row (and its first created_at, which the schema
 * fixes), so its time is its latest `refund.intent`'s. Rare, so looked up only then. The end
 * of day uses it too, for the time of a refund line.
 */
export const REFUND_ASKED_AT_SQL = `CASE WHEN r.attempt > 1 THEN coalesce((SELECT e.at FROM events e
     WHERE e.correlation_id = c.sale_id AND e.entity_id = r.id AND e.kind = 'refund.intent'
     ORDER BY e.seq DESC LIMIT 1), r.created_at) ELSE r.created_at END`;

/** A refund row with its sale, and when its current attempt was asked (rows.ts `asked_at`). */
const REFUND_SELECT = `SELECT r.*, c.sale_id AS sale_id, ${REFUND_ASKED_AT_SQL} AS asked_at
  FROM refunds r JOIN charges c ON c.id = r.charge_id`;
const OPEN_CHARGE = `status IN ('intent', 'pending', 'unknown')`;

/**
 * A column, folded as search-fold.ts does, LIKE the pattern. Only a value with a character
 * beyond ASCII (more bytes than characters) is passed to the JS function: folding ASCII is
 * lower case, which LIKE ignores anyway, and a call into JS costs several times the native
 * checks. NULL takes the ELSE branch too and stays NULL.
 */
const folded = (column: string, pattern = '@text'): string =>
  `(CASE WHEN length(${column}) < octet_length(${column}) THEN ${FOLD}(${column}) ELSE ${column} END) LIKE ${pattern} ESCAPE '\\'`;

/**
 * Each word of `list` (LIKE patterns, a JSON list) is in the description. Not in the references:
 * their digits would match any number typed ("caffè 2" every sale of 2026).
 */
const everyWord = (list: string): string =>
  `NOT EXISTS (SELECT 1 FROM json_each(${list}) w WHERE NOT ${folded('description', 'w.value')})`;

/**
 * The sale is of `cents`, or was charged it for less (a capture of part of a pre-authorization,
 * a charge that did not fail; none exceeds its sale) or refunded it (a refund that did not fail,
 * never above its charge). The charges and refunds of that amount are read once per statement
 * (a list SQLite builds when a row first needs it) rather than probed row by row (on 20,000
 * sales: a few ms more per listing, against a third more for a probe per row).
 */
const ofAmount = (cents: string): string => `(amount = ${cents}
      OR (amount > ${cents} AND id IN (SELECT sale_id FROM charges WHERE amount = ${cents} AND status <> 'FAILED'))
      OR (amount >= ${cents} AND id IN (SELECT c.sale_id FROM refunds r JOIN charges c ON c.id = r.charge_id
                                      WHERE r.amount = ${cents} AND r.status <> 'FAILED')))`;

/**
 * The listSales filter; each part switches off when its parameter is NULL. @text is a LIKE
 * pattern of folded text, matched against the description, and against the merchant reference
 * and the authorization id when @refs is set: not when the text reads as an amount, whose
 * digits would be found in every reference of the month ("12" in each S-202612…). @words, when
 * the text has more than one word, finds the descriptions with every word in any order
 * ("brioche cappuccino"); @cents, when the text reads as an amount, the sales of that amount
 * (ofAmount); @amountCents with @amountWords, a description's words and an amount together
 * ("panino 4,50": the panini of 4,50 €). @refunded keeps the sales with a refund that did not
 * fail.
 */
const SALE_FILTER = `
  WHERE (@from IS NULL OR business_day >= @from)
    AND (@to IS NULL OR business_day <= @to)
    AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
    AND (@refunded IS NULL OR id IN (SELECT c.sale_id FROM refunds r JOIN charges c ON c.id = r.charge_id
                                     WHERE r.status <> 'FAILED'))
    AND (@text IS NULL OR ${folded('description')}
      OR (@refs IS NOT NULL AND (${folded('merchant_ref')} OR ${folded('authorization_id')}))
      OR (@words IS NOT NULL AND ${everyWord('@words')})
      OR (@cents IS NOT NULL AND ${ofAmount('@cents')})
      OR (@amountCents IS NOT NULL AND ${everyWord('@amountWords')} AND ${ofAmount('@amountCents')}))`;

/** Prepares them on `db`, first registering the SQL functions they call (a backup's copy too). */
export function prepareStatements(db: Database.Database) {
  registerSearchFold(db);
  const q = <R, P extends unknown[] = [string]>(sql: string) => db.prepare<P, R>(sql);
  return {
    chain: prepareChainStatements(db) satisfies ChainStatements,
    eventsOf: q<EventRow>('SELECT * FROM events WHERE correlation_id = ? ORDER BY seq'),
    saleHasEvent: q<{ one: number }, [string, string]>(
      'SELECT 1 AS one FROM events WHERE correlation_id = ? AND kind = ? LIMIT 1',
    ),
    eventsAfter: q<EventRow, [number, number]>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),

    sale: q<SaleRow>('SELECT * FROM sales WHERE id = ?'),
    saleByAuthorization: q<SaleRow>('SELECT * FROM sales WHERE authorization_id = ?'),
    // The sales_by_state index answers it: one probe per state, whatever the journal's size.
    liveSales: q<SaleRow, []>(
      `SELECT * FROM sales WHERE state IN ('created', 'authorizing', 'waiting', 'granted', 'charging')
          AND NOT (policy = 'BOOKED' AND state IN ('granted', 'charging'))
        ORDER BY created_at DESC`,
    ),
    merchantRefTaken: q<number>('SELECT count(*) FROM sales WHERE merchant_ref = ?').pluck(),
    insertSale: q<unknown, [SaleRow]>(
      `INSERT INTO sales (id, merchant_ref, amount, description, policy, state, authorization_id, authorization_status,
         sharing_url, business_day, created_at, updated_at, last_error, last_event_seq)
       VALUES (@id, @merchant_ref, @amount, @description, @policy, @state, @authorization_id, @authorization_status,
         @sharing_url, @business_day, @created_at, @updated_at, @last_error, @last_event_seq)`,
    ),
    updateSale: q<unknown, [SaleRow]>(
      `UPDATE sales SET state = @state, authorization_id = @authorization_id, authorization_status = @authorization_status,
         sharing_url = @sharing_url, updated_at = @updated_at, last_error = @last_error, last_event_seq = @last_event_seq
       WHERE id = @id`,
    ),
    listSales: q<SaleRow, [Params]>(
      `SELECT * FROM sales ${SALE_FILTER} ORDER BY rowid DESC LIMIT @limit OFFSET @offset`,
    ),
    countSales: q<number, [Params]>(`SELECT count(*) FROM sales ${SALE_FILTER}`).pluck(),
    salesInDoubt: q<SaleRow, []>(
      `SELECT * FROM sales s WHERE s.state = 'authorizing' OR (s.state = 'unknown'
         AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.sale_id = s.id AND c.${OPEN_CHARGE})) ORDER BY s.rowid`,
    ),
    salesOpen: q<SaleRow, []>(`SELECT * FROM sales WHERE state IN ('waiting', 'granted') ORDER BY rowid`),

    charge: q<ChargeRow>('SELECT * FROM charges WHERE id = ?'),
    chargeByDroppayId: q<ChargeRow>('SELECT * FROM charges WHERE droppay_id = ?'),
    chargesOf: q<ChargeRow>('SELECT * FROM charges WHERE sale_id = ? ORDER BY rowid'),
    openChargeOf: q<ChargeRow>(`SELECT * FROM charges WHERE sale_id = ? AND ${OPEN_CHARGE}`),
    paidChargeOf: q<ChargeRow>(
      `SELECT * FROM charges WHERE sale_id = ? AND status IN ('DONE', 'ACCOUNTED') LIMIT 1`,
    ),
    chargesInDoubt: q<ChargeRow, []>(`SELECT * FROM charges WHERE ${OPEN_CHARGE} ORDER BY rowid`),
    insertCharge: q<unknown, [ChargeRow]>(
      `INSERT INTO charges (id, sale_id, droppay_id, amount, status, origin, business_day, created_at, updated_at,
         last_error, last_event_seq)
       VALUES (@id, @sale_id, @droppay_id, @amount, @status, @origin, @business_day, @created_at, @updated_at,
         @last_error, @last_event_seq)`,
    ),
    updateCharge: q<unknown, [ChargeRow]>(
      `UPDATE charges SET droppay_id = @droppay_id, status = @status, updated_at = @updated_at, last_error = @last_error,
         last_event_seq = @last_event_seq WHERE id = @id`,
    ),

    refund: q<RefundRow>(`${REFUND_SELECT} WHERE r.id = ?`),
    refundByDroppayId: q<RefundRow>(`${REFUND_SELECT} WHERE r.droppay_id = ?`),
    refundOfCharge: q<RefundRow>(`${REFUND_SELECT} WHERE r.charge_id = ?`),
    refundsOf: q<RefundRow>(`${REFUND_SELECT} WHERE c.sale_id = ? ORDER BY r.rowid`),
    refundsInDoubt: q<RefundRow, []>(
      `${REFUND_SELECT} WHERE r.status IN ('intent', 'ENQUEUED', 'unknown') ORDER BY r.rowid`,
    ),
    insertRefund: q<unknown, [RefundColumns]>(
      `INSERT INTO refunds (id, charge_id, droppay_id, amount, reason, status, attempt, business_day, created_at,
         updated_at, last_error, last_event_seq)
       VALUES (@id, @charge_id, @droppay_id, @amount, @reason, @status, @attempt, @business_day, @created_at,
         @updated_at, @last_error, @last_event_seq)`,
    ),
    // All mutable columns in one statement: amount, reason and attempt only change on a retry,
    // which the refunds_terms_fixed trigger polices.
    updateRefund: q<unknown, [RefundColumns]>(
      `UPDATE refunds SET droppay_id = @droppay_id, amount = @amount, reason = @reason, status = @status,
         attempt = @attempt, business_day = @business_day, updated_at = @updated_at, last_error = @last_error,
         last_event_seq = @last_event_seq WHERE id = @id`,
    ),

    setting: q<SettingRow>('SELECT key, value, updated_at FROM settings WHERE key = ?'),
    settings: q<SettingRow, []>('SELECT key, value, updated_at FROM settings ORDER BY key'),
    upsertSetting: q<unknown, [Params]>(
      `INSERT INTO settings (key, value, updated_at, last_event_seq) VALUES (@key, @value, @updated_at, @last_event_seq)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
         last_event_seq = excluded.last_event_seq`,
    ),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
