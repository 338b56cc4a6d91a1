/** shared/sale-states.ts repeats the journal's closed sets; this checks them value by value, in order. */
import { describe, expect, it } from 'vitest';
import * as journal from '../../../electron/main/journal/index';
import { CRASH_POINTS } from '../../../electron/main/payments/index';
import { MAX_CENTS } from '../../../shared/money';
import { SaleEventSchema } from '../../../shared/sale-events';
import * as sets from '../../../shared/sale-states';
import * as shared from '../../../shared/sales';

describe('shared sale sets mirror the journal', () => {
  it('has the same values in the same order', () => {
    expect(sets.SALE_POLICIES).toEqual(journal.POLICIES);
    expect(sets.SALE_STATES).toEqual(journal.SALE_STATES);
    expect(sets.AUTHORIZATION_STATUSES).toEqual(journal.AUTHORIZATION_STATUSES);
    expect(sets.CHARGE_STATUSES).toEqual(journal.CHARGE_STATUSES);
    expect(sets.REFUND_STATUSES).toEqual(journal.REFUND_STATUSES);
    expect(new Set(sets.FINAL_SALE_STATES)).toEqual(journal.FINAL_SALE_STATES);
    expect(sets.TIMELINE_KINDS).toEqual(journal.EVENT_KINDS.filter((k) => k !== 'setting.changed'));
  });

  it('keeps the crash point names the torture tests rely on', () => {
    expect(CRASH_POINTS).toEqual([
      'authorization.after-intent',
      'authorization.after-response',
      'charge.after-intent',
      'charge.after-response',
      'refund.after-intent',
      'refund.after-response',
      'capture.after-intent',
      'capture.after-response',
      'cancel.after-intent',
    ]);
  });
});

describe('input schemas', () => {
  const start = (input: unknown) => shared.StartSaleInputSchema.safeParse(input).success;

  it('amounts are positive safe integers up to MAX_CENTS', () => {
    expect(start({ amount: 1, description: 'x' })).toBe(true);
    expect(start({ amount: MAX_CENTS, description: 'x' })).toBe(true);
    for (const amount of [0, -1, 1.5, MAX_CENTS + 1, Number.NaN, '100', Number.MAX_SAFE_INTEGER + 2]) {
      expect(start({ amount, description: 'x' }), String(amount)).toBe(false);
    }
  });

  it('texts are 1..512 code points, not blank', () => {
    expect(start({ amount: 1, description: '😀'.repeat(512) })).toBe(true);
    expect(start({ amount: 1, description: 'a'.repeat(513) })).toBe(false);
    expect(start({ amount: 1, description: ' \n ' })).toBe(false);
    const refund = (reason: string) =>
      shared.RefundInputSchema.safeParse({ chargeId: 'c', amount: 1, reason }).success;
    expect(refund('r'.repeat(512))).toBe(true);
    expect(refund('r'.repeat(513))).toBe(false);
  });

  it('a huge text is refused as too long at once, before the checks that walk it', () => {
    const huge = shared.StartSaleInputSchema.safeParse({
      amount: 1,
      description: ` ${'x'.repeat(1_000_000)}`,
    });
    expect(huge.success).toBe(false);
    expect(huge.error?.issues.map((i) => i.code)).toEqual(['too_big']);
    // Just past the code-point limit, but within the quick bound: the exact check says so.
    const over = shared.StartSaleInputSchema.safeParse({ amount: 1, description: 'a'.repeat(600) });
    expect(over.error?.issues.map((i) => i.code)).toEqual(['custom']);
  });

  it('a manager PIN is 4 to 8 digits', () => {
    const pin = (managerPin: string) =>
      shared.RefundInputSchema.safeParse({ chargeId: 'c', amount: 1, reason: 'r', managerPin }).success;
    expect(pin('1234')).toBe(true);
    expect(pin('12345678')).toBe(true);
    expect(pin('123')).toBe(false);
    expect(pin('123456789')).toBe(false);
    expect(pin('12a4')).toBe(false);
  });

  it('a sale event is one of the known kinds', () => {
    expect(SaleEventSchema.safeParse({ type: 'recovery', pending: 2, unknown: 1 }).success).toBe(true);
    expect(SaleEventSchema.safeParse({ type: 'other' }).success).toBe(false);
  });
});
