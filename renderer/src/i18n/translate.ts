import { it, type MessageKey } from './it';
import { en } from './en';

/** The UI's languages (the same as the settings' `language`). */
export type Locale = 'it' | 'en';
export type { MessageKey };

const dictionaries: Record<Locale, Record<MessageKey, string>> = { it, en };
/** Intl locales: English with day/month order and a 24-hour clock, as a shop in Italy expects. */
const intlLocale: Record<Locale, string> = { it: 'it-IT', en: 'en-GB' };
/**
 * Dates with the year in full in both languages: `dateStyle: 'short'` gives Italian two digits
 * ("04/12/26") and British English four. Hours and minutes as each language writes them.
 */
const DATE: Intl.DateTimeFormatOptions = { day: '2-digit', month: '2-digit', year: 'numeric' };
const MINUTES: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
const SECONDS: Intl.DateTimeFormatOptions = { ...MINUTES, second: '2-digit' };

/**
 * A status recorded for an authorization, a charge or a refund, in words ("GRANTED" is
 * "approvata"); one the UI has no word for is shown as DropPay wrote it.
 */
export function statusText(
  locale: Locale,
  of: 'authorization' | 'charge' | 'refund',
  status: string,
): string {
  const key = `${of === 'authorization' ? 'authStatus' : `${of}Status`}.${status}`;
  return Object.hasOwn(dictionaries[locale], key) ? translate(locale, key as MessageKey) : status;
}

/** Values for a string's {placeholders}. */
export type Params = Record<string, string | number>;

/** Looks up a string and fills its {placeholders}. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text = dictionaries[locale][key];
  return params ? fillParams(text, params) : text;
}

/** Fills a text's {placeholders}; one with no value stays as it is. */
export function fillParams(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export interface Formatters {
  money: Intl.NumberFormat;
  /** An amount in a text field: no euro sign, two decimals, thousands grouped ("1.234,56"). */
  amountField: Intl.NumberFormat;
  integer: Intl.NumberFormat;
  dateTime: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  day: Intl.DateTimeFormat;
  /** A day in figures ("07/12/2026"), as the cashier types one. */
  dayNumeric: Intl.DateTimeFormat;
  plural: Intl.PluralRules;
  /** "A, B and C". */
  list: Intl.ListFormat;
  kilobytes: Intl.NumberFormat;
  megabytes: Intl.NumberFormat;
}

// Built once per language: Intl constructors are slow, formatting with them is fast.
const cache: Partial<Record<Locale, Formatters>> = {};
/** The Intl formatters of a language. */
export function formatters(locale: Locale): Formatters {
  let f = cache[locale];
  if (!f) {
    const tag = intlLocale[locale];
    f = {
      // Thousands grouped from 1.000 on, as people write money (Italian's default starts at 10.000).
      money: new Intl.NumberFormat(tag, { style: 'currency', currency: 'EUR', useGrouping: 'always' }),
      amountField: new Intl.NumberFormat(tag, {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
        useGrouping: 'always',
      }),
      integer: new Intl.NumberFormat(tag, { maximumFractionDigits: 0, useGrouping: 'always' }),
      dateTime: new Intl.DateTimeFormat(tag, { ...DATE, ...SECONDS }),
      time: new Intl.DateTimeFormat(tag, { timeStyle: 'medium' }),
      day: new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeZone: 'UTC' }),
      dayNumeric: new Intl.DateTimeFormat(tag, { ...DATE, timeZone: 'UTC' }),
      plural: new Intl.PluralRules(tag),
      list: new Intl.ListFormat(tag, { type: 'conjunction' }),
      kilobytes: new Intl.NumberFormat(tag, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 1 }),
      megabytes: new Intl.NumberFormat(tag, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }),
    };
    cache[locale] = f;
  }
  return f;
}

/** A file's size: kB below a megabyte (at least 0.1 kB), MB from there. */
export function fileSize(locale: Locale, bytes: number): string {
  const f = formatters(locale);
  return bytes >= 1_048_576
    ? f.megabytes.format(bytes / 1_048_576)
    : f.kilobytes.format(Math.max(bytes / 1024, 0.1));
}

export function formatOr(iso: string, format: Intl.DateTimeFormat): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format.format(d);
}

const zoned = new Map<string, Intl.DateTimeFormat>();
/** Date and time formats in a given time zone (the journal's business zone), built once each. */
export function zonedFormat(
  locale: Locale,
  timeZone: string,
  kind: 'dateTime' | 'time' | 'dateTimeSeconds' | 'timeSeconds',
): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${kind}`;
  let f = zoned.get(key);
  if (!f) {
    const styles: Record<typeof kind, Intl.DateTimeFormatOptions> = {
      dateTime: { ...DATE, ...MINUTES },
      time: { timeStyle: 'short' },
      // A sale's own moments: to the second, as in its timeline.
      dateTimeSeconds: { ...DATE, ...SECONDS },
      timeSeconds: { timeStyle: 'medium' },
    };
    const style = styles[kind];
    try {
      f = new Intl.DateTimeFormat(intlLocale[locale], { ...style, timeZone });
    } catch {
      f = new Intl.DateTimeFormat(intlLocale[locale], style); // an unknown zone: the machine's
    }
    zoned.set(key, f);
  }
  return f;
}
