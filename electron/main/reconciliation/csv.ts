/**
 * The day as CSV for a spreadsheet or an accountant: UTF-8 with a BOM (so Excel reads the
 * accents), CRLF line ends, one line per charge and per refund of the day, then the
 * adjustments the report carries, then the totals. Separator comma with a decimal point, or
 * semicolon with a decimal comma (what an Italian Excel expects). Amounts are written from
 * integer cents digit by digit, never through a float. Each line has its local time (the day's
 * time zone, which a spreadsheet reads as a date) and, last, its instant in UTC: the night the
 * clocks go back has two 02:30s, and only the UTC column tells them apart.
 *
 * A closed day's lines are as they stood at its close (see at-close.ts), so they add up to the
 * totals its closure stored; what changed since is the `later_adjustments` total.
 */
import type { BookSource } from './book';
import { reportWithLines, toTuple } from './day-lines';
import { localTimeFormatter } from './day-window';
import type { ReportOptions } from './report';
import type { ItemRow, ItemTuple } from './queries';
import type { DayReport } from './types';
import { stepInWords } from '../../../shared/adjustment-lines';
import { inWords, LABELS } from './pdf/labels';

export type Separator = 'comma' | 'semicolon';

export interface CsvOptions {
  /** Default 'comma'. 'semicolon' also switches amounts to a decimal comma. */
  separator?: Separator;
  /** Column headings; default 'en'. */
  lang?: 'en' | 'it';
}

export const CSV_COLUMNS = {
  en: [
    'type',
    'local_time',
    'sale_ref',
    'policy',
    'id',
    'droppay_id',
    'status',
    'amount',
    'net_effect',
    'description',
    'refund_reason',
    'utc_time',
  ],
  it: [
    'tipo',
    'ora_locale',
    'rif_vendita',
    'politica',
    'id',
    'id_droppay',
    'stato',
    'importo',
    'effetto_netto',
    'descrizione',
    'motivo_rimborso',
    'ora_utc',
  ],
} as const;

const TOTAL_LABELS = {
  en: {
    charged: 'Charged (DONE/ACCOUNTED)',
    refunded: 'Refunded (DONE/ACCOUNTED)',
    net: 'Net for the day',
    adjustments: 'Adjustments to closed days carried by this day',
    later: 'Changes after this day was closed',
  },
  it: {
    charged: 'Incassato (eseguiti e contabilizzati)',
    refunded: 'Rimborsato (eseguiti e contabilizzati)',
    net: 'Netto del giorno',
    adjustments: 'Rettifiche a giorni chiusi riportate in questo giorno',
    later: 'Variazioni dopo la chiusura di questo giorno',
  },
} as const;

/**
 * The words of the code columns (type, policy, status, the totals' keys). The English file keeps
 * the codes DropPay and the JSON report use, for scripts; the Italian one is for an Italian
 * accountant and says them in words, as the PDF does.
 */
interface Words {
  kind(kind: 'charge' | 'refund' | 'adjustment' | 'total'): string;
  policy(policy: string): string;
  status(status: string): string;
  /** An adjustment's step, from (null: it did not exist) to. */
  step(from: string | null, to: string): string;
  total(key: 'charged' | 'refunded' | 'net' | 'adjustments' | 'later_adjustments'): string;
}

const CODES: Words = {
  kind: (k) => k,
  policy: (p) => p,
  status: (s) => s,
  // "none->DONE", never "->DONE": a cell starting with "-" is a formula to a spreadsheet.
  step: (from, to) => `${from ?? 'none'}->${to}`,
  total: (k) => k,
};

const IT = LABELS.it;
// A charge's and a refund's words are the PDF's (its movements say them too).
const IT_KINDS = {
  charge: IT.itemKinds.charge,
  refund: IT.itemKinds.refund,
  adjustment: 'rettifica',
  total: 'totale',
} as const;
const IT_TOTALS = {
  charged: 'incassato',
  refunded: 'rimborsato',
  net: 'netto',
  adjustments: 'rettifiche',
  later_adjustments: 'variazioni_dopo_chiusura',
} as const;

const ITALIAN: Words = {
  kind: (k) => IT_KINDS[k],
  policy: (p) => inWords(IT.policies, p),
  status: (s) => inWords(IT.statuses, s),
  step: (from, to) => stepInWords(from, to, (status) => inWords(IT.statuses, status), IT.step),
  total: (k) => IT_TOTALS[k],
};

/** Words as CSV cells, quoted where they need it; a line's policy and status once per value. */
function asCells(words: Words, text: (v: string) => string): Words {
  const once = (say: (code: string) => string): ((code: string) => string) => {
    const cells = new Map<string, string>();
    return (code) => {
      let cell = cells.get(code);
      if (cell === undefined) cells.set(code, (cell = text(say(code))));
      return cell;
    };
  };
  return {
    kind: (k) => text(words.kind(k)),
    policy: once((p) => words.policy(p)),
    status: once((s) => words.status(s)),
    step: (from, to) => text(words.step(from, to)),
    total: (k) => text(words.total(k)),
  };
}

