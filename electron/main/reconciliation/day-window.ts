/**
 * A business day as real time: the instants it starts and ends, and its hours for the chart.
 * The journal books every row on `businessDay(instant, zone, cutoff)`; this module inverts that
 * rule, so a day whose clocks change is 23 or 25 hours long and a cut-off of 04:00 moves the
 * DST change into the previous business day (2026-03-29 02:00 in Rome falls on business day
 * 2026-03-28 when the cut-off is 04:00).
 */
import { businessDay, localDateHour, type BusinessDay } from '../journal/business-day';

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;

export interface DayWindow {
  day: BusinessDay;
  /** First instant of the day, ISO UTC with milliseconds (the journal's `created_at` form). */
  start: string;
  /** First instant of the next day. */
  end: string;
  startMs: number;
  endMs: number;
  /** 23, 24 or 25 in zones whose clocks move by an hour. */
  hours: number;
}

export interface HourBucket {
  index: number;
  /** The bucket's first instant, ISO UTC. */
  startsAt: string;
  /** Local wall-clock time the bucket starts at, "HH:MM". */
  label: string;
  /** The zone's UTC offset at that instant, "+01:00". */
  utcOffset: string;
}

function dayAfter(day: BusinessDay, days = 1): BusinessDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export { dayAfter };

/**
 * The first instant whose business day is `day` or later. Business days only move forward
 * with time in any zone whose clocks go back at or after the cut-off (true of Europe/Rome for
 * every cut-off), so a coarse scan then a bisection finds it. Offsets stay within ±15 hours
 * and transitions fall on quarter hours, hence the scan range and step.
 */
function firstInstantOf(day: BusinessDay, timeZone: string, cutoffHour: number): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const nominal = Date.UTC(y, m - 1, d, cutoffHour);
  const reached = (t: number): boolean => businessDay(new Date(t), timeZone, cutoffHour) >= day;
  let lo = nominal - 16 * HOUR_MS;
  while (!reached(lo + QUARTER_MS)) lo += QUARTER_MS;
  // reached(lo) is false, reached(hi) is true: bisect to the millisecond.
  let hi = lo + QUARTER_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

const windows = new Map<string, DayWindow>();

/** The real-time extent of `day` under the journal's rule (zone + cut-off hour). */
export function dayWindow(day: BusinessDay, timeZone: string, cutoffHour: number): DayWindow {
  // Pure and asked for again on every report refresh: a small cache saves the Intl calls.
  const key = `${day} ${timeZone} ${cutoffHour}`;
  const cached = windows.get(key);
  if (cached) return { ...cached };
  const window = computeWindow(day, timeZone, cutoffHour);
  if (windows.size >= 256) windows.clear();
  windows.set(key, window);
  return { ...window };
}

function computeWindow(day: BusinessDay, timeZone: string, cutoffHour: number): DayWindow {
  const startMs = firstInstantOf(day, timeZone, cutoffHour);
  const endMs = firstInstantOf(dayAfter(day), timeZone, cutoffHour);
  return {
    day,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    startMs,
    endMs,
    hours: Math.ceil((endMs - startMs) / HOUR_MS),
  };
}

const minuteFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in minutes (Rome: 60 or 120). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const { year, month, day, hour } = localDateHour(new Date(instantMs), timeZone);
  let f = minuteFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, minute: '2-digit' });
    minuteFormatters.set(timeZone, f);
  }
  const minute = Number(f.formatToParts(instantMs).find((p) => p.type === 'minute')?.value ?? 0);
  const floored = Math.floor(instantMs / 60_000) * 60_000;
  return Math.round((Date.UTC(year, month - 1, day, hour, minute) - floored) / 60_000);
}

/** "+01:00" for an offset in minutes. */
export function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  return `${minutes < 0 ? '-' : '+'}${hh}:${String(abs % 60).padStart(2, '0')}`;
}

const SECONDS = /^:[0-5]\d\.\d{3}Z$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * The instant of "YYYY-MM-DDTHH:MM" (the first 16 characters of a stored time) in UTC ms, or
 * null when it names no real minute (month 13, 30 February, 24 o'clock). Read field by field:
 * Date.parse would read 30 February as 2 March, and is the slow part of a big export.
 */
function utcMinute(iso: string): number | null {
  if (iso[4] !== '-' || iso[7] !== '-' || iso[10] !== 'T' || iso[13] !== ':') return null;
  const y = Number(iso.slice(0, 4));
  const mo = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const h = Number(iso.slice(11, 13));
  const mi = Number(iso.slice(14, 16));
  if (![y, mo, d, h, mi].every(Number.isInteger) || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23)
    return null;
  if (mi < 0 || mi > 59) return null;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : (MONTH_DAYS[mo - 1] ?? 0))) return null;
  return Date.UTC(y, mo - 1, d, h, mi);
}

/**
 * A converter from ISO UTC to local "YYYY-MM-DD HH:MM:SS" for one zone. Offsets are whole
 * minutes, so it works out each UTC minute once and copies the seconds: an export of a
 * million rows would otherwise spend seconds in Intl and Date. A stored time that names no
 * real instant (a damaged journal: month 13, 30 February) comes back as it is stored, never
 * as a real time it is not.
 */
export function localTimeFormatter(timeZone: string): (isoUtc: string) => string {
  const minutes = new Map<string, string | null>();
  const offsets = new Map<number, number>();
  return (isoUtc) => {
    const minute = isoUtc.slice(0, 16);
    let local = minutes.get(minute);
    if (local === undefined) {
      const t = utcMinute(minute);
      if (t === null) {
        minutes.set(minute, null);
        return isoUtc;
      }
      const slot = Math.floor(t / QUARTER_MS);
      let offset = offsets.get(slot);
      if (offset === undefined) {
        offset = offsetMinutes(t, timeZone);
        offsets.set(slot, offset);
      }
      const at = new Date(t + offset * 60_000);
      local =
        `${String(at.getUTCFullYear()).padStart(4, '0')}-${pad2(at.getUTCMonth() + 1)}-${pad2(at.getUTCDate())} ` +
        `${pad2(at.getUTCHours())}:${pad2(at.getUTCMinutes())}`;
      minutes.set(minute, local);
    }
    const seconds = isoUtc.slice(16);
    if (local === null || !SECONDS.test(seconds)) return isoUtc;
    return `${local}${seconds.slice(0, 3)}`;
  };
}

/**
 * One bucket per real hour from the day's start: 24 on an ordinary day, 23 on the day the
 * clocks go forward (no empty phantom 02:00), 25 on the day they go back (the repeated 02:00
 * appears twice, told apart by its offset). Money is never merged into or hidden behind a
 * wall-clock hour that happened twice or not at all.
 */
export function hourBuckets(window: DayWindow, timeZone: string): HourBucket[] {
  const local = localTimeFormatter(timeZone);
  const buckets: HourBucket[] = [];
  for (let i = 0; i < window.hours; i += 1) {
    const t = window.startMs + i * HOUR_MS;
    const startsAt = new Date(t).toISOString();
    buckets.push({
      index: i,
      startsAt,
      label: local(startsAt).slice(11, 16),
      utcOffset: formatOffset(offsetMinutes(t, timeZone)),
    });
  }
  return buckets;
}

/** The bucket an instant (ISO UTC) falls in, clamped to the day for rows booked by odd clocks. */
export function bucketOf(window: DayWindow, isoUtc: string): number {
  const t = Date.parse(isoUtc);
  const i = Math.floor((t - window.startMs) / HOUR_MS);
  return Math.min(Math.max(i, 0), window.hours - 1);
}
