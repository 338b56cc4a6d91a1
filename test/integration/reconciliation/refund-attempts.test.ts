/**
 * A refund that FAILED and was asked again keeps one journal row (at its latest attempt); the
 * earlier attempts live in the event log only. The day's report, its exports and a closed day
 * must still show each earlier FAILED attempt as a failed refund of its own, on the day it was
 * made, as DropPay's ledger lists it.
 */
import { describe, expect, it } from 'vitest';
import {
  buildDayReport,
  checkDay,
  closeDay,
  dayItems,
  exportCsv,
  openDayBook,
  renderJson,
  type DayReport,
} from '../../../electron/main/reconciliation';
import { liveReport } from '../../../electron/main/reconciliation/report';
import { chargedSale, openBook, openDropPay, realSale, sim, type Book } from './harness';
import { markDayChecked } from '../../support/checked-day';

const DAY = '2026-05-04';
const NEXT = '2026-05-05';

/** The CSV's charge and refund lines, split (no cell here needs quoting). */
function csvLines(csv: string): string[][] {
  return csv
    .slice(1)
    .split('\r\n')
    .filter((l) => l.startsWith('charge,') || l.startsWith('refund,'))
    .map((l) => l.split(','));
}

/** [local_time, droppay_id, status, amount, net_effect, refund_reason] of each line of `id`. */
const linesOf = (lines: string[][], id: string) =>
  lines.filter((l) => l[4] === id).map((l) => [l[1], ...l.slice(5, 9), l[10]]);

/** A paid sale (a minute before) refunded at each attempt's time: every attempt but the last FAILED (with its DropPay id, if any), the last DONE. */
function refundedAfterFailures(
  book: Book,
  attempts: { at: string; amount: number; reason: string; droppayId?: string; done?: boolean }[],
) {
  const j = book.journal;
  book.clock.set(new Date(Date.parse(attempts[0]?.at ?? '') - 60_000).toISOString());
  const { charge } = chargedSale(j, 5000, 'DONE');
  let id = '';
  for (const a of attempts) {
    book.clock.set(a.at);
    const intent = j.recordRefundIntent(charge.id, a.amount, a.reason);
    id = intent.id;
    j.recordRefundOutcome(intent.id, {
      status: a.done ? 'DONE' : 'FAILED',
      ...(a.droppayId === undefined ? {} : { droppayId: a.droppayId }),
      ...(a.done ? {} : { error: 'DropPay failed it' }),
    });
  }
  return { charge, refundId: id };
}

/** Closes DAY at `closedAt`, then asks the refund again at `askedAt` and DropPay does it. */
function closeThenAskAgain(book: Book, refundId: string, closedAt: string, askedAt: string) {
  const j = book.journal;
  markDayChecked(book.path, DAY);
  const { report: atClose } = closeDay(j, DAY, { now: () => new Date(closedAt) });
  const csvAtClose = csvLines(exportCsv(j, DAY));
  book.clock.set(askedAt);
  const again = j.recordRefundIntent(refundedChargeOf(book, refundId), 2000, 'Secondo');
  j.recordRefundOutcome(again.id, { status: 'DONE', droppayId: 'CHR-OK' });
  return { atClose, csvAtClose, closed: buildDayReport(j, DAY) };
}

function refundCounts(r: DayReport) {
  return {
    done: r.refunds.done,
    failed: r.refunds.failed,
    unsettled: r.refunds.unsettled,
    byStatus: r.refunds.byStatus,
    totals: r.totals,
  };
}

