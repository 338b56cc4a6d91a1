/**
 * A day typed by the cashier, in the order the UI's language writes it (day/month/year in
 * Italian and British English), read into YYYY-MM-DD. The order comes from Intl, so what is
 * typed and what is shown follow the same language, whatever the browser's or the system's.
 */

export type DatePart = 'day' | 'month' | 'year';

/** How a language writes a day in figures: the parts' order and the mark between them. */
export interface DayPattern {
  order: readonly DatePart[];
  separator: string;
  /** Each month's names in the language, lower case, short and long ("dic", "dicembre"). */
  months: readonly (readonly string[])[];
}

/** The pattern of a numeric day format (day, month and year in figures, UTC). */
export function dayPattern(numeric: Intl.DateTimeFormat): DayPattern {
  const parts = numeric.formatToParts(Date.UTC(2026, 11, 7));
  const order = parts
    .map((p) => p.type)
    .filter((t): t is DatePart => t === 'day' || t === 'month' || t === 'year');
  const separator = parts.find((p) => p.type === 'literal')?.value ?? '/';
  const months = monthNames(numeric.resolvedOptions().locale);
  if (order.length !== 3 || new Set(order).size !== 3)
    return { order: ['day', 'month', 'year'], separator: '/', months };
  return { order, separator, months };
}

/** The months' names in a language, as the day reads out of the field ("7 dic 2026"). */
function monthNames(locale: string): string[][] {
  const short = new Intl.DateTimeFormat(locale, { month: 'short', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, m) => {
    const at = Date.UTC(2026, m, 15);
    return [...new Set([short.format(at), long.format(at)].map((n) => n.toLowerCase().replace(/\.$/, '')))];
  });
}

/** A day (YYYY-MM-DD) in figures, as the pattern writes it: "07/12/2026". */
export function formatDay(day: string, pattern: DayPattern): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return '';
  const of: Record<DatePart, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  return pattern.order.map((p) => of[p]).join(pattern.separator);
}

/** The placeholder of a pattern from each part's letters: "gg/mm/aaaa". */
export function patternHint(pattern: DayPattern, letters: Record<DatePart, string>): string {
  return pattern.order.map((p) => letters[p].repeat(p === 'year' ? 4 : 2)).join(pattern.separator);
}

export type TypedDay =
  { ok: true; day: string } | { ok: false; problem: 'format' | 'noSuchDay' | 'tooEarly' | 'tooLate' };

/**
 * Reads a typed day. Taken: the parts in the pattern's order with any of / . - or a space
 * between them ("7/12/2026", "07.12.26"), the same as eight figures with nothing between
 * ("07122026"), YYYY-MM-DD as it is, and the day as the field shows it, "7 dic 2026" (the
 * month's name short or long, in the pattern's language). A two-figure year is in this century. Empty text
 * is no day (`day: ''`). A day before `min` or after `max` (both YYYY-MM-DD) is refused.
 */
export function parseTypedDay(
  text: string,
  pattern: DayPattern,
  limits: { min?: string | undefined; max?: string | undefined } = {},
): TypedDay {
  const typed = text.trim();
  if (typed === '') return { ok: true, day: '' };
  const parts = readParts(typed, pattern);
  if (!parts) return { ok: false, problem: 'format' };
  const { year, month, day } = parts;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || month < 1 || month > 12 || date.getUTCDate() !== day || date.getUTCMonth() !== month - 1)
    return { ok: false, problem: 'noSuchDay' };
  const iso = `${year}-${pad(month)}-${pad(day)}`;
  if (limits.min && iso < limits.min) return { ok: false, problem: 'tooEarly' };
  if (limits.max && iso > limits.max) return { ok: false, problem: 'tooLate' };
  return { ok: true, day: iso };
}

function readParts(typed: string, pattern: DayPattern): Record<DatePart, number> | null {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(typed);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  // As the field shows it out of focus, "7 dic 2026" (or with the month in full).
  const named = /^(\d{1,2})\s*(\p{L}+)\.?\s*(\d{4})$/u.exec(typed);
  if (named) {
    const word = (named[2] ?? '').toLowerCase();
    const month = pattern.months.findIndex((names) => names.includes(word));
    return month < 0 ? null : { day: Number(named[1]), month: month + 1, year: Number(named[3]) };
  }
  let groups: string[] | null = null;
  const split = /^(\d{1,4})[/.\-\s]+(\d{1,4})[/.\-\s]+(\d{1,4})$/.exec(typed);
  if (split) groups = split.slice(1, 4);
  else if (/^\d{8}$/.test(typed)) {
    // Eight figures: two for the day and the month each, four for the year, in the pattern's order.
    groups = [];
    let at = 0;
    for (const p of pattern.order) {
      const width = p === 'year' ? 4 : 2;
      groups.push(typed.slice(at, at + width));
      at += width;
    }
  }
  if (!groups) return null;
  const of = {} as Record<DatePart, number>;
  for (const [i, p] of pattern.order.entries()) {
    const g = groups[i]!;
    if (p === 'year' ? g.length !== 2 && g.length !== 4 : g.length > 2) return null;
    of[p] = p === 'year' && g.length === 2 ? 2000 + Number(g) : Number(g);
  }
  return of;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
