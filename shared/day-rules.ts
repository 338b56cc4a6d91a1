/**
 * What closing a day asks for, from what its report says: the rules the close screen and the
 * core apply alike. No imports: the renderer takes them without zod (day.ts has the schemas
 * and re-exports these).
 */

/** The longest written reason for closing a day that still has unknown outcomes. */
export const MAX_FORCE_REASON = 1000;

/**
 * How far a day's check run got (its `finishedAt` is null while it runs, or when the till
 * stopped before it ended: a crash, a power cut).
 */
export interface CheckProgress {
  total: number;
  checked: number;
  skipped: number;
  errors: number;
  finishedAt: string | null;
}

/**
 * The items the day's last check did not reach (it was still running, or the till stopped in
 * the middle of it): it says nothing about them.
 */
export function unreachedItems(check: CheckProgress | null | undefined): number {
  if (!check || check.finishedAt !== null) return 0;
  return Math.max(0, check.total - check.checked - check.skipped);
}

/**
 * The items the day's last check could not read from DropPay (it did not answer, or the check
 * never got to them): the check says nothing about them, so closing over them needs a written
 * reason, as differences do.
 */
export function unreadItems(check: CheckProgress | null | undefined): number {
  return (check?.errors ?? 0) + unreachedItems(check);
}

/**
 * The day's charges and refunds made or changed after its last finished check (a sale after
 * it, a refund, a late outcome): the check's verdict does not cover them, so closing over them
 * needs a check again or a written reason, as a day never checked does (QA D3).
 */
export function changedAfterCheck(
  check: { finishedAt: string | null; changedSince: number } | null | undefined,
): number {
  return check?.finishedAt ? check.changedSince : 0;
}

/**
 * A day with sales, charges or refunds that was never checked with DropPay: the till's word
 * alone stands for all of it, so closing it needs a written reason, as unread items do. A day
 * with nothing on it has nothing to check.
 */
export function uncheckedDay(report: {
  check: unknown;
  sales: { count: number };
  charges: Record<'done' | 'failed' | 'unsettled', { count: number }>;
  refunds: Record<'done' | 'failed' | 'unsettled', { count: number }>;
}): boolean {
  if (report.check !== null) return false;
  const items = (s: Record<'done' | 'failed' | 'unsettled', { count: number }>): number =>
    s.done.count + s.failed.count + s.unsettled.count;
  return report.sales.count + items(report.charges) + items(report.refunds) > 0;
}

/**
 * The differences a check found and could not mend by recording DropPay's outcome: closing over
 * them needs a written reason (the core refuses without one; the close screen asks for it).
 */
export function unmendedMismatches(
  check: { mismatches: readonly { recorded: string | null }[] } | null | undefined,
): number {
  return check?.mismatches.filter((f) => f.recorded === null).length ?? 0;
}
