import { describe, expect, it } from 'vitest';
import {
  DropPayError,
  DROPPAY_ERROR_MESSAGES,
  kindFor,
  normalizeCode,
  type DropPayErrorKind,
} from '../../../electron/main/droppay/errors';
import { HttpClient } from '../../../electron/main/droppay/http';
import { fakeFetch, json, raw, recordingSleep } from './fake-fetch';

/** Every row of the contract's error table. */
const CONTRACT_ROWS: [number, string, DropPayErrorKind][] = [
  [400, '100', 'VALIDATION'],
  [400, '101', 'VALIDATION'],
  [400, '102', 'VALIDATION'],
  [401, '100', 'AUTH_INVALID_CREDENTIALS'],
  [401, '102', 'AUTH_TOKEN'],
  [403, '101', 'FORBIDDEN_RESOURCE'],
  [403, '200', 'CHARGE_NOT_ALLOWED'],
  [403, '201', 'CHARGE_OUT_OF_SCOPE'],
  [403, '202', 'ALREADY_REFUNDED'],
  [404, '100', 'NOT_FOUND'],
  [410, '200', 'PAY_TOKEN_EXPIRED'],
];

async function failWith(
  status: number,
  body: unknown,
  method: 'GET' | 'POST' = 'GET',
): Promise<DropPayError> {
  const { fetch } = fakeFetch(() => (typeof body === 'string' ? raw(status, body) : json(status, body)));
  const http = new HttpClient({
    baseUrl: 'http://droppay.test',
    fetch,
    sleep: recordingSleep().sleep,
    retry: { maxAttempts: 1 },
  });
  const err = await http
    .request({ method, path: '/shop/v1/pos/charge/CHA1', retry: 'idempotent' })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DropPayError);
  return err as DropPayError;
}

describe('error mapping', () => {
  it.each(CONTRACT_ROWS)('%i/%s (string code) → %s', async (status, code, kind) => {
    const err = await failWith(status, { code, description: 'from server' });
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.code).toBe(code);
    expect(err.description).toBe('from server');
    expect(err.method).toBe('GET');
    expect(err.path).toBe('/shop/v1/pos/charge/CHA1');
    expect(err.userMessage).toBe(DROPPAY_ERROR_MESSAGES[kind]);
  });

  it.each(CONTRACT_ROWS)('%i/%s (numeric code) → %s', async (status, code, kind) => {
    const err = await failWith(status, { code: Number(code), description: 'x' });
    expect(err.kind).toBe(kind);
    expect(err.code).toBe(code);
  });

  it.each([500, 502, 503, 504])('%i → SERVER whatever the code', async (status) => {
    expect((await failWith(status, { code: '100' })).kind).toBe('SERVER');
    expect((await failWith(status, '<html>bad gateway</html>')).kind).toBe('SERVER');
  });

  it('maps 429 to RATE_LIMITED', async () => {
    expect((await failWith(429, {})).kind).toBe('RATE_LIMITED');
  });

  it('maps unknown combinations, missing codes and non-JSON error pages to UNEXPECTED', async () => {
    expect((await failWith(403, { code: '999' })).kind).toBe('UNEXPECTED');
    expect((await failWith(410, { code: '100' })).kind).toBe('UNEXPECTED');
    expect((await failWith(404, '<html>not found</html>')).kind).toBe('UNEXPECTED');
    expect((await failWith(418, { description: 'teapot' })).kind).toBe('UNEXPECTED');
  });

  it('normalizes codes given as numbers, padded strings or with spaces', () => {
    expect(normalizeCode(102)).toBe('102');
    expect(normalizeCode(' 0102 ')).toBe('102');
    expect(normalizeCode('ABC')).toBe('ABC');
    expect(normalizeCode(null)).toBeUndefined();
    expect(normalizeCode(1.5)).toBeUndefined();
    expect(kindFor(401, normalizeCode('0102'))).toBe('AUTH_TOKEN');
  });

  it('names the call in the message and serialises to plain data', async () => {
    const err = await failWith(404, { code: '100', description: 'no such resource: charge CHA1' });
    expect(err.message).toContain('GET /shop/v1/pos/charge/CHA1');
    expect(err.message).toContain('404');
    const data = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(data).toMatchObject({ kind: 'NOT_FOUND', status: 404, code: '100', inDoubt: false });
  });

  it('has a cashier-safe message for every kind', () => {
    for (const message of Object.values(DROPPAY_ERROR_MESSAGES)) {
      expect(message.length).toBeGreaterThan(10);
      expect(message.length).toBeLessThan(120);
    }
  });
});
