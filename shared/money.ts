/**
 * Money inside the project is an integer number of euro cents. DropPay's wire format is a
 * JSON number of euros with at most two decimals. These are the only two places where the
 * two meet: conversion is exact (no float arithmetic on amounts) and rejects anything that
 * is not a whole number of cents.
 */

/** An integer amount of euro cents. A plain number at runtime; the alias documents intent. */
export type Cents = number;

/** Largest amount accepted anywhere: 1,000,000.00 € (well above any single till sale). */
export const MAX_CENTS = 100_000_000;

/** Thrown when a value cannot be an amount of money. */
export class MoneyError extends Error {
  override readonly name = 'MoneyError';
}

/** True when `value` is a safe, non-negative integer number of cents within MAX_CENTS. */
export function isCents(value: unknown): value is Cents {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_CENTS;
}

/** Throws a MoneyError unless `value` is valid cents; returns it typed. */
export function assertCents(value: unknown, what = 'amount'): Cents {
  if (!isCents(value)) {
    throw new MoneyError(
      `${what} must be a whole number of cents between 0 and ${MAX_CENTS}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Cents to the wire: a JSON number of euros. 5472 → 54.72. The float produced is the
 * nearest double to the decimal, and JSON.stringify prints it back as the shortest
 * round-tripping decimal, so "54.72" is what goes out.
 */
export function centsToEuros(cents: Cents): number {
  assertCents(cents);
  return Number(centsToDecimalString(cents));
}

/** Cents as a plain decimal string with two places: 5 → "0.05", 5472 → "54.72". */
export function centsToDecimalString(cents: Cents): string {
  assertCents(cents);
  const whole = Math.trunc(cents / 100);
  const frac = cents % 100;
  return `${whole}.${frac.toString().padStart(2, '0')}`;
}

/**
 * A wire amount (JSON number, or a numeric string some servers send) to cents, exactly.
 * Goes through the shortest decimal representation of the double, so 54.72 → 5472 even
 * though 54.72 * 100 = 5471.999999999999 in binary floating point. Rejects more than two
 * decimals, negatives, NaN, infinities and exponents.
 */
export function eurosToCents(value: unknown, what = 'amount'): Cents {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new MoneyError(`${what} is not a finite number`);
    text = String(value);
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    throw new MoneyError(`${what} must be a number of euros, got ${value === null ? 'null' : typeof value}`);
  }
  return decimalStringToCents(text, what);
}

/**
 * A decimal text in euros to cents: "54.72", "54.7", "54", "0.05". Accepts a comma as the
 * decimal separator too (Italian input: "54,72"); rejects thousands separators, signs,
 * exponents and more than two decimals.
 */
export function decimalStringToCents(text: string, what = 'amount'): Cents {
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(text);
  if (!m) {
    throw new MoneyError(`${what} must be euros with at most two decimals, got "${text}"`);
  }
  const whole = Number(m[1]);
  const frac = m[2] === undefined ? 0 : Number(m[2].padEnd(2, '0'));
  return assertCents(whole * 100 + frac, what);
}

/**
 * An amount typed as people write it, to cents, or null when it is not one: "12,50", "12.5",
 * "12" (12,00 €), with the euro sign before or after ("€ 12,50", "12,50 €"), and with
 * thousands grouped, "1.234,50" or "1,234.50" (both separators: the last is the decimal one)
 * or "1.234.567" (one repeated: grouping), or with spaces as calculators and bank pages copy
 * them, "1 234,50" (a space, a no-break or a narrow no-break space, in threes). A single
 * separator is always the decimal one, so "1,999" stays invalid rather than guessed. Not capped
 * at MAX_CENTS: each caller has its own limit. The amount fields parse with it, and the history
 * search, to find a sale by amount.
 */
export function parseAmountText(text: string): Cents | null {
  let t = text.trim().replace(/^€\s*|\s*€$/g, '');
  if (/\d\s+\d/.test(t)) {
    const spaced = /^(\d{1,3}(?:[ \u00a0\u202f]\d{3})+)([.,]\d*)?$/.exec(t);
    if (!spaced) return null;
    t = `${(spaced[1] ?? '').replace(/\D/g, '')}${spaced[2] ?? ''}`;
  }
  const seps = t.match(/[.,]/g) ?? [];
  const kinds = new Set(seps);
  let whole = t;
  let frac = '';
  if (kinds.size === 2 || seps.length > 1) {
    const decimal = kinds.size === 2 ? t[Math.max(t.lastIndexOf('.'), t.lastIndexOf(','))] : null;
    if (decimal) {
      const at = t.lastIndexOf(decimal);
      whole = t.slice(0, at);
      frac = t.slice(at + 1);
    }
    const group = decimal === null ? seps[0] : decimal === '.' ? ',' : '.';
    if (whole.includes(decimal ?? '\0') || !groupedProperly(whole, group ?? '')) return null;
    whole = whole.split(group ?? '').join('');
  } else if (seps.length === 1) {
    [whole = '', frac = ''] = t.split(/[.,]/);
  }
  if (!/^\d{1,9}$/.test(whole) || !/^\d{0,2}$/.test(frac)) return null;
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

/** "1.234.567" grouped by "." in threes after a first group of one to three digits. */
function groupedProperly(text: string, group: string): boolean {
  const parts = text.split(group);
  return (
    parts.length > 1 && /^\d{1,3}$/.test(parts[0] ?? '') && parts.slice(1).every((p) => /^\d{3}$/.test(p))
  );
}
