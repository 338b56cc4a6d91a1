/**
 * Dates go out as ISO 8601 with the Italian offset (+01:00 / +02:00), the way an Italian
 * service would answer, so a client that silently assumes UTC ("Z") is caught in tests.
 */

const romeParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Rome',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'longOffset',
});

/** The reference formatter: ICU does the time-zone work. Exported so tests can hold formatIso to it. */
export function formatIsoViaIntl(ms: number): string {
  const parts: Record<string, string> = {};
  for (const part of romeParts.formatToParts(new Date(ms))) parts[part.type] = part.value;
  const zone = parts['timeZoneName'] ?? 'GMT';
  const offset = zone === 'GMT' ? '+00:00' : zone.slice(3);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  const { year, month, day, hour, minute, second } = parts;
  return `${year ?? ''}-${month ?? ''}-${day ?? ''}T${hour ?? ''}:${minute ?? ''}:${second ?? ''}.${millis}${offset}`;
}

/*
 * formatToParts cost more than the rest of an authorization read put together (every entity
 * carries three to five dates). The Rome offset only changes at DST switches, which fall on
 * whole UTC hours, so it is asked of ICU once per UTC hour and the wall-clock fields are then
 * plain arithmetic. An hour whose two ends disagree, an offset with seconds (Rome's local mean
 * time before 1893) and dates outside 1900..9999 (ICU switches to the Julian calendar before
 * 1582, and years outside four digits print differently) all take the ICU path instead.
 */
const HOUR_MS = 3_600_000;
const FAST_FROM = Date.UTC(1900, 0, 1);
const FAST_UNTIL = Date.UTC(9999, 11, 31);
const MAX_CACHED_HOURS = 10_000;
/** UTC hour number → its offset as text and in ms, or null when the hour must go through ICU. */
const hourOffsets = new Map<number, { text: string; ms: number } | null>();

function offsetText(ms: number): string {
  const zone = romeParts.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return zone === 'GMT' ? '+00:00' : zone.slice(3);
}

function hourOffset(hour: number): { text: string; ms: number } | null {
  const cached = hourOffsets.get(hour);
  if (cached !== undefined) return cached;
  const text = offsetText(hour * HOUR_MS);
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(text);
  const uniform = m !== null && offsetText(hour * HOUR_MS + HOUR_MS - 1) === text;
  const entry =
    m !== null && uniform
      ? { text, ms: (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 }
      : null;
  // A long run only ever touches a few hours a day, but request bodies may name any date.
  if (hourOffsets.size >= MAX_CACHED_HOURS) hourOffsets.clear();
  hourOffsets.set(hour, entry);
  return entry;
}

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function formatIso(ms: number): string {
  if (!(ms >= FAST_FROM && ms <= FAST_UNTIL)) return formatIsoViaIntl(ms);
  const offset = hourOffset(Math.floor(ms / HOUR_MS));
  if (offset === null) return formatIsoViaIntl(ms);
  const local = new Date(ms + offset.ms);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return (
    `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}` +
    `T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}` +
    `.${millis}${offset.text}`
  );
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an ISO 8601 date-time that carries an offset; returns epoch ms or null. A date
 * without an offset is refused: its instant would depend on the server's time zone.
 */
export function parseIsoWithOffset(text: string): number | null {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? '0');
  // Date.parse rolls 30 February over into March; a wrong date must be refused instead.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
