import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDayReport, exportCsv, type DayReport } from '../../../electron/main/reconciliation';
import { chargedSale, grantedSale, openBook, type Book } from './harness';

/** Sums straight from the journal's rows, sharing no code with the report. */
function rowSums(path: string, day: string) {
  const db = new Database(path, { readonly: true });
  try {
    const charges = db
      .prepare<[string], { amount: number; status: string }>(
        'SELECT amount, status FROM charges WHERE business_day = ?',
      )
      .all(day);
    const refunds = db
      .prepare<[string], { amount: number; status: string }>(
        'SELECT amount, status FROM refunds WHERE business_day = ?',
      )
      .all(day);
    const paid = (s: string): boolean => s === 'DONE' || s === 'ACCOUNTED';
    const charged = charges.filter((c) => paid(c.status)).reduce((a, c) => a + c.amount, 0);
    const refunded = refunds.filter((r) => paid(r.status)).reduce((a, r) => a + r.amount, 0);
    return {
      charged,
      refunded,
      chargesDone: charges.filter((c) => paid(c.status)).length,
      chargesFailed: charges.filter((c) => c.status === 'FAILED').length,
      refundsDone: refunds.filter((r) => paid(r.status)).length,
    };
  } finally {
    db.close();
  }
}

function hourSum(r: DayReport): { charged: number; refunded: number; net: number } {
  return r.byHour.reduce(
    (a, h) => ({
      charged: a.charged + h.charged.cents,
      refunded: a.refunded + h.refunded.cents,
      net: a.net + h.netCents,
    }),
    { charged: 0, refunded: 0, net: 0 },
  );
}

function at(book: Book, iso: string): void {
  book.clock.set(iso);
}

