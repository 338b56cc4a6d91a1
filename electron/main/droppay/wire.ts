/**
 * Tolerant readers of DropPay's JSON: its entities (token, authorization, charge, refund,
 * connection, brands) read into the client's types (types.ts), and parseWire, which turns a
 * reading that fails into MALFORMED_RESPONSE naming the field. The single fields' rules are in
 * wire-fields.ts.
 */
import { z } from 'zod';
import { DropPayError, type HttpMethod } from './errors';
import type {
  Authorization,
  AuthorizationCharge,
  Brand,
  Charge,
  Connection,
  Refund,
  TokenGrant,
} from './types';
import {
  authorizationStatus,
  chargeStatus,
  connectionStatus,
  count,
  headerToken,
  id,
  opt,
  policy,
  positiveMoney,
  refundStatus,
  text,
} from './wire-fields';

export const tokenSchema = z
  .object({
    access_token: headerToken,
    refresh_token: opt(headerToken),
    expires_in: z.union([
      z.number().positive(),
      z
        .string()
        .regex(/^[1-9]\d*$/)
        .transform(Number),
    ]),
  })
  .transform((w): TokenGrant => ({
    accessToken: w.access_token,
    refreshToken: w.refresh_token,
    expiresIn: w.expires_in,
  }));

const payTokenSchema = z.object({
  val: z.string().min(1),
  date_issued: text,
  date_expiring: text,
  charge_available: opt(count),
});

const authorizationChargeSchema = z
  .object({ id, amount: positiveMoney, status: chargeStatus })
  .transform((w): AuthorizationCharge => ({ id: w.id, amount: w.amount, status: w.status.status }));

export const authorizationSchema = z
  .object({
    id,
    status: authorizationStatus,
    pos_id: text,
    description: text,
    charge_amount: positiveMoney,
    policy,
    charge_max_count: opt(count),
    charge_success_count: opt(count),
    charge_date_start: text,
    charge_date_end: text,
    merchant_custom_id: text,
    sharing: text,
    date_creation: text,
    date_last_update: text,
    pay_token: opt(payTokenSchema),
    charges: opt(z.array(authorizationChargeSchema)),
    charge_id: opt(id),
  })
  .transform((w, ctx): Authorization => {
    // Without a count nor a list, nobody could tell whether a lost charge happened.
    let successCount = w.charge_success_count;
    if (successCount === undefined && w.charges !== undefined) {
      successCount = w.charges.filter((c) => c.status === 'DONE' || c.status === 'ACCOUNTED').length;
    }
    if (successCount === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'missing (and no charges listed)',
        path: ['charge_success_count'],
        input: w,
      });
      return z.NEVER;
    }
    return {
      id: w.id,
      status: w.status.status,
      rawStatus: w.status.raw,
      posId: w.pos_id,
      description: w.description,
      amount: w.charge_amount,
      policy: w.policy,
      chargeMaxCount: w.charge_max_count ?? 1,
      chargeSuccessCount: successCount,
      chargeDateStart: w.charge_date_start,
      chargeDateEnd: w.charge_date_end,
      merchantCustomId: w.merchant_custom_id,
      sharing: w.sharing,
      createdAt: w.date_creation,
      updatedAt: w.date_last_update,
      payToken: w.pay_token && {
        val: w.pay_token.val,
        issuedAt: w.pay_token.date_issued,
        expiresAt: w.pay_token.date_expiring,
        chargeAvailable: w.pay_token.charge_available,
      },
      charges: w.charges,
      chargeId: w.charge_id,
    };
  });

const refundFields = {
  id,
  charge_id: id,
  amount: positiveMoney,
  reason: text,
  status: refundStatus,
  date_creation: text,
  date_last_update: text,
};

const toRefund = (w: z.infer<z.ZodObject<typeof refundFields>>): Refund => ({
  id: w.id,
  chargeId: w.charge_id,
  amount: w.amount,
  reason: w.reason,
  status: w.status.status,
  rawStatus: w.status.raw,
  createdAt: w.date_creation,
  updatedAt: w.date_last_update,
});

export const refundSchema = z.object(refundFields).transform(toRefund);

/**
 * The refund inside a GET charge. The contract names it without its fields: `charge_id` may be
 * left out there (it is the charge's own), so its absence does not make the whole charge
 * unreadable, which would leave a charge in doubt unresolvable. The rest is required as on its own.
 */
const embeddedRefund = z.object({ ...refundFields, charge_id: opt(id) });

export const chargeSchema = z
  .object({
    id,
    authorization_id: id,
    pay_token_val: text,
    amount: positiveMoney,
    description: text,
    merchant_custom_id: text,
    merchant_custom_label: text,
    status: chargeStatus,
    date_creation: text,
    date_done: text,
    pos_id: text,
    merchant_business_name: text,
    payer_name: text,
    refund: opt(embeddedRefund),
  })
  .transform((w): Charge => ({
    id: w.id,
    authorizationId: w.authorization_id,
    payTokenVal: w.pay_token_val,
    amount: w.amount,
    description: w.description,
    merchantCustomId: w.merchant_custom_id,
    merchantCustomLabel: w.merchant_custom_label,
    status: w.status.status,
    rawStatus: w.status.raw,
    createdAt: w.date_creation,
    doneAt: w.date_done,
    posId: w.pos_id,
    merchantBusinessName: w.merchant_business_name,
    payerName: w.payer_name,
    refund:
      w.refund === undefined ? undefined : toRefund({ ...w.refund, charge_id: w.refund.charge_id ?? w.id }),
  }));

export const connectionSchema = z
  .object({ id, status: connectionStatus, sharing: text, code: text, pos_id: text })
  .transform((w): Connection => ({
    id: w.id,
    status: w.status.status,
    rawStatus: w.status.raw,
    sharing: w.sharing,
    code: w.code,
    posId: w.pos_id,
  }));

const storeSchema = z.object({ id, name: z.string(), place: text, address: text });

export const brandsSchema = z
  .object({
    brands: z.array(
      z.object({
        id,
        name: z.string(),
        image: text,
        description: text,
        business_categories: opt(z.array(z.unknown())),
        status: text,
        stores: opt(z.array(storeSchema)),
      }),
    ),
  })
  .transform((w): Brand[] =>
    w.brands.map((b) => ({
      id: b.id,
      name: b.name,
      image: b.image,
      description: b.description,
      businessCategories: (b.business_categories ?? []).filter((c): c is string => typeof c === 'string'),
      status: b.status,
      stores: b.stores ?? [],
    })),
  );

export interface ParseContext {
  method: HttpMethod;
  path: string;
  what: string;
  /** A POST that succeeded server side but whose answer cannot be read: the caller must read back. */
  inDoubt?: boolean;
}

/** Parses a response body, or throws MALFORMED_RESPONSE naming the first offending field. */
export function parseWire<T>(schema: z.ZodType<T>, body: unknown, ctx: ParseContext): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
  throw new DropPayError('MALFORMED_RESPONSE', {
    method: ctx.method,
    path: ctx.path,
    field,
    inDoubt: ctx.inDoubt ?? false,
    message: `DropPay sent an unreadable ${ctx.what}: field "${field}": ${issue?.message ?? 'invalid'}`,
  });
}
