import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  buildDayReport,
  closeDay,
  openDayBook,
  ReconciliationError,
  type ReconciliationErrorCode,
} from '../../../electron/main/reconciliation';
import { verifiedPrefix } from '../../../electron/main/reconciliation/chain';
import { editEventPayload, tamperEvent } from '../../support/journal-file';
import { bookClosedAtSix, chargedSale, grantedSale, openBook, type Book } from './harness';
import { markDayChecked } from '../../support/checked-day';

function codeOf(fn: () => unknown): ReconciliationErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReconciliationError) return error.code;
    throw error;
  }
  return 'no error';
}

/** A clock for closeDay: the evening of `day` in Rome. */
const evening = (day: string) => () => new Date(`${day}T19:00:00.000Z`);

function raw(book: Book): Database.Database {
  return new Database(book.path);
}

describe('closeDay: rules', () => {
  it('is refused while an outcome is unknown; a forced close needs and stores a written reason', () => {
    const book = openBook();
    const j = book.journal;
    chargedSale(j, 1000, 'DONE');
    const lost = chargedSale(j, 700, 'unknown');
    expect(codeOf(() => closeDay(j, '2026-05-04', { now: evening('2026-05-04') }))).toBe('UNSETTLED');
    try {
      closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
    } catch (error) {
      expect((error as ReconciliationError).unsettled.map((u) => u.id)).toEqual([lost.charge.id]);
    }
    expect(
      codeOf(() => closeDay(j, '2026-05-04', { force: { reason: '   ' }, now: evening('2026-05-04') })),
    ).toBe('INVALID_REASON');
    const { closure, report } = closeDay(j, '2026-05-04', {
      force: { reason: 'DropPay non raggiungibile, verificato a mano' },
      now: evening('2026-05-04'),
    });
    expect(closure).toMatchObject({ seq: 1, forcedReason: 'DropPay non raggiungibile, verificato a mano' });
    const head = j.verifyChain();
    expect(head.ok && [closure.chainHeadSeq, closure.chainHeadHash]).toEqual([
      head.count,
      head.ok ? head.head : '',
    ]);
    expect(report.totals.netCents).toBe(1000);
    const db = raw(book);
    const row = db.prepare('SELECT * FROM day_closures').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      seq: 1,
      business_day: '2026-05-04',
      charged_cents: 1000,
      net_cents: 1000,
      unsettled_count: 1,
      forced_reason: 'DropPay non raggiungibile, verificato a mano',
      created_at: '2026-05-04T19:00:00.000Z',
    });
  });

  it('an approved sale whose charge the journal does not hold is in doubt: CHARGED and CHARGEABLE, not BOOKED', () => {
    const book = openBook();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    // DropPay charged this one at the grant; the read of its charge failed.
    const charged = grantedSale(j, 1500, 'CHARGED');
    // Approved, its charge not sent yet.
    const chargeable = grantedSale(j, 800);
    // A pre-authorization waiting for its capture moves no money until then.
    grantedSale(j, 5000, 'BOOKED');
    chargedSale(j, 1000, 'DONE');
    const report = buildDayReport(j, '2026-05-04');
    expect(report.unsettled.map((u) => [u.kind, u.id, u.status]).sort()).toEqual(
      [
        ['authorization', charged.id, 'granted'],
        ['authorization', chargeable.id, 'granted'],
      ].sort(),
    );
    expect(codeOf(() => closeDay(j, '2026-05-04', { now: evening('2026-05-04') }))).toBe('UNSETTLED');
  });

  it('an outcome still unknown on a day closed earlier keeps the next day from closing as settled', () => {
    const book = bookClosedAtSix();
    const j = book.journal;
    // After the close, the same business day: a charge whose answer is lost.
    const lost = chargedSale(j, 3000, 'unknown');
    book.clock.set('2026-05-05T08:00:00.000Z');
    chargedSale(j, 500, 'DONE');
    const next = buildDayReport(j, '2026-05-05');
    expect(next.unsettled.map((u) => [u.kind, u.id])).toEqual([['charge', lost.charge.id]]);
    expect(codeOf(() => closeDay(j, '2026-05-05', { now: evening('2026-05-05') }))).toBe('UNSETTLED');
    // Once DropPay's answer is known, the next day closes and carries it.
    j.recordChargeOutcome(lost.charge.id, { status: 'DONE', droppayId: 'CHA-LATE' });
    markDayChecked(book.path, '2026-05-05');
    const { report } = closeDay(j, '2026-05-05', { now: evening('2026-05-05') });
    expect(report.unsettled).toEqual([]);
    expect(report.totals.netCents).toBe(500);
    expect(report.adjustments.netCents).toBe(3000);
  });

  it('such an outcome blocks one close: once a forced close acknowledged it, the days after close as settled', () => {
    const book = bookClosedAtSix();
    const j = book.journal;
    const lost = chargedSale(j, 3000, 'unknown');
    book.clock.set('2026-05-05T08:00:00.000Z');
    chargedSale(j, 500, 'DONE');
    expect(codeOf(() => closeDay(j, '2026-05-05', { now: evening('2026-05-05') }))).toBe('UNSETTLED');
    closeDay(j, '2026-05-05', {
      now: evening('2026-05-05'),
      force: { reason: 'Addebito delle 19 in verifica' },
    });
    book.clock.set('2026-05-06T08:00:00.000Z');
    chargedSale(j, 700, 'DONE');
    expect(buildDayReport(j, '2026-05-06').unsettled).toEqual([]);
    markDayChecked(book.path, '2026-05-06');
    expect(closeDay(j, '2026-05-06', { now: evening('2026-05-06') }).closure.forcedReason).toBeNull();
    // It is still unknown in the journal, and its outcome will land as an adjustment.
    expect(j.getCharge(lost.charge.id)?.status).toBe('unknown');
  });

  it('closing a forgotten earlier day afterwards acknowledges nothing of a later day: its doubt still blocks the next close', () => {
    const book = openBook({ start: '2026-05-02T10:00:00.000Z' });
    const j = book.journal;
    chargedSale(j, 400, 'DONE');
    book.clock.set('2026-05-04T08:00:00.000Z');
    chargedSale(j, 1000, 'DONE');
    markDayChecked(book.path, '2026-05-04');
    closeDay(j, '2026-05-04', { now: () => new Date('2026-05-04T16:00:00.000Z') });
    // After that close, the same business day: a charge whose answer is lost.
    book.clock.set('2026-05-04T17:00:00.000Z');
    const lost = chargedSale(j, 3000, 'unknown');
    // The owner then closes the 2nd, left open: its report cannot carry the 4th's doubt.
    markDayChecked(book.path, '2026-05-02');
    const forgotten = closeDay(j, '2026-05-02', { now: () => new Date('2026-05-04T17:30:00.000Z') });
    expect(forgotten.report.unsettled).toEqual([]);
    book.clock.set('2026-05-05T08:00:00.000Z');
    chargedSale(j, 500, 'DONE');
    expect(buildDayReport(j, '2026-05-05').unsettled.map((u) => [u.kind, u.id])).toEqual([
      ['charge', lost.charge.id],
    ]);
    expect(codeOf(() => closeDay(j, '2026-05-05', { now: evening('2026-05-05') }))).toBe('UNSETTLED');
  });

  it('closes a settled, checked day without a reason; twice is refused; a day not yet begun is refused', () => {
    const book = openBook();
    const j = book.journal;
    chargedSale(j, 1000, 'DONE');
    chargedSale(j, 400, 'FAILED');
    // Never checked with DropPay: the till's word alone, closed only with a written reason.
    expect(codeOf(() => closeDay(j, '2026-05-04', { now: evening('2026-05-04') }))).toBe('UNCHECKED');
    markDayChecked(book.path, '2026-05-04');
    const { closure } = closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
    expect(closure).toMatchObject({ seq: 1, forcedReason: null, anchorIntact: true, closuresIntact: true });
    expect(codeOf(() => closeDay(j, '2026-05-04', { now: evening('2026-05-04') }))).toBe('ALREADY_CLOSED');
    expect(codeOf(() => closeDay(j, '2026-05-06', { now: evening('2026-05-04') }))).toBe('FUTURE_DAY');
    expect(codeOf(() => closeDay(j, '2026-13-01'))).toBe('INVALID_DAY');
    // A day with nothing on it has nothing to check.
    expect(closeDay(j, '2026-05-03', { now: evening('2026-05-04') }).closure.seq).toBe(2);
  });

  it('a sale made after the check is not vouched for by it: checked again, or closed with a reason (QA D3)', () => {
    const book = openBook();
    const j = book.journal;
    chargedSale(j, 1000, 'DONE');
    markDayChecked(book.path, '2026-05-04');
    expect(buildDayReport(j, '2026-05-04').check?.changedSince).toBe(0);
    // One more sale, paid after the check.
    chargedSale(j, 120, 'DONE');
    const report = buildDayReport(j, '2026-05-04');
    expect(report.check?.changedSince).toBe(1);
    let refusal: unknown = null;
    try {
      closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ code: 'UNCHECKED', mismatched: 1 });
    expect(String((refusal as Error).message)).toMatch(/1 item\(s\) of 2026-05-04 changed after its check/);
    // Checked again, it closes as checked; or with a written reason, kept with the closure.
    markDayChecked(book.path, '2026-05-04');
    expect(closeDay(j, '2026-05-04', { now: evening('2026-05-04') }).closure.forcedReason).toBeNull();
    const other = openBook();
    chargedSale(other.journal, 500, 'DONE');
    markDayChecked(other.path, '2026-05-04');
    chargedSale(other.journal, 700, 'DONE');
    const forced = closeDay(other.journal, '2026-05-04', {
      now: evening('2026-05-04'),
      force: { reason: 'Verifica fatta a voce con DropPay' },
    });
    expect(forced.closure.forcedReason).toBe('Verifica fatta a voce con DropPay');
  });

  it('closures cannot be updated, deleted, forked or edited behind the app’s back unnoticed', () => {
    const book = openBook();
    chargedSale(book.journal, 1000, 'DONE');
    markDayChecked(book.path, '2026-05-04');
    closeDay(book.journal, '2026-05-04', { now: evening('2026-05-04') });
    const db = raw(book);
    expect(() => db.prepare('UPDATE day_closures SET net_cents = 1').run()).toThrow(/UPDATE is not allowed/);
    expect(() => db.prepare('DELETE FROM day_closures').run()).toThrow(/DELETE is not allowed/);
    const row = db.prepare('SELECT * FROM day_closures').get() as Record<string, unknown>;
    expect(() =>
      db
        .prepare(
          `INSERT INTO day_closures SELECT 5, '2026-05-05', time_zone, cutoff_hour, charges_done_count, charged_cents,
             charges_failed_count, refunds_done_count, refunded_cents, net_cents, adjustments_count, adjustments_net_cents,
             unsettled_count, chain_head_seq, chain_head_hash, report_json, created_at, forced_reason,
             '${'1'.repeat(64)}', '${'2'.repeat(64)}' FROM day_closures`,
        )
        .run(),
    ).toThrow(/next seq and link to the last hash/);
    expect(() => db.prepare(`UPDATE day_closures SET forced_reason = NULL`).run()).toThrow();
    // Someone with the file drops the trigger and edits the totals: the closure chain shows it.
    db.exec('DROP TRIGGER day_closures_no_update');
    db.prepare('UPDATE day_closures SET report_json = ? WHERE seq = 1').run(
      String(row.report_json).replace('"netCents":1000', '"netCents":99999'),
    );
    db.close();
    expect(buildDayReport(book.journal, '2026-05-04').closure?.closuresIntact).toBe(false);
  });

  it.each([
    [
      'a charge’s status',
      'charge',
      "UPDATE charges SET status = 'FAILED' WHERE id = @id",
      /status is FAILED, its events say DONE/,
    ],
    [
      'a refund’s status',
      'refund',
      "UPDATE refunds SET status = 'FAILED' WHERE id = @id",
      /status is FAILED, its events say DONE/,
    ],
    [
      'a charge’s amount, its triggers dropped',
      'charge',
      'DROP TRIGGER charges_immutable_columns; UPDATE charges SET amount = 100 WHERE id = @id',
      /amount is 100 cents, its events say 2500/,
    ],
  ])(
    '%s edited behind the app’s back: the chain verifies, the close does not, without a reason',
    (_, kind, sql, why) => {
      const book = openBook();
      const j = book.journal;
      const paid = chargedSale(j, 2500, 'DONE');
      const refund = j.recordRefundIntent(paid.charge.id, 500, 'Reso');
      j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR0001' });
      const id = kind === 'charge' ? paid.charge.id : refund.id;
      const db = raw(book);
      const [drop, update] = sql.includes(';') ? sql.split('; ') : [null, sql];
      if (drop) db.exec(drop);
      db.prepare(update ?? '').run({ id });
      db.close();
      expect(j.verifyChain()).toMatchObject({ ok: true });
      // The report says so when asked to hold the rows against their events, as the day screen does.
      expect(buildDayReport(j, '2026-05-04').chain.ok).toBe(true);
      expect(buildDayReport(j, '2026-05-04', { checkRows: true }).chain).toMatchObject({
        ok: false,
        reason: 'row-altered',
      });
      let refused: unknown = null;
      try {
        closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(ReconciliationError);
      expect((refused as ReconciliationError).code).toBe('CHAIN_BROKEN');
      expect((refused as Error).message).toMatch(/row-altered/);
      const { report } = closeDay(j, '2026-05-04', {
        now: evening('2026-05-04'),
        force: { reason: 'Riga modificata: verifica in corso' },
      });
      expect(report.chain).toMatchObject({ ok: false, reason: 'row-altered' });
      expect(report.chain.message).toMatch(new RegExp(`${kind} ${id} of 2026-05-04`));
      expect(report.chain.message).toMatch(why);
    },
  );
});

