import { z } from 'zod';

/**
 * The closed sets of the sale domain (policies, states, DropPay's statuses, the timeline's
 * kinds) and their zod schemas. They mirror the journal's (electron/main/journal/types.ts);
 * shared/ cannot import it, so electron/main/payments/shared-sets.ts fails to compile if the two
 * ever differ.
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

export const PolicySchema = z.enum(SALE_POLICIES);
export type Policy = z.infer<typeof PolicySchema>;
export const SaleStateSchema = z.enum(SALE_STATES);
export type SaleState = z.infer<typeof SaleStateSchema>;
export const AuthorizationStatusSchema = z.enum(AUTHORIZATION_STATUSES);
export type AuthorizationStatus = z.infer<typeof AuthorizationStatusSchema>;
export const ChargeStatusSchema = z.enum(CHARGE_STATUSES);
export type ChargeStatus = z.infer<typeof ChargeStatusSchema>;
export const RefundStatusSchema = z.enum(REFUND_STATUSES);
export type RefundStatus = z.infer<typeof RefundStatusSchema>;
export const TimelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

/** True for the states a sale never leaves. */
export function isFinalSaleState(state: SaleState): boolean {
  return (FINAL_SALE_STATES as readonly string[]).includes(state);
}
