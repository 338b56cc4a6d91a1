/**
 * The back-office command line, three ways:
 *
 *   npm run report -- [--day YYYY-MM-DD] [--format csv|pdf|json] [--separator comma|semicolon]
 *     [--lang it|en] [--out FILE] [--verify full|since-last-closure|none] [WHERE]
 *   npm run report -- --close --day YYYY-MM-DD [--reason TEXT] [--format csv|pdf|json --out FILE] [WHERE]
 *   npm run report -- --list-closed [WHERE]
 *
 * WHERE picks the journal: `--env production|sandbox` (default: DROPPAY_ENV when it is one of
 * the two, else production) in `--data-dir DIR` (default: the app's data folder), that is
 * `<dataDir>/journal.sqlite` or `<dataDir>/sandbox/journal.sqlite`; or `--journal FILE`, which
 * wins over both.
 *
 * The report (the day defaults to today's business day) and the list read the journal through
 * a read-only connection: they never write to it. `--close` closes the day, as the app's
 * end-of-day screen does: it writes one closure row, in one IMMEDIATE transaction beside the
 * app's writers, so it too is safe while the till is running. It is refused while an outcome of
 * the day is unknown, unless `--reason` says why the day is closed anyway (the reason is stored
 * with the closure). It prints a summary; with `--out` it also writes the closed day's report
 * (`--format`, default json) to that file. The business-day rule and the store name come from
 * the journal's own settings. Exit codes: 0 done, 1 failed (a refused close leaves the day
 * open and the journal as it was), 2 wrong usage (nothing is written).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../app/data-dir';
import { businessDay } from '../journal/business-day';
import { openDayBookFile, type DayBook } from './book';
import {
  CLI_ENVIRONMENTS,
  assertJournalExists,
  chooseJournal,
  closeSummary,
  closedDaysText,
  defaultEnvironment,
  unsettledMessage,
} from './cli-close';
import { closeDay } from './close';
import { closedDays, closedDaysCsv } from './closed-days';
import { exportCsv } from './csv';
import { ReconciliationError } from './errors';
import { renderJson } from './json';
import { exportPdf } from './pdf/report-pdf';
import { buildDayReport } from './report';

const WHERE = '[--env production|sandbox] [--data-dir DIR | --journal FILE]';
const USAGE = [
  'usage: npm run report -- [--day YYYY-MM-DD] [--format csv|pdf|json] [--separator comma|semicolon] ' +
    `[--lang it|en] [--out FILE] [--verify full|since-last-closure|none] ${WHERE}`,
  `       npm run report -- --close --day YYYY-MM-DD [--reason TEXT] [--format csv|pdf|json --out FILE] ${WHERE}`,
  `       npm run report -- --list-closed [--format csv [--separator comma|semicolon] [--lang it|en] [--out FILE]] ${WHERE}`,
].join('\n');

class UsageError extends Error {}

type Mode = 'report' | 'close' | 'list';

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        day: { type: 'string' },
        format: { type: 'string' },
        separator: { type: 'string' },
        lang: { type: 'string' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        verify: { type: 'string' },
        env: { type: 'string' },
        journal: { type: 'string' },
        close: { type: 'boolean' },
        reason: { type: 'string' },
        'list-closed': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

type Values = ReturnType<typeof parse>;

/** Which of the three things to do, refusing the combinations that mean nothing. */
function modeOf(values: Values): Mode {
  if (values['list-closed']) {
    const extra = (['close', 'reason', 'day', 'verify'] as const).filter((k) => values[k] !== undefined);
    if (extra.length > 0) {
      throw new UsageError(`--list-closed takes no --${extra.join(', --')}`);
    }
    if (values.format !== undefined && values.format !== 'csv') {
      throw new UsageError(`--list-closed writes text, or --format csv; got --format ${values.format}`);
    }
    return 'list';
  }
  if (values.close) {
    if (values.day === undefined) {
      throw new UsageError('--close needs --day YYYY-MM-DD: a closed day is final, so name it');
    }
    if (values.format !== undefined && values.out === undefined) {
      throw new UsageError(
        '--close prints its summary on stdout: with --format, say where the report goes with --out FILE',
      );
    }
    return 'close';
  }
  if (values.reason !== undefined) throw new UsageError('--reason only goes with --close');
  return 'report';
}

/** The day's report in the chosen format, from `book` (after a close, the closed report). */
function renderReport(book: DayBook, day: string, values: Values): Buffer | string {
  const format = oneOf(values.format, ['csv', 'pdf', 'json'] as const, 'format', 'json');
  const separator = oneOf(values.separator, ['comma', 'semicolon'] as const, 'separator', 'comma');
  // Italian by default, except for the comma CSV, which is meant for English spreadsheets.
  const lang = oneOf(
    values.lang,
    ['it', 'en'] as const,
    'lang',
    format === 'csv' && separator === 'comma' ? 'en' : 'it',
  );
  const verify = oneOf(values.verify, ['full', 'since-last-closure', 'none'] as const, 'verify', 'full');
  const options = { verifyChain: verify === 'full' ? true : verify === 'none' ? false : verify };
  return format === 'csv'
    ? exportCsv(book, day, { ...options, separator, lang })
    : format === 'pdf'
      ? exportPdf(book, day, { ...options, lang })
      : renderJson(buildDayReport(book, day, options));
}