describe('closed days: the stored report, and later changes as adjustments', () => {
  it('a late outcome and a refund after closing show on the day as later, and in the next report once', () => {
    const book = openBook();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    const paid = chargedSale(j, 2000, 'DONE');
    const lost = chargedSale(j, 700, 'unknown');
    const closed = closeDay(j, '2026-05-04', {
      force: { reason: 'rete assente' },
      now: evening('2026-05-04'),
    });
    const before = closed.report;

    book.clock.set('2026-05-04T20:00:00.000Z'); // same business day, after closing
    const refund = j.recordRefundIntent(paid.charge.id, 500, 'Reso');
    j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR-LATE' });
    book.clock.set('2026-05-05T09:00:00.000Z'); // next day: the unknown turns out DONE
    j.recordChargeOutcome(lost.charge.id, { status: 'DONE', droppayId: 'CHA-LATE' });
    j.recordChargeOutcome(lost.charge.id, { status: 'ACCOUNTED' }); // same money class: no adjustment

    const d4 = buildDayReport(j, '2026-05-04');
    expect(d4.totals).toEqual(before.totals);
    expect(d4.unsettled).toHaveLength(1); // as it was at closing
    expect(
      d4.laterAdjustments.items.map((a) => [a.itemKind, a.from, a.to, a.netDeltaCents, a.carriedBy]),
    ).toEqual([
      ['refund', null, 'intent', 0, '2026-05-05'],
      ['refund', 'intent', 'DONE', -500, '2026-05-05'],
      ['charge', 'unknown', 'DONE', 700, '2026-05-05'],
    ]);
    expect(d4.laterAdjustments.netCents).toBe(200);

    const d5 = buildDayReport(j, '2026-05-05');
    expect(d5.totals.netCents).toBe(0); // nothing of its own
    expect(d5.adjustments).toMatchObject({ chargedCents: 700, refundedCents: 500, netCents: 200 });
    markDayChecked(book.path, '2026-05-05');
    const c5 = closeDay(j, '2026-05-05', { now: evening('2026-05-05') });
    const db = raw(book);
    expect(
      db
        .prepare(
          "SELECT adjustments_count, adjustments_net_cents FROM day_closures WHERE business_day = '2026-05-05'",
        )
        .get(),
    ).toEqual({
      adjustments_count: 3,
      adjustments_net_cents: 200,
    });
    db.close();
    expect(c5.report.adjustments.netCents).toBe(200);
    expect(buildDayReport(j, '2026-05-06').adjustments.items).toEqual([]);
  });

  it('a change landing when the next day is already closed is carried by the first day still open', () => {
    const book = openBook();
    const j = book.journal;
    const lost = chargedSale(j, 900, 'unknown');
    closeDay(j, '2026-05-04', { force: { reason: 'controllo domani' }, now: evening('2026-05-04') });
    book.clock.set('2026-05-05T10:00:00.000Z');
    chargedSale(j, 100, 'DONE');
    markDayChecked(book.path, '2026-05-05');
    closeDay(j, '2026-05-05', { now: evening('2026-05-05') });
    book.clock.set('2026-05-05T20:00:00.000Z'); // still business day 5, but 5 is closed
    j.recordChargeOutcome(lost.charge.id, { status: 'DONE', droppayId: 'CHA-X' });
    expect(buildDayReport(j, '2026-05-04').laterAdjustments.items[0]?.carriedBy).toBe('2026-05-06');
    expect(buildDayReport(j, '2026-05-05').laterAdjustments.items).toEqual([]);
    expect(buildDayReport(j, '2026-05-06').adjustments.netCents).toBe(900);
  });

  it('works the same through a DayBook kept open (what the bench and the command line use)', () => {
    const book = openBook();
    chargedSale(book.journal, 1000, 'DONE');
    const dayBook = openDayBook(book.journal);
    try {
      markDayChecked(book.path, '2026-05-04');
      closeDay(dayBook, '2026-05-04', { now: evening('2026-05-04') });
      expect(buildDayReport(dayBook, '2026-05-04').closure?.seq).toBe(1);
    } finally {
      dayBook.close();
    }
    const ro = openDayBook(book.journal, { readOnly: true });
    try {
      expect(codeOf(() => closeDay(ro, '2026-05-03', { now: evening('2026-05-04') }))).toBe('READ_ONLY');
    } finally {
      ro.close();
    }
  });
});

