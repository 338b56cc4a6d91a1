/**
 * Checking a day with DropPay: every sale with a share in the day is read back, a few at a time,
 * and each item's result is stored as soon as it is known. So is whatever came into doubt on an
 * earlier closed day after its close: it blocks this day's close, and this day carries it. A re-run (after a crash, a network
 * outage, or just to refresh) skips every sale whose items are unchanged in the journal since
 * they were checked and had a final answer; pending and failed reads are asked again.
 */
import type { DropPayClient } from '../droppay';
import type { Journal, SaleDetail } from '../journal';
import type { BusinessDay } from '../journal/business-day';
import { openDayBook } from './book';
import { checkSale, isExpected, itemsOf, type ItemOutcome } from './check-sale';
import {
  checkSection,
  isFinal,
  saveCheck,
  startRun,
  storedChecks,
  updateRun,
  type CheckRow,
  type RunCounts,
} from './check-store';
import { unsettledOfClosedDays, type UnsettledRow } from './queries';
import { assertDay } from './report';
import type { CheckSection } from './types';

export interface CheckProgress {
  /** Items (authorizations, charges, refunds) dealt with so far, skipped ones included. */
  done: number;
  total: number;
  skipped: number;
  errors: number;
}

export interface CheckOptions {
  /** Sales read back at the same time (default 4). */
  concurrency?: number;
  onProgress?: (progress: CheckProgress) => void;
  /** Check everything again, ignoring stored results. */
  recheck?: boolean;
  /** Conclude "it did not happen" only for items unchanged this long (default 2 minutes). */
  settleAfterMs?: number;
  now?: () => Date;
}

interface SaleTask {
  saleId: string;
  /** The day whose items of the sale are checked: this day, or an earlier closed one. */
  day: BusinessDay;
  items: { kind: ItemOutcome['kind']; id: string; seq: number }[];
}

/** The day each of a sale's items in doubt belongs to (its own row's business day). */
function dayOfItem(detail: SaleDetail, row: UnsettledRow): BusinessDay {
  if (row.kind === 'charge')
    return detail.charges.find((c) => c.id === row.id)?.businessDay ?? detail.sale.businessDay;
  if (row.kind === 'refund')
    return detail.refunds.find((r) => r.id === row.id)?.businessDay ?? detail.sale.businessDay;
  return detail.sale.businessDay;
}

const DEFAULT_SETTLE_AFTER_MS = 120_000;

