import { z } from 'zod';
import { ERROR_DETAIL_KEYS } from './result';
import { IsoSchema, PositiveCentsSchema, SaleViewSchema } from './sales';

/**
 * What the core tells the renderer without being asked: the events pushed as sales change, the
 * operations whose outcome is not known yet (the banner) and what a recovery pass found.
 */

/** An error detail the renderer words itself (shared/result.ts ErrorDetail). */
export const ErrorDetailSchema = z.object({
  key: z.enum(ERROR_DETAIL_KEYS),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** What an operation whose outcome is not known yet is about. */
export const PendingKindSchema = z.enum(['authorization', 'charge', 'refund']);
export type PendingKind = z.infer<typeof PendingKindSchema>;

/** One operation whose outcome is not known yet; the background resolver keeps reading it back. */
export const PendingItemSchema = z.object({
  saleId: z.string(),
  merchantRef: z.string(),
  kind: PendingKindSchema,
  amount: PositiveCentsSchema,
  since: IsoSchema,
  lastError: z.string().nullable(),
  /** Why the last read-back this run did not settle it (DropPay unreachable, say), if it failed. */
  problem: ErrorDetailSchema.nullable(),
  /** When this run last read it back from DropPay, and when it will next (terminal clock). */
  checkedAt: IsoSchema.nullable(),
  nextCheckAt: IsoSchema.nullable(),
  /** An authorization whose creation answer was lost: no QR reached the customer, who cannot have paid. */
  qrNeverShown: z.boolean(),
});
export type PendingItem = z.infer<typeof PendingItemSchema>;

/** For the banner: how many operations have an unknown outcome, and which. */
export const PendingSummarySchema = z.object({
  count: z.number().int().min(0),
  items: z.array(PendingItemSchema),
});
export type PendingSummary = z.infer<typeof PendingSummarySchema>;

/** What a start-up (or background) recovery pass found and did. */
export const RecoveryReportSchema = z.object({
  /** Operations without an outcome that were looked at. */
  checked: z.number().int().min(0),
  /** Of those, how many now have a definite outcome. */
  resolved: z.number().int().min(0),
  /** Still unknown (DropPay unreachable or not telling): the resolver keeps trying. */
  unknown: z.number().int().min(0),
  /** Sales still waiting for the payer or granted, whose polling was resumed. */
  resumed: z.number().int().min(0),
});
export type RecoveryReport = z.infer<typeof RecoveryReportSchema>;

/** Pushed to the renderer as things happen. */
export const SaleEventSchema = z.discriminatedUnion('type', [
  /** A sale changed (state, charge, refund): replace the one on screen. */
  z.object({ type: z.literal('sale.updated'), sale: SaleViewSchema }),
  /** The authorization exists: show its link as a QR code on the customer display. */
  z.object({
    type: z.literal('sale.sharing'),
    saleId: z.string(),
    amount: PositiveCentsSchema,
    sharingUrl: z.string(),
    waitingExpiresAt: IsoSchema,
  }),
  /**
   * Reading a sale that waits for the payer keeps failing (`problem`, since `since`), or works
   * again (`problem` null). The sale itself is unchanged: the till keeps asking.
   */
  z.object({
    type: z.literal('sale.polling'),
    saleId: z.string(),
    problem: ErrorDetailSchema.nullable(),
    since: IsoSchema.nullable(),
  }),
  /** A recovery pass ran: `pending` operations were looked at, `unknown` still are. */
  z.object({
    type: z.literal('recovery'),
    pending: z.number().int().min(0),
    unknown: z.number().int().min(0),
  }),
]);
export type SaleEvent = z.infer<typeof SaleEventSchema>;