/** Checks every option's value before the journal is opened, so wrong usage never writes. */
function checkValues(values: Values): void {
  oneOf(values.format, ['csv', 'pdf', 'json'] as const, 'format', 'json');
  oneOf(values.separator, ['comma', 'semicolon'] as const, 'separator', 'comma');
  oneOf(values.lang, ['it', 'en'] as const, 'lang', 'it');
  oneOf(values.verify, ['full', 'since-last-closure', 'none'] as const, 'verify', 'full');
}

/** Writes what `--out` names, or stdout. */
function emit(data: Buffer | string, out: string | undefined): void {
  if (out === undefined) process.stdout.write(data);
  else writeFileSync(out, data);
}

/** Raised once the day is closed: whatever fails then, the close itself stands. */
class AfterCloseError extends Error {}

function run(mode: Mode, values: Values): void {
  checkValues(values);
  const choice = chooseJournal({
    journal: values.journal,
    environment: oneOf(values.env, CLI_ENVIRONMENTS, 'env', defaultEnvironment()),
    dataDir: values['data-dir'] ?? defaultDataDir(),
  });
  assertJournalExists(choice);
  const book = openDayBookFile({ path: choice.path, readOnly: mode !== 'close' });
  try {
    if (mode === 'list') {
      if (values.format === 'csv') {
        const separator = oneOf(values.separator, ['comma', 'semicolon'] as const, 'separator', 'comma');
        const lang = oneOf(values.lang, ['it', 'en'] as const, 'lang', separator === 'comma' ? 'en' : 'it');
        emit(closedDaysCsv(book, { separator, lang }), values.out);
      } else {
        // A negative LIMIT is SQLite's "no limit": every closed day.
        emit(closedDaysText(closedDays(book, -1)), values.out);
      }
    } else if (mode === 'close') {
      if (!book.hasReconTables) {
        throw new Error(
          `the journal ${choice.path} predates day closures: open it once with the app, which updates it, then close the day`,
        );
      }
      const day = values.day ?? '';
      const reason = values.reason;
      const closed = closeDay(book, day, reason === undefined ? {} : { force: { reason } });
      process.stdout.write(closeSummary(closed, choice.path));
      if (values.out !== undefined) {
        try {
          emit(renderReport(book, day, values), values.out);
        } catch (error) {
          throw new AfterCloseError(messageOf(error));
        }
      }
    } else {
      const day = values.day ?? businessDay(new Date(), book.timeZone, book.cutoffHour);
      emit(renderReport(book, day, values), values.out);
    }
  } finally {
    book.close();
  }
}

function messageOf(error: unknown): string {
  return error instanceof ReconciliationError
    ? `${error.code}: ${error.message}`
    : error instanceof Error
      ? error.message
      : String(error);
}

function fail(mode: Mode, error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (error instanceof AfterCloseError) {
    process.stderr.write(
      `the day IS closed, but its report could not be written to --out: ${error.message}\n`,
    );
    return 1;
  }
  if (error instanceof ReconciliationError && error.code === 'UNSETTLED') {
    process.stderr.write(`${unsettledMessage(error)}\n`);
    return 1;
  }
  if (error instanceof ReconciliationError && error.code === 'CHAIN_BROKEN') {
    process.stderr.write(
      `close refused: CHAIN_BROKEN: ${messageOf(error)}\nThe day stays open. Find out what changed the journal (the report shows where the chain breaks); close it anyway only with --reason "what happened".\n`,
    );
    return 1;
  }
  if (
    error instanceof ReconciliationError &&
    (error.code === 'UNCHECKED' || error.code === 'UNREAD' || error.code === 'MISMATCHED')
  ) {
    process.stderr.write(
      `close refused: ${messageOf(error)}\nThe day stays open. Check it with DropPay in the app (End of day), or close it anyway with --reason "why".\n`,
    );
    return 1;
  }
  if (error instanceof ReconciliationError && error.code === 'ALREADY_CLOSED') {
    process.stderr.write(
      `close refused: ${messageOf(error)}; a closed day is final (its report: the same command without --close)\n`,
    );
    return 1;
  }
  const what = mode === 'close' ? 'close failed' : mode === 'list' ? 'list failed' : 'report failed';
  process.stderr.write(`${what}: ${messageOf(error)}\n`);
  const usage =
    error instanceof ReconciliationError && (error.code === 'INVALID_DAY' || error.code === 'INVALID_REASON');
  return usage ? 2 : 1;
}

function main(): void {
  let mode: Mode = 'report';
  try {
    const values = parse(process.argv.slice(2));
    if (values.help) {
      process.stdout.write(`${USAGE}\n`);
      return;
    }
    mode = modeOf(values);
    run(mode, values);
  } catch (error) {
    process.exitCode = fail(mode, error);
  }
}

main();