/** Checks `day` with DropPay; returns the day's check section as stored afterwards. */
export async function checkDay(
  journal: Journal,
  client: DropPayClient,
  day: string,
  options: CheckOptions = {},
): Promise<CheckSection> {
  const d: BusinessDay = assertDay(day);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4));
  const now = options.now ?? (() => new Date());
  const settleAfterMs = options.settleAfterMs ?? DEFAULT_SETTLE_AFTER_MS;
  const book = openDayBook(journal);
  try {
    const saleIds = book.db
      .prepare<[{ day: string }], string>(
        `SELECT id FROM sales WHERE business_day = @day
         UNION SELECT sale_id FROM charges WHERE business_day = @day
         UNION SELECT c.sale_id FROM refunds r JOIN charges c ON c.id = r.charge_id WHERE r.business_day = @day`,
      )
      .pluck()
      .all({ day: d });
    const tasks: SaleTask[] = [];
    const planned = new Set<string>();
    const plan = (saleId: string, day: BusinessDay, detail: SaleDetail): void => {
      if (planned.has(`${saleId}\n${day}`)) return;
      planned.add(`${saleId}\n${day}`);
      tasks.push({ saleId, day, items: itemsOf(detail, day) });
    };
    for (const saleId of saleIds) {
      const detail = journal.getSaleDetail(saleId);
      if (detail) plan(saleId, d, detail);
    }
    // What came into doubt on an earlier closed day after its close blocks this day's close
    // (the report lists it), and this day carries how it ends: it is read back too, on its
    // own day, and its result is kept with this day's check.
    if (book.hasReconTables) {
      for (const row of unsettledOfClosedDays(book.db, d)) {
        const detail = journal.getSaleDetail(row.sale_id);
        if (detail) plan(row.sale_id, dayOfItem(detail, row), detail);
      }
    }
    const stored = options.recheck ? new Map<string, CheckRow>() : storedChecks(book.db, d);
    const unchanged = (t: SaleTask): boolean =>
      t.items.every((i) => {
        const s = stored.get(`${i.kind}:${i.id}`);
        return s !== undefined && s.journal_seq === i.seq && isFinal(s.result);
      });

    const counts: RunCounts = { total: 0, checked: 0, skipped: 0, errors: 0 };
    for (const t of tasks) counts.total += t.items.length;
    startRun(book.db, d, now().toISOString(), counts.total);
    const report = (): void => {
      updateRun(book.db, d, counts, null);
      options.onProgress?.({
        done: counts.checked + counts.skipped,
        total: counts.total,
        skipped: counts.skipped,
        errors: counts.errors,
      });
    };
    const base = { journal, client, now, settleAfterMs };

    const runTask = async (t: SaleTask): Promise<void> => {
      if (t.items.length === 0) return;
      if (unchanged(t)) {
        counts.skipped += t.items.length;
        report();
        return;
      }
      let outcomes: ItemOutcome[];
      try {
        outcomes = await checkSale({ ...base, day: t.day }, t.saleId);
      } catch (error) {
        if (!isExpected(error)) throw error;
        outcomes = t.items.map((i) => ({
          kind: i.kind,
          id: i.id,
          result: 'error',
          droppayStatus: null,
          droppayAmount: null,
          findings: [],
        }));
      }
      // The seq after any settlement, so the next run sees the item as unchanged since.
      const after = journal.getSaleDetail(t.saleId);
      const seqs = new Map((after ? itemsOf(after, t.day) : []).map((i) => [`${i.kind}:${i.id}`, i.seq]));
      const checkedAt = now().toISOString();
      book.db.transaction(() => {
        for (const o of outcomes) {
          const seq = seqs.get(`${o.kind}:${o.id}`);
          if (seq === undefined) continue;
          saveCheck(book.db, {
            business_day: d,
            item_kind: o.kind,
            item_id: o.id,
            sale_id: t.saleId,
            journal_seq: seq,
            result: o.result,
            droppay_status: o.droppayStatus,
            droppay_amount: o.droppayAmount,
            findings: JSON.stringify(o.findings),
            checked_at: checkedAt,
          });
          if (o.result === 'error') counts.errors += 1;
        }
        // A charge the check found at DropPay and recorded was written from DropPay's own
        // answer: it is checked as it stands, so it is neither read again nor "changed since".
        const before = new Set(t.items.map((i) => `${i.kind}:${i.id}`));
        for (const [key, seq] of seqs) {
          if (before.has(key) || outcomes.some((o) => `${o.kind}:${o.id}` === key)) continue;
          const [kind, id] = key.split(':') as [ItemOutcome['kind'], string];
          saveCheck(book.db, {
            business_day: d,
            item_kind: kind,
            item_id: id,
            sale_id: t.saleId,
            journal_seq: seq,
            result: 'match',
            droppay_status: null,
            droppay_amount: null,
            findings: '[]',
            checked_at: checkedAt,
          });
        }
      })();
      counts.checked += t.items.length;
      report();
    };

    // A fixed pool of workers pulling from one queue bounds the calls in flight.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const task = tasks[next];
        next += 1;
        if (task) await runTask(task);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(tasks.length, 1)) }, worker));
    updateRun(book.db, d, counts, now().toISOString());
    const section = checkSection(book.db, d);
    if (section === null) throw new Error('the check run vanished');
    return section;
  } finally {
    book.close();
  }
}
