/**
 * 0001: the append-only hash-chained event log, the current-state tables for sales, charges
 * and refunds, and settings. FROZEN once released: change the schema in a new file.
 */
import type { Migration } from './migration';

const GENESIS = '0'.repeat(64);
const ISO_MS = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'`;
const DAY = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
const HEX64 = (col: string): string => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;
const ID = (col: string): string => `length(${col}) BETWEEN 1 AND 64`;
const CENTS = (col: string): string => `${col} > 0 AND ${col} <= 100000000`;
const ERROR_TEXT = `last_error TEXT CHECK (last_error IS NULL OR length(last_error) <= 2000)`;

/** The secret-key rule of secret-keys.ts for lowercase keys whose words are split by _ . - or space. */
function noSecretKey(expr: string): string {
  const k = `lower(${expr})`;
  const words = `('_' || replace(replace(replace(${k}, '.', '_'), '-', '_'), ' ', '_') || '_')`;
  return [
    ...['token', 'secret', 'passw', 'passphrase', 'credential'].map((f) => `${k} NOT GLOB '*${f}*'`),
    ...['code', 'pin', 'pwd', 'otp'].map((w) => `${words} NOT GLOB '*_${w}_*'`),
  ].join(' AND ');
}

/** Forbids changing columns that record facts once they are written. */
function immutable(table: string, columns: string[]): string {
  const changed = columns.map((c) => `NEW.${c} IS NOT OLD.${c}`).join(' OR ');
  return `CREATE TRIGGER ${table}_immutable_columns BEFORE UPDATE ON ${table} WHEN ${changed}
    BEGIN SELECT RAISE(ABORT, '${table}: ${columns.join(', ')} cannot change'); END;
  CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
    BEGIN SELECT RAISE(ABORT, '${table}: rows are never deleted'); END;`;
}

/** A DropPay id, once learnt, never changes. */
function idOnceSet(table: string): string {
  return `CREATE TRIGGER ${table}_droppay_id_once BEFORE UPDATE OF droppay_id ON ${table}
    WHEN OLD.droppay_id IS NOT NULL AND NEW.droppay_id IS NOT OLD.droppay_id
    BEGIN SELECT RAISE(ABORT, '${table}: droppay_id cannot change once set'); END;`;
}