describe('a refund asked again after a FAILED attempt, in the day it failed on', () => {
  it('failed then retried OK the same day: one FAILED refund with its DropPay id and time, one DONE', () => {
    const book = openBook();
    const j = book.journal;
    const { refundId } = refundedAfterFailures(book, [
      // 10:00 and 11:30 in Rome.
      { at: '2026-05-04T08:00:00.000Z', amount: 2000, reason: 'Primo', droppayId: 'CHR-FAIL1' },
      { at: '2026-05-04T09:30:00.000Z', amount: 1500, reason: 'Secondo', droppayId: 'CHR-OK', done: true },
    ]);
    const r = buildDayReport(j, DAY);
    expect(refundCounts(r)).toEqual({
      done: { count: 1, cents: 1500 },
      failed: { count: 1, cents: 2000 },
      unsettled: { count: 0, cents: 0 },
      byStatus: { DONE: { count: 1, cents: 1500 }, FAILED: { count: 1, cents: 2000 } },
      totals: { chargedCents: 5000, refundedCents: 1500, netCents: 3500 },
    });
    // Only the money that moved is in the hours.
    expect(r.byHour.reduce((s, h) => s + h.refunded.count, 0)).toBe(1);

    // The lines: the failed attempt at its own time with its own terms, then the good one.
    const items = dayItems(j, DAY).filter((i) => i.id === refundId);
    expect(items.map((i) => [i.droppay_id, i.status, i.amount, i.created_at, i.reason])).toEqual([
      ['CHR-FAIL1', 'FAILED', 2000, '2026-05-04T08:00:00.000Z', 'Primo'],
      ['CHR-OK', 'DONE', 1500, '2026-05-04T09:30:00.000Z', 'Secondo'],
    ]);
    const csv = csvLines(exportCsv(j, DAY));
    expect(linesOf(csv, refundId)).toEqual([
      ['2026-05-04 10:00:00', 'CHR-FAIL1', 'FAILED', '20.00', '0.00', 'Primo'],
      ['2026-05-04 11:30:00', 'CHR-OK', 'DONE', '15.00', '-15.00', 'Secondo'],
    ]);
    expect(csv.reduce((s, l) => s + Math.round(Number(l[8]) * 100), 0)).toBe(r.totals.netCents);
    // The JSON is the report: the failed refund is counted there.
    const json = JSON.parse(renderJson(r)) as DayReport;
    expect(json.refunds.failed).toEqual({ count: 1, cents: 2000 });
    expect(json.refunds.byStatus.FAILED).toEqual({ count: 1, cents: 2000 });

    // Closing stores the same; the closed day's export is the open day's.
    markDayChecked(book.path, DAY);
    const { report: closed } = closeDay(j, DAY);
    expect(refundCounts(closed)).toEqual(refundCounts(r));
    expect(refundCounts(buildDayReport(j, DAY))).toEqual(refundCounts(r));
    expect(csvLines(exportCsv(j, DAY))).toEqual(csv);
  });

  it('failed twice (once before DropPay gave an id) then OK: two FAILED refunds and one DONE', () => {
    const book = openBook();
    const j = book.journal;
    const { refundId } = refundedAfterFailures(book, [
      { at: '2026-05-04T08:00:00.000Z', amount: 2000, reason: 'Primo' }, // never reached DropPay
      { at: '2026-05-04T08:10:00.000Z', amount: 1800, reason: 'Secondo', droppayId: 'CHR-FAIL2' },
      { at: '2026-05-04T08:20:00.000Z', amount: 1800, reason: 'Terzo', droppayId: 'CHR-OK', done: true },
    ]);
    const r = buildDayReport(j, DAY);
    expect(r.refunds.failed).toEqual({ count: 2, cents: 3800 });
    expect(r.refunds.byStatus.FAILED).toEqual({ count: 2, cents: 3800 });
    expect(r.refunds.done).toEqual({ count: 1, cents: 1800 });
    expect(r.totals).toEqual({ chargedCents: 5000, refundedCents: 1800, netCents: 3200 });
    expect(linesOf(csvLines(exportCsv(j, DAY)), refundId)).toEqual([
      ['2026-05-04 10:00:00', '', 'FAILED', '20.00', '0.00', 'Primo'],
      ['2026-05-04 10:10:00', 'CHR-FAIL2', 'FAILED', '18.00', '0.00', 'Secondo'],
      ['2026-05-04 10:20:00', 'CHR-OK', 'DONE', '18.00', '-18.00', 'Terzo'],
    ]);
  });

  it('failed twice on a day, asked again the next day once the first was closed: the closed day does not change', () => {
    const book = openBook();
    const j = book.journal;
    const { refundId } = refundedAfterFailures(book, [
      { at: '2026-05-04T08:00:00.000Z', amount: 2000, reason: 'Primo', droppayId: 'CHR-FAIL1' },
      { at: '2026-05-04T08:30:00.000Z', amount: 2000, reason: 'Bis', droppayId: 'CHR-FAIL2' },
    ]);
    // Asked again at 09:00 in Rome, the next day.
    const { atClose, csvAtClose, closed } = closeThenAskAgain(
      book,
      refundId,
      '2026-05-04T20:00:00.000Z',
      '2026-05-05T07:00:00.000Z',
    );
    expect(atClose.refunds.failed).toEqual({ count: 2, cents: 4000 });
    expect(refundCounts(closed)).toEqual(refundCounts(atClose));
    expect(closed.laterAdjustments.items).toEqual([]);
    expect(csvLines(exportCsv(j, DAY))).toEqual(csvAtClose);
    expect(linesOf(csvAtClose, refundId)).toEqual([
      ['2026-05-04 10:00:00', 'CHR-FAIL1', 'FAILED', '20.00', '0.00', 'Primo'],
      ['2026-05-04 10:30:00', 'CHR-FAIL2', 'FAILED', '20.00', '0.00', 'Bis'],
    ]);
    // What the day's rows and events say now agrees with what was stored at the close.
    const book2 = openDayBook(j);
    try {
      expect(refundCounts(liveReport(book2, DAY))).toEqual(refundCounts(atClose));
    } finally {
      book2.close();
    }

    // The next day has the good refund only, and carries no adjustment to the closed day.
    const next = buildDayReport(j, NEXT);
    expect(refundCounts(next)).toEqual({
      done: { count: 1, cents: 2000 },
      failed: { count: 0, cents: 0 },
      unsettled: { count: 0, cents: 0 },
      byStatus: { DONE: { count: 1, cents: 2000 } },
      totals: { chargedCents: 0, refundedCents: 2000, netCents: -2000 },
    });
    expect(next.adjustments.items).toEqual([]);
    expect(linesOf(csvLines(exportCsv(j, NEXT)), refundId)).toEqual([
      ['2026-05-05 09:00:00', 'CHR-OK', 'DONE', '20.00', '-20.00', 'Secondo'],
    ]);
    // Closing the next day too keeps both as they were.
    markDayChecked(book.path, NEXT);
    closeDay(j, NEXT, { now: () => new Date('2026-05-05T20:00:00.000Z') });
    expect(refundCounts(buildDayReport(j, DAY))).toEqual(refundCounts(atClose));
    expect(buildDayReport(j, NEXT).refunds.failed).toEqual({ count: 0, cents: 0 });
  });

  it('failed on a closed day and asked again later that same day: a new refund, the failed one unchanged', () => {
    const book = openBook();
    const j = book.journal;
    const { refundId } = refundedAfterFailures(book, [
      { at: '2026-05-04T08:00:00.000Z', amount: 2000, reason: 'Primo', droppayId: 'CHR-FAIL1' },
    ]);
    // Asked again at 17:00 in Rome, after the close.
    const { atClose, csvAtClose, closed } = closeThenAskAgain(
      book,
      refundId,
      '2026-05-04T12:00:00.000Z',
      '2026-05-04T15:00:00.000Z',
    );
    expect(refundCounts(closed)).toEqual(refundCounts(atClose));
    expect(csvLines(exportCsv(j, DAY))).toEqual(csvAtClose);
    // The new attempt is what changed: a refund that was not there, now DONE. The failed one
    // did not turn into anything.
    expect(closed.laterAdjustments.items.map((a) => [a.itemId, a.from, a.to, a.refundedDeltaCents])).toEqual([
      [refundId, null, 'intent', 0],
      [refundId, 'intent', 'DONE', 2000],
    ]);
    expect(buildDayReport(j, NEXT).adjustments.refundedCents).toBe(2000);
  });
});

