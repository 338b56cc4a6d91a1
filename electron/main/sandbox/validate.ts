import { MoneyError, eurosToCents } from '../../../shared/money';
import { MAX_URL_LENGTH } from './config';
import { parseIsoWithOffset } from './dates';
import { fail } from './errors';

/**
 * Field readers for request bodies. Each names the field it rejects, with the contract's
 * code: 400/100 missing, 400/101 wrong, 400/102 wrong date. Form-encoded bodies arrive as
 * strings, so numbers are also accepted in their decimal text form.
 */

export type Body = Record<string, unknown>;

function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

export function requiredString(body: Body, field: string, max: number): string {
  const value = body[field];
  if (absent(value)) throw fail.missing(field);
  return checkString(value, field, max);
}

export function optionalString(body: Body, field: string, max: number): string | null {
  const value = body[field];
  return absent(value) ? null : checkString(value, field, max);
}

/**
 * Lengths in characters are code points (the decision in shared/droppay-api.md's spirit that
 * the till follows, shared/sales.ts): an emoji is one character, not the two UTF-16 units
 * JavaScript's `length` counts.
 */
function checkString(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw fail.wrong(field, 'must be a string');
  if (Array.from(value).length > max) throw fail.wrong(field, `is longer than ${max} characters`);
  return value;
}

/** A positive amount of euros with at most two decimals, returned as cents. */
export function requiredAmount(body: Body, field: string): number {
  const value = body[field];
  if (absent(value)) throw fail.missing(field);
  // Money on the wire is a JSON number: a client that sends "12,34" has a bug to show.
  if (typeof value !== 'number') throw fail.wrong(field, 'must be a JSON number of euros');
  let cents: number;
  try {
    cents = eurosToCents(value, field);
  } catch (err) {
    if (err instanceof MoneyError)
      throw fail.wrong(field, 'must be a number of euros with at most two decimals');
    throw err;
  }
  if (cents <= 0) throw fail.wrong(field, 'must be greater than zero');
  return cents;
}

export function optionalInteger(body: Body, field: string, min: number, max: number): number | null {
  const value = body[field];
  if (absent(value)) return null;
  const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw fail.wrong(field, 'must be an integer');
  if (n < min || n > max) throw fail.wrong(field, `must be between ${min} and ${max}`);
  return n;
}

export function optionalNumber(body: Body, field: string, min: number, max: number): number | null {
  const value = body[field];
  if (absent(value)) return null;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw fail.wrong(field, 'must be a number');
  if (n < min || n > max) throw fail.wrong(field, `must be between ${min} and ${max}`);
  return n;
}

/** An ISO 8601 date-time with an offset, as epoch ms. */
export function optionalDate(body: Body, field: string): number | null {
  const value = body[field];
  if (absent(value)) return null;
  const ms = typeof value === 'string' ? parseIsoWithOffset(value) : null;
  if (ms === null) throw fail.wrongDate(field, 'must be an ISO 8601 date-time with an offset');
  return ms;
}

export function optionalEnum<T extends string>(body: Body, field: string, values: readonly T[]): T | null {
  const value = body[field];
  if (absent(value)) return null;
  const found = values.find((v) => v === value);
  if (found === undefined) throw fail.wrong(field, `must be one of ${values.join(', ')}`);
  return found;
}

function isHttpUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export function optionalUrl(body: Body, field: string): string | null {
  const value = optionalString(body, field, MAX_URL_LENGTH);
  if (value === null) return null;
  // A loopback_uri may be an app deeplink (myapp://done), so any absolute URL will do here.
  try {
    new URL(value);
  } catch {
    throw fail.wrong(field, 'must be an absolute URL');
  }
  return value;
}

/** A map of event key (an event type or ALL) to an http(s) URL. */
export function optionalWebhooks(body: Body, field: string): Record<string, string> | null {
  const value = body[field];
  if (absent(value)) return null;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail.wrong(field, 'must be an object mapping event keys to URLs');
  }
  const map: Record<string, string> = {};
  for (const [key, url] of Object.entries(value)) {
    if (typeof url !== 'string' || !isHttpUrl(url))
      throw fail.wrong(`${field}.${key}`, 'must be an http(s) URL');
    map[key] = url;
  }
  return map;
}
