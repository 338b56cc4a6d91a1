/**
 * The report's look at the event chain. `full` re-hashes the whole log (what the journal's
 * verifyChain does): the strongest check, but its cost grows with the journal (roughly
 * 75,000 events a second on a slow machine, so a year of a busy shop takes seconds).
 * `since-last-closure` re-hashes only what came after the last closure's anchor and checks
 * that the anchor event still carries the hash the closure stored: it catches any change,
 * cut or rewrite after the anchor and any rewrite of the chain before it, but not an edit of
 * an old event that left its stored hash alone (only `full` sees that).
 */
import type Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH, verifyChainRows } from '../journal/hash-chain';
import type { EventRow } from '../journal/rows';
import { reportStatements } from './queries';
import type { ChainSection } from './types';

export type ChainMode = 'full' | 'since-last-closure' | 'none';

function lastAnchor(db: Database.Database): { seq: number; hash: string } | null {
  return (
    db
      .prepare<[], { seq: number; hash: string }>(
        'SELECT chain_head_seq AS seq, chain_head_hash AS hash FROM day_closures ORDER BY chain_head_seq DESC LIMIT 1',
      )
      .get() ?? null
  );
}

function walk(rows: Iterable<EventRow>, fromSeq: number, fromHash: string) {
  let expected = fromSeq + 1;
  let prev = fromHash;
  let count = 0;
  for (const row of rows) {
    const broken = (reason: string, message: string) => ({
      ok: false as const,
      count,
      brokenAtSeq: row.seq,
      reason,
      message,
    });
    if (row.seq !== expected)
      return broken('seq-gap', `expected event ${expected} but found ${row.seq}: events are missing`);
    if (row.prev_hash !== prev)
      return broken('prev-hash-mismatch', `event ${row.seq} does not link to the event before it`);
    if (eventHash(row) !== row.hash)
      return broken('hash-mismatch', `event ${row.seq} was altered after it was written`);
    prev = row.hash;
    expected += 1;
    count += 1;
  }
  return { ok: true as const, count };
}

/** Events 1..seq re-hashed and found whole, `hash` being event seq's (see verifiedPrefix). */
export interface VerifiedPrefix {
  seq: number;
  hash: string;
}

/**
 * Re-hashes the whole log as it is now, outside any write lock; the prefix it vouches for lets
 * a `full` check inside the lock (a day's close) re-hash only what came after. For a log that
 * does not verify, the events before the break: the check under the lock then meets the break
 * itself at once (a forced close of a year-old journal must not hold the lock either). Null
 * when not even the first event verifies.
 */
export function verifiedPrefix(db: Database.Database): VerifiedPrefix | null {
  const st = reportStatements(db);
  const v = verifyChainRows(st.events.iterate());
  if (v.ok) return v.count === 0 ? null : { seq: v.count, hash: v.head };
  const hash = v.count > 0 ? st.eventHash.get(v.count) : undefined;
  return hash === undefined ? null : { seq: v.count, hash };
}

/** A walk's verdict as the report's chain section; `before` events were vouched for earlier. */
function sectionOf(
  base: { headSeq: number; headHash: string },
  scope: 'full' | 'since-last-closure',
  fromSeq: number,
  before: number,
  v:
    | { ok: true; count: number }
    | { ok: false; count: number; brokenAtSeq: number; reason: string; message: string },
): ChainSection {
  const count = before + v.count;
  return v.ok
    ? { ...base, ok: true, scope, fromSeq, count }
    : {
        ...base,
        ok: false,
        scope,
        fromSeq,
        count,
        brokenAtSeq: v.brokenAtSeq,
        reason: v.reason,
        message: v.message,
      };
}

