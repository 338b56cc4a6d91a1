/**
 * The report's SQL: set-based aggregates over one business day, each answered from the
 * (business_day, ...) indexes of migration 0002 so the cost follows the day's size, not the
 * journal's. Prepared once per connection.
 */
import type Database from 'better-sqlite3';
import type { BusinessDay } from '../journal/business-day';
import type { EventRow } from '../journal/rows';
import { REFUND_ASKED_AT_SQL } from '../journal/statements';
import type { EventLite } from './adjustments';

/** One (status, policy, UTC minute) group of a day's charges or refunds; `slot` is "YYYY-MM-DDTHH:MM". */
export interface GroupRow {
  status: string;
  policy: string;
  slot: string;
  count: number;
  cents: number;
}
export interface SalesRow {
  policy: string;
  state: string;
  count: number;
}
export interface UnsettledRow {
  kind: 'authorization' | 'charge' | 'refund';
  id: string;
  sale_id: string;
  merchant_ref: string;
  droppay_id: string | null;
  amount: number;
  status: string;
  created_at: string;
  last_error: string | null;
}
export interface PreauthRow {
  id: string;
  merchant_ref: string;
  authorization_id: string | null;
  amount: number;
  state: string;
  created_at: string;
}
/** One charge or refund as an export line. */
export interface ItemRow {
  kind: 'charge' | 'refund';
  id: string;
  sale_id: string;
  merchant_ref: string;
  policy: string;
  droppay_id: string | null;
  status: string;
  amount: number;
  created_at: string;
  /** The sale's description (a refund's line too). */
  text: string;
  /** A refund's reason; null on a charge's line. */
  reason: string | null;
}
/** An export line as SQLite hands it over in raw mode, in the order of the items query. */
export type ItemTuple = [
  kind: 'charge' | 'refund',
  id: string,
  saleId: string,
  merchantRef: string,
  policy: string,
  droppayId: string | null,
  status: string,
  amount: number,
  createdAt: string,
  text: string,
  reason: string | null,
];

/**
 * What is still in doubt on the days `on` selects (a condition on a business_day column):
 * authorizations without an answer, charges and refunds without a final status, and approved
 * sales whose charge the journal does not hold (a CHARGED one DropPay charged at the grant, a
 * CHARGEABLE one not charged yet); a BOOKED grant waiting for its capture is not in doubt.
 */
function unsettledSql(on: (table: 's' | 'c' | 'r') => string, from: string): string {
  return `SELECT 'authorization' AS kind, s.id AS id, s.id AS sale_id, s.merchant_ref AS merchant_ref,
              s.authorization_id AS droppay_id, s.amount AS amount, s.state AS status, s.created_at AS created_at,
              s.last_error AS last_error
         FROM ${from}sales s
        WHERE ${on('s')} AND s.policy IN ('CHARGEABLE', 'BOOKED', 'CHARGED') AND s.state IN ('authorizing', 'unknown')
          AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.sale_id = s.id AND c.status IN ('intent', 'pending', 'unknown'))
       UNION ALL
       SELECT 'authorization', s.id, s.id, s.merchant_ref, s.authorization_id, s.amount, s.state, s.created_at, s.last_error
         FROM ${from}sales s
        WHERE ${on('s')} AND s.policy IN ('CHARGED', 'CHARGEABLE') AND s.state = 'granted'
          AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.sale_id = s.id AND c.status <> 'FAILED')
       UNION ALL
       SELECT 'charge', c.id, c.sale_id, s.merchant_ref, c.droppay_id, c.amount, c.status, c.created_at, c.last_error
         FROM ${from}charges c JOIN sales s ON s.id = c.sale_id
        WHERE ${on('c')} AND c.status IN ('intent', 'pending', 'unknown')
       UNION ALL
       SELECT 'refund', r.id, c.sale_id, s.merchant_ref, r.droppay_id, r.amount, r.status, ${REFUND_AT}, r.last_error
         FROM ${from}refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
        WHERE ${on('r')} AND r.status IN ('intent', 'ENQUEUED', 'unknown')
       ORDER BY created_at`;
}

const closedStatements = new WeakMap<
  Database.Database,
  Database.Statement<[{ day: BusinessDay }], UnsettledRow>
>();

/**
 * What came into doubt on days closed before `day` after they were closed (a sale after the
 * close, say): the next report carries whatever it turns out to be, so it must not close as
 * settled while it is unknown. Whatever was in doubt at a close was acknowledged there (that
 * close needed a written reason), so it blocks one close, not every one after. A row of day R
 * counts as acknowledged by the closures that could list it: R's own (its head covers what R
 * showed) and those of later days, whose reports carry R's doubts. The close of an earlier,
 * forgotten day never lists R's, so it acknowledges nothing of R's. Only for a journal with the
 * reconciliation tables.
 */
