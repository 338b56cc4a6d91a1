/**
 * The field readers DropPay's JSON is read with, tolerant where DropPay varies: unknown fields
 * pass, ids and codes may be numbers, nulls count as absent, statuses come in several
 * spellings. What the till relies on (ids, statuses, amounts) is strict, so a surprise shows up
 * as MALFORMED_RESPONSE naming the field instead of a wrong receipt. The entities built from
 * them are in wire.ts.
 */
import { z } from 'zod';
import { eurosToCents, MoneyError } from '../../../shared/money';
import type {
  AuthorizationPolicy,
  AuthorizationStatus,
  ChargeStatus,
  ConnectionStatus,
  RefundStatus,
} from './types';

export const opt = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
export const text = opt(z.string());
export const id = z.union([z.string().min(1), z.number()]).transform(String);
export const count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

/** Euros on the wire, cents inside: exact, and more than two decimals is an error, not a rounding. */
const money = z.unknown().transform((value, ctx) => {
  try {
    return eurosToCents(value);
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: err instanceof MoneyError ? err.message : 'not an amount',
      input: value,
    });
    return z.NEVER;
  }
});

/** An amount that moved or may move: the contract has every one above zero. */
export const positiveMoney = money.pipe(z.number().int().min(1, 'must be above zero'));

function statusOf<S extends string>(aliases: Readonly<Record<string, S>>) {
  return z.string().transform((raw, ctx) => {
    const status = aliases[raw.trim().toUpperCase()];
    if (status === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown status "${raw}"`, input: raw });
      return z.NEVER;
    }
    return { status, raw };
  });
}

export const authorizationStatus = statusOf<AuthorizationStatus>({
  NEW: 'WAITING',
  ENQUEUED: 'WAITING',
  WAITING: 'WAITING',
  GRANTED: 'GRANTED',
  REFUSED: 'REFUSED',
  CANCELLED: 'CANCELLED',
  CANCELED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
});
const settlement = {
  NEW: 'PENDING',
  ENQUEUED: 'PENDING',
  PENDING: 'PENDING',
  DONE: 'DONE',
  FAILED: 'FAILED',
  ACCOUNTED: 'ACCOUNTED',
} as const;
export const chargeStatus = statusOf<ChargeStatus>(settlement);
export const refundStatus = statusOf<RefundStatus>(settlement);
export const connectionStatus = statusOf<ConnectionStatus>({
  WAITING: 'WAITING',
  GRANTED: 'GRANTED',
  REFUSED: 'REFUSED',
  EXPIRED: 'EXPIRED',
  REVOKED: 'REVOKED',
  CANCELLED: 'CANCELLED',
  CANCELED: 'CANCELLED',
});
export const policy = z
  .string()
  .nullish()
  .transform((raw, ctx): AuthorizationPolicy => {
    const p = (raw ?? 'CHARGEABLE').trim().toUpperCase();
    if (p === 'CHARGEABLE' || p === 'CHARGED' || p === 'BOOKED') return p;
    ctx.addIssue({ code: 'custom', message: `unknown policy "${raw}"`, input: raw });
    return z.NEVER;
  });

/**
 * A token goes into an Authorization header: visible ASCII only (a newline or a non-Latin-1
 * character would make every request fail locally, looking like a network fault).
 */
export const headerToken = z.string().regex(/^[\x21-\x7E]+$/, 'not a usable token');