describe('buildDayReport: a mixed-outcome day', () => {
  it('counts and sums by status, policy and hour; lists what is open and unknown; verifies the chain', () => {
    const book = openBook();
    const j = book.journal;
    at(book, '2026-05-04T07:10:00.000Z'); // 09:10 in Rome
    const a = chargedSale(j, 1250, 'DONE');
    chargedSale(j, 800, 'ACCOUNTED');
    chargedSale(j, 500, 'FAILED');
    at(book, '2026-05-04T12:05:00.000Z');
    const lost = chargedSale(j, 990, 'unknown');
    chargedSale(j, 300, 'pending');
    chargedSale(j, 450, 'intent');
    const booked = grantedSale(j, 5000, 'BOOKED'); // open pre-authorization
    const captured = grantedSale(j, 4000, 'BOOKED');
    j.recordChargeOutcome(j.recordChargeIntent(captured.id, 3500).id, {
      status: 'DONE',
      droppayId: 'CHA-BOOK-1',
    });
    const charged = j.createSale({ amount: 700, description: 'Auto', policy: 'CHARGED' });
    j.recordAuthorizationIntent(charged.id);
    j.recordAuthorizationCreated(charged.id, {
      authorizationId: 'CHT-AUTO',
      sharingUrl: 'https://dp.link/u/10/x',
    });
    j.recordAuthorizationStatus(charged.id, 'GRANTED');
    j.recordChargeObserved(charged.id, { droppayId: 'CHA-AUTO', amount: 700, status: 'DONE' });
    const pendingAuth = j.createSale({ amount: 100, description: 'Timeout' });
    j.recordAuthorizationIntent(pendingAuth.id);
    j.recordAuthorizationUnknown(pendingAuth.id, 'timeout');
    at(book, '2026-05-04T16:45:00.000Z');
    const r1 = j.recordRefundIntent(a.charge.id, 250, 'Resto');
    j.recordRefundOutcome(r1.id, { status: 'DONE', droppayId: 'CHR-1' });
    const acc = j.getSaleDetail(captured.id)?.charges[0];
    if (!acc) throw new Error('no BOOKED charge');
    const r2 = j.recordRefundIntent(acc.id, 3500, 'Annullo');
    j.recordRefundOutcome(r2.id, { status: 'ENQUEUED', droppayId: 'CHR-2' });

    const r = buildDayReport(j, '2026-05-04');
    expect(r.totals).toEqual({
      chargedCents: 1250 + 800 + 3500 + 700,
      refundedCents: 250,
      netCents: 6250 - 250,
    });
    expect(r.charges.done).toEqual({ count: 4, cents: 6250 });
    expect(r.charges.failed).toEqual({ count: 1, cents: 500 });
    expect(r.charges.unsettled).toEqual({ count: 3, cents: 990 + 300 + 450 });
    expect(r.charges.byStatus.unknown).toEqual({ count: 1, cents: 990 });
    expect(r.refunds.byStatus).toEqual({
      DONE: { count: 1, cents: 250 },
      ENQUEUED: { count: 1, cents: 3500 },
    });
    const policy = Object.fromEntries(r.byPolicy.map((p) => [p.policy, p]));
    expect(policy.CHARGEABLE).toMatchObject({
      charged: { count: 2, cents: 2050 },
      refunded: { cents: 250 },
      netCents: 1800,
    });
    expect(policy.BOOKED).toMatchObject({ sales: 2, charged: { count: 1, cents: 3500 }, netCents: 3500 });
    expect(policy.CHARGED).toMatchObject({ sales: 1, charged: { count: 1, cents: 700 } });
    expect(r.byHour).toHaveLength(24);
    expect(hourSum(r)).toEqual({ charged: 6250, refunded: 250, net: 6000 });
    expect(r.byHour.find((h) => h.label === '09:00')?.charged).toEqual({ count: 2, cents: 2050 });
    expect(r.byHour.find((h) => h.label === '18:00')?.refunded).toEqual({ count: 1, cents: 250 });
    expect(r.openPreauthorizations.map((p) => p.saleId)).toEqual([booked.id]);
    expect(r.unsettled.map((u) => [u.kind, u.status]).sort()).toEqual(
      [
        ['authorization', 'unknown'],
        ['charge', 'intent'],
        ['charge', 'pending'],
        ['charge', 'unknown'],
        ['refund', 'ENQUEUED'],
      ].sort(),
    );
    expect(r.unsettled.find((u) => u.kind === 'charge' && u.status === 'unknown')?.id).toBe(lost.charge.id);
    const head = j.verifyChain();
    expect(r.chain).toMatchObject({ ok: true, count: head.count, headHash: head.ok ? head.head : '' });
    expect(r.closure).toBeNull();
    expect(r.sales.count).toBe(10);
  });

  it('an empty day is all zeros with 24 empty hours', () => {
    const book = openBook();
    const r = buildDayReport(book.journal, '2026-01-15');
    expect(r.totals).toEqual({ chargedCents: 0, refundedCents: 0, netCents: 0 });
    expect(r.byHour.every((h) => h.charged.count === 0)).toBe(true);
    expect(r.chain).toMatchObject({ ok: true, count: 0, headSeq: 0 });
  });

  it('refuses a day that is not a date', () => {
    const book = openBook();
    expect(() => buildDayReport(book.journal, '2026-02-30')).toThrow(/YYYY-MM-DD/);
  });
});

