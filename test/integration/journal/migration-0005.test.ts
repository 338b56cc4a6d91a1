/**
 * Migration 0005: the partial index of refunds asked again after a FAILED attempt. On a new
 * journal and on a version-4 one with refunds (only the retried one is in it), and the end of
 * day's lookup of earlier attempts searches it instead of reading every later refund.
 */
import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from '../../../electron/main/journal/connection';
import { createJournal, type Journal } from '../../../electron/main/journal/journal';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import { reportStatements } from '../../../electron/main/reconciliation/queries';
import { paidSale, raw, steppingClock, tempPath, track } from './helpers';

function open(path: string, version = MIGRATIONS.length): Journal {
  const db = track(openJournalDatabase({ path, migrations: MIGRATIONS.slice(0, version) }));
  return createJournal(db, { now: steppingClock().now });
}

const INDEX = 'refunds_retried_by_day';

describe('migration 0005-retried-refunds', () => {
  it('indexes only the refunds asked again, on a journal that had refunds before it', () => {
    const path = tempPath();
    const j = open(path, 4);
    const once = j.recordRefundIntent(paidSale(j, 1250).chargeId, 250, 'Resto');
    j.recordRefundOutcome(once.id, { status: 'DONE', droppayId: 'CHR0001' });
    const chargeId = paidSale(j, 900).chargeId;
    const failed = j.recordRefundIntent(chargeId, 900, 'Reso');
    j.recordRefundOutcome(failed.id, { status: 'FAILED', droppayId: 'CHR0002', error: 'rifiutato' });
    const retried = j.recordRefundIntent(chargeId, 900, 'Reso');
    j.close();

    open(path).close();
    const db = raw(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    const sql = db.prepare(`SELECT sql FROM sqlite_schema WHERE name = ?`).pluck().get(INDEX) as string;
    expect(sql).toMatch(/WHERE attempt > 1$/);
    // The index holds the retried refund and nothing else.
    const indexed = db.prepare(`SELECT id FROM refunds INDEXED BY ${INDEX} WHERE attempt > 1`).pluck().all();
    expect(indexed).toEqual([retried.id]);
    // The end of day's own lookup searches it.
    const lookup = reportStatements(db).retried.source;
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN ${lookup}`)
      .all({ day: '2026-05-04', end: '2026-05-05T00:00:00.000Z' }) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toContain(`USING INDEX ${INDEX}`);
  });
});
