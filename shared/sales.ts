import { z } from 'zod';
import { MAX_CENTS } from './money';
import {
  AuthorizationStatusSchema,
  ChargeStatusSchema,
  PolicySchema,
  RefundStatusSchema,
  SaleStateSchema,
  SALE_STATES,
  TimelineKindSchema,
  MAX_TEXT_LENGTH,
  textLength,
} from './sale-states';

/**
 * The sale domain as the renderer sees it: zod schemas (used by the IPC contract to validate
 * both directions) and the types inferred from them. Money is always integer cents. The closed
 * sets they use are in sale-states.ts, the events pushed to the renderer in sale-events.ts.
 */

/**
 * How long a pre-authorization holds the customer's money for a capture: a week covers a
 * rental or a hotel stay, and a reservation never stays open without an end (QA C15).
 */
export const PREAUTH_HOLD_DAYS = 7;

/** The end of a BOOKED sale's charge window, from its creation: what the till sends DropPay. */
export function captureDeadline(createdAt: string): string {
  return new Date(Date.parse(createdAt) + PREAUTH_HOLD_DAYS * 86_400_000).toISOString();
}

/** An amount of money in integer cents, 0..MAX_CENTS. */
export const CentsSchema = z.number().int().min(0).max(MAX_CENTS);
/** An amount to charge or refund: integer cents, 1..MAX_CENTS. */
export const PositiveCentsSchema = z.number().int().min(1).max(MAX_CENTS);

/**
 * Counted in code points, as DropPay and the journal count them; blank text is refused. A
 * code point is at most two UTF-16 units, so longer strings are refused at once, before the
 * checks that walk the whole text (a huge one over IPC cannot hold up main).
 */
