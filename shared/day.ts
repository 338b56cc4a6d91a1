import { z } from 'zod';
import { BusinessDaySchema } from './sales';
import { ChargeStatusSchema, PolicySchema, RefundStatusSchema, SaleStateSchema } from './sale-states';
import { MAX_FORCE_REASON, type CheckProgress } from './day-rules';
import { LANGUAGES } from './languages';

export * from './day-rules';

/**
 * The end of day as the renderer sees it: the day's report, checking it with DropPay, closing
 * it and exporting it. These schemas mirror electron/main/reconciliation/types.ts (shared/
 * cannot import it); the day handlers return those types through these schemas, so a drift
 * between the two is a compile error there. Money is integer cents; a day's totals are not
 * capped like one amount, and nets can be negative (a refund of yesterday's sale).
 */

const Total = z.number().int().min(0);
const Signed = z.number().int();

/** A count of items and their sum in cents. */
export const CountSumSchema = z.object({ count: z.number().int().min(0), cents: Total });

/** How checking a day can disagree with DropPay, or settle an unknown outcome. */
export const FINDING_CODES = [
  'MISSING_AT_DROPPAY',
  'MISSING_IN_JOURNAL',
  'STATUS_DIFFERS',
  'AMOUNT_DIFFERS',
  'SETTLED',
] as const;

/** One thing checking the day found, with what the owner can do about it in both languages. */
export const FindingSchema = z.object({
  code: z.enum(FINDING_CODES),
  itemKind: z.enum(['charge', 'refund']),
  journalId: z.string().nullable(),
  saleId: z.string(),
  merchantRef: z.string(),
  droppayId: z.string().nullable(),
  journalStatus: z.string().nullable(),
  droppayStatus: z.string().nullable(),
  journalAmount: Total.nullable(),
  droppayAmount: Total.nullable(),
  recorded: z.string().nullable(),
  hint: z.object({ en: z.string(), it: z.string() }),
});
export type Finding = z.infer<typeof FindingSchema>;

/** The stored result of the last check of a day. */
export const CheckSectionSchema = z.object({
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  total: z.number().int().min(0),
  checked: z.number().int().min(0),
  skipped: z.number().int().min(0),
  errors: z.number().int().min(0),
  /** The day's charges and refunds made or changed after the check read them. */
  changedSince: z.number().int().min(0),
  mismatches: z.array(FindingSchema),
  settled: z.array(FindingSchema),
});
export type CheckSection = z.infer<typeof CheckSectionSchema>;
// day-rules.ts spells the progress out (it cannot import zod): a stored check must still be one.
const checkIsProgress = (section: CheckSection): CheckProgress => section;
void checkIsProgress;

const AdjustmentSchema = z.object({
  day: BusinessDaySchema,
  carriedBy: BusinessDaySchema,
  seq: z.number().int(),
  at: z.string(),
  itemKind: z.enum(['charge', 'refund']),
  itemId: z.string(),
  saleId: z.string(),
  merchantRef: z.string(),
  droppayId: z.string().nullable(),
  from: z.union([ChargeStatusSchema, RefundStatusSchema]).nullable(),
  to: z.union([ChargeStatusSchema, RefundStatusSchema]),
  chargedDeltaCents: Signed,
  refundedDeltaCents: Signed,
  netDeltaCents: Signed,
  /** The charge's or refund's amount after the step: at stake while its outcome is open. */
  amountCents: z.number().int().nonnegative(),
});

const AdjustmentsSchema = z.object({
  items: z.array(AdjustmentSchema),
  chargedCents: Signed,
  refundedCents: Signed,
  netCents: Signed,
});

/** A closed day's immutable record, and whether it still holds. */
export const ClosureInfoSchema = z.object({
  seq: z.number().int().min(1),
  day: BusinessDaySchema,
  createdAt: z.string(),
  chainHeadSeq: z.number().int().min(0),
  chainHeadHash: z.string(),
  forcedReason: z.string().nullable(),
  hash: z.string(),
  anchorIntact: z.boolean(),
  closuresIntact: z.boolean(),
});

