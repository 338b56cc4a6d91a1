import { withBook, type BookSource } from './book';
import { formatCents } from './csv';
import { closureOf, listClosures, type ClosedDaySummary } from './closures';
import { isBusinessDay } from '../journal/business-day';
import { localTimeFormatter } from './day-window';

/** The closed days of a journal, newest first (none for a journal not yet at version 2). */
export function closedDays(source: BookSource, limit?: number): ClosedDaySummary[] {
  return withBook(source, true, (book) => (book.hasReconTables ? listClosures(book.db, limit) : []));
}

/** Whether `day` (YYYY-MM-DD) is closed: one look-up, not the list of closed days. */
export function isDayClosed(source: BookSource, day: string): boolean {
  if (!isBusinessDay(day)) return false;
  return withBook(source, true, (book) => book.hasReconTables && closureOf(book.db, day) !== null);
}

const COLUMNS = {
  en: [
    'closure',
    'business_day',
    'closed_at_local',
    'charges',
    'charged',
    'refunds',
    'refunded',
    'net',
    'adjustments',
    'net_with_adjustments',
    'forced',
    'closed_at_utc',
  ],
  it: [
    'chiusura',
    'giornata',
    'chiusa_il_ora_locale',
    'pagamenti',
    'incassato',
    'rimborsi',
    'rimborsato',
    'netto',
    'rettifiche',
    'netto_con_rettifiche',
    'forzata',
    'chiusa_il_utc',
  ],
} as const;
const TOTAL = { en: 'total', it: 'totale' } as const;
const YES_NO = { en: ['yes', 'no'], it: ['sì', 'no'] } as const;

/**
 * Every closed day as one CSV line, oldest first, and a total line: what an accountant asks
 * for at the end of a month. A day's `adjustments` are what changed after earlier days were
 * closed (a charge in doubt found paid, say), carried by its report; `net_with_adjustments`
 * adds them, so the total of that column is the money the period really took. UTF-8 with a BOM; 'semicolon' also writes a decimal comma
 * (Excel in Italian), as the day's CSV does. When each day was closed reads in the shop's time
 * zone, with the UTC instant last, as the day's CSV has its times. Every cell is the till's own
 * (numbers, dates, times), so none needs quoting.
 */
export function closedDaysCsv(
  source: BookSource,
  options: { separator?: 'comma' | 'semicolon'; lang?: 'en' | 'it' } = {},
): string {
  const semicolon = options.separator === 'semicolon';
  const sep = semicolon ? ';' : ',';
  const money = (c: number): string => formatCents(c, semicolon ? ',' : '.');
  const lang = options.lang ?? 'en';
  // A negative LIMIT is SQLite's "no limit": every closed day. Oldest day first, whatever order
  // they were closed in (a day left open and closed later belongs before the days after it).
  const { rows, timeZone } = withBook(source, true, (book) => ({
    rows: book.hasReconTables ? listClosures(book.db, -1) : [],
    timeZone: book.timeZone,
  }));
  rows.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.seq - b.seq));
  const local = localTimeFormatter(timeZone);
  const out: string[] = [COLUMNS[lang].join(sep)];
  const sum = { charges: 0, charged: 0, refunds: 0, refunded: 0, net: 0, adjustments: 0 };
  for (const r of rows) {
    out.push(
      [
        r.seq,
        r.day,
        local(r.createdAt),
        r.chargesCount,
        money(r.chargedCents),
        r.refundsCount,
        money(r.refundedCents),
        money(r.netCents),
        money(r.adjustmentsCents),
        money(r.netCents + r.adjustmentsCents),
        YES_NO[lang][r.forced ? 0 : 1],
        r.createdAt,
      ].join(sep),
    );
    sum.charges += r.chargesCount;
    sum.charged += r.chargedCents;
    sum.refunds += r.refundsCount;
    sum.refunded += r.refundedCents;
    sum.net += r.netCents;
    sum.adjustments += r.adjustmentsCents;
  }
  const first = rows[0]?.day ?? '';
  const last = rows.at(-1)?.day ?? '';
  out.push(
    [
      TOTAL[lang],
      first === last ? first : `${first}/${last}`,
      '',
      sum.charges,
      money(sum.charged),
      sum.refunds,
      money(sum.refunded),
      money(sum.net),
      money(sum.adjustments),
      money(sum.net + sum.adjustments),
      '',
      '',
    ].join(sep),
  );
  return `\uFEFF${out.join('\r\n')}\r\n`;
}
