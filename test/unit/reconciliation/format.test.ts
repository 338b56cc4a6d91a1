import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare } from '../../../electron/main/reconciliation/compare';
import { formatCents } from '../../../electron/main/reconciliation/csv';
import { FINDING_CODES, HINTS } from '../../../electron/main/reconciliation/hints';
import { formatMoney } from '../../../electron/main/reconciliation/pdf/labels';
import { monoWidth, pdfString } from '../../../electron/main/reconciliation/pdf/writer';

describe('money at the edges', () => {
  it('formatCents writes exactly the cents, both decimal marks, negatives included (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000_000, max: 10_000_000_000 }), (cents) => {
        for (const mark of ['.', ','] as const) {
          const text = formatCents(cents, mark);
          const m = new RegExp(`^(-?)(\\d+)\\${mark}(\\d\\d)$`).exec(text);
          expect(m).not.toBeNull();
          const back = (m?.[1] ? -1 : 1) * (Number(m?.[2]) * 100 + Number(m?.[3]));
          expect(back === 0 ? 0 : back).toBe(cents === 0 ? 0 : cents);
        }
      }),
    );
    expect(formatCents(5, ',')).toBe('0,05');
    expect(formatCents(-123456, '.')).toBe('-1234.56');
  });

  it('formatMoney reads as an Italian or English shop owner expects', () => {
    expect(formatMoney(123456789, 'it')).toBe('1.234.567,89 €');
    expect(formatMoney(123456789, 'en')).toBe('€1,234,567.89');
    expect(formatMoney(-5, 'it')).toBe('-0,05 €');
  });
});

describe('PDF strings', () => {
  it('escapes delimiters and writes Latin-1 and € as WinAnsi bytes', () => {
    expect(pdfString('a(b)c\\d')).toBe('(a\\(b\\)c\\\\d)');
    expect(pdfString('Caffè 1,20 €')).toBe('(Caff\\350 1,20 \\200)');
    expect(pdfString('日本')).toBe('(??)');
  });

  it('writes the rest of the WinAnsi row and a letter it lacks as its base letter', () => {
    expect(pdfString('Œuvre™ š')).toBe('(\\214uvre\\231 \\232)');
    expect(pdfString('Ștefan Łukasz Dvořák')).toBe('(Stefan Lukasz Dvor\\341k)');
    // Decomposed input is composed first (è as e + U+0300), an emoji has no base letter.
    expect(pdfString('Caffe\u0300 ☕')).toBe('(Caff\\350 ?)');
    expect(monoWidth('Caffe\u0300', 10)).toBe(monoWidth('Caffè', 10));
    expect(monoWidth('☕☕', 10)).toBe(12);
  });
});

describe('comparing with DropPay', () => {
  it('settles only what the journal did not know, and flags contradictions', () => {
    const c = (
      status: 'DONE' | 'FAILED' | 'unknown' | 'pending',
      remote: 'DONE' | 'FAILED' | 'PENDING' | 'ACCOUNTED',
      amount = 100,
    ) => compare({ status, amount: 100 }, { status: remote, amount }).kind;
    expect(c('unknown', 'DONE')).toBe('settle');
    expect(c('pending', 'FAILED')).toBe('settle');
    expect(c('unknown', 'PENDING')).toBe('pending');
    expect(c('DONE', 'ACCOUNTED')).toBe('match');
    expect(c('DONE', 'FAILED')).toBe('status-differs');
    expect(c('FAILED', 'DONE')).toBe('status-differs');
    expect(c('DONE', 'DONE', 90)).toBe('amount-differs');
  });

  it('every finding has a hint in both languages for charges and refunds', () => {
    for (const code of FINDING_CODES) {
      for (const kind of ['charge', 'refund'] as const) {
        expect(HINTS[code][kind].en.length).toBeGreaterThan(20);
        expect(HINTS[code][kind].it.length).toBeGreaterThan(20);
      }
    }
  });
});
