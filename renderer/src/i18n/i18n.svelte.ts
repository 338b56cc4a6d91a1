import { createContext } from 'svelte';
import {
  fileSize,
  formatOr,
  formatters,
  statusText,
  translate,
  zonedFormat,
  type Locale,
  type MessageKey,
  type Params,
} from './translate';
import { dayPattern, formatDay, patternHint, type DayPattern } from '../lib/typed-date';

export type { Locale, MessageKey };

/**
 * The language the UI speaks now, and everything that depends on it: strings, euros and dates
 * through Intl. Reactive: switching `locale` re-renders every screen at once.
 */
export class I18n {
  locale = $state<Locale>('it');
  /** The shop's time zone once the settings are known; until then the machine's. */
  timeZone = $state<string | null>(null);

  constructor(locale: Locale = 'it') {
    this.locale = locale;
  }

  /** A UI string. */
  t = (key: MessageKey, params?: Params): string => translate(this.locale, key, params);

  /** A recorded authorization, charge or refund status in words (see statusText). */
  status = (of: 'authorization' | 'charge' | 'refund', status: string): string =>
    statusText(this.locale, of, status);

  /**
   * A status beside the sale's state: an authorization EXPIRED on a paid sale had its charges
   * used up (DropPay ends a CHARGED one so once it charged), the payer did not run out of time.
   */
  statusBeside = (
    of: 'authorization' | 'charge' | 'refund',
    status: string,
    saleState: string | null,
  ): string =>
    of === 'authorization' && status === 'EXPIRED' && saleState === 'paid'
      ? translate(this.locale, 'authStatus.usedUp')
      : statusText(this.locale, of, status);

  /** A UI string with a count: picks `<base>.one` or `<base>.other`. */
  tn = (
    base:
      | 'banner.title'
      | 'history.total'
      | 'day.close.reasonMismatched'
      | 'day.close.openPreauths'
      | 'day.finding.chargeCount'
      | 'day.check.incomplete'
      | 'day.check.interrupted'
      | 'day.close.blocked'
      | 'day.close.reason'
      | 'day.close.reasonUnread'
      | 'day.close.changed'
      | 'day.close.reasonChanged',
    n: number,
    params: Record<string, string> = {},
  ): string => {
    const form = formatters(this.locale).plural.select(n) === 'one' ? 'one' : 'other';
    return translate(this.locale, `${base}.${form}`, {
      ...params,
      n: formatters(this.locale).integer.format(n),
    });
  };

  /** Cents as euros in the UI's language: 1234 → "12,34 €" / "€12.34". */
  money = (cents: number): string => formatters(this.locale).money.format(cents / 100);

  /** An ISO instant as date and time in the shop's zone (the machine's until it is known). */
  dateTime = (iso: string): string =>
    this.timeZone === null
      ? formatOr(iso, formatters(this.locale).dateTime)
      : formatOr(iso, zonedFormat(this.locale, this.timeZone, 'dateTimeSeconds'));

  /** An ISO instant as date and time in a given zone (the shop's business zone, not the machine's). */
  dateTimeIn = (iso: string, timeZone: string): string =>
    formatOr(iso, zonedFormat(this.locale, timeZone, 'dateTime'));

  /** An ISO instant as a time of day in a given zone. */
  timeIn = (iso: string, timeZone: string): string =>
    formatOr(iso, zonedFormat(this.locale, timeZone, 'time'));

  /** An ISO instant as a time of day in the shop's zone (the machine's until it is known). */
  time = (iso: string): string =>
    this.timeZone === null
      ? formatOr(iso, formatters(this.locale).time)
      : formatOr(iso, zonedFormat(this.locale, this.timeZone, 'timeSeconds'));

  /** A business day (YYYY-MM-DD) as a date. */
  day = (day: string): string => formatOr(`${day}T00:00:00Z`, formatters(this.locale).day);

  /** How this language writes a day in figures, for the cashier to type one ("07/12/2026"). */
  dayPattern = (): DayPattern =>
    (this.#patterns[this.locale] ??= dayPattern(formatters(this.locale).dayNumeric));
  // Built once per language: the months' names take two dozen Intl calls.
  #patterns: Partial<Record<Locale, DayPattern>> = {};

  /** A business day in figures ("07/12/2026"); '' for no day. */
  dayFigures = (day: string): string => formatDay(day, this.dayPattern());

  /** The typed day's placeholder: "gg/mm/aaaa" in Italian, "dd/mm/yyyy" in English. */
  dayHint = (): string =>
    patternHint(this.dayPattern(), {
      day: this.t('date.letterDay'),
      month: this.t('date.letterMonth'),
      year: this.t('date.letterYear'),
    });

  /** Parts of a euro amount in this language, to show a typed amount the same way. */
  moneyParts = (): Intl.NumberFormatPart[] => formatters(this.locale).money.formatToParts(1.5);

  /** A whole number with this language's grouping. */
  integer = (n: number): string => formatters(this.locale).integer.format(n);

  /** Names joined as a sentence lists them: "Store and Journal backups". */
  list = (items: string[]): string => formatters(this.locale).list.format(items);

  /** A file's size in kB or MB. */
  fileSize = (bytes: number): string => fileSize(this.locale, bytes);
}

/** The UI's language, for components that need only that (shared by both windows). */
export const [getI18n, setI18n] = createContext<I18n>();