const TextSchema = z
  .string()
  .max(MAX_TEXT_LENGTH * 2, { abort: true })
  .refine((s) => s.trim().length > 0, 'must not be blank')
  .refine((s) => textLength(s) <= MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`)
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');
const IdSchema = z.string().min(1).max(64);
/** An instant as ISO 8601 (UTC, from the terminal's clock). */
export const IsoSchema = z.string().min(1);
/** A business day, YYYY-MM-DD. */
export const BusinessDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The refund of a charge (at most one per charge, as DropPay allows). */
export const RefundViewSchema = z.object({
  id: z.string(),
  droppayId: z.string().nullable(),
  amount: PositiveCentsSchema,
  reason: z.string(),
  status: RefundStatusSchema,
  /**
   * When this refund was asked: for one asked again after a FAILED attempt, the latest
   * attempt's time (the one shown), not the first's.
   */
  createdAt: IsoSchema,
  updatedAt: IsoSchema,
  lastError: z.string().nullable(),
});
export type RefundView = z.infer<typeof RefundViewSchema>;

/** A charge on a sale; `droppayId` is null until DropPay's id is known (e.g. found at reconciliation). */
export const ChargeViewSchema = z.object({
  id: z.string(),
  droppayId: z.string().nullable(),
  amount: PositiveCentsSchema,
  status: ChargeStatusSchema,
  /** `droppay` when DropPay charged by itself (policy CHARGED). */
  origin: z.enum(['terminal', 'droppay']),
  createdAt: IsoSchema,
  updatedAt: IsoSchema,
  lastError: z.string().nullable(),
  refund: RefundViewSchema.nullable(),
});
export type ChargeView = z.infer<typeof ChargeViewSchema>;

/** A sale with its charges and refunds: what every sale screen shows. */
export const SaleViewSchema = z.object({
  id: z.string(),
  /** The terminal's reference, sent to DropPay as merchant_custom_id (e.g. S-20260504-7K3QMZ). */
  merchantRef: z.string(),
  amount: PositiveCentsSchema,
  description: z.string(),
  policy: PolicySchema,
  state: SaleStateSchema,
  authorizationId: z.string().nullable(),
  authorizationStatus: AuthorizationStatusSchema.nullable(),
  /** The link to show as a QR code while the sale is waiting. */
  sharingUrl: z.string().nullable(),
  /** When the payer's time runs out (creation + the configured waiting time), for the countdown. */
  waitingExpiresAt: IsoSchema,
  /**
   * A pre-authorization (BOOKED): the end of its charge window, which the till sends DropPay
   * as charge_date_end (creation + PREAUTH_HOLD_DAYS); after it nothing can be captured and the
   * customer's money is released. Null for the other policies.
   */
  captureBy: IsoSchema.nullable(),
  businessDay: BusinessDaySchema,
  createdAt: IsoSchema,
  updatedAt: IsoSchema,
  /** The last problem, in words a cashier can read; null once resolved. */
  lastError: z.string().nullable(),
  /** Sum of DONE/ACCOUNTED charges. */
  charged: CentsSchema,
  /** Sum of DONE/ACCOUNTED refunds. */
  refunded: CentsSchema,
  /** What can still be refunded: charges without a refund in progress or done. */
  refundable: CentsSchema,
  charges: z.array(ChargeViewSchema),
});
export type SaleView = z.infer<typeof SaleViewSchema>;

/** Starts a sale: the amount to take, what it is for, and optionally DropPay's policy. */
export const StartSaleInputSchema = z.object({
  amount: PositiveCentsSchema,
  description: TextSchema,
  policy: PolicySchema.optional(),
});
export type StartSaleInput = z.infer<typeof StartSaleInputSchema>;

/** Captures a BOOKED sale for any amount up to what was booked; the rest is released. */
export const CaptureInputSchema = z.object({
  saleId: IdSchema,
  amount: PositiveCentsSchema,
});
export type CaptureInput = z.infer<typeof CaptureInputSchema>;

/** A manager PIN: 4 to 8 digits. */
export const ManagerPinSchema = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');

/** Refunds a charge (once, up to its amount); `managerPin` when the shop requires one. */
export const RefundInputSchema = z.object({
  chargeId: IdSchema,
  amount: PositiveCentsSchema,
  reason: TextSchema,
  managerPin: ManagerPinSchema.optional(),
});
export type RefundInput = z.infer<typeof RefundInputSchema>;

/** Which sales the history screen lists. Days are business days, inclusive. */
export const SaleFilterSchema = z.object({
  from: BusinessDaySchema.optional(),
  to: BusinessDaySchema.optional(),
  state: z.union([SaleStateSchema, z.array(SaleStateSchema).max(SALE_STATES.length)]).optional(),
  /** Matches the merchant reference, description or authorization id. */
  text: z.string().max(200).optional(),
  /** True: only the sales with a refund, of all or part, that did not fail. */
  refunded: z.boolean().optional(),
  limit: z.number().int().min(1).max(500).optional(),
  offset: z.number().int().min(0).optional(),
});
export type SaleFilter = z.infer<typeof SaleFilterSchema>;

/**
 * A sale of the page that cannot be shown: one of its stored dates names no real time (the
 * journal file was damaged). Named, never left out silently.
 */
export const DamagedSaleSchema = z.object({
  id: z.string(),
  merchantRef: z.string(),
  /** The damaged column, e.g. `sale.createdAt`, `charge.updatedAt`. */
  field: z.string(),
  /** What is stored there. */
  value: z.string(),
});
export type DamagedSale = z.infer<typeof DamagedSaleSchema>;

/** A page of sales, newest first, and how many match in all (damaged ones included). */
export const SaleListSchema = z.object({
  sales: z.array(SaleViewSchema),
  /** Sales of this page that cannot be shown, in page order. */
  damaged: z.array(DamagedSaleSchema),
  total: z.number().int().min(0),
});
export type SaleList = z.infer<typeof SaleListSchema>;

/**
 * One step of a sale's history, from the journal. Summary fields only: never a token, a PIN
 * or a raw DropPay entity.
 */
export const TimelineEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: IsoSchema,
  kind: TimelineKindSchema,
  /** The sale, charge or refund the step is about (local id). */
  entityId: z.string().nullable(),
  /** The sale's state after this step, when the step says. */
  saleState: SaleStateSchema.nullable(),
  amount: CentsSchema.nullable(),
  /** The authorization, charge or refund status this step recorded. */
  status: z.string().nullable(),
  /** DropPay's id of what the step is about (authorization, charge or refund). */
  droppayId: z.string().nullable(),
  error: z.string().nullable(),
  note: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

// The payments service takes these from here.
export type { PendingSummary, RecoveryReport, SaleEvent } from './sale-events';