export function unsettledOfClosedDays(db: Database.Database, day: BusinessDay): UnsettledRow[] {
  let st = closedStatements.get(db);
  if (!st) {
    // Driven by the closed days (CROSS JOIN keeps them the outer loop), each looked up through
    // the day indexes: no closure, no cost. `ack` is the latest head among the closures of that
    // day and of every day after it.
    st = db.prepare<[{ day: BusinessDay }], UnsettledRow>(
      unsettledSql(
        (t) => `d.business_day < @day AND ${t}.business_day = d.business_day AND ${t}.last_event_seq > d.ack`,
        `(SELECT business_day, max(chain_head_seq) OVER (ORDER BY business_day DESC) AS ack
            FROM day_closures) d CROSS JOIN `,
      ),
    );
    closedStatements.set(db, st);
  }
  return st.all({ day });
}

/**
 * When a refund's current attempt began: a refund asked again moves to the day of the new
 * attempt, so its time on that day is its latest intent's (the journal's own rule).
 */
const REFUND_AT = REFUND_ASKED_AT_SQL;

/** A refund asked again after a FAILED attempt, whose earlier attempts may fall on the day. */
interface RetriedRow {
  id: string;
  sale_id: string;
  merchant_ref: string;
  policy: string;
  description: string;
  attempt: number;
}

function prepare(db: Database.Database) {
  const day = <R>(sql: string) => db.prepare<[{ day: BusinessDay }], R>(sql);
  return {
    // One pass per table: status, policy and UTC minute together. The minute is mapped to the
    // local hour in JS (zone offsets are whole minutes, so a minute never straddles two hours),
    // and the policy comes from the one join the report needs.
    chargeGroups: day<GroupRow>(
      `SELECT c.status AS status, s.policy AS policy, substr(c.created_at, 1, 16) AS slot,
              count(*) AS count, sum(c.amount) AS cents
         FROM charges c JOIN sales s ON s.id = c.sale_id
        WHERE c.business_day = @day GROUP BY c.status, s.policy, slot`,
    ),
    refundGroups: day<GroupRow>(
      `SELECT r.status AS status, s.policy AS policy, substr(${REFUND_AT}, 1, 16) AS slot,
              count(*) AS count, sum(r.amount) AS cents
         FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
        WHERE r.business_day = @day GROUP BY r.status, s.policy, slot`,
    ),
    sales: day<SalesRow>(
      `SELECT policy, state, count(*) AS count FROM sales WHERE business_day = @day GROUP BY policy, state`,
    ),
    unsettled: day<UnsettledRow>(unsettledSql((t) => `${t}.business_day = @day`, '')),
    openPreauthorizations: day<PreauthRow>(
      `SELECT id, merchant_ref, authorization_id, amount, state, created_at FROM sales
       WHERE business_day = @day AND policy = 'BOOKED' AND authorization_status = 'GRANTED' AND state <> 'paid'
       ORDER BY created_at`,
    ),
    items: day<ItemRow>(
      `SELECT 'charge' AS kind, c.id AS id, c.sale_id AS sale_id, s.merchant_ref AS merchant_ref, s.policy AS policy,
              c.droppay_id AS droppay_id, c.status AS status, c.amount AS amount, c.created_at AS created_at,
              s.description AS text, NULL AS reason
         FROM charges c JOIN sales s ON s.id = c.sale_id WHERE c.business_day = @day
       UNION ALL
       SELECT 'refund', r.id, c.sale_id, s.merchant_ref, s.policy, r.droppay_id, r.status, r.amount,
              ${REFUND_AT}, s.description, r.reason
         FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
        WHERE r.business_day = @day
       ORDER BY created_at, kind`,
    ),
    // Refunds asked again whose earlier attempts may fall on the day: the row is on the day of
    // its latest attempt, the day or after (no bound by time: the day an attempt was booked on
    // is its event's, under the business-day rule of then). Answered from the partial index of
    // retried refunds (migration 0005): a handful of rows whatever the size of the journal.
    retried: db.prepare<[{ day: BusinessDay }], RetriedRow>(
      `SELECT r.id AS id, c.sale_id AS sale_id, s.merchant_ref AS merchant_ref, s.policy AS policy,
              s.description AS description, r.attempt AS attempt
         FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
        WHERE r.attempt > 1 AND r.business_day >= @day`,
    ),
    /** A charge's or refund's events up to a seq, in order. */
    entityEvents: db.prepare<[string, string, number], EventLite>(
      `SELECT seq, at, business_day, kind, payload FROM events
        WHERE correlation_id = ? AND entity_id = ? AND seq <= ? ORDER BY seq`,
    ),
    head: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
    ),
    eventHash: db.prepare<[number], string>('SELECT hash FROM events WHERE seq = ?').pluck(),
    events: db.prepare<[], EventRow>('SELECT * FROM events ORDER BY seq'),
  };
}

export type ReportStatements = ReturnType<typeof prepare>;

const cache = new WeakMap<Database.Database, ReportStatements>();

export function reportStatements(db: Database.Database): ReportStatements {
  let st = cache.get(db);
  if (!st) {
    st = prepare(db);
    cache.set(db, st);
  }
  return st;
}
