import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../electron/main/journal/canonical-json';
import { isSecretLikeKey, secretLikePaths } from '../../../electron/main/journal/secret-keys';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true } })).toBe(
      '{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}',
    );
  });

  it('is the same for any key order and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const shuffled = Object.fromEntries(Object.entries(obj).reverse());
        const text = canonicalJson(obj);
        expect(canonicalJson(shuffled)).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('refuses what JSON cannot carry exactly', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: new Date() })).toThrow(TypeError);
    expect(() => canonicalJson({ a: 1n })).toThrow(TypeError);
  });
});

describe('secret-like keys', () => {
  it.each([
    'token',
    'pay_token',
    'payToken',
    'access_token',
    'refreshtoken',
    'client_secret',
    'applicationSecret',
    'code',
    'connection_code',
    'connectionCode',
    'pin',
    'PIN',
    'user-pin',
    'password',
    'Passwd',
    'pwd',
    'credentials',
  ])('%s is secret-like', (key) => {
    expect(isSecretLikeKey(key)).toBe(true);
  });

  it.each([
    'amount',
    'barcode',
    'shipping',
    'description',
    'authorization_id',
    'sharing_url',
    'reason',
    'spinner',
    'error',
  ])('%s is not', (key) => {
    expect(isSecretLikeKey(key)).toBe(false);
  });

  it('finds secret-like keys at any depth, in arrays too', () => {
    expect(secretLikePaths({ ok: 1, a: { b: [{ pay_token: { val: 'x' } }] }, code: '101' })).toEqual([
      'a.b[0].pay_token',
      'code',
    ]);
    expect(secretLikePaths({ a: ['token'] })).toEqual([]); // values are not keys
  });
});