describe('buildDayReport: DST days and cut-off edges (Europe/Rome)', () => {
  it('2026-03-29 (clocks forward): 23 hours, sales land in the right hour and day', () => {
    const book = openBook();
    const j = book.journal;
    at(book, '2026-03-28T22:59:00.000Z'); // 23:59 on the 28th: previous day
    chargedSale(j, 111, 'DONE');
    at(book, '2026-03-28T23:30:00.000Z'); // 00:30 CET
    chargedSale(j, 100, 'DONE');
    at(book, '2026-03-29T00:59:00.000Z'); // 01:59 CET, the last minute before the jump
    chargedSale(j, 200, 'DONE');
    at(book, '2026-03-29T01:00:00.000Z'); // 03:00 CEST, the first minute after it
    chargedSale(j, 400, 'DONE');
    at(book, '2026-03-29T21:59:00.000Z'); // 23:59 CEST
    chargedSale(j, 800, 'DONE');
    at(book, '2026-03-29T22:00:00.000Z'); // 00:00 on the 30th: next day
    chargedSale(j, 222, 'DONE');
    const r = buildDayReport(j, '2026-03-29');
    expect(r.window).toEqual({
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T22:00:00.000Z',
      hours: 23,
    });
    expect(r.totals.chargedCents).toBe(1500);
    const cents = Object.fromEntries(
      r.byHour.filter((h) => h.charged.count > 0).map((h) => [h.label, h.charged.cents]),
    );
    expect(cents).toEqual({ '00:00': 100, '01:00': 200, '03:00': 400, '23:00': 800 });
    expect(buildDayReport(j, '2026-03-28').totals.chargedCents).toBe(111);
    expect(buildDayReport(j, '2026-03-30').totals.chargedCents).toBe(222);
  });

  it('2026-10-25 (clocks back): 25 hours, the two 02:00 hours kept apart', () => {
    const book = openBook();
    const j = book.journal;
    at(book, '2026-10-25T00:30:00.000Z'); // 02:30 CEST
    chargedSale(j, 100, 'DONE');
    at(book, '2026-10-25T01:30:00.000Z'); // 02:30 CET, an hour later
    chargedSale(j, 200, 'DONE');
    at(book, '2026-10-25T22:59:00.000Z'); // 23:59 CET
    chargedSale(j, 400, 'DONE');
    at(book, '2026-10-24T21:59:00.000Z'); // 23:59 CEST on the 24th
    chargedSale(j, 999, 'DONE');
    const r = buildDayReport(j, '2026-10-25');
    expect(r.byHour).toHaveLength(25);
    expect(r.totals.chargedCents).toBe(700);
    const twos = r.byHour.filter((h) => h.label === '02:00');
    expect(twos.map((h) => [h.utcOffset, h.charged.cents])).toEqual([
      ['+02:00', 100],
      ['+01:00', 200],
    ]);
    expect(r.byHour[24]?.charged.cents).toBe(400);
    expect(hourSum(r).charged).toBe(r.totals.chargedCents);
  });

  it('cut-off 04:00: 03:59 belongs to the evening before, 04:00 starts the new day', () => {
    const book = openBook({ cutoffHour: 4 });
    const j = book.journal;
    at(book, '2026-05-05T01:59:00.000Z'); // 03:59 CEST on the 5th
    chargedSale(j, 100, 'DONE');
    at(book, '2026-05-05T02:00:00.000Z'); // 04:00 CEST
    chargedSale(j, 200, 'DONE');
    const late = buildDayReport(j, '2026-05-04');
    expect(late.totals.chargedCents).toBe(100);
    expect(late.byHour.at(-1)).toMatchObject({ label: '03:00', charged: { cents: 100 } });
    const early = buildDayReport(j, '2026-05-05');
    expect(early.totals.chargedCents).toBe(200);
    expect(early.byHour[0]).toMatchObject({ label: '04:00', charged: { cents: 200 } });
  });

  it('cut-off 04:00 moves both 2026 clock changes into the business day before', () => {
    const book = openBook({ cutoffHour: 4 });
    const j = book.journal;
    at(book, '2026-03-29T01:30:00.000Z'); // 03:30 CEST on the 29th, still business day 28
    chargedSale(j, 100, 'DONE');
    at(book, '2026-10-25T01:30:00.000Z'); // the second 02:30 (CET) on the 25th: business day 24
    chargedSale(j, 200, 'DONE');
    const spring = buildDayReport(j, '2026-03-28');
    expect([spring.window.hours, spring.totals.chargedCents]).toEqual([23, 100]);
    expect(spring.byHour.at(-1)).toMatchObject({
      label: '03:00',
      utcOffset: '+02:00',
      charged: { cents: 100 },
    });
    const autumn = buildDayReport(j, '2026-10-24');
    expect([autumn.window.hours, autumn.totals.chargedCents]).toEqual([25, 200]);
    expect(autumn.byHour.find((h) => h.label === '02:00' && h.utcOffset === '+01:00')?.charged.cents).toBe(
      200,
    );
    expect(buildDayReport(j, '2026-03-29').window.hours).toBe(24);
  });
});

