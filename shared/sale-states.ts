import { z } from 'zod';
import {
  AUTHORIZATION_STATUSES,
  CHARGE_STATUSES,
  REFUND_STATUSES,
  SALE_POLICIES,
  SALE_STATES,
  TIMELINE_KINDS,
} from './sale-sets';

/**
 * The zod schemas of the sale domain's closed sets (sale-sets.ts, re-exported from here for
 * the main process and the contract).
 */
export * from './sale-sets';

export const PolicySchema = z.enum(SALE_POLICIES);
export const SaleStateSchema = z.enum(SALE_STATES);
export const AuthorizationStatusSchema = z.enum(AUTHORIZATION_STATUSES);
export const ChargeStatusSchema = z.enum(CHARGE_STATUSES);
export const RefundStatusSchema = z.enum(REFUND_STATUSES);
export const TimelineKindSchema = z.enum(TIMELINE_KINDS);