const SQL = `
CREATE TABLE events (
  seq            INTEGER PRIMARY KEY CHECK (seq >= 1),
  at             TEXT NOT NULL CHECK (at ${ISO_MS}),
  business_day   TEXT NOT NULL CHECK (business_day ${DAY}),
  kind           TEXT NOT NULL CHECK (length(kind) BETWEEN 3 AND 64 AND kind GLOB '[a-z]*.[a-z]*' AND kind NOT GLOB '*[^a-z._]*'),
  correlation_id TEXT CHECK (correlation_id IS NULL OR ${ID('correlation_id')}),
  entity_id      TEXT CHECK (entity_id IS NULL OR ${ID('entity_id')}),
  payload        TEXT NOT NULL CHECK (json_valid(payload) AND json_type(payload) = 'object'),
  prev_hash      TEXT NOT NULL UNIQUE CHECK (${HEX64('prev_hash')}),
  hash           TEXT NOT NULL UNIQUE CHECK (${HEX64('hash')})
) STRICT;
CREATE INDEX events_by_correlation ON events (correlation_id, seq);
CREATE INDEX events_by_day ON events (business_day, seq);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE is not allowed'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE is not allowed'); END;
-- The hash itself is checked by verifyChain; this makes a fork impossible even for a raw
-- INSERT: every event must name the current head as its predecessor and take the next seq.
CREATE TRIGGER events_chain_link BEFORE INSERT ON events
  WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM events)
    OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '${GENESIS}')
  BEGIN SELECT RAISE(ABORT, 'events: an event must take the next seq and link to the last hash'); END;
CREATE TRIGGER events_no_secret_keys BEFORE INSERT ON events
  WHEN EXISTS (SELECT 1 FROM json_tree(NEW.payload) WHERE typeof(key) = 'text' AND NOT (${noSecretKey('key')}))
  BEGIN SELECT RAISE(ABORT, 'events: payload has a secret-like key'); END;

CREATE TABLE sales (
  id                   TEXT PRIMARY KEY CHECK (${ID('id')}),
  merchant_ref         TEXT NOT NULL UNIQUE CHECK (${ID('merchant_ref')}),
  amount               INTEGER NOT NULL CHECK (${CENTS('amount')}),
  description          TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 512),
  policy               TEXT NOT NULL CHECK (policy IN ('CHARGEABLE', 'BOOKED', 'CHARGED')),
  state                TEXT NOT NULL CHECK (state IN ('created', 'authorizing', 'waiting', 'granted', 'charging',
                         'paid', 'failed', 'refused', 'expired', 'cancelled', 'revoked', 'unknown')),
  authorization_id     TEXT UNIQUE CHECK (authorization_id IS NULL OR ${ID('authorization_id')}),
  authorization_status TEXT CHECK (authorization_status IS NULL OR authorization_status IN
                         ('WAITING', 'GRANTED', 'REFUSED', 'CANCELLED', 'EXPIRED', 'REVOKED')),
  sharing_url          TEXT CHECK (sharing_url IS NULL OR length(sharing_url) BETWEEN 1 AND 2048),
  business_day         TEXT NOT NULL CHECK (business_day ${DAY}),
  created_at           TEXT NOT NULL CHECK (created_at ${ISO_MS}),
  updated_at           TEXT NOT NULL CHECK (updated_at ${ISO_MS}),
  ${ERROR_TEXT},
  last_event_seq       INTEGER NOT NULL REFERENCES events (seq)
) STRICT;
CREATE INDEX sales_by_day ON sales (business_day);
CREATE INDEX sales_by_state ON sales (state);
${immutable('sales', ['id', 'merchant_ref', 'amount', 'description', 'policy', 'business_day', 'created_at'])}
CREATE TRIGGER sales_authorization_id_once BEFORE UPDATE OF authorization_id ON sales
  WHEN OLD.authorization_id IS NOT NULL AND NEW.authorization_id IS NOT OLD.authorization_id
  BEGIN SELECT RAISE(ABORT, 'sales: authorization_id cannot change once set'); END;

CREATE TABLE charges (
  id             TEXT PRIMARY KEY CHECK (${ID('id')}),
  sale_id        TEXT NOT NULL REFERENCES sales (id),
  droppay_id     TEXT UNIQUE CHECK (droppay_id IS NULL OR ${ID('droppay_id')}),
  amount         INTEGER NOT NULL CHECK (${CENTS('amount')}),
  status         TEXT NOT NULL CHECK (status IN ('intent', 'pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown')),
  origin         TEXT NOT NULL CHECK (origin IN ('terminal', 'droppay')),
  business_day   TEXT NOT NULL CHECK (business_day ${DAY}),
  created_at     TEXT NOT NULL CHECK (created_at ${ISO_MS}),
  updated_at     TEXT NOT NULL CHECK (updated_at ${ISO_MS}),
  ${ERROR_TEXT},
  last_event_seq INTEGER NOT NULL REFERENCES events (seq)
) STRICT;
CREATE INDEX charges_by_sale ON charges (sale_id);
-- Never two charges in flight for one sale: the surest guard against charging twice.
CREATE UNIQUE INDEX charges_one_open_per_sale ON charges (sale_id) WHERE status IN ('intent', 'pending', 'unknown');
${immutable('charges', ['id', 'sale_id', 'amount', 'origin', 'business_day', 'created_at'])}
${idOnceSet('charges')}
CREATE TRIGGER charges_within_sale BEFORE INSERT ON charges
  WHEN NEW.amount > (SELECT amount FROM sales WHERE id = NEW.sale_id)
  BEGIN SELECT RAISE(ABORT, 'charges: a charge cannot exceed its sale'); END;

CREATE TABLE refunds (
  id             TEXT PRIMARY KEY CHECK (${ID('id')}),
  charge_id      TEXT NOT NULL UNIQUE REFERENCES charges (id),
  droppay_id     TEXT UNIQUE CHECK (droppay_id IS NULL OR ${ID('droppay_id')}),
  amount         INTEGER NOT NULL CHECK (${CENTS('amount')}),
  reason         TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 512),
  status         TEXT NOT NULL CHECK (status IN ('intent', 'ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown')),
  attempt        INTEGER NOT NULL CHECK (attempt >= 1),
  business_day   TEXT NOT NULL CHECK (business_day ${DAY}),
  created_at     TEXT NOT NULL CHECK (created_at ${ISO_MS}),
  updated_at     TEXT NOT NULL CHECK (updated_at ${ISO_MS}),
  ${ERROR_TEXT},
  last_event_seq INTEGER NOT NULL REFERENCES events (seq)
) STRICT;
${immutable('refunds', ['id', 'charge_id', 'created_at'])}
${idOnceSet('refunds')}
CREATE TRIGGER refunds_within_charge_insert BEFORE INSERT ON refunds
  WHEN NEW.amount > (SELECT amount FROM charges WHERE id = NEW.charge_id)
  BEGIN SELECT RAISE(ABORT, 'refunds: a refund cannot exceed its charge'); END;
CREATE TRIGGER refunds_within_charge_update BEFORE UPDATE OF amount ON refunds
  WHEN NEW.amount > (SELECT amount FROM charges WHERE id = NEW.charge_id)
  BEGIN SELECT RAISE(ABORT, 'refunds: a refund cannot exceed its charge'); END;
CREATE TRIGGER refunds_need_paid_charge BEFORE INSERT ON refunds
  WHEN (SELECT status FROM charges WHERE id = NEW.charge_id) NOT IN ('DONE', 'ACCOUNTED')
  BEGIN SELECT RAISE(ABORT, 'refunds: only a DONE or ACCOUNTED charge can be refunded'); END;
-- Amount and reason may change only when DropPay never accepted the previous attempt.
CREATE TRIGGER refunds_terms_fixed BEFORE UPDATE OF amount, reason ON refunds
  WHEN (NEW.amount IS NOT OLD.amount OR NEW.reason IS NOT OLD.reason)
    AND NOT (OLD.status = 'FAILED' AND OLD.droppay_id IS NULL AND NEW.status = 'intent')
  BEGIN SELECT RAISE(ABORT, 'refunds: amount and reason are fixed once sent'); END;

CREATE TABLE settings (
  key            TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 64 AND key GLOB '[a-z]*'
                   AND key NOT GLOB '*[^a-z0-9_.]*' AND ${noSecretKey('key')}),
  value          TEXT NOT NULL CHECK (length(value) <= 4096),
  updated_at     TEXT NOT NULL CHECK (updated_at ${ISO_MS}),
  last_event_seq INTEGER NOT NULL REFERENCES events (seq)
) STRICT;
`;

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
  },
};
