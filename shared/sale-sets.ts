/**
 * The closed sets of the sale domain (policies, states, DropPay's statuses, the timeline's
 * kinds) as plain constants, and the text limit DropPay sets. No imports: the renderer takes
 * them from here without bringing zod into its bundle (test/unit/renderer/imports.test.ts).
 * Their zod schemas are in sale-states.ts; they mirror the journal's
 * (electron/main/journal/types.ts), and electron/main/payments/shared-sets.ts fails to compile
 * if the two ever differ.
 */

/** How DropPay treats the authorization: charge later, charged at grant, or reserve then capture. */
export const SALE_POLICIES = ['CHARGEABLE', 'BOOKED', 'CHARGED'] as const;
/** Where a sale stands. `paid`, `refused`, `expired`, `cancelled`, `revoked` never change again. */
export const SALE_STATES = [
  'created',
  'authorizing',
  'waiting',
  'granted',
  'charging',
  'paid',
  'failed',
  'refused',
  'expired',
  'cancelled',
  'revoked',
  'unknown',
] as const;
/** The states a sale never leaves. */
export const FINAL_SALE_STATES = ['paid', 'refused', 'expired', 'cancelled', 'revoked'] as const;
/** DropPay's authorization statuses. */
export const AUTHORIZATION_STATUSES = [
  'WAITING',
  'GRANTED',
  'REFUSED',
  'CANCELLED',
  'EXPIRED',
  'REVOKED',
] as const;
/** `intent` and `unknown` are the terminal's own; `pending` stands for DropPay's NEW/ENQUEUED. */
export const CHARGE_STATUSES = ['intent', 'pending', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'] as const;
/** `intent` and `unknown` are the terminal's own; the rest are DropPay's. */
export const REFUND_STATUSES = ['intent', 'ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED', 'unknown'] as const;
/** Every kind of entry a sale's history (timeline) can show. */
export const TIMELINE_KINDS = [
  'sale.started',
  'sale.state',
  'authorization.create.intent',
  'authorization.created',
  'authorization.create.failed',
  'authorization.create.unknown',
  'authorization.status',
  'authorization.cancel.intent',
  'authorization.link',
  'charge.intent',
  'charge.observed',
  'charge.pending',
  'charge.done',
  'charge.failed',
  'charge.accounted',
  'charge.unknown',
  'refund.intent',
  'refund.status',
  'refund.unknown',
] as const;

export type Policy = (typeof SALE_POLICIES)[number];
export type SaleState = (typeof SALE_STATES)[number];
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** True for the states a sale never leaves. */
export function isFinalSaleState(state: SaleState): boolean {
  return (FINAL_SALE_STATES as readonly string[]).includes(state);
}

/** Most characters a description or a refund reason may have (DropPay's limit, in code points). */
export const MAX_TEXT_LENGTH = 512;

/** Length as DropPay counts it: code points, not UTF-16 units. */
export function textLength(text: string): number {
  return Array.from(text).length;
}
