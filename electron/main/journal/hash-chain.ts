/**
 * The tamper-evident event log. Each event's hash covers its predecessor's hash and the
 * canonical JSON of its own fields, so editing, removing or reordering any stored event
 * breaks the chain at that event. (Cutting events off the end leaves a valid shorter chain;
 * keep an exported head hash, e.g. on the day-close report, to detect that.)
 */
import type Database from 'better-sqlite3';
import { canonicalJson, sha256Hex } from './canonical-json';
import type { EventRow } from './rows';

export const GENESIS_HASH = '0'.repeat(64);

export type ChainBreak = 'seq-gap' | 'prev-hash-mismatch' | 'hash-mismatch';

export type ChainVerdict =
  | { ok: true; count: number; head: string }
  | { ok: false; brokenAtSeq: number; reason: ChainBreak; message: string; count: number };

/** The fields an event's hash covers: everything stored except the hash itself. */
export function eventHash(row: Omit<EventRow, 'hash'>): string {
  const fields = {
    seq: row.seq,
    at: row.at,
    business_day: row.business_day,
    kind: row.kind,
    correlation_id: row.correlation_id,
    entity_id: row.entity_id,
    // The stored text, not the parsed value: any byte changed in it is a change.
    payload: row.payload,
  };
  return sha256Hex(row.prev_hash + canonicalJson(fields));
}

export interface ChainStatements {
  head: Database.Statement<[], { seq: number; hash: string }>;
  insert: Database.Statement<[EventRow], unknown>;
  all: Database.Statement<[], EventRow>;
}

export function prepareChainStatements(db: Database.Database): ChainStatements {
  return {
    head: db.prepare<[], { seq: number; hash: string }>(
      'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1',
    ),
    insert: db.prepare<[EventRow], unknown>(
      `INSERT INTO events (seq, at, business_day, kind, correlation_id, entity_id, payload, prev_hash, hash)
       VALUES (@seq, @at, @business_day, @kind, @correlation_id, @entity_id, @payload, @prev_hash, @hash)`,
    ),
    all: db.prepare<[], EventRow>('SELECT * FROM events ORDER BY seq'),
  };
}

/**
 * Appends one event after the current head. Must run inside a write transaction (the caller's
 * BEGIN IMMEDIATE), so the head read and the insert cannot interleave with another writer.
 */
export function appendEventRow(
  st: ChainStatements,
  fields: Omit<EventRow, 'seq' | 'prev_hash' | 'hash'>,
): EventRow {
  const head = st.head.get();
  const unhashed = {
    ...fields,
    seq: (head?.seq ?? 0) + 1,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const row: EventRow = { ...unhashed, hash: eventHash(unhashed) };
  st.insert.run(row);
  return row;
}

/** Walks the whole log in seq order and reports the first event whose link does not hold. */
export function verifyChainRows(rows: Iterable<EventRow>): ChainVerdict {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of rows) {
    const broken = (reason: ChainBreak, message: string): ChainVerdict => ({
      ok: false,
      brokenAtSeq: row.seq,
      reason,
      message,
      count,
    });
    if (row.seq !== expectedSeq) {
      return broken('seq-gap', `expected event ${expectedSeq} but found ${row.seq}: events are missing`);
    }
    if (row.prev_hash !== prev) {
      return broken('prev-hash-mismatch', `event ${row.seq} does not link to the event before it`);
    }
    if (eventHash(row) !== row.hash) {
      return broken('hash-mismatch', `event ${row.seq} was altered after it was written`);
    }
    prev = row.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, count, head: prev };
}
