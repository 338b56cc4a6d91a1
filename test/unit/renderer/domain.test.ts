import { describe, expect, it } from 'vitest';
import type { SaleState } from '../../../shared/sale-sets';
import {
  clampText,
  formatCountdown,
  isCancellable,
  isFullyRefunded,
  refundedShare,
  refundsPending,
  isRefundable,
  msUntil,
  outcomeOf,
  receiptNet,
  SALE_STATES,
  shownAmount,
} from '../../../renderer/src/lib/domain';

describe('sale outcomes on the sale screen', () => {
  it('maps every state to a result screen or to "in progress"', () => {
    const expected: Record<SaleState, string | null> = {
      created: null,
      authorizing: null,
      waiting: null,
      granted: null,
      charging: null,
      paid: 'paid',
      failed: 'failed',
      refused: 'declined',
      expired: 'expired',
      cancelled: 'cancelled',
      revoked: 'revoked',
      unknown: 'unknown',
    };
    for (const state of SALE_STATES) expect(outcomeOf({ state, policy: 'CHARGEABLE' })).toBe(expected[state]);
    expect(outcomeOf({ state: 'granted', policy: 'BOOKED' })).toBe('booked');
  });

  it('offers cancel only while the payer has not answered, or when no link was ever shown', () => {
    expect(isCancellable({ state: 'waiting', authorizationId: 'CHT1' })).toBe(true);
    expect(isCancellable({ state: 'unknown', authorizationId: null })).toBe(true);
    expect(isCancellable({ state: 'unknown', authorizationId: 'CHT1' })).toBe(false);
    expect(isCancellable({ state: 'granted', authorizationId: 'CHT1' })).toBe(false);
    expect(isCancellable({ state: 'paid', authorizationId: 'CHT1' })).toBe(false);
  });

  it('refunds a paid charge once; a failed refund leaves it refundable', () => {
    const base = {
      id: 'c',
      droppayId: 'CHA1',
      amount: 500,
      origin: 'terminal' as const,
      createdAt: '',
      updatedAt: '',
      lastError: null,
    };
    const refund = {
      id: 'r',
      droppayId: null,
      amount: 100,
      reason: 'x',
      createdAt: '',
      updatedAt: '',
      lastError: null,
    };
    expect(isRefundable({ ...base, status: 'DONE', refund: null })).toBe(true);
    expect(isRefundable({ ...base, status: 'FAILED', refund: null })).toBe(false);
    expect(isRefundable({ ...base, status: 'ACCOUNTED', refund: { ...refund, status: 'ENQUEUED' } })).toBe(
      false,
    );
    expect(isRefundable({ ...base, status: 'DONE', refund: { ...refund, status: 'FAILED' } })).toBe(true);
  });

  it('counts down to the payer’s deadline', () => {
    const now = Date.parse('2026-05-04T10:00:00Z');
    expect(formatCountdown(msUntil('2026-05-04T10:05:00Z', now))).toBe('5:00');
    expect(formatCountdown(msUntil('2026-05-04T10:01:23.400Z', now))).toBe('1:24');
    expect(formatCountdown(msUntil('2026-05-04T09:59:00Z', now))).toBe('0:00');
    expect(msUntil('not a date', now)).toBe(0);
  });
});

describe("the receipt's total paid", () => {
  const charge = (
    amount: number,
    status: 'DONE' | 'ACCOUNTED' | 'FAILED' | 'unknown',
    refund: {
      amount: number;
      status: 'intent' | 'ENQUEUED' | 'DONE' | 'FAILED' | 'ACCOUNTED' | 'unknown';
    } | null,
  ) => ({
    amount,
    status,
    refund: refund && {
      ...refund,
      id: 'R',
      droppayId: null,
      reason: 'x',
      createdAt: '',
      updatedAt: '',
      lastError: null,
    },
  });

  it('takes off every refund it lists, a queued one included', () => {
    expect(receiptNet([charge(5000, 'DONE', { amount: 2000, status: 'ENQUEUED' })])).toBe(3000);
    expect(receiptNet([charge(5000, 'DONE', { amount: 2000, status: 'DONE' })])).toBe(3000);
    expect(receiptNet([charge(5000, 'ACCOUNTED', { amount: 5000, status: 'ACCOUNTED' })])).toBe(0);
  });

  it('keeps a refund that DropPay has not taken out of it, and charges that took no money', () => {
    expect(receiptNet([charge(5000, 'DONE', { amount: 2000, status: 'FAILED' })])).toBe(5000);
    expect(receiptNet([charge(5000, 'DONE', { amount: 2000, status: 'intent' })])).toBe(5000);
    expect(receiptNet([charge(5000, 'DONE', { amount: 2000, status: 'unknown' })])).toBe(5000);
    expect(receiptNet([charge(5000, 'FAILED', null), charge(5000, 'DONE', null)])).toBe(5000);
    expect(receiptNet([charge(700, 'unknown', null)])).toBe(0);
  });
});

