import { describe, expect, it } from 'vitest';
import { formatters, translate, type Locale } from '../../../renderer/src/i18n/translate';
import {
  dayPattern,
  formatDay,
  parseTypedDay,
  patternHint,
  type DayPattern,
} from '../../../renderer/src/lib/typed-date';

const italian = dayPattern(formatters('it').dayNumeric);
const english = dayPattern(formatters('en').dayNumeric);
const american = dayPattern(
  new Intl.DateTimeFormat('en-US', { day: '2-digit', month: '2-digit', year: 'numeric' }),
);
const iso = dayPattern(
  new Intl.DateTimeFormat('sv-SE', { day: '2-digit', month: '2-digit', year: 'numeric' }),
);

const read = (text: string, pattern: DayPattern = italian, limits = {}) =>
  parseTypedDay(text, pattern, limits);

describe('a day typed by the cashier', () => {
  it("takes the language's order from Intl: the day first in Italian and British English", () => {
    expect(italian).toMatchObject({ order: ['day', 'month', 'year'], separator: '/' });
    expect(italian.months[11]).toEqual(['dic', 'dicembre']);
    expect(english).toMatchObject({ order: ['day', 'month', 'year'], separator: '/' });
    expect(american.order).toEqual(['month', 'day', 'year']);
    expect(iso.order).toEqual(['year', 'month', 'day']);
  });

  it('writes a day in figures in that order, and reads it back', () => {
    expect(formatDay('2026-12-07', italian)).toBe('07/12/2026');
    expect(formatDay('2026-12-07', american)).toBe('12/07/2026');
    expect(formatDay('', italian)).toBe('');
    expect(formatDay('7 dic', italian)).toBe('');
    for (const p of [italian, american, iso])
      expect(read(formatDay('2026-03-09', p), p)).toEqual({ ok: true, day: '2026-03-09' });
  });

  it('reads the same figures as different days in different orders', () => {
    expect(read('06/12/2026', english)).toEqual({ ok: true, day: '2026-12-06' });
    expect(read('06/12/2026', american)).toEqual({ ok: true, day: '2026-06-12' });
  });

  it('takes the usual ways of writing one', () => {
    for (const text of [
      '7/12/2026',
      '07/12/2026',
      '7.12.2026',
      '7-12-2026',
      '7 12 2026',
      ' 07/12/26 ',
      '07122026',
      '2026-12-07',
    ])
      expect(read(text), text).toEqual({ ok: true, day: '2026-12-07' });
    expect(read('12072026', american)).toEqual({ ok: true, day: '2026-12-07' });
  });

  it('takes the day as the field shows it, with the month named in the language', () => {
    for (const text of ['7 dic 2026', '7 Dic 2026', '07 dicembre 2026', '7 dic. 2026', '7dic2026'])
      expect(read(text), text).toEqual({ ok: true, day: '2026-12-07' });
    for (const text of ['7 Dec 2026', '7 december 2026'])
      expect(read(text, english), text).toEqual({ ok: true, day: '2026-12-07' });
    expect(read('1 set 2026')).toEqual({ ok: true, day: '2026-09-01' });
    expect(read('1 Sept 2026', english)).toEqual({ ok: true, day: '2026-09-01' });
    // A month of another language, or no month at all, is not guessed.
    expect(read('7 Dec 2026')).toEqual({ ok: false, problem: 'format' });
    expect(read('7 foo 2026')).toEqual({ ok: false, problem: 'format' });
    expect(read('7 dic 26')).toEqual({ ok: false, problem: 'format' });
    expect(read('31 feb 2026')).toEqual({ ok: false, problem: 'noSuchDay' });
  });

  it('is no day when nothing is typed', () => {
    expect(read('')).toEqual({ ok: true, day: '' });
    expect(read('   ')).toEqual({ ok: true, day: '' });
  });

  it('refuses what is not written as a day', () => {
    for (const text of [
      '7/12',
      '7/12/202',
      '7/12/20266',
      '123/12/2026',
      '7/12/2026/1',
      'abc',
      '0712202',
      '071220266',
      '2026-12',
    ])
      expect(read(text), text).toEqual({ ok: false, problem: 'format' });
  });

  it('refuses a day the calendar does not have', () => {
    for (const text of [
      '31/02/2026',
      '29/02/2026',
      '00/12/2026',
      '32/01/2026',
      '10/13/2026',
      '10/00/2026',
      '01/01/0026',
    ])
      expect(read(text), text).toEqual({ ok: false, problem: 'noSuchDay' });
    expect(read('29/02/2028')).toEqual({ ok: true, day: '2028-02-29' });
  });

  it('refuses a day outside the limits, and takes the limits themselves', () => {
    const limits = { min: '2026-01-01', max: '2026-12-07' };
    expect(read('08/12/2026', italian, limits)).toEqual({ ok: false, problem: 'tooLate' });
    expect(read('31/12/2025', italian, limits)).toEqual({ ok: false, problem: 'tooEarly' });
    expect(read('07/12/2026', italian, limits)).toEqual({ ok: true, day: '2026-12-07' });
    expect(read('01/01/2026', italian, limits)).toEqual({ ok: true, day: '2026-01-01' });
  });

  it("gives the placeholder in the language's letters", () => {
    const letters = (locale: Locale) => ({
      day: translate(locale, 'date.letterDay'),
      month: translate(locale, 'date.letterMonth'),
      year: translate(locale, 'date.letterYear'),
    });
    expect(patternHint(italian, letters('it'))).toBe('gg/mm/aaaa');
    expect(patternHint(english, letters('en'))).toBe('dd/mm/yyyy');
    expect(patternHint(american, letters('en'))).toBe('mm/dd/yyyy');
  });
});
