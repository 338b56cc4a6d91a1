/**
 * A closed day's lines as they stood when it was closed. Its totals are the ones its closure
 * stored; its lines must add up to them, so the export shows every charge and refund as the
 * journal had it at the closure's chain head, not as it is now. What changed after the close
 * is listed by the `later_adjustments` total (and carried by a later day's report).
 *
 * Only rows touched after the head need a second look (their `last_event_seq` says so, through
 * the `(business_day, last_event_seq)` indexes): each is rebuilt from its own events up to the
 * head. A row none of whose events came before the head did not exist at the close and is left
 * out. A refund asked again after a FAILED one moves to the day of the new attempt, so a
 * refund can leave the closed day after its close (it is put back as it was) or join it
 * (left out). Its earlier attempts that FAILED on the day are lines of their own, as they were
 * at the head too (an attempt made after it is left out).
 */
import type Database from 'better-sqlite3';
import { statusAfter } from './adjustments';
import { reportStatements, type ItemTuple } from './queries';
import { attemptLine, byTime, refundAttempts } from './refund-attempts';

/** A line touched after the head, with what the fold needs beside the export columns. */
type ChangedTuple = [...line: ItemTuple, businessDay: string];

const statements = new WeakMap<
  Database.Database,
  {
    changed: Database.Statement<[{ day: string; head: number }], ChangedTuple>;
  }
>();

function prepared(db: Database.Database) {
  let st = statements.get(db);
  if (!st) {
    st = {
      // The same columns as the export's items query, for the rows written after the head: the
      // day's own, and refunds asked again since on a later day.
      changed: db
        .prepare<[{ day: string; head: number }], ChangedTuple>(
          `SELECT 'charge', c.id, c.sale_id, s.merchant_ref, s.policy, c.droppay_id, c.status, c.amount,
                  c.created_at, s.description, NULL, c.business_day
             FROM charges c JOIN sales s ON s.id = c.sale_id
            WHERE c.business_day = @day AND c.last_event_seq > @head
           UNION ALL
           SELECT 'refund', r.id, c.sale_id, s.merchant_ref, s.policy, r.droppay_id, r.status, r.amount,
                  r.created_at, s.description, r.reason, r.business_day
             FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
            WHERE r.business_day = @day AND r.last_event_seq > @head
           UNION ALL
           SELECT 'refund', r.id, c.sale_id, s.merchant_ref, s.policy, r.droppay_id, r.status, r.amount,
                  r.created_at, s.description, r.reason, r.business_day
             FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
            WHERE r.business_day > @day AND r.attempt > 1 AND r.last_event_seq > @head`,
        )
        .raw(true),
    };
    statements.set(db, st);
  }
  return st;
}

/**
 * A refund's lines of `day` as they stood at `head`: its attempt then (the row as it was) and
 * the earlier ones that FAILED, each on the day it was made.
 */
function refundLinesAt(db: Database.Database, day: string, head: number, changed: ChangedTuple): ItemTuple[] {
  const [, id, saleId, ref, policy, , , , , description] = changed;
  const row = { id, sale_id: saleId, merchant_ref: ref, policy, description };
  const attempts = refundAttempts(reportStatements(db).entityEvents.all(saleId, id, head));
  const last = attempts.length - 1;
  return attempts
    .filter((a, i) => a.businessDay === day && (i === last || a.status === 'FAILED'))
    .map((a) => attemptLine(row, a));
}

/** A charge's line as it stood at `head`, or null when it did not exist then. */
function chargeLineAt(db: Database.Database, head: number, changed: ChangedTuple): ItemTuple | null {
  const [kind, id, saleId, ref, policy, , , , createdAt, text, reason] = changed;
  let status: string | null = null;
  let amount = changed[7];
  let droppayId: string | null = null;
  for (const e of reportStatements(db).entityEvents.all(saleId, id, head)) {
    const after = statusAfter(e);
    if (after === null) continue;
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    status = after.status;
    if (after.amount !== null) amount = after.amount;
    if (typeof p.droppay_id === 'string' || p.droppay_id === null) droppayId = p.droppay_id;
  }
  if (status === null) return null;
  return [kind, id, saleId, ref, policy, droppayId, status, amount, createdAt, text, reason];
}

/**
 * `lines` (the day's export lines now, in the items query's order) as they stood at the
 * closure's chain head `head`, in the same order.
 */
export function linesAtClose(
  db: Database.Database,
  day: string,
  head: number,
  lines: ItemTuple[],
): ItemTuple[] {
  const changed = prepared(db).changed.all({ day, head });
  if (changed.length === 0) return lines;
  const ids = new Set(changed.map((c) => c[1]));
  const out = lines.filter((l) => !ids.has(l[1]));
  for (const c of changed) {
    if (c[0] === 'refund') out.push(...refundLinesAt(db, day, head, c));
    else {
      const line = chargeLineAt(db, head, c);
      if (line !== null) out.push(line);
    }
  }
  return out.sort(byTime);
}
