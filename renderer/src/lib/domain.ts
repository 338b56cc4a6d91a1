import type { SaleView, ChargeView, RefundView } from '../../../shared/sales';
import { MAX_TEXT_LENGTH } from '../../../shared/sale-sets';

// The closed sets and the text limit come from the zod-free shared/sale-sets.ts.
export { MAX_TEXT_LENGTH, SALE_POLICIES, SALE_STATES, textLength } from '../../../shared/sale-sets';

/** `text` cut to MAX_TEXT_LENGTH code points (an input's maxlength counts UTF-16 units). */
export function clampText(text: string): string {
  return text.length <= MAX_TEXT_LENGTH ? text : Array.from(text).slice(0, MAX_TEXT_LENGTH).join('');
}

/** How a sale on the sale screen ended (or where it stopped), for its result screen. */
export type Outcome =
  'paid' | 'booked' | 'declined' | 'revoked' | 'expired' | 'cancelled' | 'failed' | 'unknown';

/** The result screen for a sale, or null while it is still in progress. */
export function outcomeOf(sale: Pick<SaleView, 'state' | 'policy'>): Outcome | null {
  switch (sale.state) {
    case 'created':
    case 'authorizing':
    case 'waiting':
    case 'charging':
      return null;
    case 'granted':
      // A pre-authorization stays granted until it is captured: that is its result.
      return sale.policy === 'BOOKED' ? 'booked' : null;
    case 'paid':
      return 'paid';
    case 'refused':
      return 'declined';
    case 'revoked':
      return 'revoked';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return 'failed';
    case 'unknown':
      return 'unknown';
    default: {
      const never: never = sale.state;
      return never;
    }
  }
}

/**
 * A sale the cashier may still cancel: the payer has not answered yet, or no payment link
 * ever existed (an authorization that failed or whose outcome is unknown, with no id).
 */
export function isCancellable(sale: Pick<SaleView, 'state' | 'authorizationId'>): boolean {
  if (sale.state === 'waiting') return true;
  const neverShown = sale.state === 'created' || sale.state === 'failed' || sale.state === 'unknown';
  return neverShown && sale.authorizationId === null;
}

/** A charge that took the money (DONE, or ACCOUNTED later). */
export function isPaid(charge: Pick<ChargeView, 'status'>): boolean {
  return charge.status === 'DONE' || charge.status === 'ACCOUNTED';
}

/** A refund DropPay has taken (ENQUEUED on), as opposed to one in doubt or refused. */
export function isRefundTaken(refund: Pick<RefundView, 'status'>): boolean {
  return refund.status === 'ENQUEUED' || refund.status === 'DONE' || refund.status === 'ACCOUNTED';
}

/**
 * What the customer's receipt says was paid: its paid charges less the refunds it lists (those
 * DropPay has taken, a queued one included, since the money is already on its way back). The
 * sale's own `refunded` counts a refund only once it is DONE, as the day's totals do.
 */
export function receiptNet(charges: readonly Pick<ChargeView, 'status' | 'amount' | 'refund'>[]): number {
  let net = 0;
  for (const charge of charges) {
    if (!isPaid(charge)) continue;
    net += charge.amount;
    if (charge.refund && isRefundTaken(charge.refund)) net -= charge.refund.amount;
  }
  return net;
}

/** A paid sale whose money went back in full (refunds DONE for all it charged): not "paid" to read. */
export function isFullyRefunded(sale: Pick<SaleView, 'state' | 'charged' | 'refunded'>): boolean {
  return sale.state === 'paid' && sale.charged > 0 && sale.refunded >= sale.charged;
}

/** How much of a paid sale went back (refunds DONE): all of it, part of it, or none. */
export function refundedShare(
  sale: Pick<SaleView, 'state' | 'charged' | 'refunded'>,
): 'full' | 'part' | null {
  if (isFullyRefunded(sale)) return 'full';
  return sale.state === 'paid' && sale.refunded > 0 ? 'part' : null;
}

/**
 * The refunds DropPay has taken (queued) and not done yet: money on its way back that the
 * sale's `refunded` does not count yet. One still in doubt is not counted: it may not happen.
 */
export function refundsPending(charges: readonly Pick<ChargeView, 'refund'>[]): number {
  let pending = 0;
  for (const { refund } of charges) if (refund?.status === 'ENQUEUED') pending += refund.amount;
  return pending;
}

/** A charge that can be refunded now: paid, and without a refund in progress or done. */
export function isRefundable(charge: ChargeView): boolean {
  return isPaid(charge) && (charge.refund === null || charge.refund.status === 'FAILED');
}

/** An open pre-authorization: booked, granted, not captured yet. */
export function isOpenPreauth(sale: Pick<SaleView, 'state' | 'policy' | 'authorizationStatus'>): boolean {
  if (sale.policy !== 'BOOKED') return false;
  // A capture that failed (DropPay refused it, or the till stopped before sending it) leaves the
  // reservation open at DropPay: it stays on the list, to capture again or let expire.
  return sale.state === 'granted' || (sale.state === 'failed' && sale.authorizationStatus === 'GRANTED');
}

/** Milliseconds left until `iso`, never negative. */
export function msUntil(iso: string, now: number): number {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

/** 83_000 → "1:23". */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m}:${s.toString().padStart(2, '0')}`;
}

/**
 * A failed sale DropPay still has granted and nothing was charged on: the same authorization
 * can be charged again (CHARGEABLE) or captured again (BOOKED), without a new QR.
 */
export function isChargeableAgain(
  sale: Pick<SaleView, 'state' | 'policy' | 'authorizationStatus' | 'charges'>,
): boolean {
  return (
    sale.state === 'failed' &&
    sale.authorizationStatus === 'GRANTED' &&
    sale.charges.every((c) => c.status === 'FAILED')
  );
}

/**
 * A pre-authorization whose capture failed while DropPay still holds the money: capturable
 * again, from its result, the list or its detail, never "failed" as a sale would be, and never
 * asked for with a new QR (the customer would have a second amount held).
 */
export function isCaptureAgain(
  sale: Pick<SaleView, 'state' | 'policy' | 'authorizationStatus' | 'charges'>,
): boolean {
  return sale.policy === 'BOOKED' && isChargeableAgain(sale);
}

/**
 * The amount a sale stands for on screen: what it took once it took something, else what was
 * asked. A pre-authorization captured for less than it blocked shows the capture, with the
 * blocked amount beside it (`asked`, null when the two are the same).
 */
export function shownAmount(sale: Pick<SaleView, 'amount' | 'charged' | 'policy'>): {
  cents: number;
  asked: number | null;
} {
  // Only a capture may take less than was asked: another charge that does not fit holds its
  // sale in doubt, and the screens say that instead.
  const captured = sale.policy === 'BOOKED' && sale.charged > 0 && sale.charged !== sale.amount;
  if (captured) return { cents: sale.charged, asked: sale.amount };
  return { cents: sale.amount, asked: null };
}
