/**
 * The day's charge and refund lines, one per charge and per refund in time order, as both
 * exports print them: the CSV one per row, the PDF in its list of movements. Read with the
 * report in one read transaction, so the lines and the totals describe the same moment, and
 * for a closed day as they stood at its close (at-close.ts), so they add up to its totals.
 */
import type { Statement } from 'better-sqlite3';
import { isBusinessDay } from '../journal/business-day';
import { linesAtClose } from './at-close';
import { withBook, type BookSource, type DayBook } from './book';
import { reportStatements, type ItemRow, type ItemTuple } from './queries';
import { earlierFailedAttempts, withAttempts } from './refund-attempts';
import { buildDayReport, type ReportOptions } from './report';
import type { DayReport } from './types';

export const toTuple = (r: ItemRow): ItemTuple => [
  r.kind,
  r.id,
  r.sale_id,
  r.merchant_ref,
  r.policy,
  r.droppay_id,
  r.status,
  r.amount,
  r.created_at,
  r.text,
  r.reason,
];

const toRow = ([
  kind,
  id,
  saleId,
  ref,
  policy,
  droppayId,
  status,
  amount,
  createdAt,
  text,
  reason,
]: ItemTuple): ItemRow => ({
  kind,
  id,
  sale_id: saleId,
  merchant_ref: ref,
  policy,
  droppay_id: droppayId,
  status,
  amount,
  created_at: createdAt,
  text,
  reason,
});

/**
 * The day's charges and refunds in time order, as export lines, as they are now: a refund
 * asked again after a FAILED attempt made that day has a FAILED line for that attempt too.
 */
export function dayItems(source: BookSource, day: string): ItemRow[] {
  return withBook(source, true, (book) =>
    book.db
      .transaction(() => {
        const rows = reportStatements(book.db).items.all({ day });
        if (!isBusinessDay(day)) return rows;
        const attempts = earlierFailedAttempts(book.db, day);
        if (attempts.length === 0) return rows;
        return withAttempts(rows.map(toTuple), attempts).map(toRow);
      })
      .deferred(),
  );
}

const tupleStatements = new WeakMap<DayBook['db'], Statement<[{ day: string }], ItemTuple>>();

function itemTuples(book: DayBook): Statement<[{ day: string }], ItemTuple> {
  let st = tupleStatements.get(book.db);
  if (!st) {
    st = book.db.prepare<[{ day: string }], ItemTuple>(reportStatements(book.db).items.source).raw(true);
    tupleStatements.set(book.db, st);
  }
  return st;
}

/**
 * The report of `day` and its lines (for a closed day, as at its close), read in one
 * transaction: what `exportCsv` and `exportPdf` print.
 */
export function reportWithLines(
  source: BookSource,
  day: string,
  options: ReportOptions = {},
): { report: DayReport; lines: ItemTuple[] } {
  return withBook(source, true, (book) =>
    book.db
      .transaction(() => {
        const report = buildDayReport(book, day, options);
        // Raw rows (arrays) skip building an object per line: a third of the cost on a big day.
        // With the earlier failed attempts of refunds asked again, each a line of its own.
        const rows = withAttempts(
          itemTuples(book).all({ day: report.day }),
          earlierFailedAttempts(book.db, report.day),
        );
        // A closed day's lines as they stood at its close, so they add up to its stored totals.
        const lines =
          report.closure === null
            ? rows
            : linesAtClose(book.db, report.day, report.closure.chainHeadSeq, rows);
        return { report, lines };
      })
      .deferred(),
  );
}
