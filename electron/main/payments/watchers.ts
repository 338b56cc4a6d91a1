/**
 * The timers that keep DropPay and the journal in step while the till runs: one poller per sale
 * waiting for (or granted by) the payer, and followers for charges and refunds DropPay has
 * not settled yet. Polling is the baseline; a webhook only makes a poll happen sooner.
 */
import { DropPayError } from '../droppay';
import { PaymentsError } from './errors';
import { resolveCharge } from './charge-resolution';
import type { Ctx } from './context';
import { resolveRefund } from './refund-flow';
import { applyAuthorization, endUnknownToDropPay } from './sale-flow';

/** Sales whose authorization is still open on DropPay's side. */
const POLLED = new Set(['waiting', 'granted']);

/** Failed reads of a sale in a row before the cashier is told (one blip is not worth a word). */
export const POLL_TROUBLE_AFTER = 2;

export interface Watchers {
  watch: (saleId: string, delayMs?: number) => void;
  follow: (what: 'charge' | 'refund', id: string, delayMs?: number) => void;
}

/** The key of a sale's poll timer, and of its failures in a row. */
const pollKey = (saleId: string): string => `poll:${saleId}`;

export function createWatchers(ctx: Ctx): Watchers {
  const failures = new Map<string, number>();
  /** Sales whose polling the cashier was told is failing: the detail key told, and since when. */
  const troubled = new Map<string, { key: string; since: string }>();

  /** Tells the cashier, if they were told of trouble with this sale's polling, that it works again. */
  const cleared = (saleId: string): void => {
    if (!troubled.delete(saleId)) return;
    ctx.emit({ type: 'sale.polling', saleId, problem: null, since: null });
  };
  /** Tells the cashier when a sale's polling keeps failing, or fails in a new way. */
  const report = (saleId: string, err: unknown): void => {
    const told = troubled.get(saleId);
    if ((failures.get(pollKey(saleId)) ?? 0) < POLL_TROUBLE_AFTER) return;
    const problem = err instanceof DropPayError ? err.appDetail : PaymentsError.from(err).detail;
    if (problem === undefined || told?.key === problem.key) return;
    const since = told?.since ?? ctx.now().toISOString();
    troubled.set(saleId, { key: problem.key, since });
    ctx.emit({ type: 'sale.polling', saleId, problem, since });
  };

  /** Backs off on repeated failures, up to the resolver's pace. */
  const backoff = (key: string, base: number): number => {
    const n = failures.get(key) ?? 0;
    return Math.min(base * 2 ** n, Math.max(base, ctx.resolveIntervalMs));
  };
  const failed = (key: string, err: unknown): void => {
    failures.set(key, (failures.get(key) ?? 0) + 1);
    if (!(err instanceof DropPayError)) {
      ctx.log(`payments: ${key}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  /** See endUnknownToDropPay; a journal that cannot write it leaves the sale to the next poll. */
  const endedUnknown = (saleId: string, err: unknown): boolean => {
    try {
      return endUnknownToDropPay(ctx, saleId, err, 'expired');
    } catch (writeErr) {
      ctx.log(`payments: ${saleId}: ${writeErr instanceof Error ? writeErr.message : String(writeErr)}`);
      return false;
    }
  };

  const pollSale = async (saleId: string): Promise<void> => {
    const key = pollKey(saleId);
    let next: number | null = null;
    await ctx.withSale(saleId, async () => {
      const sale = ctx.journal.getSale(saleId);
      const authorizationId = sale?.authorizationId ?? null;
      if (sale === null || authorizationId === null || !POLLED.has(sale.state)) return;
      // Only the authorization's own read saying 404 means DropPay no longer knows it: a 404
      // met while applying it (a charge it lists, not found yet) says nothing of the sale.
      let unknownToDropPay = false;
      try {
        const auth = await ctx.client.authorizations.get(authorizationId).catch((err: unknown) => {
          unknownToDropPay = true;
          throw err;
        });
        await applyAuthorization(ctx, saleId, auth);
        failures.delete(key);
        cleared(saleId);
      } catch (err) {
        // DropPay no longer knows it, and past its time it can no longer be approved.
        if (!(unknownToDropPay && endedUnknown(saleId, err))) {
          failed(key, err);
          report(saleId, err);
        }
      }
      const after = ctx.journal.getSale(saleId);
      if (after === null || !POLLED.has(after.state)) {
        failures.delete(key);
        cleared(saleId);
        return;
      }
      // A BOOKED grant may stay open for hours until captured: no need to ask every second.
      const slow = after.state === 'granted' && after.policy === 'BOOKED';
      next = backoff(key, slow ? ctx.resolveIntervalMs : ctx.pollIntervalMs);
    });
    if (next !== null) watch(saleId, next);
  };

  const watch = (saleId: string, delayMs = ctx.pollIntervalMs): void => {
    ctx.schedule(pollKey(saleId), delayMs, () => pollSale(saleId));
  };

  const followOnce = async (what: 'charge' | 'refund', id: string): Promise<void> => {
    const key = `${what}:${id}`;
    const item = what === 'charge' ? ctx.journal.getCharge(id) : ctx.journal.getRefund(id);
    if (item === null) return;
    let status: string | null = null;
    let contradicted = false;
    await ctx.withSale(item.saleId, async () => {
      try {
        if (what === 'charge') await resolveCharge(ctx, id);
        else await resolveRefund(ctx, id);
      } catch (err) {
        // The journal refused what DropPay now says (a DONE refund read back FAILED): asking
        // again every few seconds will not change either. The record stays as it is, and the
        // day's check line by line against DropPay is where the difference shows.
        contradicted = err instanceof PaymentsError && err.code === 'INVALID_STATE';
        failed(key, err);
      }
      status = (what === 'charge' ? ctx.journal.getCharge(id) : ctx.journal.getRefund(id))?.status ?? null;
    });
    // Unsettled: keep asking at the poll pace. A DONE refund is followed, more slowly, to
    // ACCOUNTED; a DONE charge's accounting is left to reconciliation.
    if (contradicted) {
      failures.delete(key);
      ctx.log(
        `payments: ${key}: DropPay's answer contradicts the journal; no longer followed, left for the day's check`,
      );
    } else if (status === 'pending' || status === 'ENQUEUED') {
      follow(what, id, backoff(key, ctx.pollIntervalMs));
    } else if (what === 'refund' && status === 'DONE') {
      follow(what, id, ctx.resolveIntervalMs);
    } else {
      failures.delete(key);
    }
  };

  const follow = (what: 'charge' | 'refund', id: string, delayMs = ctx.pollIntervalMs): void => {
    ctx.schedule(`${what}:${id}`, delayMs, () => followOnce(what, id));
  };

  return { watch, follow };
}