describe('the chain in the report', () => {
  it('a full check given a verified prefix re-hashes only what follows it, and falls back when the prefix changed', () => {
    const book = openBook();
    const j = book.journal;
    for (const amount of [1000, 500, 250]) chargedSale(j, amount, 'DONE');
    const book2 = openDayBook(j);
    const total = j.verifyChain().count;
    expect(verifiedPrefix(book2.db)?.seq).toBe(total);
    const k = 4;
    const early = { seq: k, hash: j.readEvents(k - 1, 1)[0]?.hash ?? '' };
    expect(buildDayReport(j, '2026-05-04', { chainPrefix: early }).chain).toMatchObject({
      ok: true,
      scope: 'full',
      fromSeq: 0,
      count: total,
    });
    // An edit after the prefix is caught at its event.
    editEventPayload(book.path, total - 1, (p) => p.replace('250', '25'));
    expect(buildDayReport(j, '2026-05-04', { chainPrefix: early }).chain).toMatchObject({
      ok: false,
      brokenAtSeq: total - 1,
    });
    // A log broken there vouches for the events before the break only (a forced close re-hashes
    // only from there under its lock), and the check that starts from them meets the break.
    const beforeBreak = verifiedPrefix(book2.db);
    expect(beforeBreak?.seq).toBe(total - 2);
    expect(buildDayReport(j, '2026-05-04', { chainPrefix: beforeBreak }).chain).toMatchObject({
      ok: false,
      brokenAtSeq: total - 1,
      scope: 'full',
    });
    // The prefix is taken as read: an edit inside it that left its stored hashes alone is not
    // re-hashed (it came after the prefix was checked); without the prefix it is caught.
    editEventPayload(book.path, 2, (p) => p.replace(/}$/, ',"edited":true}'));
    expect(buildDayReport(j, '2026-05-04', { chainPrefix: early }).chain).toMatchObject({
      ok: false,
      brokenAtSeq: total - 1,
    });
    expect(buildDayReport(j, '2026-05-04').chain).toMatchObject({ ok: false, brokenAtSeq: 2 });
    // The prefix's last event no longer the one it vouched for (its hash rewritten): not taken
    // as read, so the whole log is re-hashed and the first break found.
    tamperEvent(book.path, k, 'hash', `${early.hash.slice(0, -1)}${early.hash.endsWith('0') ? '1' : '0'}`);
    expect(buildDayReport(j, '2026-05-04', { chainPrefix: early }).chain).toMatchObject({
      ok: false,
      brokenAtSeq: 2,
    });
    expect(verifiedPrefix(book2.db)).toMatchObject({ seq: 1 });
    book2.close();
    expect(codeOf(() => closeDay(j, '2026-05-04', { now: evening('2026-05-04') }))).toBe('CHAIN_BROKEN');
  });

  it('full, none, or only what came after the last closure; a later edit is caught either way', () => {
    const book = openBook();
    const j = book.journal;
    chargedSale(j, 1000, 'DONE');
    markDayChecked(book.path, '2026-05-04');
    const { closure } = closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
    book.clock.set('2026-05-05T09:00:00.000Z');
    chargedSale(j, 500, 'DONE');
    const head = j.verifyChain();
    const total = head.count;
    expect(buildDayReport(j, '2026-05-05').chain).toMatchObject({ ok: true, scope: 'full', count: total });
    expect(buildDayReport(j, '2026-05-05', { verifyChain: false }).chain).toMatchObject({
      ok: null,
      scope: 'none',
    });
    expect(buildDayReport(j, '2026-05-05', { verifyChain: 'since-last-closure' }).chain).toMatchObject({
      ok: true,
      scope: 'since-last-closure',
      fromSeq: closure.chainHeadSeq,
      count: total - closure.chainHeadSeq,
      headSeq: total,
    });
    // Someone with the file edits an event after the anchor, trigger dropped and restored.
    editEventPayload(book.path, total - 1, (p) => p.replace('500', '5'));
    for (const verifyChain of [true, 'since-last-closure'] as const) {
      expect(buildDayReport(j, '2026-05-05', { verifyChain }).chain).toMatchObject({
        ok: false,
        brokenAtSeq: total - 1,
      });
    }
  });
});

