/**
 * Webhooks as hints: DropPay's event about an authorization or a refund only makes the service
 * read it now instead of at its next poll. A hint never throws into whoever received it; it is
 * refused (false, so DropPay sends it again) while the service is not ready or closing, or when
 * the journal cannot be read.
 */
import { messageOf } from '../journal';
import type { Ctx } from './context';
import { adoptByWebhook } from './lost-creation';

export interface Hints {
  /** An authorization's event: poll it now, or adopt it if it is ours and unknown to the journal. */
  notify: (authorizationId: string) => boolean;
  /** A refund's event (DropPay's id): follow it now if it is still on its way. */
  notifyRefund: (refundDropPayId: string) => boolean;
}

export function createHints(ctx: Ctx, isReady: () => boolean): Hints {
  const logHint = (what: string, id: string, err: unknown): void => {
    ctx.log(`payments: webhook for ${what}${id}: ${messageOf(err)}`);
  };
  /** Takes one hint (`what` names it in the log): looks its subject up, then acts on it. */
  const takeHint = <T>(
    what: string,
    id: unknown,
    lookup: (id: string) => T,
    act: (found: T, id: string) => void,
  ): boolean => {
    if (ctx.isClosed() || !isReady() || typeof id !== 'string' || id === '') return false;
    let found: T;
    try {
      found = lookup(id);
    } catch (err) {
      logHint(what, id, err);
      return false;
    }
    act(found, id);
    return true;
  };

  return {
    notify: (authorizationId) =>
      takeHint(
        '',
        authorizationId,
        (id) => ctx.journal.getSaleByAuthorization(id),
        (sale, id) => {
          if (sale !== null) {
            if (sale.state === 'waiting' || sale.state === 'granted') ctx.watch(sale.id, 0);
            return;
          }
          void ctx.track(adoptByWebhook(ctx, id).catch((err: unknown) => logHint('', id, err)));
        },
      ),
    notifyRefund: (refundDropPayId) =>
      takeHint(
        'refund ',
        refundDropPayId,
        (id) => ctx.journal.getRefundByDropPayId(id),
        (refund) => {
          // Not ours, or settled for good: nothing to read. ENQUEUED (or in doubt) is read now, and
          // DONE too, on its way to ACCOUNTED.
          if (
            refund !== null &&
            (refund.status === 'ENQUEUED' || refund.status === 'unknown' || refund.status === 'DONE')
          ) {
            ctx.follow('refund', refund.id, 0);
          }
        },
      ),
  };
}
