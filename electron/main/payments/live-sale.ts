/**
 * One sale at a time at the customer: which sale holds the till now, and the refusal of a
 * second one while it does. A waiting sale past its waiting time (plus a grace for latency)
 * no longer holds it.
 */
import type { Sale } from '../journal';
import type { Ctx } from './context';
import { PaymentsError } from './errors';
import { waitingExpiresAt } from './views';

/** Slack on the payer's waiting time before a lost creation is declared over (clock skew, latency). */
export const LOST_AUTHORIZATION_GRACE_SECONDS = 30;

/**
 * One sale at a time at the customer: while one is being created, waits for the customer's
 * answer or is being charged, a second would put another QR in front of the same customer (who
 * may already have approved the first, and would pay twice). The cashier finishes or cancels
 * that one first; the screen shows it.
 */
function saleInProgress(live: Sale): PaymentsError {
  return new PaymentsError(
    'INVALID_STATE',
    `Sale ${live.merchantRef} (${live.amount} cents) is still in progress: wait for its outcome (or cancel it while it waits for the customer) before starting another.`,
    {
      saleId: live.id,
      detail: {
        key: 'sale.inProgress',
        params: { ref: live.merchantRef, amountCents: live.amount, saleId: live.id },
      },
    },
  );
}

/**
 * The sale in progress at the customer, if any. A waiting sale past its waiting time (and the
 * grace for latency) no longer holds the till, even while the till cannot learn how it ended
 * (DropPay unreachable, or no longer knowing it): the customer's QR is gone by then.
 */
export function liveSale(ctx: Ctx): Sale | null {
  for (const sale of ctx.journal.liveSales()) {
    if (leftOver(ctx, sale)) continue;
    if (sale.state !== 'waiting' || !pastWaitingTime(ctx, sale)) return sale;
  }
  return null;
}

/**
 * A sale being created when the till last stopped: no answer to its creation can reach this
 * run, and no QR of it was ever shown (its authorization is not on record), so it is not at
 * the customer. The start-up recovery ends it or finds it out.
 */
function leftOver(ctx: Ctx, sale: Sale): boolean {
  return (sale.state === 'created' || sale.state === 'authorizing') && !ctx.live.has(sale.id);
}

/** Past the sale's waiting time and the grace for latency: the payer can no longer approve. */
export function pastWaitingTime(ctx: Ctx, sale: Sale): boolean {
  const over =
    Date.parse(waitingExpiresAt(sale, ctx.waitingSeconds)) + LOST_AUTHORIZATION_GRACE_SECONDS * 1000;
  return ctx.now().getTime() > over;
}

/** Refuses when another sale than `saleId` is in progress at the customer. */
export function mustBeOnlySale(ctx: Ctx, saleId?: string): void {
  const live = liveSale(ctx);
  if (live !== null && live.id !== saleId) throw saleInProgress(live);
}