describe('closeDay: a journal whose chain is broken', () => {
  it('is refused without a written reason, and closed with one that the closure keeps', () => {
    const book = openBook();
    const j = book.journal;
    chargedSale(j, 1200, 'DONE');
    chargedSale(j, 300, 'DONE');
    const total = j.verifyChain().count;
    // Someone with the file edits an amount in an old event, trigger dropped and restored.
    editEventPayload(book.path, total - 1, (p) => p.replace('300', '30'));

    let refusal: unknown = null;
    try {
      closeDay(j, '2026-05-04', { now: evening('2026-05-04') });
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ReconciliationError);
    expect(refusal).toMatchObject({ code: 'CHAIN_BROKEN' });
    expect((refusal as Error).message).toMatch(new RegExp(`broken at event ${total - 1}`));
    expect(buildDayReport(j, '2026-05-04').closure).toBeNull();

    const { closure } = closeDay(j, '2026-05-04', {
      force: { reason: 'Registro ripristinato dal backup, evento 5 alterato' },
      now: evening('2026-05-04'),
    });
    expect(closure).toMatchObject({
      seq: 1,
      forcedReason: 'Registro ripristinato dal backup, evento 5 alterato',
    });
    expect(buildDayReport(j, '2026-05-04').chain).toMatchObject({ ok: false, brokenAtSeq: total - 1 });
  });
});
