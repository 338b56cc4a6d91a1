import { describe, expect, it } from 'vitest';
import {
  buildDayReport,
  checkDay,
  closeDay,
  type CheckProgress,
  type Finding,
} from '../../../electron/main/reconciliation';
import {
  bookClosedAtSix,
  chargedSale,
  grantedOnDropPay,
  openBook,
  openDropPay,
  realRefund,
  realSale,
  sim,
} from './harness';

const DAY = '2026-05-04';
const brief = (f: Finding) => [f.code, f.itemKind, f.recorded];

/** What a plain close of DAY (no reason given) is refused with; null if it closed. */
function closeRefusal(j: Parameters<typeof closeDay>[0], now: () => Date): unknown {
  try {
    closeDay(j, DAY, { now });
    return null;
  } catch (error) {
    return error;
  }
}

describe('checkDay against the real sandbox', () => {
  it('settles unknown outcomes through the journal and lists every kind of mismatch with a hint', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    const good = await realSale(book, dp, 1250);
    await realSale(book, dp, 2000, { mode: 'fails' });
    const lost = await realSale(book, dp, 990, { mode: 'lost-response' });
    const never = await realSale(book, dp, 450, { mode: 'never-sent' });
    const auto = await realSale(book, dp, 700, { policy: 'CHARGED' });
    // A refund the journal saw ENQUEUED and that DropPay then failed.
    const refundFails = await realSale(book, dp, 3000);
    const r1 = await realRefund(book, dp, refundFails.charge!, 3000, { failsAtDropPay: true });
    // A refund the journal wrongly believes DONE while DropPay failed it.
    const wrong = await realSale(book, dp, 1500);
    const r2 = await realRefund(book, dp, wrong.charge!, 1500, { failsAtDropPay: true });
    j.recordRefundOutcome(r2.id, { status: 'DONE' });
    // A BOOKED capture the till recorded for more than it sent.
    const booked = j.createSale({ amount: 5000, description: 'Noleggio', policy: 'BOOKED' });
    j.recordAuthorizationIntent(booked.id);
    const bAuth = await dp.client.authorizations.create({
      description: 'Noleggio',
      amount: 5000,
      policy: 'BOOKED',
    });
    j.recordAuthorizationCreated(booked.id, { authorizationId: bAuth.id, sharingUrl: 'x' });
    await sim(dp.sandbox, 'POST', `/_sim/authorization/${bAuth.id}/grant`);
    j.recordAuthorizationStatus(booked.id, 'GRANTED');
    const bIntent = j.recordChargeIntent(booked.id, 3000);
    const token = (await dp.client.authorizations.get(bAuth.id)).payToken?.val ?? '';
    const bRemote = await dp.client.charges.create({
      authorizationId: bAuth.id,
      payTokenVal: token,
      amount: 2500,
    });
    j.recordChargeOutcome(bIntent.id, { status: 'DONE', droppayId: bRemote.id });
    // A charge made directly at DropPay that the journal never heard of.
    const twice = j.createSale({ amount: 800, description: 'Due volte' });
    j.recordAuthorizationIntent(twice.id);
    const tAuth = await dp.client.authorizations.create({ description: 'x', amount: 800, chargeMaxCount: 2 });
    j.recordAuthorizationCreated(twice.id, { authorizationId: tAuth.id, sharingUrl: 'x' });
    await sim(dp.sandbox, 'POST', `/_sim/authorization/${tAuth.id}/grant`);
    j.recordAuthorizationStatus(twice.id, 'GRANTED');
    const tIntent = j.recordChargeIntent(twice.id, 800);
    const t1 = await dp.client.charges.create({
      authorizationId: tAuth.id,
      payTokenVal: (await dp.client.authorizations.get(tAuth.id)).payToken?.val ?? '',
      amount: 800,
    });
    j.recordChargeOutcome(tIntent.id, { status: 'DONE', droppayId: t1.id });
    const direct = await dp.client.charges.create({
      authorizationId: tAuth.id,
      payTokenVal: (await dp.client.authorizations.get(tAuth.id)).payToken?.val ?? '',
      amount: 800,
    });
    // A charge DropPay has never seen (its ids are the journal's own inventions).
    const ghost = chargedSale(j, 600, 'DONE');
    await sim(dp.sandbox, 'POST', '/_sim/clock/advance', { seconds: 30 }); // refunds settle at DropPay

    const before = buildDayReport(j, DAY);
    expect(before.unsettled.map((u) => u.id).sort()).toEqual(
      [lost.charge!.id, never.charge!.id, r1.id].sort(),
    );

    const progress: CheckProgress[] = [];
    const check = await checkDay(j, dp.client, DAY, { onProgress: (p) => progress.push(p) });
    expect(check.errors).toBe(0);
    expect(check.settled.map(brief).sort()).toEqual(
      [
        ['SETTLED', 'charge', 'charge.done'],
        ['SETTLED', 'charge', 'charge.failed'],
        ['SETTLED', 'refund', 'refund.status'],
      ].sort(),
    );
    expect(check.mismatches.map(brief).sort()).toEqual(
      [
        ['AMOUNT_DIFFERS', 'charge', null],
        ['MISSING_AT_DROPPAY', 'charge', null],
        ['MISSING_IN_JOURNAL', 'charge', 'charge.observed'],
        ['STATUS_DIFFERS', 'refund', null],
      ].sort(),
    );
    const byCode = Object.fromEntries(check.mismatches.map((f) => [f.code, f]));
    expect(byCode.MISSING_IN_JOURNAL).toMatchObject({
      saleId: twice.id,
      droppayId: direct.id,
      droppayAmount: 800,
    });
    expect(byCode.MISSING_AT_DROPPAY).toMatchObject({ journalId: ghost.charge.id });
    expect(byCode.AMOUNT_DIFFERS).toMatchObject({ journalAmount: 3000, droppayAmount: 2500 });
    expect(byCode.STATUS_DIFFERS).toMatchObject({
      journalId: r2.id,
      journalStatus: 'DONE',
      droppayStatus: 'FAILED',
    });
    for (const f of [...check.mismatches, ...check.settled]) {
      expect(f.hint.en.length).toBeGreaterThan(20);
      expect(f.hint.it.length).toBeGreaterThan(20);
    }

    // The journal now knows: through its own record* calls, with the chain intact.
    expect(j.getCharge(lost.charge!.id)).toMatchObject({ status: 'DONE' });
    expect(j.getCharge(lost.charge!.id)?.droppayId).toMatch(/^CHA/);
    expect(j.getCharge(never.charge!.id)?.status).toBe('FAILED');
    expect(j.getRefund(r1.id)?.status).toBe('FAILED');
    expect(j.getSaleDetail(twice.id)?.charges.map((c) => [c.origin, c.droppayId])).toContainEqual([
      'droppay',
      direct.id,
    ]);
    expect(j.verifyChain().ok).toBe(true);
    expect(j.getCharge(good.charge!.id)?.status).toBe('DONE');
    expect(j.getSaleDetail(auto.sale.id)?.charges).toHaveLength(1);

    const last = progress.at(-1);
    expect(last).toMatchObject({ done: last?.total, errors: 0 });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    const after = buildDayReport(j, DAY);
    expect(after.unsettled).toEqual([]);
    expect(after.check?.mismatches).toHaveLength(4);
    // What the check itself recorded from DropPay's answers is covered by it, not "changed since".
    expect(after.check?.changedSince).toBe(0);
    // Nothing is unknown any more, but the differences the check could not mend by recording
    // DropPay's outcome stay (the direct charge it recorded is not one): closing needs a reason.
    const open = after.check?.mismatches.filter((f) => f.recorded === null) ?? [];
    expect(open).toHaveLength(3);
    const at = { now: () => new Date('2026-05-04T19:00:00.000Z') };
    expect(() => closeDay(j, DAY, at)).toThrow(
      expect.objectContaining({ code: 'MISMATCHED', mismatched: 3 }),
    );
    expect(closeDay(j, DAY, { ...at, force: { reason: 'Differenze viste con DropPay' } }).closure.seq).toBe(
      1,
    );
  });

  it('resumes: a re-run skips what is unchanged, re-reads what failed or changed', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    const sales = [];
    for (let i = 0; i < 6; i += 1) sales.push(await realSale(book, dp, 100 + i));
    const gets = (): number => dp.till.counter.seen.filter((s) => s.method === 'GET').length;

    // DropPay unreachable for the first run: every item ends in error, nothing is lost.
    await sim(dp.sandbox, 'POST', '/_sim/faults', { error_rate: 1, seed: 1 });
    const failed = await checkDay(j, dp.client, DAY);
    expect([failed.errors, failed.total]).toEqual([12, 12]);
    await sim(dp.sandbox, 'POST', '/_sim/faults', {});

    const second = await checkDay(j, dp.client, DAY);
    expect([second.checked, second.skipped, second.errors]).toEqual([12, 0, 0]);

    const before = gets();
    const third = await checkDay(j, dp.client, DAY);
    expect([third.checked, third.skipped]).toEqual([0, 12]);
    expect(gets()).toBe(before); // not a single call to DropPay

    j.recordChargeOutcome(sales[2]!.charge!.id, { status: 'ACCOUNTED' });
    const fourth = await checkDay(j, dp.client, DAY);
    expect([fourth.checked, fourth.skipped]).toEqual([2, 10]);
    expect((await checkDay(j, dp.client, DAY, { recheck: true })).checked).toBe(12);
  });

  it("counts the day's charges and refunds made or changed after the check, until it is run again", async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    const first = await realSale(book, dp, 1200);
    await realSale(book, dp, 800);
    const checked = await checkDay(j, dp.client, DAY);
    expect([checked.mismatches.length, checked.changedSince]).toEqual([0, 0]);
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(0);

    // A sale after the check (its charge), and a refund of an earlier one.
    await realSale(book, dp, 450);
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(1);
    const refund = await realRefund(book, dp, first.charge!, 300);
    expect(refund.status).toBe('ENQUEUED');
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(2);
    // A charge it read as paid that DropPay then accounted is still covered: no money moved.
    j.recordChargeOutcome(first.charge!.id, { status: 'ACCOUNTED' });
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(2);

    const again = await checkDay(j, dp.client, DAY);
    expect(again.changedSince).toBe(0);
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(0);
    // The refund it read as under way: its outcome after the check counts, as a change to
    // anything it had read; being accounted after a check that saw it done does not.
    j.recordRefundOutcome(refund.id, { status: 'DONE' });
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(1);
    expect((await checkDay(j, dp.client, DAY)).changedSince).toBe(0);
    j.recordRefundOutcome(refund.id, { status: 'ACCOUNTED' });
    expect(buildDayReport(j, DAY).check?.changedSince).toBe(0);
  });

  it('keeps at most `concurrency` sales in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const counting: typeof fetch = async (input, init) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const book = openBook();
    const dp = await openDropPay({ fetch: counting });
    for (let i = 0; i < 10; i += 1) await realSale(book, dp, 200 + i);
    await sim(dp.sandbox, 'POST', '/_sim/faults', { latency_ms: 25, seed: 1 });
    peak = 0;
    const result = await checkDay(book.journal, dp.client, DAY, { concurrency: 3 });
    expect(result.checked).toBe(20);
    expect(peak).toBe(3);
  });

  it('does not declare "not charged" while the till may still be waiting for the answer', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const never = await realSale(book, dp, 450, { mode: 'never-sent' });
    const soon = await checkDay(book.journal, dp.client, DAY, { now: book.clock.now });
    expect(book.journal.getCharge(never.charge!.id)?.status).toBe('intent');
    expect(soon.settled).toEqual([]);
    book.clock.add(5 * 60_000);
    const later = await checkDay(book.journal, dp.client, DAY, { now: book.clock.now });
    expect(later.settled.map(brief)).toEqual([['SETTLED', 'charge', 'charge.failed']]);
  });

  it('a capture settled DONE by the count learns its DropPay id when another day is checked, and is not counted twice', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    const { sale: booked, authorizationId } = await grantedOnDropPay(book, dp, 10_000, 'BOOKED');
    // The next day the capture's answer is lost, and the till settles it DONE from the success
    // count, with no DropPay id.
    book.clock.set('2026-05-05T09:00:00.000Z');
    const intent = j.recordChargeIntent(booked.id, 6000);
    const token = (await dp.client.authorizations.get(authorizationId)).payToken?.val ?? '';
    const made = await dp.client.charges.create({
      authorizationId: authorizationId,
      payTokenVal: token,
      amount: 6000,
    });
    j.recordChargeOutcome(intent.id, { status: 'DONE', extra: { note: 'success count went up' } });
    const before = buildDayReport(j, '2026-05-05');

    book.clock.set('2026-05-06T09:00:00.000Z');
    await checkDay(j, dp.client, DAY);
    const charges = j.getSaleDetail(booked.id)?.charges ?? [];
    expect(charges).toMatchObject([{ id: intent.id, status: 'DONE', amount: 6000, droppayId: made.id }]);
    expect(buildDayReport(j, '2026-05-06').totals.chargedCents).toBe(0);
    expect(buildDayReport(j, '2026-05-05').totals).toEqual(before.totals);
  });
  it('a charge found at DropPay when the day is checked the next morning counts on the day it was made', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    // The till's clock and the sandbox's agree: late morning in Rome, a day ahead of now.
    const now = Date.now();
    const midday = Math.floor(now / 86_400_000) * 86_400_000 + 86_400_000 + 9 * 3_600_000;
    await sim(dp.sandbox, 'POST', '/_sim/clock/advance', { seconds: Math.ceil((midday - now) / 1000) });
    book.clock.set(new Date(midday + 1000).toISOString());
    const sale = j.createSale({ amount: 800, description: 'Due volte' });
    const day = sale.businessDay;
    j.recordAuthorizationIntent(sale.id);
    const auth = await dp.client.authorizations.create({ description: 'x', amount: 800, chargeMaxCount: 2 });
    j.recordAuthorizationCreated(sale.id, { authorizationId: auth.id, sharingUrl: 'x' });
    await sim(dp.sandbox, 'POST', `/_sim/authorization/${auth.id}/grant`);
    j.recordAuthorizationStatus(sale.id, 'GRANTED');
    const intent = j.recordChargeIntent(sale.id, 800);
    const token = async () => (await dp.client.authorizations.get(auth.id)).payToken?.val ?? '';
    const ours = await dp.client.charges.create({
      authorizationId: auth.id,
      payTokenVal: await token(),
      amount: 800,
    });
    j.recordChargeOutcome(intent.id, { status: 'DONE', droppayId: ours.id });
    // Made at DropPay beside the till (a second charge on the same approval).
    const direct = await dp.client.charges.create({
      authorizationId: auth.id,
      payTokenVal: await token(),
      amount: 800,
    });
    const takenAt = Date.parse(direct.createdAt ?? '');

    book.clock.set(new Date(midday + 86_400_000).toISOString());
    const check = await checkDay(j, dp.client, day);
    expect(check.mismatches.map(brief)).toEqual([['MISSING_IN_JOURNAL', 'charge', 'charge.observed']]);
    const found = j.getSaleDetail(sale.id)?.charges.find((c) => c.droppayId === direct.id);
    expect(found?.businessDay).toBe(day);
    expect(Math.abs(Date.parse(found?.createdAt ?? '') - takenAt)).toBeLessThan(1000);
    expect(buildDayReport(j, day).totals.chargedCents).toBe(1600);
    // The morning it was found in has none of it.
    const tomorrow = j.createSale({ amount: 100, description: 'domani' }).businessDay;
    expect(tomorrow > day).toBe(true);
    expect(buildDayReport(j, tomorrow).totals.chargedCents).toBe(0);
  });

  it('also reads back what came into doubt on a closed day after its close, which blocks this day', async () => {
    const book = bookClosedAtSix();
    const dp = await openDropPay();
    const j = book.journal;
    // After the close, on the closed day: a charge DropPay made whose answer never came back.
    const lost = await realSale(book, dp, 3000, { mode: 'lost-response' });
    book.clock.set('2026-05-05T09:00:00.000Z');
    await realSale(book, dp, 500);
    const before = buildDayReport(j, '2026-05-05');
    expect(before.unsettled.map((u) => [u.kind, u.id])).toEqual([['charge', lost.charge!.id]]);

    book.clock.add(5 * 60_000);
    const section = await checkDay(j, dp.client, '2026-05-05', { now: book.clock.now });
    expect(j.getCharge(lost.charge!.id)?.status).toBe('DONE');
    expect(section.settled.map(brief)).toContainEqual(['SETTLED', 'charge', 'charge.done']);
    const after = buildDayReport(j, '2026-05-05');
    expect(after.unsettled).toEqual([]);
    // This day carries it: the closed day's totals stay as they were closed.
    expect(after.adjustments.netCents).toBe(3000);
    expect(buildDayReport(j, '2026-05-04').totals.chargedCents).toBe(1000);
    expect(
      closeDay(j, '2026-05-05', { now: () => new Date('2026-05-05T19:00:00.000Z') }).closure.forcedReason,
    ).toBeNull();
  });

  it('a difference the check found keeps the day from closing without a written reason', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    await realSale(book, dp, 1250);
    // A charge the journal has as paid that DropPay has never seen.
    const ghost = chargedSale(j, 600, 'DONE');
    const check = await checkDay(j, dp.client, DAY);
    expect(check.mismatches.map((f) => [f.code, f.journalId])).toEqual([
      ['MISSING_AT_DROPPAY', ghost.charge.id],
    ]);
    const evening = () => new Date('2026-05-04T19:00:00.000Z');
    expect(closeRefusal(j, evening)).toMatchObject({ code: 'MISMATCHED', mismatched: 1 });
    const { closure } = closeDay(j, DAY, {
      now: evening,
      force: { reason: 'Addebito registrato due volte, verificato' },
    });
    expect(closure.forcedReason).toBe('Addebito registrato due volte, verificato');
  });

  it('a check DropPay did not answer is no check: the day closes only with a reason, or once read', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    await realSale(book, dp, 1250);
    await realSale(book, dp, 800);
    const evening = () => new Date('2026-05-04T19:00:00.000Z');
    await sim(dp.sandbox, 'POST', '/_sim/faults', { error_rate: 1, seed: 1 });
    const offline = await checkDay(j, dp.client, DAY);
    // Nothing read, nothing found: not "no differences".
    expect(offline.mismatches).toEqual([]);
    expect(offline.errors).toBe(offline.total);
    expect(closeRefusal(j, evening)).toMatchObject({ code: 'UNREAD', mismatched: offline.total });
    // Once DropPay answers, the next check reads them and the day closes as usual.
    await sim(dp.sandbox, 'POST', '/_sim/faults', {});
    const online = await checkDay(j, dp.client, DAY);
    expect(online.errors).toBe(0);
    expect(closeDay(j, DAY, { now: evening }).closure.forcedReason).toBeNull();
  });

  it('a check the till stopped in the middle of vouches only for what it read: the day closes with a reason, or once checked again', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    for (const cents of [1250, 800, 430]) await realSale(book, dp, cents);
    // The till dies after the first sale's items are read: the run's row is left as it was then.
    await expect(
      checkDay(j, dp.client, DAY, {
        concurrency: 1,
        onProgress: () => {
          throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    const report = buildDayReport(j, DAY);
    const stopped = report.check;
    expect(stopped).toMatchObject({ finishedAt: null, errors: 0 });
    if (stopped === null) throw new Error('the run left no row');
    expect(stopped.checked).toBeGreaterThan(0);
    const unreached = stopped.total - stopped.checked;
    expect(unreached).toBeGreaterThan(0);
    // No difference found and none unanswered, yet most of the day was never read: not a check.
    expect(stopped.mismatches).toEqual([]);
    const evening = () => new Date('2026-05-04T19:00:00.000Z');
    expect(closeRefusal(j, evening)).toMatchObject({ code: 'UNREAD', mismatched: unreached });
    // Checked again to the end, it closes as usual.
    const again = await checkDay(j, dp.client, DAY);
    expect(again.finishedAt).not.toBeNull();
    expect(again.checked + again.skipped).toBe(again.total);
    expect(closeDay(j, DAY, { now: evening }).closure.forcedReason).toBeNull();
  });

  it('an unread check can be closed over with a written reason, kept in the closure', async () => {
    const book = openBook();
    const dp = await openDropPay();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    await realSale(book, dp, 500);
    await sim(dp.sandbox, 'POST', '/_sim/faults', { error_rate: 1, seed: 1 });
    await checkDay(j, dp.client, DAY);
    const { closure } = closeDay(j, DAY, {
      now: () => new Date('2026-05-04T19:00:00.000Z'),
      force: { reason: 'DropPay fuori servizio, verifico domani' },
    });
    expect(closure.forcedReason).toBe('DropPay fuori servizio, verifico domani');
  });
});
