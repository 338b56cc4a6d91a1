/**
 * The journal's business-day rule changed while it is open: rows written after the change get
 * the new day, rows before keep theirs, and a rule Intl cannot apply is refused untouched.
 */
import { describe, expect, it } from 'vitest';
import { JournalValidationError } from '../../../electron/main/journal/errors';
import { open, steppingClock } from './helpers';

describe('setBusinessDayRule', () => {
  it('books what comes after on the new rule; what came before keeps its day', () => {
    // 01:30 in Rome on 5 May (CEST): the calendar's 5 May, the evening's 4 May with a 03:00 end.
    const clock = steppingClock('2026-05-04T23:30:00.000Z');
    const j = open({ now: clock.now });
    const before = j.createSale({ amount: 500, description: 'Prima' });
    expect(before.businessDay).toBe('2026-05-05');
    j.setBusinessDayRule({ timeZone: 'Europe/Rome', cutoffHour: 3 });
    expect({ timeZone: j.timeZone, cutoffHour: j.cutoffHour }).toEqual({
      timeZone: 'Europe/Rome',
      cutoffHour: 3,
    });
    const after = j.createSale({ amount: 600, description: 'Dopo' });
    expect(after.businessDay).toBe('2026-05-04');
    expect(j.businessDay()).toBe('2026-05-04');
    expect(j.getSale(before.id)?.businessDay).toBe('2026-05-05');
    // Another zone: 23:30 UTC is 19:30 in New York, still 4 May.
    j.setBusinessDayRule({ timeZone: 'America/New_York', cutoffHour: 0 });
    expect(j.createSale({ amount: 700, description: 'New York' }).businessDay).toBe('2026-05-04');
    expect(j.verifyChain()).toMatchObject({ ok: true });
  });

  it('refuses an unknown zone or an hour outside 0..23 and keeps the rule in force', () => {
    const j = open({ now: steppingClock('2026-05-04T23:30:00.000Z').now });
    expect(() => j.setBusinessDayRule({ timeZone: 'Mars/Olympus_Mons', cutoffHour: 0 })).toThrow(
      JournalValidationError,
    );
    expect(() => j.setBusinessDayRule({ timeZone: 'Europe/Rome', cutoffHour: 24 })).toThrow(
      JournalValidationError,
    );
    expect({ timeZone: j.timeZone, cutoffHour: j.cutoffHour }).toEqual({
      timeZone: 'Europe/Rome',
      cutoffHour: 0,
    });
    expect(j.createSale({ amount: 500, description: 'Ancora' }).businessDay).toBe('2026-05-05');
  });
});
