/** The repository as the payments layer uses it: intent → DropPay → outcome, and the guards. */
import { describe, expect, it } from 'vitest';
import {
  JournalNotFoundError,
  JournalStateError,
  JournalValidationError,
  replaySale,
  type Journal,
} from '../../../electron/main/journal/index';
import { grantedSale, nextId, open, paidSale } from './helpers';

/** The current-state rows of a sale, as replaySale shapes them. */
function rowsAsSnapshot(j: Journal, saleId: string): unknown {
  const d = j.getSaleDetail(saleId);
  if (!d) throw new Error('no sale');
  const { sale } = d;
  return {
    id: sale.id,
    merchantRef: sale.merchantRef,
    amount: sale.amount,
    description: sale.description,
    policy: sale.policy,
    state: sale.state,
    authorizationId: sale.authorizationId,
    authorizationStatus: sale.authorizationStatus,
    sharingUrl: sale.sharingUrl,
    charges: Object.fromEntries(
      d.charges.map((c) => [
        c.id,
        { droppayId: c.droppayId, amount: c.amount, status: c.status, origin: c.origin },
      ]),
    ),
    refunds: Object.fromEntries(
      d.refunds.map((r) => [
        r.id,
        {
          chargeId: r.chargeId,
          droppayId: r.droppayId,
          amount: r.amount,
          reason: r.reason,
          status: r.status,
          attempt: r.attempt,
        },
      ]),
    ),
  };
}

describe('a sale from start to refund', () => {
  it('records every step as an event, and the events alone rebuild the current rows', () => {
    const j = open();
    const sale = j.createSale({ amount: 5472, description: 'Spesa', policy: 'CHARGEABLE' });
    expect(sale).toMatchObject({ state: 'created', amount: 5472, businessDay: '2026-05-04' });
    expect(sale.merchantRef).toMatch(/^S-20260504-[0-9A-HJKMNP-TV-Z]{6}$/);
    expect(j.recordAuthorizationIntent(sale.id).state).toBe('authorizing');
    j.recordAuthorizationCreated(sale.id, {
      authorizationId: 'CHT0001',
      sharingUrl: 'https://dp.link/u/10/CHT0001',
    });
    expect(j.recordAuthorizationStatus(sale.id, 'GRANTED').state).toBe('granted');
    const charge = j.recordChargeIntent(sale.id, 5472);
    expect(j.getSale(sale.id)?.state).toBe('charging');
    expect(
      j.recordChargeOutcome(charge.id, { status: 'unknown', error: 'timeout after 15 s' }).sale,
    ).toMatchObject({
      state: 'unknown',
      lastError: 'timeout after 15 s',
    });
    const done = j.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: 'CHA0001' });
    expect(done.sale).toMatchObject({ state: 'paid', lastError: null });
    expect(done.charge).toMatchObject({ status: 'DONE', droppayId: 'CHA0001' });
    j.recordAuthorizationStatus(sale.id, 'EXPIRED'); // count used up: the sale stays paid
    j.recordChargeOutcome(charge.id, { status: 'ACCOUNTED' });
    const refund = j.recordRefundIntent(charge.id, 1000, 'un articolo reso');
    j.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'CHR0001' });
    j.recordRefundOutcome(refund.id, { status: 'DONE' });

    const timeline = j.saleTimeline(sale.id);
    expect(timeline.map((e) => e.kind)).toEqual([
      'sale.started',
      'authorization.create.intent',
      'authorization.created',
      'authorization.status',
      'charge.intent',
      'charge.unknown',
      'charge.done',
      'authorization.status',
      'charge.accounted',
      'refund.intent',
      'refund.status',
      'refund.status',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual([...timeline.map((e) => e.seq)].sort((a, b) => a - b));
    expect(timeline.every((e) => e.correlationId === sale.id)).toBe(true);
    expect(replaySale(timeline)).toEqual(rowsAsSnapshot(j, sale.id));
    expect(j.getSale(sale.id)).toMatchObject({
      state: 'paid',
      authorizationStatus: 'EXPIRED',
      lastEventSeq: timeline.at(-4)?.seq,
    });
    expect(j.getRefund(refund.id)).toMatchObject({
      status: 'DONE',
      droppayId: 'CHR0001',
      saleId: sale.id,
      lastEventSeq: timeline.at(-1)?.seq,
    });
    expect(j.verifyChain()).toMatchObject({ ok: true, count: 12 });
  });

  it('replay matches the rows for every kind of ending', () => {
    const j = open();
    const refused = j.createSale({ amount: 100, description: 'rifiutata' });
    j.recordAuthorizationIntent(refused.id);
    j.recordAuthorizationCreated(refused.id, { authorizationId: 'CHT-R', sharingUrl: 'https://x/r' });
    expect(j.recordAuthorizationStatus(refused.id, 'REFUSED').state).toBe('refused');

    const failed = j.createSale({ amount: 100, description: 'rifiutata da DropPay' });
    j.recordAuthorizationIntent(failed.id);
    expect(j.recordAuthorizationFailed(failed.id, '400/101 wrong argument').state).toBe('failed');
    expect(j.recordAuthorizationIntent(failed.id).state).toBe('authorizing'); // DropPay never accepted it: retry
    j.recordAuthorizationUnknown(failed.id, 'socket hang up');

    const charged = j.createSale({ amount: 2500, description: 'CHARGED', policy: 'CHARGED' });
    j.recordAuthorizationIntent(charged.id);
    j.recordAuthorizationCreated(charged.id, { authorizationId: 'CHT-C', sharingUrl: 'https://x/c' });
    j.recordAuthorizationStatus(charged.id, 'GRANTED');
    expect(() => j.recordChargeIntent(charged.id, 2500)).toThrow(/policy CHARGED/);
    const observed = j.recordChargeObserved(charged.id, { droppayId: 'CHA-C', amount: 2500, status: 'DONE' });
    expect(observed).toMatchObject({
      sale: { state: 'paid' },
      charge: { origin: 'droppay', status: 'DONE' },
    });

    const booked = grantedSale(j, 3000, 'BOOKED');
    const partial = j.recordChargeIntent(booked.id, 1800); // BOOKED: any amount up to the reservation
    j.recordChargeOutcome(partial.id, {
      status: 'FAILED',
      droppayId: 'CHA-F',
      error: 'insufficient balance',
    });
    expect(j.getSale(booked.id)).toMatchObject({ state: 'failed', lastError: 'insufficient balance' });
    const retry = j.recordChargeIntent(booked.id, 1800);
    j.recordChargeOutcome(retry.id, { status: 'pending', droppayId: 'CHA-P' });

    for (const id of [refused.id, failed.id, charged.id, booked.id]) {
      expect(replaySale(j.saleTimeline(id)), id).toEqual(rowsAsSnapshot(j, id));
    }
  });
});

