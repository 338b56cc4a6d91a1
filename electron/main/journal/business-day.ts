/**
 * The business day a moment belongs to: the shop's local calendar date, where a day may end
 * after midnight (a bar closing at 03:00 books its 01:30 sales on the evening's day). Pure and
 * without a date library: Intl knows the zone's rules, including both DST changes.
 */

/** A calendar date as YYYY-MM-DD. */
export type BusinessDay = string;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // hourCycle h23 because some engines print midnight as "24" with hour12:false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError unless `timeZone` is an IANA zone Intl knows. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

/** Throws a RangeError unless `cutoffHour` is a whole hour 0..23. */
export function assertCutoffHour(cutoffHour: number): void {
  if (!Number.isInteger(cutoffHour) || cutoffHour < 0 || cutoffHour > 23) {
    throw new RangeError(`cutoffHour must be a whole hour between 0 and 23, got ${String(cutoffHour)}`);
  }
}

/** The wall-clock date and hour of `instant` in `timeZone`. */
export function localDateHour(
  instant: Date,
  timeZone: string,
): { year: number; month: number; day: number; hour: number } {
  const time = instant.getTime();
  if (Number.isNaN(time)) throw new RangeError('instant is an invalid Date');
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(time)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour')
      parts[p.type] = Number(p.value);
  }
  const { year, month, day, hour } = parts;
  if (year === undefined || month === undefined || day === undefined || hour === undefined) {
    throw new RangeError(`Intl gave no date parts for ${timeZone}`);
  }
  return { year, month, day, hour };
}

/**
 * The local calendar date of `instant` in `timeZone`, minus one day when the local hour is
 * before `cutoffHour`. With cutoffHour 0 it is simply the local date.
 */
export function businessDay(instant: Date, timeZone: string, cutoffHour: number): BusinessDay {
  assertCutoffHour(cutoffHour);
  const { year, month, day, hour } = localDateHour(instant, timeZone);
  // Calendar arithmetic on a UTC date carries no zone, so "minus one day" crosses month and
  // year ends correctly and is unaffected by DST.
  const date = new Date(Date.UTC(year, month - 1, day - (hour < cutoffHour ? 1 : 0)));
  return date.toISOString().slice(0, 10);
}

const DAY_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** True for a real calendar date written YYYY-MM-DD. */
export function isBusinessDay(value: unknown): value is BusinessDay {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value)) return false;
  return new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
}

const MINUTE_MS = 60_000;
/** 1972-02-01T00:00Z: the last offsets in seconds (Monrovia's -0:44:30) ended that January. */
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1972, 1, 1);

/**
 * `businessDay` for one zone and cut-off, remembering the answer for the current minute: a
 * write path that asks on every commit then formats a date once a minute instead of every
 * time. Exact: since 1972 every zone's offset is a whole number of minutes, so its changes
 * (and a day's start) fall on a minute boundary in UTC. Earlier instants (a clock reset to
 * 1970) are worked out each time.
 */
export function businessDayOfMinute(timeZone: string, cutoffHour: number): (instant: Date) => BusinessDay {
  assertTimeZone(timeZone);
  assertCutoffHour(cutoffHour);
  let minute = Number.NaN;
  let day: BusinessDay = '';
  return (instant) => {
    const time = instant.getTime();
    if (!(time >= WHOLE_MINUTE_OFFSETS_FROM)) return businessDay(instant, timeZone, cutoffHour);
    const m = Math.floor(time / MINUTE_MS);
    if (m !== minute) {
      day = businessDay(instant, timeZone, cutoffHour);
      minute = m;
    }
    return day;
  };
}
