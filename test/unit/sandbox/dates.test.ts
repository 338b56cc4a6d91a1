import { describe, expect, it } from 'vitest';
import { formatIso, parseIsoWithOffset } from '../../../electron/main/sandbox/dates';

describe('sandbox dates', () => {
  it('formats in Italian time with the offset of the season', () => {
    expect(formatIso(Date.UTC(2024, 0, 15, 9, 30, 0, 5))).toBe('2024-01-15T10:30:00.005+01:00');
    expect(formatIso(Date.UTC(2024, 6, 15, 9, 30, 0, 120))).toBe('2024-07-15T11:30:00.120+02:00');
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
