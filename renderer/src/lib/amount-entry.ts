import {
  MAX_CENTS,
  centsToDecimalString,
  decimalStringToCents,
  parseAmountText,
} from '../../../shared/money';
import { formatters, type Locale } from '../i18n/translate';

/**
 * The amount the cashier is typing, kept as text ("12.3") so what is on screen is exactly what
 * was typed; it becomes cents only through shared/money.ts, never through float arithmetic.
 * The separator is '.' here; the screen shows the locale's. A separator typed with the
 * locale's thousands key (the dot on an Italian keyboard) is '_' until it is clear: "1_50"
 * is 1,50, but a third digit after it ("1.500") shows it grouped the thousands, so it goes.
 */
export type AmountKey =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'sep' | 'group' | 'back' | 'clear';

/** Either separator as it stands in the text. */
const SEPARATOR = /[._]/;

export const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** The text after pressing a key; a key that would make the amount invalid is ignored. */
export function applyKey(text: string, key: AmountKey): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  if (key === 'sep' || key === 'group') {
    if (SEPARATOR.test(text)) return text;
    const mark = key === 'sep' ? '.' : '_';
    return text === '' ? `0${mark}` : `${text}${mark}`;
  }
  const [whole = '', frac] = text.split(SEPARATOR);
  if (frac !== undefined) {
    // "1.500" on an Italian keyboard: the dot grouped the thousands, it was no decimal point.
    if (text.includes('_') && frac.length === 2 && whole !== '0') {
      const regrouped = `${whole}${frac}${key}`;
      return entryCents(regrouped) === null ? text : regrouped;
    }
    const withDecimal = `${text}${key}`;
    // Two decimals at most, and never past the largest amount ("1000000,5" is not kept).
    return frac.length >= 2 || entryCents(withDecimal) === null ? text : withDecimal;
  }
  // A leading zero is replaced, so "0" then "5" is 5, not "05".
  const next = whole === '0' ? key : `${whole}${key}`;
  return entryCents(next) === null ? text : next;
}

/**
 * Whether a key the cashier pressed was refused: it left the amount as it was (a third
 * decimal, a second comma, past the largest amount). Deleting and clearing always do what was
 * asked, and so does a zero on a lone zero: "00" is the amount "0" already shows.
 */
export function keyRefused(text: string, key: AmountKey, next: string): boolean {
  if (key === 'clear' || key === 'back' || next !== text) return false;
  return !(key === '0' && text === '0');
}

/**
 * Maps a keyboard key to an amount key, or null when it is not one. The locale's decimal key
 * and the numeric keypad's are the separator; its thousands key is 'group' (see applyKey).
 */
export function keyFromKeyboard(key: string, locale: 'it' | 'en', code = ''): AmountKey | null {
  if (/^[0-9]$/.test(key)) return key as AmountKey;
  if (code === 'NumpadDecimal' || key === 'Decimal') return 'sep';
  if (key === ',' || key === '.') return key === (locale === 'it' ? ',' : '.') ? 'sep' : 'group';
  if (key === 'Backspace') return 'back';
  if (key === 'Delete') return 'clear';
  return null;
}

/** The typed amount in cents, or null while it is empty or not an amount ("12." counts as 12). */
export function entryCents(text: string): number | null {
  const decimal = text.replace('_', '.');
  const trimmed = decimal.endsWith('.') ? decimal.slice(0, -1) : decimal;
  if (trimmed === '') return null;
  try {
    const cents = decimalStringToCents(trimmed);
    return cents <= MAX_CENTS ? cents : null;
  } catch {
    return null;
  }
}

/** Text for an amount in cents, e.g. to offer the same amount again: 1230 → "12.30". */
export function entryFromCents(cents: number): string {
  return centsToDecimalString(cents);
}

/**
 * An amount offered in a text field (a refund, a capture, the threshold), as the language
 * writes it, with its thousands: 123456 → "1.234,56" in Italian, "1,234.56" in English, as the
 * rest of the screen shows money; parseAmountField reads it back. Formatted from the decimal
 * string, so no float is in the way.
 */
export function fieldFromCents(cents: number, locale: Locale): string {
  return formatters(locale).amountField.format(centsToDecimalString(cents) as `${number}`);
}

/**
 * Parses an amount typed in a text field, or null when it is not one ("12,50", "1.234,50",
 * "12,5 €"): shared/money.ts parseAmountText, which the history search uses too. Not capped
 * at the largest amount: the caller's own limit (what is refundable) gives the clearer message.
 */
export const parseAmountField = parseAmountText;

/**
 * Whether an amount must be confirmed before the sale starts: from `fromCents` up (the shop's
 * setting; 0 = never). A missed comma turns 12,50 into 1.250,00: the cashier looks once more.
 */
export function needsConfirmation(cents: number, fromCents: number): boolean {
  return fromCents > 0 && cents >= fromCents;
}
