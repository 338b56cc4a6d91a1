/**
 * Migration 0003: a refund DropPay accepted and then marked FAILED frees its charge for a new
 * attempt. Tried on the schema itself (raw SQL on the triggers) and through the journal, on a
 * new journal and on a version-2 journal holding such a refund.
 */
import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from '../../../electron/main/journal/connection';
import { createJournal, type Journal } from '../../../electron/main/journal/journal';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import { paidSale, steppingClock, tempPath, track } from './helpers';

function open(path: string, version = MIGRATIONS.length): Journal {
  const clock = steppingClock();
  const db = track(openJournalDatabase({ path, migrations: MIGRATIONS.slice(0, version) }));
  return createJournal(db, { now: clock.now });
}

/** A paid sale and a refund of it that DropPay took (CHR0001) and then FAILED. */
function failedAtDropPay(j: Journal): { chargeId: string; refundId: string } {
  const { chargeId } = paidSale(j, 800);
  const refund = j.recordRefundIntent(chargeId, 800, 'Reso');
  j.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'CHR0001' });
  j.recordRefundOutcome(refund.id, { status: 'FAILED' });
  return { chargeId, refundId: refund.id };
}

describe('migration 0003-refund-after-failure', () => {
  it('a FAILED refund with a DropPay id may be attempted again; its old id stays in the log', () => {
    const path = tempPath();
    const j = open(path);
    const { chargeId, refundId } = failedAtDropPay(j);
    const again = j.recordRefundIntent(chargeId, 500, 'Reso parziale');
    expect(again).toMatchObject({ id: refundId, status: 'intent', droppayId: null, amount: 500, attempt: 2 });
    const ids = j.readEvents(0, 1000).map((e) => (e.payload as { droppay_id?: unknown }).droppay_id);
    expect(ids).toContain('CHR0001');
    j.recordRefundOutcome(refundId, { status: 'ENQUEUED', droppayId: 'CHR0002' });
    // Taken by DropPay this time: no third attempt, and its id and terms are fixed.
    expect(() => j.recordRefundIntent(chargeId, 100, 'Altro')).toThrow(/already has a refund/);
    expect(j.verifyChain()).toMatchObject({ ok: true });
  });

  it('the triggers: only FAILED → intent may clear the DropPay id or change amount and reason', () => {
    const path = tempPath();
    const j = open(path);
    const { refundId } = failedAtDropPay(j);
    const raw = track(openJournalDatabase({ path }));
    const run = (sql: string) => () => raw.prepare(sql).run(refundId);
    // Still FAILED: the id cannot be swapped for another, nor cleared without a new attempt.
    expect(run(`UPDATE refunds SET droppay_id = 'CHR0009' WHERE id = ?`)).toThrow(/droppay_id cannot change/);
    expect(run(`UPDATE refunds SET droppay_id = NULL WHERE id = ?`)).toThrow(/droppay_id cannot change/);
    expect(run(`UPDATE refunds SET status = 'DONE', amount = 700 WHERE id = ?`)).toThrow(/fixed once sent/);
    run(`UPDATE refunds SET status = 'intent', droppay_id = NULL, amount = 700 WHERE id = ?`)();
    run(`UPDATE refunds SET status = 'ENQUEUED', droppay_id = 'CHR0002' WHERE id = ?`)();
    expect(run(`UPDATE refunds SET status = 'intent', droppay_id = NULL WHERE id = ?`)).toThrow(
      /droppay_id cannot change/,
    );
    expect(run(`UPDATE refunds SET amount = 600 WHERE id = ?`)).toThrow(/fixed once sent/);
  });

  it('on a version-2 journal holding such a refund: refused there, allowed once upgraded, chain intact', () => {
    const path = tempPath();
    const v2 = open(path, 2);
    const { chargeId } = failedAtDropPay(v2);
    expect(() => v2.recordRefundIntent(chargeId, 800, 'Reso')).toThrow();
    const before = v2.verifyChain();
    v2.close();
    const j = open(path);
    expect(j.pragmas()).toMatchObject({ userVersion: MIGRATIONS.length });
    expect(j.verifyChain()).toEqual(before);
    expect(j.recordRefundIntent(chargeId, 800, 'Reso')).toMatchObject({ status: 'intent', attempt: 2 });
  });
});
