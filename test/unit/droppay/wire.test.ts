import { describe, expect, it } from 'vitest';
import { DropPayError } from '../../../electron/main/droppay/errors';
import {
  authorizationSchema,
  brandsSchema,
  chargeSchema,
  connectionSchema,
  parseWire,
  refundSchema,
  tokenSchema,
} from '../../../electron/main/droppay/wire';
import type { z } from 'zod';

const ctx = { method: 'GET' as const, path: '/x', what: 'thing' };

function malformed(schema: z.ZodType, body: unknown): DropPayError {
  try {
    parseWire(schema, body, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(DropPayError);
    expect((err as DropPayError).kind).toBe('MALFORMED_RESPONSE');
    return err as DropPayError;
  }
  throw new Error('expected MALFORMED_RESPONSE');
}

const authorization = {
  id: 'CHT123',
  status: 'WAITING',
  pos_id: 'POSV265V3PQ9E',
  description: 'Till 1',
  charge_amount: 54.72,
  policy: 'CHARGEABLE',
  charge_max_count: 1,
  charge_success_count: 0,
  date_creation: '2025-01-01T10:00:00+01:00',
  date_last_update: '2025-01-01T10:00:00+01:00',
  sharing: 'https://dp.link/u/10/CHT123',
};

const charge = {
  id: 'CHA9',
  authorization_id: 'CHT123',
  pay_token_val: 'b3c1d9a4-0000-4000-8000-000000000000',
  amount: 0.1,
  status: 'DONE',
  date_creation: '2025-01-01T10:01:00+01:00',
};

describe('authorization', () => {
  it('reads the entity, euros to cents exactly, ignoring unknown fields', () => {
    const a = parseWire(authorizationSchema, { ...authorization, brand_new_field: { x: 1 } }, ctx);
    expect(a).toMatchObject({
      id: 'CHT123',
      status: 'WAITING',
      amount: 5472,
      policy: 'CHARGEABLE',
      chargeSuccessCount: 0,
    });
    expect(a.payToken).toBeUndefined();
    expect(a.charges).toBeUndefined();
  });

  it('maps NEW and ENQUEUED to WAITING and keeps the raw status', () => {
    for (const s of ['NEW', 'ENQUEUED', 'enqueued']) {
      const a = parseWire(authorizationSchema, { ...authorization, status: s }, ctx);
      expect(a.status).toBe('WAITING');
      expect(a.rawStatus).toBe(s);
    }
  });

  it('reads the pay token, a charges list, and numeric strings for counts', () => {
    const a = parseWire(
      authorizationSchema,
      {
        ...authorization,
        status: 'GRANTED',
        charge_success_count: '1',
        pay_token: { val: 'v1', date_issued: 'a', date_expiring: 'b', charge_available: 0 },
        charges: [{ id: 7, amount: '54.72', status: 'ACCOUNTED' }],
      },
      ctx,
    );
    expect(a.payToken).toEqual({ val: 'v1', issuedAt: 'a', expiresAt: 'b', chargeAvailable: 0 });
    expect(a.charges).toEqual([{ id: '7', amount: 5472, status: 'ACCOUNTED' }]);
    expect(a.chargeSuccessCount).toBe(1);
  });

  it('defaults policy and max count when absent, and treats null as absent', () => {
    const a = parseWire(
      authorizationSchema,
      { ...authorization, policy: null, charge_max_count: undefined, pay_token: null },
      ctx,
    );
    expect(a.policy).toBe('CHARGEABLE');
    expect(a.chargeMaxCount).toBe(1);
    expect(a.payToken).toBeUndefined();
  });

  it('derives the success count from the charges when the count is missing, and refuses when both are', () => {
    const { charge_success_count: _, ...noCount } = authorization;
    const a = parseWire(
      authorizationSchema,
      {
        ...noCount,
        charges: [
          { id: 'A', amount: 1, status: 'DONE' },
          { id: 'B', amount: 1, status: 'FAILED' },
        ],
      },
      ctx,
    );
    expect(a.chargeSuccessCount).toBe(1);
    expect(malformed(authorizationSchema, noCount).field).toBe('charge_success_count');
  });

  it('rejects an amount with three decimals, naming the field', () => {
    const err = malformed(authorizationSchema, { ...authorization, charge_amount: 54.725 });
    expect(err.field).toBe('charge_amount');
    expect(err.message).toContain('charge_amount');
  });

  it.each([
    ['missing id', { ...authorization, id: undefined }, 'id'],
    ['status of the wrong type', { ...authorization, status: 3 }, 'status'],
    ['unknown status', { ...authorization, status: 'PAUSED' }, 'status'],
    ['unknown policy', { ...authorization, policy: 'LATER' }, 'policy'],
    ['negative amount', { ...authorization, charge_amount: -1 }, 'charge_amount'],
    ['amount as a boolean', { ...authorization, charge_amount: true }, 'charge_amount'],
    ['amount in exponent form', { ...authorization, charge_amount: '1e3' }, 'charge_amount'],
    ['count as a float', { ...authorization, charge_success_count: 1.5 }, 'charge_success_count'],
    ['pay token without val', { ...authorization, pay_token: { date_issued: 'x' } }, 'pay_token.val'],
    [
      'a charge with a bad amount',
      { ...authorization, charges: [{ id: 'A', amount: 0.001, status: 'DONE' }] },
      'charges.0.amount',
    ],
  ])('%s → MALFORMED_RESPONSE on %s', (_, body, field) => {
    expect(malformed(authorizationSchema, body).field).toBe(field);
  });

  it.each([null, 'not an object', [], 42])('a body of %j is malformed', (body) => {
    expect(malformed(authorizationSchema, body).kind).toBe('MALFORMED_RESPONSE');
  });
});

describe('charge and refund', () => {
  it('reads a charge and tolerates NEW/ENQUEUED as PENDING', () => {
    expect(parseWire(chargeSchema, charge, ctx)).toMatchObject({
      id: 'CHA9',
      authorizationId: 'CHT123',
      amount: 10,
      status: 'DONE',
    });
    expect(parseWire(chargeSchema, { ...charge, status: 'NEW' }, ctx).status).toBe('PENDING');
    expect(parseWire(chargeSchema, { ...charge, status: 'ENQUEUED' }, ctx).status).toBe('PENDING');
  });

  it('an amount of zero is malformed wherever money moves (the contract has every one above zero)', () => {
    expect(malformed(chargeSchema, { ...charge, amount: 0 }).field).toBe('amount');
    expect(malformed(authorizationSchema, { ...authorization, charge_amount: 0 }).field).toBe(
      'charge_amount',
    );
    expect(
      malformed(authorizationSchema, {
        ...authorization,
        charges: [{ id: 'CHA1', amount: 0, status: 'DONE' }],
      }).field,
    ).toMatch(/^charges/);
    expect(malformed(refundSchema, { id: 'CHR1', charge_id: 'CHA9', amount: 0, status: 'DONE' }).field).toBe(
      'amount',
    );
  });

  it('reads the refund embedded in a refunded charge', () => {
    const c = parseWire(
      chargeSchema,
      { ...charge, refund: { id: 'CHR1', charge_id: 'CHA9', amount: 0.05, status: 'ENQUEUED' } },
      ctx,
    );
    expect(c.refund).toMatchObject({ id: 'CHR1', amount: 5, status: 'PENDING' });
  });

  it('an embedded refund that leaves out its charge_id is the charge’s own; one without an amount is malformed', () => {
    const c = parseWire(
      chargeSchema,
      { ...charge, refund: { id: 'CHR1', amount: 2.5, status: 'DONE' } },
      ctx,
    );
    expect(c.refund).toMatchObject({ id: 'CHR1', chargeId: 'CHA9', amount: 250, status: 'DONE' });
    expect(malformed(chargeSchema, { ...charge, refund: { id: 'CHR1', status: 'DONE' } }).field).toBe(
      'refund.amount',
    );
    // On its own (GET refund) the charge_id is still required.
    expect(malformed(refundSchema, { id: 'CHR1', amount: 2.5, status: 'DONE' }).field).toBe('charge_id');
  });

  it('rejects a charge without an amount or with a wrongly typed one', () => {
    const { amount: _, ...noAmount } = charge;
    expect(malformed(chargeSchema, noAmount).field).toBe('amount');
    expect(malformed(chargeSchema, { ...charge, amount: 'ten' }).field).toBe('amount');
    expect(malformed(chargeSchema, { ...charge, authorization_id: null }).field).toBe('authorization_id');
  });

  it('reads refunds with every settlement status', () => {
    const base = { id: 'CHR1', charge_id: 'CHA9', amount: 1, reason: 'broken' };
    const statuses = ['ENQUEUED', 'DONE', 'FAILED', 'ACCOUNTED'].map(
      (s) => parseWire(refundSchema, { ...base, status: s }, ctx).status,
    );
    expect(statuses).toEqual(['PENDING', 'DONE', 'FAILED', 'ACCOUNTED']);
    expect(parseWire(refundSchema, { ...base, status: 'DONE' }, ctx).amount).toBe(100);
  });
});

describe('tokens, connection, brands', () => {
  it('reads a token answer, with expires_in as a number or a numeric string', () => {
    expect(
      parseWire(
        tokenSchema,
        { token_type: 'bearer', access_token: 'a', refresh_token: 'r', expires_in: 3600 },
        ctx,
      ),
    ).toEqual({
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 3600,
    });
    expect(parseWire(tokenSchema, { access_token: 'a', expires_in: '60' }, ctx).expiresIn).toBe(60);
  });

  it('a token answer without access_token is malformed, and the message carries no token value', () => {
    const err = malformed(tokenSchema, { refresh_token: 'refresh-secret', expires_in: 3600 });
    expect(err.field).toBe('access_token');
    expect(err.message).not.toContain('refresh-secret');
    expect(malformed(tokenSchema, { access_token: 12345, expires_in: 3600 }).message).not.toContain('12345');
  });

  it('a token that cannot go into a header, or an expiry of zero, is malformed (and not repeated)', () => {
    for (const access_token of ['good\nbad', 'with space', 'città', '']) {
      const err = malformed(tokenSchema, { access_token, expires_in: 3600 });
      expect(err.field, JSON.stringify(access_token)).toBe('access_token');
      if (access_token !== '') expect(err.message).not.toContain(access_token);
    }
    expect(malformed(tokenSchema, { access_token: 'a', refresh_token: 'r\r\nX', expires_in: 60 }).field).toBe(
      'refresh_token',
    );
    for (const expires_in of ['0', 0, '-5', '']) {
      expect(malformed(tokenSchema, { access_token: 'a', expires_in }).field, String(expires_in)).toBe(
        'expires_in',
      );
    }
  });

  it('reads a connection and its statuses', () => {
    expect(
      parseWire(connectionSchema, { id: 'CONK312VB67', status: 'GRANTED', code: 'c0de' }, ctx),
    ).toMatchObject({
      status: 'GRANTED',
      code: 'c0de',
    });
    expect(malformed(connectionSchema, { id: 'C', status: 'MAYBE' }).field).toBe('status');
  });

  it('reads brands and their stores tolerantly', () => {
    const brands = parseWire(
      brandsSchema,
      {
        brands: [
          {
            id: 12,
            name: 'Bar Roma',
            business_categories: ['FOOD', { odd: true }],
            stores: [{ id: 'S1', name: 'Centro', place: 'REAL' }],
          },
          { id: 'B2', name: 'Online' },
        ],
      },
      ctx,
    );
    expect(brands[0]).toMatchObject({
      id: '12',
      name: 'Bar Roma',
      businessCategories: ['FOOD'],
      stores: [{ id: 'S1', name: 'Centro' }],
    });
    expect(brands[1]?.stores).toEqual([]);
    expect(malformed(brandsSchema, { brand: [] }).field).toBe('brands');
  });
});
