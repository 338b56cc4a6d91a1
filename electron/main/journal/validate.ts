/** Input checks run before anything is written; each throws a JournalValidationError. */
import { MAX_CENTS, type Cents } from '../../../shared/money';
import { JournalValidationError } from './errors';

/** SQLite's length() counts code points, so limits are counted the same way here. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

export function positiveCents(value: unknown, what: string): Cents {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0 || value > MAX_CENTS) {
    throw new JournalValidationError(
      `${what} must be a whole number of cents between 1 and ${MAX_CENTS}, got ${String(value)}`,
    );
  }
  return value;
}

export function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.trim().length === 0) {
    throw new JournalValidationError(`${what} must be a non-empty text`);
  }
  if (value.includes('\u0000')) throw new JournalValidationError(`${what} must not contain NUL characters`);
  const n = codePoints(value);
  if (n > max) throw new JournalValidationError(`${what} must be at most ${max} characters, got ${n}`);
  return value;
}

export function id(value: unknown, what: string): string {
  return text(value, what, 64);
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new JournalValidationError(`${what} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/**
 * Error texts come from the network and must never stop an outcome from being recorded, so
 * they are cut to fit the column instead of being rejected.
 */
export function errorText(value: string | null | undefined): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).replaceAll('\u0000', '');
  const points = Array.from(s);
  const clipped = points.length > 2000 ? `${points.slice(0, 1999).join('')}…` : s;
  return clipped.length === 0 ? null : clipped;
}
