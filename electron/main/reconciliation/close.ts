/**
 * Closing a day: the report as it stands, frozen in an immutable closure row together with the
 * event chain's head. Refused while any outcome of the day is unknown, unless someone gives a
 * written reason, which is stored with the closure. Read, check and write happen in one
 * IMMEDIATE transaction, so no journal write can slip between the report and the closure; the
 * long part of the check (re-hashing the log) is done before it.
 */
import { changedAfterCheck, uncheckedDay, unmendedMismatches, unreadItems } from '../../../shared/day';
import { businessDay, type BusinessDay } from '../journal/business-day';
import { GENESIS_HASH } from '../journal/hash-chain';
import { withBook, type BookSource } from './book';
import { closureInfo, closureOf, insertClosure, newClosureRow, verifyClosures } from './closures';
import { ReconciliationError } from './errors';
import { verifiedPrefix } from './chain';
import { assertDay, liveReport } from './report';
import { reportStatements } from './queries';
import type { ClosureInfo, DayReport } from './types';

export interface CloseOptions {
  /** Close although outcomes are unknown; the reason is stored with the closure. */
  force?: { reason: string };
  now?: () => Date;
  /** The name and POS ID the stored report carries (see ReportOptions). */
  storeName?: string | null;
  posId?: string | null;
}

export interface ClosedDay {
  closure: ClosureInfo;
  report: DayReport;
}

/** The longest written reason a forced close takes, in characters. */
export const MAX_CLOSE_REASON = 1000;

function reasonOf(force: CloseOptions['force']): string | null {
  if (force === undefined) return null;
  const reason = typeof force.reason === 'string' ? force.reason.trim() : '';
  if (reason.length === 0 || reason.length > MAX_CLOSE_REASON) {
    throw new ReconciliationError(
      'INVALID_REASON',
      `a forced close needs a written reason of 1 to ${MAX_CLOSE_REASON} characters`,
    );
  }
  return reason;
}

export function closeDay(source: BookSource, day: string, options: CloseOptions = {}): ClosedDay {
  const d: BusinessDay = assertDay(day);
  const reason = reasonOf(options.force);
  const now = options.now ?? (() => new Date());
  return withBook(source, false, (book) => {
    if (book.readOnly) throw new ReconciliationError('READ_ONLY', 'this journal was opened read-only');
    // A day that has not begun could only collect later sales as adjustments.
    const today = businessDay(now(), book.timeZone, book.cutoffHour);
    if (d > today)
      throw new ReconciliationError('FUTURE_DAY', `business day ${d} has not begun (today is ${today})`);
    // The whole log is re-hashed before taking the write lock, so the till's writes never
    // wait for it (seconds, on a year of a busy shop); under the lock, only what came since.
    const prefix = verifiedPrefix(book.db);
    const close = book.db.transaction((): ClosedDay => {
      if (closureOf(book.db, d))
        throw new ReconciliationError('ALREADY_CLOSED', `business day ${d} is already closed`);
      const createdAt = now().toISOString();
      const report = liveReport(book, d, {
        chainPrefix: prefix,
        checkRows: true,
        now: () => new Date(createdAt),
        ...(options.storeName === undefined ? {} : { storeName: options.storeName }),
        ...(options.posId === undefined ? {} : { posId: options.posId }),
      });
      if (report.unsettled.length > 0 && reason === null) {
        throw new ReconciliationError(
          'UNSETTLED',
          `${report.unsettled.length} outcome(s) of ${d} are still unknown: check the day with DropPay, or close it with a written reason`,
          report.unsettled,
        );
      }
      // A difference the check with DropPay found and could not mend by recording DropPay's
      // outcome (a charge DropPay failed that the journal has as paid, say) is closed over only
      // by a person who says why: it stays in the closure.
      const mismatches = unmendedMismatches(report.check);
      if (mismatches > 0 && reason === null) {
        throw new ReconciliationError(
          'MISMATCHED',
          `the check with DropPay found ${mismatches} difference(s) on ${d}: look at them, check again, or close the day with a written reason`,
          [],
          mismatches,
        );
      }
      // A check DropPay did not answer for some items is no check of them, nor is one the till
      // stopped in the middle of (a crash: it never reached the rest): its "no differences"
      // covers only what it read, so closing over the rest needs a person who says why.
      const unread = unreadItems(report.check);
      if (unread > 0 && reason === null) {
        throw new ReconciliationError(
          'UNREAD',
          `the check with DropPay did not read ${unread} item(s) of ${d} (DropPay did not answer, or the check was cut short): check again, or close the day with a written reason`,
          [],
          unread,
        );
      }
      // What changed after the check is not vouched for by it: checked again, or closed over by
      // a person who says why (as a day never checked).
      const changed = changedAfterCheck(report.check);
      if (changed > 0 && reason === null) {
        throw new ReconciliationError(
          'UNCHECKED',
          `${changed} item(s) of ${d} changed after its check with DropPay: check again, or close the day with a written reason`,
          [],
          changed,
        );
      }
      // A closure anchors the chain's head: anchoring a log that does not verify needs a person
      // to say why (the break stays visible in every report after).
      if (report.chain.ok === false && reason === null) {
        throw new ReconciliationError(
          'CHAIN_BROKEN',
          `the journal's event chain is broken at event ${report.chain.brokenAtSeq ?? '?'} (${report.chain.reason ?? 'unknown'}): the journal may have been altered; close the day only with a written reason`,
        );
      }
      // A day never checked with DropPay is vouched for by the till alone: closing it so is a
      // person's decision, with the reason kept in the closure.
      if (uncheckedDay(report) && reason === null) {
        throw new ReconciliationError(
          'UNCHECKED',
          `${d} has not been checked with DropPay: check it first, or close the day with a written reason`,
        );
      }
      const head = reportStatements(book.db).head.get() ?? { seq: 0, hash: GENESIS_HASH };
      const row = newClosureRow(book.db, report, head, createdAt, reason);
      insertClosure(book.db, row);
      const closure = closureInfo(row, head.hash, verifyClosures(book.db).ok);
      return { closure, report: { ...report, closure } };
    });
    return close.immediate();
  });
}