describe('a refund asked again, against DropPay', () => {
  it('lists both refunds of DropPay’s ledger, and the check never takes the failed one for the new attempt', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    const { charge } = await realSale(book, dp, 5000);
    if (!charge?.droppayId) throw new Error('no charge');
    // The first attempt: DropPay takes it, then fails it.
    const first = j.recordRefundIntent(charge.id, 2000, 'Primo');
    await sim(dp.sandbox, 'POST', '/_sim/refund/next-fails');
    const failed = await dp.client.refunds.create({
      chargeId: charge.droppayId,
      amount: 2000,
      reason: 'Primo',
    });
    j.recordRefundOutcome(first.id, { status: 'ENQUEUED', droppayId: failed.id });
    await sim(dp.sandbox, 'POST', '/_sim/clock/advance', { seconds: 30 });
    expect((await dp.client.refunds.get(failed.id)).status).toBe('FAILED');
    j.recordRefundOutcome(first.id, { status: 'FAILED', error: 'DropPay failed it' });

    // The second attempt is recorded, and the till stops before its POST: DropPay's charge
    // still shows the failed refund, of the same amount. It is not this attempt.
    book.clock.set('2026-05-04T08:10:00.000Z');
    const again = j.recordRefundIntent(charge.id, 2000, 'Secondo');
    const check = await checkDay(j, dp.client, DAY, { now: () => new Date('2026-05-04T08:10:30.000Z') });
    expect(check.settled).toEqual([]);
    expect(j.getRefund(again.id)).toMatchObject({ status: 'intent', droppayId: null, attempt: 2 });
    // Long after, the charge still shows only the failed one: that says nothing of this attempt
    // (DropPay may show a charge's first refund), so it is not settled FAILED on that ground.
    const later = await checkDay(j, dp.client, DAY, {
      recheck: true,
      now: () => new Date('2026-05-04T09:30:00.000Z'),
    });
    expect(later.settled).toEqual([]);
    expect(j.getRefund(again.id)).toMatchObject({ status: 'intent', droppayId: null, attempt: 2 });

    // Sent now, and DONE.
    const ok = await dp.client.refunds.create({
      chargeId: charge.droppayId,
      amount: 2000,
      reason: 'Secondo',
    });
    j.recordRefundOutcome(again.id, {
      status: ok.status === 'PENDING' ? 'ENQUEUED' : ok.status,
      droppayId: ok.id,
    });
    await sim(dp.sandbox, 'POST', '/_sim/clock/advance', { seconds: 30 });
    j.recordRefundOutcome(again.id, { status: 'DONE' });

    const ledger = (await sim(dp.sandbox, 'GET', '/_sim/ledger')) as {
      refunds: { id: string; status: string; amount: number }[];
    };
    expect(ledger.refunds.map((x) => [x.id, x.status, x.amount])).toEqual([
      [failed.id, 'FAILED', 20],
      [ok.id, expect.stringMatching(/^(DONE|ACCOUNTED)$/), 20],
    ]);
    const r = buildDayReport(j, DAY);
    expect([r.refunds.failed, r.refunds.done]).toEqual([
      { count: 1, cents: 2000 },
      { count: 1, cents: 2000 },
    ]);
    expect(
      dayItems(j, DAY)
        .filter((i) => i.kind === 'refund')
        .map((i) => [i.droppay_id, i.status]),
    ).toEqual([
      [failed.id, 'FAILED'],
      [ok.id, 'DONE'],
    ]);
  });
});