/** The events after `seq`, linked from `hash` (the event seq's). */
function walkAfter(db: Database.Database, seq: number, hash: string) {
  return walk(
    db.prepare<[number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq').iterate(seq),
    seq,
    hash,
  );
}

export function chainSection(
  db: Database.Database,
  mode: ChainMode,
  hasClosures: boolean,
  prefix: VerifiedPrefix | null = null,
): ChainSection {
  const st = reportStatements(db);
  const head = st.head.get();
  const headSeq = head?.seq ?? 0;
  const headHash = head?.hash ?? GENESIS_HASH;
  const base = { headSeq, headHash };
  if (mode === 'none') return { ...base, ok: null, scope: 'none', fromSeq: headSeq, count: 0 };
  // The whole log, its verified prefix taken as read if its last event is still that one.
  if (mode === 'full' && prefix !== null && prefix.seq > 0 && st.eventHash.get(prefix.seq) === prefix.hash) {
    return sectionOf(base, 'full', 0, prefix.seq, walkAfter(db, prefix.seq, prefix.hash));
  }
  const anchor = mode === 'since-last-closure' && hasClosures ? lastAnchor(db) : null;
  if (anchor === null || anchor.seq === 0) {
    return sectionOf(base, 'full', 0, 0, verifyChainRows(st.events.iterate()));
  }
  const scope = 'since-last-closure';
  if (st.eventHash.get(anchor.seq) !== anchor.hash) {
    const message = `event ${anchor.seq} no longer carries the hash the last closure recorded: the log was cut back or rewritten`;
    return {
      ...base,
      ok: false,
      scope,
      fromSeq: anchor.seq,
      count: 0,
      brokenAtSeq: anchor.seq,
      reason: 'anchor-mismatch',
      message,
    };
  }
  return sectionOf(base, scope, anchor.seq, 0, walkAfter(db, anchor.seq, anchor.hash));
}

interface RowAgainstEvents {
  kind: 'charge' | 'refund';
  id: string;
  status: string;
  amount: number;
  droppay_id: string | null;
  seq: number;
  /** The entity, status and DropPay id its last event (`seq`) recorded; its amount from its intent. */
  e_entity: string | null;
  e_status: string | null;
  e_droppay: string | null;
  e_amount: number | null;
}

const ROWS_AGAINST_EVENTS = `
  SELECT 'charge' AS kind, c.id, c.status, c.amount, c.droppay_id, c.last_event_seq AS seq,
         e.entity_id AS e_entity,
         CASE WHEN e.kind = 'charge.intent' THEN 'intent'
              WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.charge_status') END AS e_status,
         CASE WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.droppay_id') END AS e_droppay,
         (SELECT CASE WHEN json_valid(i.payload) THEN json_extract(i.payload, '$.amount') END FROM events i
           WHERE i.correlation_id = c.sale_id AND i.entity_id = c.id AND i.kind IN ('charge.intent', 'charge.observed')
           ORDER BY i.seq DESC LIMIT 1) AS e_amount
    FROM charges c LEFT JOIN events e ON e.seq = c.last_event_seq
   WHERE c.business_day = @day
  UNION ALL
  SELECT 'refund', r.id, r.status, r.amount, r.droppay_id, r.last_event_seq,
         e.entity_id,
         CASE WHEN e.kind = 'refund.intent' THEN 'intent'
              WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.refund_status') END,
         CASE WHEN json_valid(e.payload) THEN json_extract(e.payload, '$.droppay_id') END,
         (SELECT CASE WHEN json_valid(i.payload) THEN json_extract(i.payload, '$.amount') END FROM events i
           JOIN charges c ON c.id = r.charge_id
           WHERE i.correlation_id = c.sale_id AND i.entity_id = r.id AND i.kind = 'refund.intent'
           ORDER BY i.seq DESC LIMIT 1)
    FROM refunds r LEFT JOIN events e ON e.seq = r.last_event_seq
   WHERE r.business_day = @day
   ORDER BY seq`;

/**
 * The day's charges and refunds held against their own events: the hash chain vouches for the
 * events, but the totals are summed from the current-state rows, so a row edited behind the
 * app's back (a status, an amount, a DropPay id) would pass a chain check. Each row's status and
 * DropPay id must be what its last event recorded, and its amount what its intent (or, for a
 * charge DropPay made, its observation) did. The first row that differs, or null.
 */
export function rowAltered(db: Database.Database, day: string): { seq: number; message: string } | null {
  for (const r of db.prepare<[{ day: string }], RowAgainstEvents>(ROWS_AGAINST_EVENTS).iterate({ day })) {
    const differs =
      r.e_entity !== r.id
        ? 'its last event is not about it'
        : r.e_status !== r.status
          ? `its status is ${r.status}, its events say ${r.e_status ?? 'nothing'}`
          : r.e_droppay !== null && r.e_droppay !== r.droppay_id
            ? `its DropPay id is ${r.droppay_id ?? 'none'}, its events say ${r.e_droppay}`
            : r.e_amount !== r.amount
              ? `its amount is ${r.amount} cents, its events say ${r.e_amount ?? 'nothing'}`
              : null;
    if (differs !== null) {
      return {
        seq: r.seq,
        message: `${r.kind} ${r.id} of ${day} no longer agrees with the journal's events (${differs}): the journal may have been altered`,
      };
    }
  }
  return null;
}