describe('a waiting authorization’s link given anew', () => {
  it('is recorded once, rebuilt by replay, and kept as it was once the sale moves on', () => {
    const j = open();
    const sale = j.createSale({ amount: 700, description: 'link' });
    expect(() => j.recordAuthorizationLink(sale.id, 'https://x/new')).toThrow(/no authorization yet/);
    j.recordAuthorizationIntent(sale.id);
    j.recordAuthorizationCreated(sale.id, {
      authorizationId: 'CHT-L',
      sharingUrl: 'http://127.0.0.1:4001/u/L',
    });
    const before = j.verifyChain();
    expect(j.recordAuthorizationLink(sale.id, 'http://127.0.0.1:4001/u/L')).toMatchObject({
      sharingUrl: 'http://127.0.0.1:4001/u/L',
    });
    expect(j.verifyChain()).toEqual(before); // the same link writes nothing
    expect(j.recordAuthorizationLink(sale.id, 'http://127.0.0.1:4002/u/L')).toMatchObject({
      state: 'waiting',
      sharingUrl: 'http://127.0.0.1:4002/u/L',
    });
    expect(j.verifyChain()).toMatchObject({ ok: true, count: (before.ok ? before.count : 0) + 1 });
    expect(j.saleTimeline(sale.id).at(-1)?.kind).toBe('authorization.link');
    expect(replaySale(j.saleTimeline(sale.id))).toEqual(rowsAsSnapshot(j, sale.id));

    j.recordAuthorizationStatus(sale.id, 'REFUSED');
    expect(j.recordAuthorizationLink(sale.id, 'http://127.0.0.1:4003/u/L').sharingUrl).toBe(
      'http://127.0.0.1:4002/u/L',
    );
    expect(() => j.recordAuthorizationLink(sale.id, '')).toThrow(JournalValidationError);
  });
});

