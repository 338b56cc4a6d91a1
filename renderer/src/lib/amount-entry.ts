import { MAX_CENTS, centsToDecimalString, decimalStringToCents } from '../../../shared/money';

/**
 * The amount the cashier is typing, kept as text ("12.3") so what is on screen is exactly what
 * was typed; it becomes cents only through shared/money.ts, never through float arithmetic.
 * The separator is always '.' here; the screen shows the locale's.
 */
export type AmountKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | 'sep' | 'back' | 'clear';

export const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** The text after pressing a key; a key that would make the amount invalid is ignored. */
export function applyKey(text: string, key: AmountKey): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  if (key === 'sep') {
    if (text.includes('.')) return text;
    return text === '' ? '0.' : `${text}.`;
  }
  const [whole = '', frac] = text.split('.');
  if (frac !== undefined) return frac.length >= 2 ? text : `${text}${key}`;
  // A leading zero is replaced, so "0" then "5" is 5, not "05".
  const next = whole === '0' ? key : `${whole}${key}`;
  return entryCents(next) === null ? text : next;
}

/** Maps a keyboard key to an amount key, or null when it is not one. */
export function keyFromKeyboard(key: string): AmountKey | null {
  if (/^[0-9]$/.test(key)) return key as AmountKey;
  if (key === ',' || key === '.' || key === 'Decimal') return 'sep';
  if (key === 'Backspace') return 'back';
  if (key === 'Delete') return 'clear';
  return null;
}

/** The typed amount in cents, or null while it is empty or not an amount ("12." counts as 12). */
export function entryCents(text: string): number | null {
  const trimmed = text.endsWith('.') ? text.slice(0, -1) : text;
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

/** Parses an amount typed in a text field ("12,50", "12.5", "12"), or null. */
export function parseAmountField(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  try {
    return decimalStringToCents(trimmed);
  } catch {
    return null;
  }
}
