/**
 * Start-up recovery and the background resolver. Both walk the journal's pending operations
 * (authorization POSTs without an answer, charges and refunds in intent/pending/unknown) and
 * read each back from DropPay with the rules of charge-resolution.ts, refund-flow.ts and
 * sale-flow.ts. Whatever stays unknown is retried every resolveIntervalMs with a per-item
 * backoff (or sooner, when a POST that may still land stops being able to: in-transit.ts),
 * and every pass that changes the picture is reported as a `recovery` event. What each item's
 * last read-back met, and when the next is due, is kept for the banner (checks()).
 */
import type { ErrorDetail } from '../../../shared/result';
import type { RecoveryReport } from '../../../shared/sale-events';
import { chargeSale } from './charge-flow';
import { resolveCharge } from './charge-resolution';
import type { Ctx } from './context';
import { PaymentsError } from './errors';
import { inTransitUntil } from './in-transit';
import { reportingClient } from './read-problems';
import { resolveRefund } from './refund-flow';
import { resolveSaleInDoubt } from './lost-creation';
import { cancelRequested, cancelWaiting } from './sale-flow';

/** The longest wait between two read-backs of one item, in resolve intervals. */
const MAX_BACKOFF_STEPS = 32;

/** The last read-back of an item still unknown, in this run. Times on the terminal clock (epoch ms). */
export interface ItemCheck {
  checkedAt: number;
  nextAt: number;
  /** The failure that read-back met (DropPay unreachable, say); null when DropPay answered. */
  problem: ErrorDetail | null;
}

export interface Resolver {
  /** One pass over everything pending; `force` ignores the backoff (start-up, "check now"). */
  pass(force: boolean): Promise<RecoveryReport>;
  /** Starts the periodic passes. */
  start(): void;
  /** Items (sale id for an authorization, else charge or refund id) read back and still unknown. */
  checks(): ReadonlyMap<string, ItemCheck>;
}

type Outcome = 'resolved' | 'unknown';

