/**
 * `npm run report -- --day YYYY-MM-DD --format csv|pdf|json [--separator comma|semicolon]
 *   [--lang it|en] [--out FILE] [--data-dir DIR] [--verify full|since-last-closure|none]`
 *
 * Reads the app's journal (`<dataDir>/journal.sqlite`) through a read-only connection: it never
 * writes to it, so it is safe while the till is running. The business-day rule and the store
 * name come from the journal's own settings. Exit codes: 0 done, 1 failed, 2 wrong usage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../app/data-dir';
import { businessDay } from '../journal/business-day';
import { openDayBookFile } from './book';
import { exportCsv } from './csv';
import { ReconciliationError } from './errors';
import { renderJson } from './json';
import { renderReportPdf } from './pdf/report-pdf';
import { buildDayReport } from './report';

const USAGE =
  'usage: npm run report -- --day YYYY-MM-DD --format csv|pdf|json [--separator comma|semicolon] ' +
  '[--lang it|en] [--out FILE] [--data-dir DIR] [--verify full|since-last-closure|none]';

class UsageError extends Error {}

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

function runReport(argv: string[]): { output: Buffer | string; out: string | null } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        day: { type: 'string' },
        format: { type: 'string' },
        separator: { type: 'string' },
        lang: { type: 'string' },
        out: { type: 'string' },
        'data-dir': { type: 'string' },
        verify: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const format = oneOf(values.format, ['csv', 'pdf', 'json'] as const, 'format', 'json');
  const separator = oneOf(values.separator, ['comma', 'semicolon'] as const, 'separator', 'comma');
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const book = openDayBookFile({ path: join(dataDir, 'journal.sqlite'), readOnly: true });
  try {
    const day = values.day ?? businessDay(new Date(), book.timeZone, book.cutoffHour);
    // Italian by default, except for the comma CSV, which is meant for English spreadsheets.
    const lang = oneOf(
      values.lang,
      ['it', 'en'] as const,
      'lang',
      format === 'csv' && separator === 'comma' ? 'en' : 'it',
    );
    const verify = oneOf(values.verify, ['full', 'since-last-closure', 'none'] as const, 'verify', 'full');
    const options = { verifyChain: verify === 'full' ? true : verify === 'none' ? false : verify };
    const output =
      format === 'csv'
        ? exportCsv(book, day, { ...options, separator, lang })
        : format === 'pdf'
          ? renderReportPdf(buildDayReport(book, day, options), { lang })
          : renderJson(buildDayReport(book, day, options));
    return { output, out: values.out ?? null };
  } finally {
    book.close();
  }
}

function main(): void {
  try {
    const { output, out } = runReport(process.argv.slice(2));
    if (out === null) process.stdout.write(output);
    else writeFileSync(out, output);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    const message =
      error instanceof ReconciliationError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    process.stderr.write(`report failed: ${message}\n`);
    process.exitCode = error instanceof ReconciliationError && error.code === 'INVALID_DAY' ? 2 : 1;
  }
}

main();
