/**
 * Which DropPay session is current, and the changes that replace what a sale hangs on while
 * the till runs: the environment (a new session), the business-day rule, the payments service
 * (a new poll interval). They are held in one place so they run one at a time, are refused
 * while a sale is under way (switching away would strand it), and so a sale asked for meanwhile
 * waits for them, and for the start-up recovery, instead of starting on a session being closed.
 */
import { messageOf, type Journal } from '../journal';
import { businessDay } from '../journal/business-day';
import type { PaymentsService } from '../payments';
import { isDayClosed } from '../reconciliation';
import { AppFailure } from './errors';
import type { Session } from './session';
import { sameTarget, type TargetSpec } from './target';

export interface EnvironmentSwitchDeps {
  /** The main journal (settings), whose business-day rule follows the sales journal's. */
  mainJournal: Journal;
  /** The session the till started on. */
  first: Session;
  /** Opens the session of another environment; throws (and the current one stays) on failure. */
  open(spec: TargetSpec): Promise<Session>;
  log: (line: string) => void;
  /** The new session is current, the old one not closed yet: what shows it follows at once. */
  replaced(next: Session): void;
  /** The old session is closed: the new one's background work can start. */
  switched(next: Session): void;
}

export interface EnvironmentSwitch {
  current(): Session;
  /** Settles once the changes under way (and those queued before this call) have. */
  idle(): Promise<unknown>;
  /** See SettingsDeps.switchTo. */
  switchTo(spec: TargetSpec): Promise<void>;
  /** See SettingsDeps.changeBusinessDay. Both journals follow: settings (main) and sales. */
  changeBusinessDay(rule: { timeZone: string; cutoffHour: number }): Promise<void>;
  restartPayments(pollIntervalMs: number): Promise<void>;
  /** See Runtime.ready. */
  ready(): Promise<void>;
  /** See Runtime.payments. */
  payments(options?: { forWork?: boolean }): Promise<PaymentsService>;
  /** See Runtime.salesInProgress. */
  salesInProgress(): number;
}

/** How long a sale, cancel, capture or refund waits for the start-up recovery to finish. */
const RECOVERY_WAIT_MS = 5_000;

/**
 * How many sales of `journal` tie the till to its DropPay and its business day: one at the
 * customer (being created, waiting for the answer, being charged), or a pre-authorization being
 * captured (a call on its way). A pre-authorization waiting for its capture does not: it can
 * wait a week, nothing on the till can release it, and it is captured later from its own
 * environment's list (QA D9).
 */
function inProgress(journal: Journal): number {
  const capturing = journal
    .listSales({ state: 'charging', limit: 500 })
    .sales.filter((s) => s.policy === 'BOOKED').length;
  return journal.liveSales().length + capturing;
}

export function createEnvironmentSwitch(deps: EnvironmentSwitchDeps): EnvironmentSwitch {
  const { mainJournal, log } = deps;
  let session = deps.first;
  // Environment switches and payments restarts run one at a time; sales wait for them.
  let transition: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = transition.then(fn);
    transition = run.catch(() => undefined);
    return run;
  };

  return {
    current: () => session,
    idle: () => transition,

    switchTo: (spec) =>
      exclusive(async () => {
        if (sameTarget(spec, session.spec)) return;
        if (inProgress(session.journal) > 0) {
          throw new AppFailure(
            'INVALID_STATE',
            'Finish or cancel the sale in progress before changing the DropPay environment.',
            { key: 'settings.saleInProgress' },
          );
        }
        const next = await deps.open(spec);
        const old = session;
        session = next;
        deps.replaced(next);
        log(`DropPay environment: ${spec.environment} (${next.target.baseUrl})`);
        try {
          await old.close();
        } catch (error) {
          log(`closing the previous environment failed: ${messageOf(error)}`);
        }
        deps.switched(next);
      }),

    changeBusinessDay: (rule) =>
      exclusive(() => {
        const journals = session.journal === mainJournal ? [mainJournal] : [session.journal, mainJournal];
        if (journals.some((j) => inProgress(j) > 0)) {
          throw new AppFailure(
            'INVALID_STATE',
            'Finish or cancel the sale in progress before changing the business day.',
            { key: 'settings.dayRuleSaleInProgress' },
          );
        }
        // Sales from now on would be booked on this day: it must still be open.
        const day = businessDay(new Date(), rule.timeZone, rule.cutoffHour);
        if (journals.some((j) => isDayClosed(j, day))) {
          throw new AppFailure(
            'INVALID_STATE',
            `With this rule the present moment falls in business day ${day}, which is already closed.`,
            { key: 'settings.dayRuleClosedDay', params: { day } },
          );
        }
        for (const j of journals) j.setBusinessDayRule(rule);
        log(`business day: ${rule.timeZone}, ends at ${String(rule.cutoffHour).padStart(2, '0')}:00`);
        return Promise.resolve();
      }),

    restartPayments: (pollIntervalMs) => exclusive(() => session.restartPayments(pollIntervalMs)),

    async ready() {
      await transition;
      await session.recovery;
    },

    async payments({ forWork = false } = {}) {
      await transition;
      if (forWork) await settleWithin(session.recovery, RECOVERY_WAIT_MS);
      return session.payments();
    },

    salesInProgress() {
      try {
        return inProgress(session.journal);
      } catch {
        // A journal that cannot be read has nothing to protect by keeping the window open.
        return 0;
      }
    },
  };
}

/** Waits for `promise` (whatever its outcome) or `ms`, whichever comes first. */
async function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    await Promise.race([promise.then(noop, noop), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

function noop(): void {}
