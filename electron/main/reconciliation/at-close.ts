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
 * (left out).
 */
import type Database from 'better-sqlite3';
import { statusAfter, type EventLite } from './adjustments';
import type { ItemTuple } from './queries';

/** A line touched after the head, with what the fold needs beside the export columns. */
type ChangedTuple = [...line: ItemTuple, businessDay: string];

const statements = new WeakMap<
  Database.Database,
  {
    changed: Database.Statement<[{ day: string; head: number }], ChangedTuple>;
    events: Database.Statement<[string, string, number], EventLite>;
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
                  c.created_at, s.description, c.business_day
             FROM charges c JOIN sales s ON s.id = c.sale_id
            WHERE c.business_day = @day AND c.last_event_seq > @head
           UNION ALL
           SELECT 'refund', r.id, c.sale_id, s.merchant_ref, s.policy, r.droppay_id, r.status, r.amount,
                  r.created_at, r.reason, r.business_day
             FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
            WHERE r.business_day = @day AND r.last_event_seq > @head
           UNION ALL
           SELECT 'refund', r.id, c.sale_id, s.merchant_ref, s.policy, r.droppay_id, r.status, r.amount,
                  r.created_at, r.reason, r.business_day
             FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
            WHERE r.business_day > @day AND r.attempt > 1 AND r.last_event_seq > @head`,
        )
        .raw(true),
      events: db.prepare<[string, string, number], EventLite>(
        `SELECT seq, at, business_day, kind, payload FROM events
          WHERE correlation_id = ? AND entity_id = ? AND seq <= ? ORDER BY seq`,
      ),
    };
    statements.set(db, st);
  }
  return st;
}

/** The line as it stood at `head`, or null when it was not a line of `day` then. */
function lineAt(db: Database.Database, day: string, head: number, changed: ChangedTuple): ItemTuple | null {
  const [kind, id, saleId, ref, policy, , , , createdAt, text, rowDay] = changed;
  let status: string | null = null;
  let amount = changed[7];
  let droppayId: string | null = null;
  let reason = text;
  let lineDay = rowDay;
  let at = createdAt;
  let intents = 0;
  for (const e of prepared(db).events.all(saleId, id, head)) {
    const after = statusAfter(e);
    if (after === null) continue;
    const p = JSON.parse(e.payload) as Record<string, unknown>;
    status = after.status;
    if (after.amount !== null) amount = after.amount;
    if (typeof p.droppay_id === 'string' || p.droppay_id === null) droppayId = p.droppay_id;
    if (e.kind === 'refund.intent') {
      // A new attempt: its own terms and day, and no DropPay id until DropPay gives one.
      intents += 1;
      droppayId = null;
      if (typeof p.reason === 'string') reason = p.reason;
      lineDay = e.business_day;
      at = intents > 1 ? e.at : createdAt;
    }
  }
  if (status === null || (kind === 'refund' && lineDay !== day)) return null;
  return [kind, id, saleId, ref, policy, droppayId, status, amount, at, reason];
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
    const line = lineAt(db, day, head, c);
    if (line !== null) out.push(line);
  }
  // The items query's order: time, then kind.
  return out.sort((a, b) => (a[8] < b[8] ? -1 : a[8] > b[8] ? 1 : a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