/** The day's report: totals, breakdowns, what is still open or unknown, and the chain check. */
export const DayReportSchema = z.object({
  version: z.literal(1),
  day: BusinessDaySchema,
  timeZone: z.string(),
  cutoffHour: z.number().int().min(0).max(23),
  window: z.object({ start: z.string(), end: z.string(), hours: z.number().int() }),
  storeName: z.string().nullable(),
  posId: z.string().nullable(),
  generatedAt: z.string(),
  sales: z.object({
    count: z.number().int().min(0),
    byState: z.partialRecord(SaleStateSchema, z.number().int().min(0)),
  }),
  charges: z.object({
    done: CountSumSchema,
    failed: CountSumSchema,
    unsettled: CountSumSchema,
    byStatus: z.partialRecord(ChargeStatusSchema, CountSumSchema),
  }),
  refunds: z.object({
    done: CountSumSchema,
    failed: CountSumSchema,
    unsettled: CountSumSchema,
    byStatus: z.partialRecord(RefundStatusSchema, CountSumSchema),
  }),
  totals: z.object({ chargedCents: Total, refundedCents: Total, netCents: Signed }),
  byPolicy: z.array(
    z.object({
      policy: PolicySchema,
      sales: z.number().int().min(0),
      charged: CountSumSchema,
      refunded: CountSumSchema,
      netCents: Signed,
    }),
  ),
  byHour: z.array(
    z.object({
      index: z.number().int().min(0),
      startsAt: z.string(),
      label: z.string(),
      utcOffset: z.string(),
      charged: CountSumSchema,
      refunded: CountSumSchema,
      netCents: Signed,
    }),
  ),
  openPreauthorizations: z.array(
    z.object({
      saleId: z.string(),
      merchantRef: z.string(),
      authorizationId: z.string().nullable(),
      amount: Total,
      state: SaleStateSchema,
      createdAt: z.string(),
    }),
  ),
  unsettled: z.array(
    z.object({
      kind: z.enum(['authorization', 'charge', 'refund']),
      id: z.string(),
      saleId: z.string(),
      merchantRef: z.string(),
      droppayId: z.string().nullable(),
      amount: Total,
      status: z.string(),
      createdAt: z.string(),
      lastError: z.string().nullable(),
    }),
  ),
  chain: z.object({
    ok: z.boolean().nullable(),
    scope: z.enum(['full', 'since-last-closure', 'none']),
    fromSeq: z.number().int().min(0),
    count: z.number().int().min(0),
    headSeq: z.number().int().min(0),
    headHash: z.string(),
    brokenAtSeq: z.number().int().optional(),
    reason: z.string().optional(),
    message: z.string().optional(),
  }),
  adjustments: AdjustmentsSchema,
  closure: ClosureInfoSchema.nullable(),
  laterAdjustments: AdjustmentsSchema,
  check: CheckSectionSchema.nullable(),
});
export type DayReport = z.infer<typeof DayReportSchema>;

/**
 * Which day: a business day, or today's when omitted. The chain is re-hashed from the last
 * closure on (quick) unless `verify` asks for the whole journal.
 */
export const DayInputSchema = z.object({
  day: BusinessDaySchema.optional(),
  verify: z.enum(['since-last-closure', 'full']).optional(),
});

/** Checking a day with DropPay; `recheck` reads back everything, not only what changed. */
export const DayCheckInputSchema = z.object({ day: BusinessDaySchema, recheck: z.boolean().optional() });

/** Closing a day; `forceReason` closes it although outcomes are unknown, and is recorded. */
export const DayCloseInputSchema = z.object({
  day: BusinessDaySchema,
  forceReason: z.string().trim().min(1).max(MAX_FORCE_REASON).optional(),
});

/** The export formats: CSV (comma, or semicolon with decimal commas for Italian spreadsheets), PDF, JSON. */
export const EXPORT_FORMATS = ['csv', 'csv-semicolon', 'pdf', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const DayExportInputSchema = z.object({
  day: BusinessDaySchema,
  format: z.enum(EXPORT_FORMATS),
  lang: z.enum(LANGUAGES),
});

/** The list of closed days as CSV (every day closed on this till, oldest first, with a total). */
export const ClosedDaysExportInputSchema = z.object({
  format: z.enum(['csv', 'csv-semicolon']),
  lang: z.enum(LANGUAGES),
});
export type ClosedDaysExportInput = z.infer<typeof ClosedDaysExportInputSchema>;

/** A file for the renderer to save: text as is, binary (PDF) as base64. */
export const ExportFileSchema = z.object({
  fileName: z.string().regex(/^[\w.-]+$/),
  mimeType: z.string(),
  encoding: z.enum(['utf8', 'base64']),
  content: z.string(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

/** One closed day in the list of closures, newest first. */
export const ClosedDaySchema = z.object({
  seq: z.number().int().min(1),
  day: BusinessDaySchema,
  createdAt: z.string(),
  chargedCents: Total,
  refundedCents: Total,
  netCents: Signed,
  chargesCount: z.number().int().min(0),
  refundsCount: z.number().int().min(0),
  /** Changes to earlier closed days this day's report carries (signed cents). */
  adjustmentsCents: Signed,
  adjustmentsCount: z.number().int().min(0),
  forced: z.boolean(),
});
export type ClosedDay = z.infer<typeof ClosedDaySchema>;

/** Progress of a running check, pushed as the `day` event. */
export const DayCheckProgressSchema = z.object({
  day: BusinessDaySchema,
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  skipped: z.number().int().min(0),
  errors: z.number().int().min(0),
  running: z.boolean(),
});
export type DayCheckProgress = z.infer<typeof DayCheckProgressSchema>;