export function createResolver(ctx: Ctx): Resolver {
  const backoff = new Map<string, { failures: number; nextAt: number }>();
  const checks = new Map<string, ItemCheck>();
  let lastUnknown = -1;

  const due = (id: string, force: boolean): boolean =>
    !ctx.live.has(id) && (force || (backoff.get(id)?.nextAt ?? 0) <= Date.now());

  /** `retryAt` (terminal clock): when a POST that may still land stops being able to. */
  const note = (id: string, outcome: Outcome, retryAt: number | null = null): void => {
    if (outcome === 'resolved') {
      backoff.delete(id);
      return;
    }
    const failures = (backoff.get(id)?.failures ?? 0) + 1;
    const steps = Math.min(2 ** (failures - 1), MAX_BACKOFF_STEPS);
    let nextAt = Date.now() + steps * ctx.resolveIntervalMs;
    // Read back as soon as the answer can be final, not a backoff step later.
    if (retryAt !== null) nextAt = Math.min(nextAt, Date.now() + (retryAt - ctx.now().getTime()));
    backoff.set(id, { failures, nextAt });
  };

  /** When the item's last POST can no longer take effect, if it still may now. */
  const windowOf = (kind: 'charge' | 'refund', id: string): number | null => {
    const item = kind === 'charge' ? ctx.journal.getCharge(id) : ctx.journal.getRefund(id);
    return item === null ? null : inTransitUntil(ctx, item.saleId, kind, id);
  };

  /**
   * Runs one item with a client that remembers the last DropPay failure it met; a failure of
   * one item never stops the pass.
   */
  const attempt = async (
    id: string,
    saleId: string,
    fn: (c: Ctx) => Promise<Outcome>,
  ): Promise<{ outcome: Outcome; problem: ErrorDetail | null }> => {
    let problem: ErrorDetail | null = null;
    const c: Ctx = { ...ctx, client: reportingClient(ctx.client, (error) => (problem = error.appDetail)) };
    try {
      const outcome = await ctx.withSale(saleId, () => fn(c));
      return { outcome, problem: outcome === 'unknown' ? problem : null };
    } catch (err) {
      if (err instanceof PaymentsError && err.code === 'CLOSED') throw err;
      ctx.log(`payments: resolving ${id}: ${err instanceof Error ? err.message : String(err)}`);
      return { outcome: 'unknown', problem: PaymentsError.from(err).detail ?? problem };
    }
  };

  const resolveChargeItem = async (c: Ctx, chargeId: string): Promise<Outcome> => {
    const found = c.journal.getCharge(chargeId);
    if (found === null) return 'resolved';
    return c.retrying(found.saleId, async () => {
      const result = await resolveCharge(c, chargeId);
      const sale = c.journal.getSale(found.saleId);
      // Proven not charged, on a sale the payer approved for exactly this: finish the job. A
      // BOOKED capture is the cashier's decision and is left for them to repeat.
      if (result === 'not-charged' && sale?.policy === 'CHARGEABLE' && !cancelRequested(c, sale.id)) {
        // If even its read of DropPay fails, the sale goes back to granted (not left failed
        // with the approval unused) and is charged once DropPay answers.
        await chargeSale(c, sale.id, sale.amount, 'charge', undefined, true);
      }
      return result === 'unknown' ? 'unknown' : 'resolved';
    });
  };

  const pass = async (force: boolean): Promise<RecoveryReport> => {
    let ops;
    try {
      ops = ctx.journal.pendingOperations();
    } catch (err) {
      throw PaymentsError.from(err);
    }
    let checked = 0;
    let unknown = 0;
    /** `retryAt` as for note(); null for an authorization, which is read on every pass. */
    const tally = (
      id: string,
      { outcome, problem }: { outcome: Outcome; problem: ErrorDetail | null },
      retryAt: number | null,
      everyPass = false,
    ): void => {
      checked += 1;
      if (outcome === 'unknown') unknown += 1;
      if (!everyPass) note(id, outcome, retryAt);
      if (outcome === 'resolved') {
        checks.delete(id);
        return;
      }
      // Authorizations are read again on the next pass; the others when their backoff ends.
      const wait = everyPass ? 0 : (backoff.get(id)?.nextAt ?? Date.now()) - Date.now();
      const at = ctx.now().getTime();
      checks.set(id, { checkedAt: at, nextAt: at + Math.max(wait, ctx.resolveIntervalMs), problem });
    };
    const stillPending = new Set<string>();

    for (const sale of ops.authorizations) {
      // The waiting-time check is local, so it is never held back by the backoff.
      stillPending.add(sale.id);
      if (ctx.live.has(sale.id)) continue;
      tally(sale.id, await attempt(sale.id, sale.id, (c) => resolveSaleInDoubt(c, sale.id)), null, true);
    }
    for (const charge of ops.charges) {
      stillPending.add(charge.id);
      if (!due(charge.id, force)) continue;
      const result = await attempt(charge.id, charge.saleId, (c) => resolveChargeItem(c, charge.id));
      tally(charge.id, result, result.outcome === 'unknown' ? windowOf('charge', charge.id) : null);
    }
    for (const refund of ops.refunds) {
      stillPending.add(refund.id);
      if (!due(refund.id, force)) continue;
      const result = await attempt(refund.id, refund.saleId, async (c) =>
        (await resolveRefund(c, refund.id)) === 'unknown' ? 'unknown' : 'resolved',
      );
      tally(refund.id, result, result.outcome === 'unknown' ? windowOf('refund', refund.id) : null);
    }
    // Settled by another path (a watcher, the cashier): nothing left to tell about them.
    for (const id of checks.keys()) if (!stillPending.has(id)) checks.delete(id);
    // A cancellation DropPay never confirmed is sent again (cancelling moves no money).
    let resumed = 0;
    for (const sale of ops.openSales) {
      resumed += 1;
      if (sale.state !== 'waiting' || !cancelRequested(ctx, sale.id) || !due(`cancel:${sale.id}`, force)) {
        continue;
      }
      const { outcome } = await attempt(`cancel:${sale.id}`, sale.id, async (c) => {
        const current = c.journal.getSale(sale.id);
        if (current?.state === 'waiting') await cancelWaiting(c, current);
        return c.journal.getSale(sale.id)?.state === 'waiting' ? 'unknown' : 'resolved';
      });
      note(`cancel:${sale.id}`, outcome);
    }
    forgetSettled();
    return { checked, resolved: checked - unknown, unknown, resumed };
  };

  /**
   * Drops the "gave up on its POST" marks of charges and refunds no longer in doubt (they only
   * time an in-transit window). Read and pruned in one synchronous step, so a POST given up on
   * meanwhile keeps its mark.
   */
  const forgetSettled = (): void => {
    if (ctx.gaveUp.size === 0) return;
    let open;
    try {
      open = ctx.journal.pendingOperations();
    } catch {
      return;
    }
    const unsettled = new Set([...open.charges, ...open.refunds].map((item) => item.id));
    for (const id of ctx.gaveUp.keys()) if (!unsettled.has(id)) ctx.gaveUp.delete(id);
  };

  /**
   * One pass at a time: "check now" and start-up wait for a periodic pass under way (and the
   * other way round), so two passes never read the same item at once, and a periodic pass after
   * check now keeps to the backoff it set (check now itself ignores the backoff, on purpose).
   */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = (force: boolean): Promise<RecoveryReport> => {
    const run = queue.then(
      () => pass(force),
      () => pass(force),
    );
    queue = run.catch(() => undefined);
    return run;
  };

  const loop = async (): Promise<void> => {
    try {
      const report = await serial(false);
      if (report.resolved > 0 || report.unknown !== lastUnknown) {
        lastUnknown = report.unknown;
        ctx.emit({ type: 'recovery', pending: report.checked, unknown: report.unknown });
      }
    } finally {
      ctx.schedule('resolver', ctx.resolveIntervalMs, loop);
    }
  };

  return {
    pass: async (force) => {
      const report = await serial(force);
      lastUnknown = report.unknown;
      return report;
    },
    start: () => ctx.schedule('resolver', ctx.resolveIntervalMs, loop),
    checks: () => checks,
  };
}
