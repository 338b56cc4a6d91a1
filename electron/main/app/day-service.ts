import type { DropPayClient } from '../droppay';
import type { Journal } from '../journal';
import { businessDay } from '../journal/business-day';
import {
  buildDayReport,
  checkDay,
  closeDay,
  closedDays,
  exportCsv,
  renderJson,
  renderReportPdf,
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
   * The shop's name for the reports: the settings' store name, else DropPay's. The sales
   * journal alone may not have it (the sandbox's journal is not the one holding the settings).
   */
  storeName?: () => string | null;
  /** How long an item must be quiet before the check concludes it did not happen. */
  settleAfterMs?: number;
}

/** The end of day as the cashier app uses it: the reconciliation core over the open journal. */
export interface DayService {
  /** Today's business day by the journal's zone and cut-off. */
  today(): string;
  report(day?: string, verify?: 'since-last-closure' | 'full'): DayReport;
  /** Checks a day with DropPay; a second call for a day already being checked joins the first. */
  check(day: string, recheck?: boolean): Promise<CheckSection>;
  close(day: string, forceReason?: string): DayReport;
  exportFile(day: string, format: ExportFormat, lang: 'it' | 'en'): ExportFile;
  closures(): ClosedDaySummary[];
}

/** At most this often a running check pushes its progress (the last one always goes). */
const PROGRESS_EVERY_MS = 100;

export function createDayService(deps: DayServiceDeps): DayService {
  const now = deps.now ?? (() => new Date());
  /** What every report of this service is built with: the clock and the shop's name. */
  const reportOptions = (): { now: () => Date; storeName?: string | null } =>
    deps.storeName ? { now, storeName: deps.storeName() } : { now };
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
    report(day, verify = 'since-last-closure') {
      return buildDayReport(deps.journal(), day ?? today(), {
        ...reportOptions(),
        verifyChain: verify === 'full' ? true : verify,
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
    close(day, forceReason) {
      const options =
        forceReason === undefined ? reportOptions() : { ...reportOptions(), force: { reason: forceReason } };
      return closeDay(deps.journal(), day, options).report;
    },
    exportFile(day, format, lang) {
      const journal = deps.journal();
      const base = `droppay-day-${day}`;
      switch (format) {
        case 'csv':
        case 'csv-semicolon': {
          const semicolon = format === 'csv-semicolon';
          return {
            fileName: `${base}${semicolon ? '-it' : ''}.csv`,
            mimeType: 'text/csv;charset=utf-8',
            encoding: 'utf8',
            content: exportCsv(journal, day, {
              separator: semicolon ? 'semicolon' : 'comma',
              lang: semicolon ? 'it' : 'en',
              ...reportOptions(),
              verifyChain: 'since-last-closure',
            }),
          };
        }
        case 'pdf': {
          const report = buildDayReport(journal, day, {
            ...reportOptions(),
            verifyChain: 'since-last-closure',
          });
          return {
            fileName: `${base}-${lang}.pdf`,
            mimeType: 'application/pdf',
            encoding: 'base64',
            content: renderReportPdf(report, { lang }).toString('base64'),
          };
        }
        case 'json':
          return {
            fileName: `${base}.json`,
            mimeType: 'application/json',
            encoding: 'utf8',
            content: renderJson(
              buildDayReport(journal, day, { ...reportOptions(), verifyChain: 'since-last-closure' }),
            ),
          };
      }
    },
    closures: () => closedDays(deps.journal()),
  };
}
