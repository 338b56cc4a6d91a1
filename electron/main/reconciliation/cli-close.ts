/**
 * The command line's helpers for choosing a journal, closing a day and listing the closed
 * days: what it prints, kept apart from the argument parsing in cli.ts. Money is integer cents,
 * printed as plain euros (`12.50`); no secret is ever in a journal, so nothing here prints one.
 */
import { existsSync } from 'node:fs';
import { uncheckedDay, unmendedMismatches, unreadItems } from '../../../shared/day';
import { journalPathFor } from '../app/target';
import type { ClosedDay } from './close';
import type { ClosedDaySummary } from './closures';
import { formatCents } from './csv';
import { ReconciliationError } from './errors';
import type { UnsettledItem } from './types';

export type CliEnvironment = 'production' | 'sandbox';

export const CLI_ENVIRONMENTS: readonly CliEnvironment[] = ['production', 'sandbox'];

/** `--env` when given, else DROPPAY_ENV when it names one of the two, else production. */
export function defaultEnvironment(env: NodeJS.ProcessEnv = process.env): CliEnvironment {
  const value = env['DROPPAY_ENV'];
  return value === 'sandbox' || value === 'production' ? value : 'production';
}

export interface JournalChoice {
  path: string;
  /** Null for `--journal FILE`. */
  environment: CliEnvironment | null;
  dataDir: string | null;
}

/** The journal file to open: `--journal` wins, else the environment's journal in the data folder. */
export function chooseJournal(options: {
  journal: string | undefined;
  environment: CliEnvironment;
  dataDir: string;
}): JournalChoice {
  if (options.journal !== undefined) return { path: options.journal, environment: null, dataDir: null };
  return {
    path: journalPathFor(options.dataDir, { environment: options.environment }),
    environment: options.environment,
    dataDir: options.dataDir,
  };
}

/**
 * Throws CANNOT_OPEN, naming the path, when the chosen journal file does not exist; when the
 * other environment's journal is there, says which option reaches it (a newcomer practising on
 * the sandbox has only `sandbox/journal.sqlite`).
 */
export function assertJournalExists(choice: JournalChoice): void {
  if (existsSync(choice.path)) return;
  let hint = '';
  if (choice.environment !== null && choice.dataDir !== null) {
    const other: CliEnvironment = choice.environment === 'production' ? 'sandbox' : 'production';
    const otherPath = journalPathFor(choice.dataDir, { environment: other });
    if (existsSync(otherPath)) hint = ` (the ${other} journal is at ${otherPath}: add --env ${other})`;
  }
  throw new ReconciliationError(
    'CANNOT_OPEN',
    `no journal at ${choice.path}${hint}; choose it with --env production|sandbox, --data-dir DIR or --journal FILE`,
  );
}

/** 1234 → `12.34`. */
export const euros = (cents: number): string => formatCents(cents, '.');

/** One line of text the till did not write itself (a forced reason): no line breaks. */
const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, ' ');

/** What `--close` prints on success. */
export function closeSummary(closed: ClosedDay, journalPath: string): string {
  const { closure, report } = closed;
  const lines = [
    `closed business day ${closure.day}: closure ${closure.seq}`,
    `  journal   ${journalPath}`,
    `  charged   ${euros(report.totals.chargedCents)} EUR (${report.charges.done.count} charges)`,
    `  refunded  ${euros(report.totals.refundedCents)} EUR (${report.refunds.done.count} refunds)`,
    `  net       ${euros(report.totals.netCents)} EUR`,
    `  chain head: event ${closure.chainHeadSeq}`,
  ];
  if (closure.forcedReason !== null) {
    const why = [
      ...(report.unsettled.length > 0 ? [`${report.unsettled.length} outcome(s) still unknown`] : []),
      ...(report.chain.ok === false
        ? [`journal chain broken at event ${report.chain.brokenAtSeq ?? '?'}`]
        : []),
      ...(unmendedMismatches(report.check) > 0
        ? [`${unmendedMismatches(report.check)} difference(s) found by DropPay`]
        : []),
      ...(unreadItems(report.check) > 0
        ? [`${unreadItems(report.check)} item(s) not read from DropPay`]
        : []),
      ...(uncheckedDay(report) ? ['never checked with DropPay'] : []),
    ];
    lines.push(`  forced: ${oneLine(closure.forcedReason)}${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  }
  if (!closure.closuresIntact) {
    lines.push('  WARNING: the chain of earlier closures does not verify');
  }
  return `${lines.join('\n')}\n`;
}

/** What `--close` prints on stderr when the day cannot close yet. */
export function unsettledMessage(error: ReconciliationError): string {
  const items = error.unsettled.map(
    (u: UnsettledItem) =>
      `  ${u.kind}  ${u.merchantRef}  ${euros(u.amount)} EUR  status ${u.status}  (since ${u.createdAt})`,
  );
  return [
    `close refused: UNSETTLED: ${error.message}`,
    ...items,
    'The day stays open. Check the day with DropPay in the app (end-of-day screen), then close it again;',
    'or, if the outcome cannot be known, close it anyway with --reason "what happened".',
  ].join('\n');
}

/** What `--list-closed` prints: one closed day a line, newest first. */
export function closedDaysText(days: readonly ClosedDaySummary[]): string {
  return days
    .map(
      (d) =>
        `${d.seq}  ${d.day}  net ${euros(d.netCents)}  charges ${d.chargesCount}  refunds ${d.refundsCount}` +
        (d.adjustmentsCount > 0 ? `  adjustments ${euros(d.adjustmentsCents)}` : '') +
        (d.forced ? '  forced' : ''),
    )
    .join('\n')
    .concat(days.length > 0 ? '\n' : '');
}
