import type { DropPayClient } from '../droppay';
import type { Journal } from '../journal';
import { businessDay } from '../journal/business-day';
import {
  buildDayReport,
  checkDay,
  closeDay,
  closedDays,
  closedDaysCsv,
  exportCsv,
  exportPdf,
  renderJson,
  type CheckSection,
  type ClosedDaySummary,
  type DayReport,
} from '../reconciliation';
import type { DayCheckProgress, ExportFile, ExportFormat } from '../../../shared/day';

export interface DayServiceDeps {
  /** The current environment's sales journal (it follows environment switches). */
  journal: () => Journal;
  client: () => DropPayClient;
  /** Progress of a running check, for the `day` push event. */
  onProgress: (progress: DayCheckProgress) => void;
  now?: () => Date;
  /**
   * Whose reports they are: the shop's name (the settings' store name, else DropPay's) and the
   * till's POS ID. The sales journal alone has neither (the sandbox's journal is not even the
   * one holding the settings).
   */
  identity?: () => Promise<ReportIdentity>;
  /** How long an item must be quiet before the check concludes it did not happen. */
  settleAfterMs?: number;
}

export interface ReportIdentity {
  storeName: string | null;
  posId: string | null;
}

/** The end of day as the cashier app uses it: the reconciliation core over the open journal. */
export interface DayService {
  /** Today's business day by the journal's zone and cut-off. */
  today(): string;
  report(day?: string, verify?: 'since-last-closure' | 'full'): Promise<DayReport>;
  /** Checks a day with DropPay; a second call for a day already being checked joins the first. */
  check(day: string, recheck?: boolean): Promise<CheckSection>;
  close(day: string, forceReason?: string): Promise<DayReport>;
  exportFile(day: string, format: ExportFormat, lang: 'it' | 'en'): Promise<ExportFile>;
  closures(): ClosedDaySummary[];
  /** Every closed day as CSV, oldest first, with a total line. */
  exportClosures(format: 'csv' | 'csv-semicolon', lang: 'it' | 'en'): ExportFile;
}

/** At most this often a running check pushes its progress (the last one always goes). */
const PROGRESS_EVERY_MS = 100;

export function createDayService(deps: DayServiceDeps): DayService {
  const now = deps.now ?? (() => new Date());
  /** What every report of this service is built with: the clock, the shop and the till. */
  const reportOptions = async (): Promise<{ now: () => Date } & Partial<ReportIdentity>> =>
    deps.identity ? { now, ...(await deps.identity()) } : { now };
  const running = new Map<string, Promise<CheckSection>>();

  const today = (): string => {
    const journal = deps.journal();
    return businessDay(now(), journal.timeZone, journal.cutoffHour);
  };

  const runCheck = async (journal: Journal, day: string, recheck: boolean): Promise<CheckSection> => {
    let last = 0;
    const progress = (p: Omit<DayCheckProgress, 'day' | 'running'>, running: boolean): void =>
      deps.onProgress({ day, ...p, running });
    progress({ done: 0, total: 0, skipped: 0, errors: 0 }, true);
    try {
      const section = await checkDay(journal, deps.client(), day, {
        recheck,
        now,
        ...(deps.settleAfterMs !== undefined ? { settleAfterMs: deps.settleAfterMs } : {}),
        onProgress: (p) => {
          const at = Date.now();
          if (p.done < p.total && at - last < PROGRESS_EVERY_MS) return;
          last = at;
          progress(p, true);
        },
      });
      progress(
        { done: section.total, total: section.total, skipped: section.skipped, errors: section.errors },
        false,
      );
      return section;
    } catch (error) {
      progress({ done: 0, total: 0, skipped: 0, errors: 1 }, false);
      throw error;
    }
  };

  return {
    today,
    async report(day, verify = 'since-last-closure') {
      const options = await reportOptions();
      return buildDayReport(deps.journal(), day ?? today(), {
        ...options,
        verifyChain: verify === 'full' ? true : verify,
        // The screen the owner closes from shows an edited row as the close will find it.
        checkRows: true,
      });
    },
    check(day, recheck = false) {
      const journal = deps.journal();
      const key = `${journal.path}\n${day}`;
      const current = running.get(key);
      if (current) return current;
      const run = runCheck(journal, day, recheck).finally(() => running.delete(key));
      running.set(key, run);
      return run;
    },
    async close(day, forceReason) {
      const base = await reportOptions();
      const options = forceReason === undefined ? base : { ...base, force: { reason: forceReason } };
      return closeDay(deps.journal(), day, options).report;
    },
    async exportFile(day, format, lang): Promise<ExportFile> {
      const options = await reportOptions();
      const journal = deps.journal();
      const base = `droppay-day-${day}`;
      switch (format) {
        case 'csv':
        case 'csv-semicolon': {
          const semicolon = format === 'csv-semicolon';
          return {
            // Named by kind and by the language inside, so the two never take each other's name
            // and an English file never says "-it" (QA D13).
            fileName: `${base}${semicolon ? '-excel' : ''}-${lang}.csv`,
            mimeType: 'text/csv;charset=utf-8',
            encoding: 'utf8',
            content: exportCsv(journal, day, {
              // Headings and labels in the language of whoever exports, whatever the separator.
              separator: semicolon ? 'semicolon' : 'comma',
              lang,
              ...options,
              verifyChain: 'since-last-closure',
            }),
          };
        }
        case 'pdf': {
          // The report and its movements, the same lines the CSV has.
          const pdf = exportPdf(journal, day, { ...options, lang, verifyChain: 'since-last-closure' });
          return {
            fileName: `${base}-${lang}.pdf`,
            mimeType: 'application/pdf',
            encoding: 'base64',
            content: pdf.toString('base64'),
          };
        }
        case 'json':
          return {
            fileName: `${base}.json`,
            mimeType: 'application/json',
            encoding: 'utf8',
            content: renderJson(
              buildDayReport(journal, day, { ...options, verifyChain: 'since-last-closure' }),
            ),
          };
      }
    },
    closures: () => closedDays(deps.journal()),
    exportClosures(format, lang) {
      const semicolon = format === 'csv-semicolon';
      return {
        fileName: `droppay-closed-days${semicolon ? '-excel' : ''}-${lang}.csv`,
        mimeType: 'text/csv;charset=utf-8',
        encoding: 'utf8',
        content: closedDaysCsv(deps.journal(), { separator: semicolon ? 'semicolon' : 'comma', lang }),
      };
    },
  };
}