describe('buildDayReport: totals equal sums over the journal rows (property)', () => {
  const outcome = fc.constantFrom('DONE', 'ACCOUNTED', 'FAILED', 'unknown', 'pending', 'intent');
  const sale = fc.record({
    amount: fc.integer({ min: 1, max: 100_000_000 }),
    outcome,
    refund: fc.option(fc.record({ share: fc.integer({ min: 1, max: 100 }), done: fc.boolean() })),
    minute: fc.integer({ min: 0, max: 25 * 60 - 1 }),
    policy: fc.constantFrom('CHARGEABLE' as const, 'BOOKED' as const),
  });

  it('for any mix of outcomes, amounts, refunds and times of day (2026-10-25, the 25-hour day)', () => {
    fc.assert(
      fc.property(fc.array(sale, { maxLength: 25 }), (sales) => {
        const book = openBook();
        const j = book.journal;
        for (const s of sales) {
          at(book, new Date(Date.parse('2026-10-24T22:00:00.000Z') + s.minute * 60_000).toISOString());
          const { charge } = chargedSale(j, s.amount, s.outcome, s.policy);
          if (s.refund && (charge.status === 'DONE' || charge.status === 'ACCOUNTED')) {
            const amount = Math.max(1, Math.floor((s.amount * s.refund.share) / 100));
            const refund = j.recordRefundIntent(charge.id, amount, 'Reso');
            j.recordRefundOutcome(refund.id, {
              status: s.refund.done ? 'DONE' : 'FAILED',
              droppayId: `R-${refund.id}`,
            });
          }
        }
        const r = buildDayReport(j, '2026-10-25');
        const sums = rowSums(book.path, '2026-10-25');
        expect(r.totals).toEqual({
          chargedCents: sums.charged,
          refundedCents: sums.refunded,
          netCents: sums.charged - sums.refunded,
        });
        expect([r.charges.done.count, r.charges.failed.count, r.refunds.done.count]).toEqual([
          sums.chargesDone,
          sums.chargesFailed,
          sums.refundsDone,
        ]);
        expect(hourSum(r)).toEqual({
          charged: sums.charged,
          refunded: sums.refunded,
          net: sums.charged - sums.refunded,
        });
        const byPolicy = r.byPolicy.reduce((a, p) => a + p.netCents, 0);
        expect(byPolicy).toBe(r.totals.netCents);
        book.journal.close();
      }),
      { numRuns: 25 },
    );
  });
  it('a refund asked again after a FAILED one counts at the time of its new attempt, on its new day', () => {
    const book = openBook();
    const j = book.journal;
    book.clock.set('2026-05-04T13:00:00.000Z'); // 15:00 in Rome
    const { charge } = chargedSale(j, 5000, 'DONE');
    const first = j.recordRefundIntent(charge.id, 2000, 'Reso');
    j.recordRefundOutcome(first.id, { status: 'FAILED', error: 'DropPay failed it' });
    book.clock.set('2026-05-05T09:00:00.000Z'); // 11:00 in Rome
    const again = j.recordRefundIntent(charge.id, 2000, 'Reso');
    j.recordRefundOutcome(again.id, { status: 'DONE', droppayId: 'CHR-AGAIN' });
    const r = buildDayReport(j, '2026-05-05', { verifyChain: false });
    expect(r.refunds.done).toEqual({ count: 1, cents: 2000 });
    expect(r.byHour.find((h) => h.label === '11:00')?.refunded).toEqual({ count: 1, cents: 2000 });
    expect(r.byHour.find((h) => h.label === '00:00')?.refunded).toEqual({ count: 0, cents: 0 });
    const line = exportCsv(j, '2026-05-05', { verifyChain: false })
      .split('\r\n')
      .find((l) => l.startsWith('refund,'));
    expect(line?.split(',')[1]).toBe('2026-05-05 11:00:00');
  });
  it('a refund asked again after a FAILED one and still in doubt is listed with its new attempt’s time', () => {
    const book = openBook();
    const j = book.journal;
    book.clock.set('2026-05-04T13:00:00.000Z');
    const { charge } = chargedSale(j, 5000, 'DONE');
    const first = j.recordRefundIntent(charge.id, 2000, 'Reso');
    j.recordRefundOutcome(first.id, { status: 'FAILED', error: 'DropPay failed it' });
    book.clock.set('2026-05-05T09:00:00.000Z');
    const again = j.recordRefundIntent(charge.id, 2000, 'Reso');
    j.recordRefundOutcome(again.id, { status: 'unknown', error: 'timeout' });
    const r = buildDayReport(j, '2026-05-05', { verifyChain: false });
    expect(r.unsettled).toMatchObject([{ kind: 'refund', id: again.id }]);
    expect(r.unsettled[0]?.createdAt.startsWith('2026-05-05T09:00')).toBe(true);
  });
});
