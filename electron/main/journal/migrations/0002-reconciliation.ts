/**
 * 0002: end-of-day reconciliation. Day closures (immutable, one per business day, chained to
 * each other and anchored to the event chain's head), the per-item results of checking a day
 * with DropPay (so an interrupted check resumes), and the indexes that keep a day's report
 * fast however long the journal grows. FROZEN once released: change the schema in a new file.
 */
import type { Migration } from './migration';

const ISO_MS = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'`;
const DAY = `GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'`;
const HEX64 = (col: string): string => `length(${col}) = 64 AND ${col} NOT GLOB '*[^0-9a-f]*'`;
const COUNT = (col: string): string => `${col} INTEGER NOT NULL CHECK (${col} >= 0)`;
const GENESIS = '0'.repeat(64);

const SQL = `
CREATE TABLE day_closures (
  seq                   INTEGER PRIMARY KEY CHECK (seq >= 1),
  business_day          TEXT NOT NULL UNIQUE CHECK (business_day ${DAY}),
  time_zone             TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  cutoff_hour           INTEGER NOT NULL CHECK (cutoff_hour BETWEEN 0 AND 23),
  ${COUNT('charges_done_count')},
  ${COUNT('charged_cents')},
  ${COUNT('charges_failed_count')},
  ${COUNT('refunds_done_count')},
  ${COUNT('refunded_cents')},
  net_cents             INTEGER NOT NULL,
  ${COUNT('adjustments_count')},
  adjustments_net_cents INTEGER NOT NULL,
  ${COUNT('unsettled_count')},
  chain_head_seq        INTEGER NOT NULL CHECK (chain_head_seq >= 0),
  chain_head_hash       TEXT NOT NULL CHECK (${HEX64('chain_head_hash')}),
  report_json           TEXT NOT NULL CHECK (json_valid(report_json) AND json_type(report_json) = 'object'),
  created_at            TEXT NOT NULL CHECK (created_at ${ISO_MS}),
  forced_reason         TEXT CHECK (forced_reason IS NULL OR length(trim(forced_reason)) BETWEEN 1 AND 1000),
  prev_hash             TEXT NOT NULL UNIQUE CHECK (${HEX64('prev_hash')}),
  hash                  TEXT NOT NULL UNIQUE CHECK (${HEX64('hash')}),
  CHECK (net_cents = charged_cents - refunded_cents),
  -- A day with outcomes still unknown is closed only on someone's written word.
  CHECK (unsettled_count = 0 OR forced_reason IS NOT NULL)
) STRICT;
CREATE TRIGGER day_closures_no_update BEFORE UPDATE ON day_closures
  BEGIN SELECT RAISE(ABORT, 'day_closures: a closed day is final: UPDATE is not allowed'); END;
CREATE TRIGGER day_closures_no_delete BEFORE DELETE ON day_closures
  BEGIN SELECT RAISE(ABORT, 'day_closures: a closed day is final: DELETE is not allowed'); END;
-- Closures form their own chain, like events: the next number, linked to the last hash.
CREATE TRIGGER day_closures_chain_link BEFORE INSERT ON day_closures
  WHEN NEW.seq IS NOT (SELECT coalesce(max(seq), 0) + 1 FROM day_closures)
    OR NEW.prev_hash IS NOT coalesce((SELECT hash FROM day_closures ORDER BY seq DESC LIMIT 1), '${GENESIS}')
  BEGIN SELECT RAISE(ABORT, 'day_closures: a closure must take the next seq and link to the last hash'); END;

-- One row per item checked with DropPay; replaced when the item is checked again.
CREATE TABLE recon_checks (
  business_day   TEXT NOT NULL CHECK (business_day ${DAY}),
  item_kind      TEXT NOT NULL CHECK (item_kind IN ('authorization', 'charge', 'refund')),
  item_id        TEXT NOT NULL CHECK (length(item_id) BETWEEN 1 AND 64),
  sale_id        TEXT NOT NULL CHECK (length(sale_id) BETWEEN 1 AND 64),
  journal_seq    INTEGER NOT NULL CHECK (journal_seq >= 1),
  result         TEXT NOT NULL CHECK (result IN ('match', 'mismatch', 'settled', 'pending', 'error')),
  droppay_status TEXT CHECK (droppay_status IS NULL OR length(droppay_status) BETWEEN 1 AND 32),
  droppay_amount INTEGER CHECK (droppay_amount IS NULL OR droppay_amount >= 0),
  findings       TEXT NOT NULL CHECK (json_valid(findings) AND json_type(findings) = 'array'),
  checked_at     TEXT NOT NULL CHECK (checked_at ${ISO_MS}),
  PRIMARY KEY (business_day, item_kind, item_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE recon_check_runs (
  business_day TEXT PRIMARY KEY CHECK (business_day ${DAY}),
  started_at   TEXT NOT NULL CHECK (started_at ${ISO_MS}),
  finished_at  TEXT CHECK (finished_at IS NULL OR finished_at ${ISO_MS}),
  ${COUNT('total')},
  ${COUNT('checked')},
  ${COUNT('skipped')},
  ${COUNT('errors')}
) STRICT;

-- A day's rows without scanning the whole journal; covering for the report's aggregates.
CREATE INDEX charges_by_day ON charges (business_day, status, amount, sale_id, created_at);
CREATE INDEX refunds_by_day ON refunds (business_day, status, amount, charge_id, created_at);
CREATE INDEX sales_by_day_policy ON sales (business_day, policy, state);
-- What changed on a closed day after its closure (adjustments).
CREATE INDEX charges_by_day_seq ON charges (business_day, last_event_seq);
CREATE INDEX refunds_by_day_seq ON refunds (business_day, last_event_seq);
`;

export const migration0002: Migration = {
  version: 2,
  name: 'reconciliation',
  up(db) {
    db.exec(SQL);
  },
};