describe('guards that keep money safe', () => {
  it('no charge before the grant, never two in flight, never after paid, never the wrong amount', () => {
    const j = open();
    const fresh = j.createSale({ amount: 1000, description: 'x' });
    expect(() => j.recordChargeIntent(fresh.id, 1000)).toThrow(JournalStateError);
    const sale = grantedSale(j, 1000);
    expect(() => j.recordChargeIntent(sale.id, 999)).toThrow(/does not fit/); // CHARGEABLE: exactly the amount
    const first = j.recordChargeIntent(sale.id, 1000);
    expect(() => j.recordChargeIntent(sale.id, 1000)).toThrow(/already has a charge in flight/);
    j.recordChargeOutcome(first.id, { status: 'DONE', droppayId: nextId('CHA') });
    expect(() => j.recordChargeIntent(sale.id, 1000)).toThrow(/already paid/);
    expect(j.getSaleDetail(sale.id)?.charges).toHaveLength(1);
  });

  it('a paid sale stays paid; final states are final; a charge in flight pins the sale', () => {
    const j = open();
    const { sale, chargeId } = paidSale(j);
    expect(() => j.recordSaleState(sale.id, 'cancelled')).toThrow(/final state/);
    expect(() => j.recordSaleState(sale.id, 'paid')).toThrow(JournalValidationError);
    expect(() => j.recordChargeOutcome(chargeId, { status: 'FAILED' })).toThrow(
      /DONE; it cannot become FAILED/,
    );
    expect(() => j.recordChargeOutcome(chargeId, { status: 'DONE', droppayId: 'SOMEONE-ELSE' })).toThrow(
      /is DropPay charge/,
    );

    const granted = grantedSale(j);
    j.recordChargeIntent(granted.id, granted.amount);
    expect(() => j.recordSaleState(granted.id, 'cancelled')).toThrow(/charge in flight/);
    expect(j.recordAuthorizationStatus(granted.id, 'REVOKED').state).toBe('charging'); // the charge decides
    expect(j.recordSaleState(granted.id, 'unknown').state).toBe('unknown');
  });

  it('recording what is already on file writes nothing (polls and duplicate webhooks)', () => {
    const j = open();
    const { sale, chargeId } = paidSale(j);
    const before = j.verifyChain();
    j.recordAuthorizationStatus(sale.id, 'GRANTED');
    j.recordChargeOutcome(chargeId, { status: 'DONE' });
    expect(j.verifyChain()).toEqual(before);
    const refund = j.recordRefundIntent(chargeId, 100, 'r');
    j.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'CHR-D' });
    const afterRefund = j.verifyChain();
    expect(afterRefund).toMatchObject({ ok: true, count: (before.ok ? before.count : 0) + 2 });
    j.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'CHR-D' });
    j.recordRefundOutcome(refund.id, { status: 'ENQUEUED' });
    j.recordAuthorizationStatus(sale.id, 'GRANTED');
    expect(j.verifyChain()).toEqual(afterRefund);
  });

  it('one refund per charge, within the charge, only on a paid charge; a rejected attempt may be retried', () => {
    const j = open();
    const { chargeId } = paidSale(j, 2000);
    expect(() => j.recordRefundIntent(chargeId, 2001, 'troppo')).toThrow(/exceeds charge/);
    expect(() => j.recordRefundIntent(chargeId, 0, 'zero')).toThrow(JournalValidationError);
    expect(() => j.recordRefundIntent(chargeId, 100, 'x'.repeat(513))).toThrow(/at most 512/);
    const refund = j.recordRefundIntent(chargeId, 2000, 'reso completo');
    expect(() => j.recordRefundIntent(chargeId, 10, 'ancora')).toThrow(/already has a refund/);
    // The POST never reached DropPay: FAILED without a DropPay id frees the charge for a retry.
    j.recordRefundOutcome(refund.id, { status: 'FAILED', error: 'ECONNREFUSED' });
    const retry = j.recordRefundIntent(chargeId, 1500, 'reso parziale');
    expect(retry).toMatchObject({ id: refund.id, attempt: 2, amount: 1500, status: 'intent' });
    // DropPay took it and then FAILED it: no money moved, so another attempt is allowed too.
    j.recordRefundOutcome(retry.id, { status: 'FAILED', droppayId: 'CHR-X', error: 'rejected' });
    const third = j.recordRefundIntent(chargeId, 1000, 'di nuovo');
    expect(third).toMatchObject({ id: refund.id, attempt: 3, droppayId: null, status: 'intent' });
    j.recordRefundOutcome(third.id, { status: 'ENQUEUED', droppayId: 'CHR-Y' });
    expect(() => j.recordRefundIntent(chargeId, 10, 'ancora una')).toThrow(/already has a refund/);

    const sale = grantedSale(j);
    const pending = j.recordChargeIntent(sale.id, sale.amount);
    expect(() => j.recordRefundIntent(pending.id, 10, 'presto')).toThrow(/only a DONE or ACCOUNTED/);
  });

  it('bad input is refused before anything is written', () => {
    const j = open();
    const before = j.verifyChain();
    expect(() => j.createSale({ amount: 0, description: 'x' })).toThrow(JournalValidationError);
    expect(() => j.createSale({ amount: 12.5, description: 'x' })).toThrow(JournalValidationError);
    expect(() => j.createSale({ amount: 100_000_001, description: 'x' })).toThrow(JournalValidationError);
    expect(() => j.createSale({ amount: 100, description: '' })).toThrow(JournalValidationError);
    expect(() => j.createSale({ amount: 100, description: 'é'.repeat(513) })).toThrow(/at most 512/);
    expect(() => j.createSale({ amount: 100, description: 'x', policy: 'FREE' as never })).toThrow(/policy/);
    expect(() => j.recordAuthorizationIntent('no-such-sale')).toThrow(JournalNotFoundError);
    expect(j.createSale({ amount: 100, description: 'é'.repeat(512) }).description).toHaveLength(512);
    expect(j.verifyChain()).toMatchObject({ ok: true, count: (before.ok ? before.count : 0) + 1 });
  });
});

