import type { SandboxCore } from './context';
import { sql } from './db';
import { setAuthorizationStatus } from './authorization-flow';
import { emitCharge, emitRefund } from './events';
import type { AuthorizationRow, ChargeRow, RefundRow } from './rows';

/**
 * Time-driven transitions, applied up to the simulated `now`. Runs before every request
 * (so reads are always current) and on a timer (so webhooks fire without anyone asking).
 * Each transition is stamped with the moment it became due, not the moment it was noticed,
 * so a big clock jump produces the same history as waiting would have.
 */
export function settle(core: SandboxCore): void {
  const now = core.now();
  const { db, timings } = core;
  const accountingMs = timings.accountingDelaySeconds * 1000;
  const refundSettleMs = timings.refundSettleSeconds * 1000;
  // `t + delay <= now` cannot use an index on t; `t <= bound` can. The bound is a little loose
  // (float rounding of a fractional delay) and the exact test stays as a filter, so the rows
  // found are exactly those the plain comparison would find.
  const bound = (delayMs: number): number => now - delayMs + 1;

  core.tx((out) => {
    // Creation order, so a clock jump that lapses several raises their events in that order.
    const lapsed = sql(
      db,
      `SELECT * FROM authorizations
       WHERE (status = 'WAITING' AND waiting_until <= ?)
          OR (status IN ('WAITING', 'GRANTED') AND date_end IS NOT NULL AND date_end <= ?)
       ORDER BY rowid`,
    ).all(now, now) as AuthorizationRow[];
    for (const a of lapsed) {
      const windowEnd = a.date_end ?? Number.POSITIVE_INFINITY;
      // One never granted expired for want of an answer, whichever deadline came first.
      const neverGranted = a.status === 'WAITING';
      const at = neverGranted ? Math.min(a.waiting_until, windowEnd) : windowEnd;
      setAuthorizationStatus(core, out, a.id, 'EXPIRED', at, neverGranted ? 'WAITING_TIME' : 'WINDOW');
    }

    const connections = sql(
      db,
      "SELECT id, waiting_until FROM connections WHERE status = 'WAITING' AND waiting_until <= ?",
    ).all(now) as { id: string; waiting_until: number }[];
    for (const c of connections) {
      sql(db, "UPDATE connections SET status = 'EXPIRED', updated_at = ? WHERE id = ?").run(
        c.waiting_until,
        c.id,
      );
    }

    // Refunds settle before accounting is looked at, so one big jump goes all the way.
    const enqueued = sql(
      db,
      "SELECT * FROM refunds WHERE status = 'ENQUEUED' AND created_at <= ? AND created_at + ? <= ? ORDER BY rowid",
    ).all(bound(refundSettleMs), refundSettleMs, now) as RefundRow[];
    for (const r of enqueued) {
      const at = r.created_at + refundSettleMs;
      const status = r.will_fail === 1 ? 'FAILED' : 'DONE';
      sql(db, 'UPDATE refunds SET status = ?, done_at = ?, updated_at = ? WHERE id = ?').run(
        status,
        status === 'DONE' ? at : null,
        at,
        r.id,
      );
      emitRefund(core, out, r.id, at);
    }

    const charges = sql(
      db,
      "SELECT * FROM charges WHERE status = 'DONE' AND done_at <= ? AND done_at + ? <= ? ORDER BY rowid",
    ).all(bound(accountingMs), accountingMs, now) as ChargeRow[];
    for (const c of charges) {
      const at = (c.done_at ?? now) + accountingMs;
      sql(db, "UPDATE charges SET status = 'ACCOUNTED', updated_at = ? WHERE id = ?").run(at, c.id);
      emitCharge(core, out, c.id, at);
    }

    const refunds = sql(
      db,
      "SELECT * FROM refunds WHERE status = 'DONE' AND done_at <= ? AND done_at + ? <= ? ORDER BY rowid",
    ).all(bound(accountingMs), accountingMs, now) as RefundRow[];
    for (const r of refunds) {
      const at = (r.done_at ?? now) + accountingMs;
      sql(db, "UPDATE refunds SET status = 'ACCOUNTED', updated_at = ? WHERE id = ?").run(at, r.id);
      emitRefund(core, out, r.id, at);
    }
  });
}
