import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDay } from '../../../electron/main/journal/business-day';
import {
  bucketOf,
  dayWindow,
  hourBuckets,
  localTimeFormatter,
} from '../../../electron/main/reconciliation/day-window';

const ROME = 'Europe/Rome';
const HOUR = 3_600_000;

describe('dayWindow: the real-time extent of a business day', () => {
  it('an ordinary day is 24 hours from local midnight', () => {
    const w = dayWindow('2026-05-04', ROME, 0);
    expect([w.start, w.end, w.hours]).toEqual(['2026-05-03T22:00:00.000Z', '2026-05-04T22:00:00.000Z', 24]);
  });

  it('2026-03-29 (clocks forward at 02:00) is 23 hours; 2026-10-25 (back at 03:00) is 25', () => {
    const spring = dayWindow('2026-03-29', ROME, 0);
    expect([spring.start, spring.end, spring.hours]).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      23,
    ]);
    const autumn = dayWindow('2026-10-25', ROME, 0);
    expect([autumn.start, autumn.end, autumn.hours]).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
      25,
    ]);
  });

  it('with a 04:00 cut-off the clock change falls on the evening before: 2026-03-28 and 2026-10-24', () => {
    expect(dayWindow('2026-03-28', ROME, 4).hours).toBe(23);
    expect(dayWindow('2026-03-29', ROME, 4).hours).toBe(24);
    expect(dayWindow('2026-10-24', ROME, 4).hours).toBe(25);
    expect(dayWindow('2026-10-25', ROME, 4).hours).toBe(24);
    // 04:00 local on 2026-03-29 is already summer time.
    expect(dayWindow('2026-03-29', ROME, 4).start).toBe('2026-03-29T02:00:00.000Z');
  });

  it('a cut-off inside the hour that does not exist starts the day when the clock resumes', () => {
    // 02:00 never happens in Rome on 2026-03-29: the day starts at 03:00 CEST.
    expect(dayWindow('2026-03-29', ROME, 2).start).toBe('2026-03-29T01:00:00.000Z');
    expect(dayWindow('2026-03-28', ROME, 2).hours).toBe(24);
    expect(dayWindow('2026-03-29', ROME, 2).hours).toBe(23);
  });

  it('agrees with the journal rule at its edges, for any day and cut-off (property)', () => {
    const days = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 11, 31) });
    fc.assert(
      fc.property(days, fc.integer({ min: 0, max: 23 }), (ms, cutoff) => {
        const day = new Date(ms).toISOString().slice(0, 10);
        const w = dayWindow(day, ROME, cutoff);
        expect(businessDay(new Date(w.startMs), ROME, cutoff)).toBe(day);
        expect(businessDay(new Date(w.startMs - 1), ROME, cutoff)).not.toBe(day);
        expect(businessDay(new Date(w.endMs - 1), ROME, cutoff)).toBe(day);
        expect(businessDay(new Date(w.endMs), ROME, cutoff)).not.toBe(day);
        expect([23, 24, 25]).toContain(w.hours);
      }),
      { numRuns: 300 },
    );
  });

  it('works in a half-hour zone (Asia/Kolkata)', () => {
    const w = dayWindow('2026-05-04', 'Asia/Kolkata', 0);
    expect([w.start, w.hours]).toEqual(['2026-05-03T18:30:00.000Z', 24]);
  });
});

describe('hourBuckets: one bucket per real hour', () => {
  it('spring-forward day: 23 buckets and no 02:00', () => {
    const labels = hourBuckets(dayWindow('2026-03-29', ROME, 0), ROME).map((b) => b.label);
    expect(labels).toHaveLength(23);
    expect(labels.slice(0, 4)).toEqual(['00:00', '01:00', '03:00', '04:00']);
    expect(labels).not.toContain('02:00');
  });

  it('fall-back day: 25 buckets, 02:00 twice, told apart by the offset', () => {
    const buckets = hourBuckets(dayWindow('2026-10-25', ROME, 0), ROME);
    expect(buckets).toHaveLength(25);
    const twos = buckets.filter((b) => b.label === '02:00');
    expect(twos.map((b) => b.utcOffset)).toEqual(['+02:00', '+01:00']);
  });

  it('with cut-off 04:00, the buckets run 04:00 → 03:00 of the next morning', () => {
    const labels = hourBuckets(dayWindow('2026-05-04', ROME, 4), ROME).map((b) => b.label);
    expect(labels[0]).toBe('04:00');
    expect(labels.at(-1)).toBe('03:00');
  });

  it('places an instant in its hour and clamps what lies outside', () => {
    const w = dayWindow('2026-10-25', ROME, 0);
    // 02:30 CEST then 02:30 CET: the two 02:00 buckets (index 2 and 3).
    expect(bucketOf(w, '2026-10-25T00:30:00.000Z')).toBe(2);
    expect(bucketOf(w, '2026-10-25T01:30:00.000Z')).toBe(3);
    expect(bucketOf(w, '2026-10-24T21:00:00.000Z')).toBe(0);
    expect(bucketOf(w, '2026-10-26T21:00:00.000Z')).toBe(24);
    expect(bucketOf(w, new Date(w.endMs - HOUR).toISOString())).toBe(24);
  });
});

describe('localTimeFormatter', () => {
  it('writes the wall clock on both sides of each change', () => {
    const local = localTimeFormatter(ROME);
    expect(local('2026-03-29T00:59:59.000Z')).toBe('2026-03-29 01:59:59');
    expect(local('2026-03-29T01:00:00.000Z')).toBe('2026-03-29 03:00:00');
    expect(local('2026-10-25T00:30:00.000Z')).toBe('2026-10-25 02:30:00');
    expect(local('2026-10-25T01:30:00.000Z')).toBe('2026-10-25 02:30:00');
  });
});

describe('localTimeFormatter on a damaged journal', () => {
  it('gives back a time that names no real instant as it is stored, never a real time it is not', () => {
    const local = localTimeFormatter(ROME);
    // Date.parse would read 30 February as 2 March, and month 13 as nothing at all.
    for (const stored of [
      '2026-02-30T10:15:00.000Z',
      '2026-13-01T10:15:00.000Z',
      '2026-03-14T24:15:00.000Z',
      '2026-03-14T10:15:75.000Z',
    ]) {
      expect(local(stored), stored).toBe(stored);
      // Asked again (from the per-minute memory), still the same.
      expect(local(stored), stored).toBe(stored);
    }
    // A sound time in the same minute as nothing damaged still converts.
    expect(local('2026-03-14T10:15:09.123Z')).toBe('2026-03-14 11:15:09');
    // 29 February only in a leap year; the last minute of a year rolls into the next one.
    expect(local('2028-02-29T10:00:00.000Z')).toBe('2028-02-29 11:00:00');
    expect(local('2027-02-29T10:00:00.000Z')).toBe('2027-02-29T10:00:00.000Z');
    expect(local('2026-12-31T23:30:59.999Z')).toBe('2027-01-01 00:30:59');
  });
});