/** Cents as "-1234.56" or "-1234,56": integer arithmetic only. */
export function formatCents(cents: number, decimal: '.' | ','): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}${decimal}${String(abs % 100).padStart(2, '0')}`;
}

const FORMULA = /^[=+\-@\t\r]/;

/**
 * RFC 4180 quoting for text that did not come from the till itself (descriptions, reasons,
 * DropPay ids), plus a leading apostrophe on text a spreadsheet would run as a formula.
 * Everything else (kinds, statuses, times, amounts, generated ids) never needs it.
 */
function textCell(value: string, special: RegExp): string {
  const v = FORMULA.test(value) ? `'${value}` : value;
  return special.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

const PAID = new Set(['DONE', 'ACCOUNTED']);

function render(report: DayReport, items: Iterable<ItemTuple>, options: CsvOptions): string {
  const semicolon = options.separator === 'semicolon';
  const sep = semicolon ? ';' : ',';
  const special = semicolon ? /[";\r\n]/ : /[",\r\n]/;
  const decimal = semicolon ? ',' : '.';
  const lang = options.lang ?? 'en';
  const local = localTimeFormatter(report.timeZone);
  const money = (c: number): string => formatCents(c, decimal);
  const text = (v: string): string => textCell(v, special);
  // Italian words may hold the separator ("accettato, in corso"): they are cells like any text.
  const words = lang === 'it' ? asCells(ITALIAN, text) : CODES;
  const kinds = { charge: words.kind('charge'), refund: words.kind('refund') };
  const out: string[] = [CSV_COLUMNS[lang].join(sep)];
  for (const [kind, id, , ref, policy, droppayId, status, amount, createdAt, description, reason] of items) {
    const counted = PAID.has(status) ? (kind === 'charge' ? amount : -amount) : 0;
    out.push(
      // The reference and id are the till's own (S-YYYYMMDD-XXXXXX, UUIDs): never quoted.
      `${kinds[kind]}${sep}${local(createdAt)}${sep}${ref}${sep}${words.policy(policy)}${sep}${id}${sep}` +
        `${droppayId === null ? '' : text(droppayId)}${sep}${words.status(status)}${sep}${money(amount)}${sep}` +
        `${money(counted)}${sep}${text(description)}${sep}${reason === null ? '' : text(reason)}${sep}${createdAt}`,
    );
  }
  const row = (cells: string[]): string => cells.join(sep);
  for (const a of report.adjustments.items) {
    out.push(
      row([
        words.kind('adjustment'),
        local(a.at),
        text(a.merchantRef),
        '',
        text(a.itemId),
        a.droppayId === null ? '' : text(a.droppayId),
        words.step(a.from, a.to),
        // The row's amount, as a movement line has it; the next column, what it changed.
        money(a.amountCents),
        money(a.netDeltaCents),
        a.day,
        '',
        a.at,
      ]),
    );
  }
  const labels = TOTAL_LABELS[lang];
  // The net effect has the sign the lines have: refunds take money out.
  const total = (key: Parameters<Words['total']>[0], cents: number, label: string, effect = cents): string =>
    row([
      words.kind('total'),
      '',
      '',
      '',
      '',
      '',
      words.total(key),
      money(cents),
      money(effect),
      text(label),
      '',
      '',
    ]);
  out.push(total('charged', report.totals.chargedCents, labels.charged));
  out.push(total('refunded', report.totals.refundedCents, labels.refunded, -report.totals.refundedCents));
  out.push(total('net', report.totals.netCents, labels.net));
  out.push(total('adjustments', report.adjustments.netCents, labels.adjustments));
  if (report.closure !== null)
    out.push(total('later_adjustments', report.laterAdjustments.netCents, labels.later));
  return `\uFEFF${out.join('\r\n')}\r\n`;
}

/**
 * Renders the report and the lines given (see `dayItems`) as CSV, as they are: for a closed
 * day `exportCsv` gives the lines as at its close, which these do not.
 */
export function renderCsv(report: DayReport, items: Iterable<ItemRow>, options: CsvOptions = {}): string {
  function* tuples(): Generator<ItemTuple> {
    for (const r of items) yield toTuple(r);
  }
  return render(report, tuples(), options);
}

/** The report and its lines (for a closed day, as at its close) as CSV, read in one transaction. */
export function exportCsv(source: BookSource, day: string, options: CsvOptions & ReportOptions = {}): string {
  const { report, lines } = reportWithLines(source, day, options);
  return render(report, lines, options);
}