function refundedChargeOf(book: Book, refundId: string): string {
  const refund = book.journal.getRefund(refundId);
  if (refund === null) throw new Error('no refund');
  return refund.chargeId;
}

describe('earlier attempts and the business-day rule', () => {
  it('an attempt booked on a day under an old rule stays on that day after the rule changed', () => {
    const book = openBook({ cutoffHour: 4 });
    const j = book.journal;
    book.clock.set('2026-05-04T23:30:00.000Z'); // 01:30 in Rome on the 5th: the 4th's, ending at 04:00
    const { charge } = chargedSale(j, 5000, 'DONE');
    const first = j.recordRefundIntent(charge.id, 2000, 'Primo');
    j.recordRefundOutcome(first.id, { status: 'FAILED', droppayId: 'CHR-FAIL1' });
    expect(buildDayReport(j, DAY).refunds.failed).toEqual({ count: 1, cents: 2000 });
    // Midnight from now on: the 4th now ends before that attempt's time, which stays its day's.
    book.clock.set('2026-05-06T08:00:00.000Z');
    j.setBusinessDayRule({ timeZone: 'Europe/Rome', cutoffHour: 0 });
    const again = j.recordRefundIntent(charge.id, 2000, 'Secondo');
    j.recordRefundOutcome(again.id, { status: 'DONE', droppayId: 'CHR-OK' });
    expect(buildDayReport(j, DAY).refunds.failed).toEqual({ count: 1, cents: 2000 });
    expect(buildDayReport(j, NEXT).refunds.failed).toEqual({ count: 0, cents: 0 });
  });
});
