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

export function formatIso(ms: number): string {
  const parts: Record<string, string> = {};
  for (const part of romeParts.formatToParts(new Date(ms))) parts[part.type] = part.value;
  const zone = parts['timeZoneName'] ?? 'GMT';
  const offset = zone === 'GMT' ? '+00:00' : zone.slice(3);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  const { year, month, day, hour, minute, second } = parts;
  return `${year ?? ''}-${month ?? ''}-${day ?? ''}T${hour ?? ''}:${minute ?? ''}:${second ?? ''}.${millis}${offset}`;
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
