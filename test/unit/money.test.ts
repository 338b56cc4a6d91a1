import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertCents,
  centsToDecimalString,
  centsToEuros,
  decimalStringToCents,
  eurosToCents,
  isCents,
  MAX_CENTS,
  MoneyError,
} from '../../shared/money';

const cents = fc.integer({ min: 0, max: MAX_CENTS });

describe('money: properties', () => {
  it('cents → euros → JSON → parse → cents is the identity over 0..MAX_CENTS', () => {
    fc.assert(
      fc.property(cents, (c) => {
        const wire = JSON.stringify({ amount: centsToEuros(c) });
        const back = (JSON.parse(wire) as { amount: unknown }).amount;
        expect(eurosToCents(back)).toBe(c);
      }),
      { numRuns: 20_000 },
    );
  });

  it('exhaustively round-trips every amount up to 10,000.00 €', () => {
    let wrong = 0;
    for (let c = 0; c <= 1_000_000; c++) {
      if (eurosToCents(JSON.parse(JSON.stringify(centsToEuros(c)))) !== c) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('the JSON form never has more than two decimals nor an exponent', () => {
    fc.assert(
      fc.property(cents, (c) => {
        expect(JSON.stringify(centsToEuros(c))).toMatch(/^\d+(\.\d{1,2})?$/);
      }),
      { numRuns: 20_000 },
    );
  });

  it('the boundaries round-trip too', () => {
    for (const c of [0, 1, 9, 10, 99, 100, 101, 5472, 999_999, MAX_CENTS - 1, MAX_CENTS]) {
      expect(eurosToCents(JSON.parse(JSON.stringify(centsToEuros(c))))).toBe(c);
      expect(decimalStringToCents(centsToDecimalString(c))).toBe(c);
    }
  });

  it('the decimal string round-trips, with a dot or an Italian comma', () => {
    fc.assert(
      fc.property(cents, (c) => {
        const s = centsToDecimalString(c);
        expect(s).toMatch(/^\d+\.\d{2}$/);
        expect(decimalStringToCents(s)).toBe(c);
        expect(decimalStringToCents(s.replace('.', ','))).toBe(c);
        expect(eurosToCents(s)).toBe(c);
      }),
      { numRuns: 10_000 },
    );
  });

  it('rejects any amount with more than two (non-zero-padded) decimals', () => {
    fc.assert(
      fc.property(cents, fc.integer({ min: 1, max: 9 }), (c, extra) => {
        const text = `${centsToDecimalString(c)}${extra}`;
        expect(() => decimalStringToCents(text)).toThrow(MoneyError);
        expect(() => eurosToCents(text)).toThrow(MoneyError);
        // As a JSON number: a third decimal survives the float when it is not zero.
        expect(() => eurosToCents(Number(text))).toThrow(MoneyError);
      }),
      { numRuns: 10_000 },
    );
  });

  it('rejects negative amounts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_CENTS }), (c) => {
        expect(() => eurosToCents(-centsToEuros(c))).toThrow(MoneyError);
        expect(() => decimalStringToCents(`-${centsToDecimalString(c)}`)).toThrow(MoneyError);
        expect(() => assertCents(-c)).toThrow(MoneyError);
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects exponent notation whether as a string or as a number JSON prints with an exponent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 6 }), (m, e) => {
        expect(() => eurosToCents(`${m}e${e}`)).toThrow(MoneyError);
        expect(() => eurosToCents(`${m}E-${e}`)).toThrow(MoneyError);
      }),
    );
    expect(() => eurosToCents(1e21)).toThrow(MoneyError); // String(1e21) === "1e+21"
    expect(() => eurosToCents(1e-7)).toThrow(MoneyError); // "1e-7"
  });

  it('rejects integers of cents that are not valid cents', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: MAX_CENTS + 1 }), fc.integer({ max: -1 }), fc.double({ noInteger: true })),
        (v) => {
          expect(isCents(v)).toBe(false);
          expect(() => centsToEuros(v)).toThrow(MoneyError);
        },
      ),
    );
  });
});

describe('money: examples', () => {
  it('converts the usual suspects exactly', () => {
    expect(eurosToCents(54.72)).toBe(5472); // 54.72 * 100 is 5471.999… in binary
    expect(eurosToCents(0.1)).toBe(10);
    // A float that went through arithmetic is refused, never silently rounded.
    expect(() => eurosToCents(1.005 * 1000)).toThrow(MoneyError);
    expect(eurosToCents(50)).toBe(5000);
    expect(eurosToCents(' 7.5 ')).toBe(750);
    expect(centsToEuros(5472)).toBe(54.72);
    expect(centsToDecimalString(5)).toBe('0.05');
  });

  it('reads comma decimals and refuses thousands separators and signs', () => {
    expect(decimalStringToCents('54,72')).toBe(5472);
    expect(decimalStringToCents('0,5')).toBe(50);
    for (const bad of ['1.000,00', '1,000.00', '+5', '5.', '.5', '', ' ', '5,123', '1 000']) {
      expect(() => decimalStringToCents(bad)).toThrow(MoneyError);
    }
  });

  it('refuses NaN, infinities and non-numbers', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      null,
      undefined,
      true,
      {},
      [],
      'abc',
    ]) {
      expect(() => eurosToCents(bad)).toThrow(MoneyError);
    }
  });

  it('refuses amounts above MAX_CENTS', () => {
    expect(() => eurosToCents(MAX_CENTS / 100 + 0.01)).toThrow(MoneyError);
    expect(() => decimalStringToCents('1000000.01')).toThrow(MoneyError);
  });

  it('names the field in the error', () => {
    expect(() => eurosToCents(1.234, 'charge_amount')).toThrow(/charge_amount/);
  });
});