describe('the amount a sale stands for on screen', () => {
  it('is what a pre-authorization captured for less took, with what it blocked beside it', () => {
    expect(shownAmount({ policy: 'BOOKED', amount: 4500, charged: 3850 })).toEqual({
      cents: 3850,
      asked: 4500,
    });
    expect(shownAmount({ policy: 'BOOKED', amount: 4500, charged: 4500 })).toEqual({
      cents: 4500,
      asked: null,
    });
    // Not captured yet: what it blocks.
    expect(shownAmount({ policy: 'BOOKED', amount: 4500, charged: 0 })).toEqual({ cents: 4500, asked: null });
  });

  it('is the amount asked for any other sale, whatever was charged against it', () => {
    expect(shownAmount({ policy: 'CHARGEABLE', amount: 1250, charged: 1250 })).toEqual({
      cents: 1250,
      asked: null,
    });
    // A charge that does not fit holds the sale in doubt; the amount shown stays the one asked.
    expect(shownAmount({ policy: 'CHARGED', amount: 1250, charged: 900 })).toEqual({
      cents: 1250,
      asked: null,
    });
  });
});

describe('a sale whose money went back in full', () => {
  it('reads refunded only when paid, charged something, and refunds DONE cover it', () => {
    expect(isFullyRefunded({ state: 'paid', charged: 1250, refunded: 1250 })).toBe(true);
    expect(isFullyRefunded({ state: 'paid', charged: 1250, refunded: 1249 })).toBe(false);
    expect(isFullyRefunded({ state: 'paid', charged: 0, refunded: 0 })).toBe(false);
    expect(isFullyRefunded({ state: 'unknown', charged: 1250, refunded: 1250 })).toBe(false);
  });

  it('tells a sale refunded in part from one refunded in full or not at all', () => {
    expect(refundedShare({ state: 'paid', charged: 1250, refunded: 1250 })).toBe('full');
    expect(refundedShare({ state: 'paid', charged: 1250, refunded: 500 })).toBe('part');
    expect(refundedShare({ state: 'paid', charged: 1250, refunded: 0 })).toBeNull();
    expect(refundedShare({ state: 'unknown', charged: 1250, refunded: 500 })).toBeNull();
  });

  it('counts as on its way back only refunds DropPay has queued', () => {
    const refund = (status: 'ENQUEUED' | 'DONE' | 'FAILED' | 'unknown' | 'intent', amount: number) => ({
      refund: {
        id: 'r',
        droppayId: null,
        amount,
        reason: 'x',
        status,
        createdAt: '2026-05-04T10:00:00.000Z',
        updatedAt: '2026-05-04T10:00:00.000Z',
        lastError: null,
      },
    });
    expect(
      refundsPending([
        refund('ENQUEUED', 500),
        refund('ENQUEUED', 250),
        refund('DONE', 100),
        { refund: null },
      ]),
    ).toBe(750);
    expect(refundsPending([refund('FAILED', 500), refund('unknown', 300), refund('intent', 200)])).toBe(0);
  });
});

describe('a description cut to what DropPay takes (QA D2)', () => {
  it('counts code points: 512 emoji stay whole, the 513th goes, plain text is untouched', () => {
    expect(clampText('Caffè')).toBe('Caffè');
    expect(clampText('😀'.repeat(512))).toBe('😀'.repeat(512));
    expect(clampText('😀'.repeat(600))).toBe('😀'.repeat(512));
    expect(Array.from(clampText(`${'a'.repeat(511)}😀😀`))).toHaveLength(512);
    expect(clampText(`${'a'.repeat(511)}😀😀`).endsWith('a😀')).toBe(true);
  });
});
