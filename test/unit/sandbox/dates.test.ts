import { describe, expect, it } from 'vitest';
import { formatIso, formatIsoViaIntl, parseIsoWithOffset } from '../../../electron/main/sandbox/dates';

describe('sandbox dates', () => {
  it('formats in Italian time with the offset of the season', () => {
    expect(formatIso(Date.UTC(2024, 0, 15, 9, 30, 0, 5))).toBe('2024-01-15T10:30:00.005+01:00');
    expect(formatIso(Date.UTC(2024, 6, 15, 9, 30, 0, 120))).toBe('2024-07-15T11:30:00.120+02:00');
  });

  it('matches the ICU formatter around DST switches, across years and at odd instants', () => {
    const instants: number[] = [];
    // Every switch in these years falls at 01:00 UTC on a Sunday in March or October/September.
    for (let year = 1916; year <= 2040; year++) {
      for (const month of [2, 3, 4, 5, 8, 9, 10]) {
        for (let day = 1; day <= 31; day++) {
          const base = Date.UTC(year, month, day, 1);
          if (new Date(base).getUTCDay() !== 0) continue;
          for (const delta of [-3_600_001, -3_600_000, -1, 0, 1, 999, 1_800_000, 3_599_999, 3_600_000]) {
            instants.push(base + delta);
          }
        }
      }
    }
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      instants.push(Math.floor((seed / 2 ** 31) * Date.UTC(2200, 0, 1)));
    }
    instants.push(Date.UTC(1893, 9, 31, 23, 10), Date.UTC(1800, 0, 1), Date.UTC(1582, 9, 4), -1, 0, 1.5);
    for (const ms of instants) expect(formatIso(ms), String(ms)).toBe(formatIsoViaIntl(ms));
  });

  it('round-trips through its own parser', () => {
    const ms = Date.UTC(2025, 2, 30, 0, 59, 59, 999);
    expect(parseIsoWithOffset(formatIso(ms))).toBe(ms);
  });

  it('accepts Z, ±HH:MM and ±HHMM offsets', () => {
    expect(parseIsoWithOffset('2030-01-01T10:00:00Z')).toBe(Date.UTC(2030, 0, 1, 10));
    expect(parseIsoWithOffset('2030-01-01T10:00:00+01:00')).toBe(Date.UTC(2030, 0, 1, 9));
    expect(parseIsoWithOffset('2030-01-01T10:00-0130')).toBe(Date.UTC(2030, 0, 1, 11, 30));
  });

  it('refuses dates without an offset, impossible dates and other text', () => {
    for (const bad of [
      '2030-01-01T10:00:00',
      '2030-02-30T10:00:00Z',
      '2030-13-01T10:00:00Z',
      '2030-01-01T24:00:00Z',
      'soon',
      '',
    ]) {
      expect(parseIsoWithOffset(bad)).toBeNull();
    }
  });
});
