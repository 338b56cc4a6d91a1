import { describe, expect, it } from 'vitest';
import { uncheckedDay, unmendedMismatches, unreachedItems, unreadItems } from '../../../shared/day';

const none = { count: 0 };
const day = (over: { sales?: number; charges?: number; refunds?: number; check?: unknown } = {}) => ({
  check: over.check ?? null,
  sales: { count: over.sales ?? 0 },
  charges: { done: { count: over.charges ?? 0 }, failed: none, unsettled: none },
  refunds: { done: none, failed: { count: over.refunds ?? 0 }, unsettled: none },
});

describe('what closing a day asks a written reason for', () => {
  it('a day never checked needs one when anything is on it, and an empty day does not', () => {
    expect(uncheckedDay(day())).toBe(false);
    expect(uncheckedDay(day({ sales: 1 }))).toBe(true);
    // A capture or refund today of a sale started on an earlier day.
    expect(uncheckedDay(day({ charges: 1 }))).toBe(true);
    expect(uncheckedDay(day({ refunds: 1 }))).toBe(true);
    expect(uncheckedDay(day({ sales: 3, check: { errors: 0 } }))).toBe(false);
  });

  it('counts the unread items and the differences not mended, and nothing without a check', () => {
    expect(unreadItems(null)).toBe(0);
    const ended = { total: 10, checked: 8, skipped: 2, errors: 4, finishedAt: '2026-12-06T18:00:00Z' };
    expect(unreadItems(ended)).toBe(4);
    expect(unmendedMismatches(null)).toBe(0);
    expect(
      unmendedMismatches({ mismatches: [{ recorded: null }, { recorded: 'DONE' }, { recorded: null }] }),
    ).toBe(2);
  });

  it('a check that never ended (running, or the till stopped in it) did not read what it did not reach', () => {
    const stopped = { total: 10, checked: 3, skipped: 2, errors: 1, finishedAt: null };
    expect(unreachedItems(stopped)).toBe(5);
    // The one DropPay did not answer and the five never asked.
    expect(unreadItems(stopped)).toBe(6);
    expect(unreachedItems({ ...stopped, finishedAt: '2026-12-06T18:00:00Z' })).toBe(0);
    // Stopped before the first item: nothing of the day was read.
    expect(unreadItems({ total: 7, checked: 0, skipped: 0, errors: 0, finishedAt: null })).toBe(7);
    expect(unreachedItems(null)).toBe(0);
  });
});
