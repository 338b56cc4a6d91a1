import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessDay, businessDayOfMinute, isBusinessDay } from '../../../electron/main/journal/business-day';

const HOUR = 3_600_000;

/** Last Sunday of a month at 01:00 UTC: when the EU changes its clocks (since 1996). */
function euSwitch(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  const sunday = lastDay.getUTCDate() - lastDay.getUTCDay();
  return Date.UTC(year, month, sunday, 1);
}

/**
 * An oracle that shares no code with businessDay: the EU rules by hand (CET +1, CEST +2 from
 * the last Sunday of March to the last Sunday of October, both at 01:00 UTC), then "minus
 * cutoff hours" on the wall clock, which is exactly "previous day when hour < cutoff".
 */
function romeOracle(ms: number, cutoffHour: number): string {
  const year = new Date(ms).getUTCFullYear();
  const summer = ms >= euSwitch(year, 2) && ms < euSwitch(year, 9);
  const wall = ms + (summer ? 2 : 1) * HOUR;
  return new Date(wall - cutoffHour * HOUR).toISOString().slice(0, 10);
}

const instants = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) });
const cutoffs = fc.integer({ min: 0, max: 23 });

describe('businessDay: properties', () => {
  it('matches the zone-local date shifted by the cut-off, for any instant (Europe/Rome)', () => {
    fc.assert(
      fc.property(instants, cutoffs, (ms, cutoff) => {
        expect(businessDay(new Date(ms), 'Europe/Rome', cutoff)).toBe(romeOracle(ms, cutoff));
      }),
      { numRuns: 5000 },
    );
  });

  it('is right in the hours around every DST change of the century', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.constantFrom(2, 9),
        fc.integer({ min: -6 * 60, max: 6 * 60 }),
        cutoffs,
        (year, month, minutes, cutoff) => {
          const ms = euSwitch(year, month) + minutes * 60_000;
          expect(businessDay(new Date(ms), 'Europe/Rome', cutoff)).toBe(romeOracle(ms, cutoff));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('is UTC date minus the cut-off in UTC, and handles half-hour zones (Asia/Kolkata, +05:30)', () => {
    fc.assert(
      fc.property(instants, cutoffs, (ms, cutoff) => {
        expect(businessDay(new Date(ms), 'UTC', cutoff)).toBe(
          new Date(ms - cutoff * HOUR).toISOString().slice(0, 10),
        );
        const kolkata = ms + 5.5 * HOUR - cutoff * HOUR;
        expect(businessDay(new Date(ms), 'Asia/Kolkata', cutoff)).toBe(
          new Date(kolkata).toISOString().slice(0, 10),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('never goes backwards as time goes forward, and always names a real date', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 48 * HOUR }), cutoffs, (ms, step, cutoff) => {
        const a = businessDay(new Date(ms), 'Europe/Rome', cutoff);
        const b = businessDay(new Date(ms + step), 'Europe/Rome', cutoff);
        expect(a <= b).toBe(true);
        expect(isBusinessDay(a)).toBe(true);
      }),
    );
  });
});

describe('businessDay: spot cases in Europe/Rome', () => {
  // 2026-03-29: at 02:00 CET (01:00Z) clocks jump to 03:00 CEST.
  const spring: Array<[string, number, string]> = [
    ['2026-03-28T23:59:59.999Z', 0, '2026-03-29'], // 00:59:59 CET
    ['2026-03-29T00:30:00.000Z', 0, '2026-03-29'], // 01:30 CET
    ['2026-03-29T00:59:59.999Z', 0, '2026-03-29'], // 01:59:59 CET, last instant before the jump
    ['2026-03-29T01:00:00.000Z', 0, '2026-03-29'], // 03:00 CEST
    ['2026-03-29T00:30:00.000Z', 4, '2026-03-28'], // 01:30 CET, before a 04:00 cut-off
    ['2026-03-29T00:59:59.999Z', 4, '2026-03-28'], // 01:59 CET
    ['2026-03-29T01:00:00.000Z', 4, '2026-03-28'], // 03:00 CEST: still before 04:00
    ['2026-03-29T01:59:59.999Z', 4, '2026-03-28'], // 03:59:59 CEST
    ['2026-03-29T02:00:00.000Z', 4, '2026-03-29'], // 04:00 CEST: the new day starts
    ['2026-03-28T22:59:59.999Z', 0, '2026-03-28'], // 23:59:59 CET on the 28th
  ];
  // 2026-10-25: at 03:00 CEST (01:00Z) clocks go back to 02:00 CET; 02:xx happens twice.
  const autumn: Array<[string, number, string]> = [
    ['2026-10-24T21:59:59.999Z', 0, '2026-10-24'], // 23:59:59 CEST
    ['2026-10-24T22:00:00.000Z', 0, '2026-10-25'], // 00:00 CEST
    ['2026-10-25T00:30:00.000Z', 0, '2026-10-25'], // first 02:30 (CEST)
    ['2026-10-25T01:30:00.000Z', 0, '2026-10-25'], // second 02:30 (CET)
    ['2026-10-25T00:30:00.000Z', 4, '2026-10-24'], // first 02:30, before a 04:00 cut-off
    ['2026-10-25T01:30:00.000Z', 4, '2026-10-24'], // second 02:30
    ['2026-10-25T02:59:59.999Z', 4, '2026-10-24'], // 03:59:59 CET
    ['2026-10-25T03:00:00.000Z', 4, '2026-10-25'], // 04:00 CET: new day (5 hours after midnight UTC+2)
    ['2026-10-24T23:00:00.000Z', 0, '2026-10-25'], // 01:00 CEST
  ];
  it.each([...spring, ...autumn])('%s with cut-off %i is %s', (iso, cutoff, expected) => {
    expect(businessDay(new Date(iso), 'Europe/Rome', cutoff)).toBe(expected);
  });

  it('steps back across month and year ends', () => {
    expect(businessDay(new Date('2026-01-01T01:00:00.000Z'), 'Europe/Rome', 4)).toBe('2025-12-31');
    expect(businessDay(new Date('2024-03-01T02:00:00.000Z'), 'Europe/Rome', 4)).toBe('2024-02-29');
  });
});

describe('businessDay: bad input', () => {
  it('rejects a cut-off outside 0..23 or not whole, an invalid date and an unknown zone', () => {
    const d = new Date('2026-05-01T10:00:00Z');
    expect(() => businessDay(d, 'Europe/Rome', 24)).toThrow(RangeError);
    expect(() => businessDay(d, 'Europe/Rome', -1)).toThrow(RangeError);
    expect(() => businessDay(d, 'Europe/Rome', 1.5)).toThrow(RangeError);
    expect(() => businessDay(new Date(Number.NaN), 'Europe/Rome', 0)).toThrow(RangeError);
    expect(() => businessDay(d, 'Mars/Olympus_Mons', 0)).toThrow(RangeError);
  });

  it('isBusinessDay accepts only real calendar dates', () => {
    expect(isBusinessDay('2024-02-29')).toBe(true);
    expect(isBusinessDay('2026-02-29')).toBe(false);
    expect(isBusinessDay('2026-13-01')).toBe(false);
    expect(isBusinessDay('2026-1-01')).toBe(false);
    expect(isBusinessDay(20260101)).toBe(false);
  });
});

describe('businessDayOfMinute: the remembered answer is the worked-out one', () => {
  const MINUTE = 60_000;
  // Zones with whole-hour, half-hour and quarter-hour offsets, each around a DST change or a
  // day's start, read second by second in a random walk forwards and backwards.
  const cases: Array<[string, string, number]> = [
    ['Europe/Rome', '2026-03-29T00:50:00.000Z', 0],
    ['Europe/Rome', '2026-10-25T00:50:00.000Z', 3],
    ['Asia/Kolkata', '2026-05-03T18:20:00.000Z', 0],
    ['Asia/Kathmandu', '2026-05-03T18:05:00.000Z', 0],
    ['Australia/Adelaide', '2026-04-04T16:20:00.000Z', 2],
    ['America/St_Johns', '2026-11-01T04:20:00.000Z', 0],
  ];
  it.each(cases)('%s around %s, cut-off %i', (zone, start, cutoff) => {
    const from = Date.parse(start);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 * MINUTE }), { minLength: 50, maxLength: 400 }),
        (offsets) => {
          const dayOf = businessDayOfMinute(zone, cutoff);
          for (const offset of offsets) {
            const at = new Date(from + offset);
            expect(dayOf(at)).toBe(businessDay(at, zone, cutoff));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('works out instants before 1972 each time, and refuses what businessDay refuses', () => {
    const dayOf = businessDayOfMinute('Africa/Monrovia', 0);
    // Monrovia was at -0:44:30 until 1972: its midnight fell at 00:44:30 UTC, mid-minute.
    expect(dayOf(new Date('1970-06-01T00:44:29.000Z'))).toBe('1970-05-31');
    expect(dayOf(new Date('1970-06-01T00:44:31.000Z'))).toBe('1970-06-01');
    expect(() => dayOf(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => businessDayOfMinute('Mars/Olympus_Mons', 0)).toThrow(RangeError);
    expect(() => businessDayOfMinute('Europe/Rome', 24)).toThrow(RangeError);
  });
});