describe('a charge DropPay made that the journal learns of later', () => {
  /** A CHARGED sale started at 10:00 in Rome on 4 May, its automatic charge found on the 5th. */
  function foundNextMorning(takenAt: string | undefined) {
    let now = Date.parse('2026-05-04T08:00:00.000Z');
    const j = open({ now: () => new Date(now) });
    const sale = j.createSale({ amount: 2500, description: 'CHARGED', policy: 'CHARGED' });
    j.recordAuthorizationIntent(sale.id);
    j.recordAuthorizationCreated(sale.id, { authorizationId: nextId('CHT'), sharingUrl: 'https://x/c' });
    now = Date.parse('2026-05-05T07:30:00.000Z');
    const { charge } = j.recordChargeObserved(sale.id, {
      droppayId: nextId('CHA'),
      amount: 2500,
      status: 'DONE',
      ...(takenAt === undefined ? {} : { takenAt }),
    });
    return { j, sale, charge };
  }

  it('is booked on the day and at the time DropPay says the money moved', () => {
    const { j, sale, charge } = foundNextMorning('2026-05-04T10:02:03+02:00');
    expect(sale.businessDay).toBe('2026-05-04');
    expect(charge).toMatchObject({ businessDay: '2026-05-04', createdAt: '2026-05-04T08:02:03.000Z' });
    expect(charge.updatedAt).toBe('2026-05-05T07:30:00.000Z');
    const observed = j.saleTimeline(sale.id).find((e) => e.kind === 'charge.observed');
    expect(observed?.payload).toMatchObject({ taken_at: '2026-05-04T08:02:03.000Z' });
    expect(replaySale(j.saleTimeline(sale.id))).toEqual(rowsAsSnapshot(j, sale.id));
  });

  it.each([
    ['no time from DropPay', undefined, '2026-05-05', '2026-05-05T07:30:00.000Z'],
    ['a time that is not one', 'yesterday', '2026-05-05', '2026-05-05T07:30:00.000Z'],
    ['a time after now (a fast clock)', '2026-05-06T12:00:00Z', '2026-05-05', '2026-05-05T07:30:00.000Z'],
    ['a time before the sale began', '2026-05-03T12:00:00Z', '2026-05-04', '2026-05-04T08:00:00.000Z'],
  ])('%s: kept between the sale’s start and now', (_, takenAt, day, at) => {
    const { charge } = foundNextMorning(takenAt);
    expect(charge).toMatchObject({ businessDay: day, createdAt: at });
  });
});
