import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_CENTS } from '../../../shared/money';
import {
  applyKey,
  entryCents,
  entryFromCents,
  fieldFromCents,
  keyFromKeyboard,
  keyRefused,
  needsConfirmation,
  parseAmountField,
  type AmountKey,
} from '../../../renderer/src/lib/amount-entry';

const type = (keys: AmountKey[]): string => keys.reduce(applyKey, '');

describe('the amount the cashier types', () => {
  it('becomes exact cents, with a comma or a dot', () => {
    expect(entryCents(type(['1', '2', 'sep', '3', '4']))).toBe(1234);
    expect(entryCents(type(['0', 'sep', '0', '5']))).toBe(5);
    expect(entryCents(type(['5', '4', 'sep', '7', '2']))).toBe(5472);
    expect(entryCents(type(['1', '2', 'sep']))).toBe(1200);
    expect(entryCents(type(['1', 'sep', '5']))).toBe(150);
  });

  it('takes at most two decimals and one separator', () => {
    expect(type(['1', 'sep', '2', '3', '4'])).toBe('1.23');
    expect(type(['1', 'sep', 'sep', '5'])).toBe('1.5');
    expect(type(['sep', '5'])).toBe('0.5');
  });

  it('replaces a leading zero and refuses amounts over the maximum', () => {
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['1', '0', '0', '0', '0', '0', '0'])).toBe('1000000');
    expect(type(['1', '0', '0', '0', '0', '0', '0', '0'])).toBe('1000000');
    expect(type(['9', '9', '9', '9', '9', '9', '9'])).toBe('999999');
    // Nor past it with decimals: the maximum is 1.000.000,00 €.
    expect(type(['1', '0', '0', '0', '0', '0', '0', 'sep', '5'])).toBe('1000000.');
    expect(type(['9', '9', '9', '9', '9', '9', 'sep', '9', '9'])).toBe('999999.99');
  });

  it('says which keys it refused, and not a zero on a lone zero (the amount it shows)', () => {
    const refused = (text: string, key: AmountKey) => keyRefused(text, key, applyKey(text, key));
    expect(refused('1.23', '4')).toBe(true);
    expect(refused('1.5', 'sep')).toBe(true);
    expect(refused('1000000', '0')).toBe(true);
    expect(refused('0', '0')).toBe(false);
    expect(refused('0.', '0')).toBe(false);
    expect(refused('10', '0')).toBe(false);
    expect(refused('', 'back')).toBe(false);
    expect(refused('', 'clear')).toBe(false);
  });

  it('deletes and clears', () => {
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', 'sep', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear'])).toBe('');
    expect(entryCents('')).toBeNull();
  });

  it('maps keyboard keys: the locale decimal key and the keypad are the separator, its thousands key groups', () => {
    expect(keyFromKeyboard('7', 'it')).toBe('7');
    expect(keyFromKeyboard(',', 'it')).toBe('sep');
    expect(keyFromKeyboard('.', 'it')).toBe('group');
    expect(keyFromKeyboard('.', 'it', 'NumpadDecimal')).toBe('sep');
    expect(keyFromKeyboard('.', 'en')).toBe('sep');
    expect(keyFromKeyboard(',', 'en')).toBe('group');
    expect(keyFromKeyboard(',', 'en', 'NumpadDecimal')).toBe('sep');
    expect(keyFromKeyboard('Backspace', 'it')).toBe('back');
    expect(keyFromKeyboard('Delete', 'it')).toBe('clear');
    expect(keyFromKeyboard('a', 'it')).toBeNull();
    expect(keyFromKeyboard('Enter', 'it')).toBeNull();
  });

  it('reads "1.500" typed on an Italian keyboard as 1.500,00 €, not 1,50 €', () => {
    expect(entryCents(type(['1', 'group', '5', '0', '0']))).toBe(150_000);
    expect(entryCents(type(['1', '2', 'group', '3', '4', '5', 'sep', '6']))).toBe(1_234_560);
    expect(entryCents(type(['1', 'group', '0', '0', '0', 'group', '0', '0', '0']))).toBe(100_000_000);
    // Past the largest amount the last digit is refused, as any key that would pass it.
    expect(type(['1', 'group', '5', '0', '0', 'group', '0', '0', '0'])).toBe('1500_00');
    // Until a third digit comes, the dot is the decimal point the cashier meant.
    expect(entryCents(type(['1', 'group', '5', '0']))).toBe(150);
    expect(entryCents(type(['1', 'group', '5']))).toBe(150);
    expect(entryCents(type(['1', 'group']))).toBe(100);
    // A decimal comma stays one: a third decimal is refused, not read as thousands.
    expect(type(['1', 'sep', '5', '0', '0'])).toBe('1.50');
    // Nor is "0.500" a thousand: it stays 0,50.
    expect(type(['0', 'group', '5', '0', '0'])).toBe('0_50');
    expect(type(['group', '5'])).toBe('0_5');
    expect(type(['1', 'group', 'group', 'sep'])).toBe('1_');
    expect(type(['1', 'group', 'back'])).toBe('1');
  });

  it('round-trips every amount through text without float drift', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000_000 }), (cents) => {
        expect(entryCents(entryFromCents(cents))).toBe(cents);
        const keys = [...entryFromCents(cents)].map((c) => (c === '.' ? 'sep' : c) as AmountKey);
        expect(entryCents(type(keys))).toBe(cents);
      }),
    );
  });

  it('parses a typed field in either notation, and refuses the rest', () => {
    expect(parseAmountField('32,50')).toBe(3250);
    expect(parseAmountField(' 32.5 ')).toBe(3250);
    expect(parseAmountField('1,999')).toBeNull();
    expect(parseAmountField('12,5 €')).toBe(1250);
  });

  it('takes the euro sign before or after the amount, not inside it', () => {
    for (const typed of ['€ 12,50', '€12,50', '12,50 €', '12,50€', ' € 12,50 ']) {
      expect(parseAmountField(typed), typed).toBe(1250);
    }
    expect(parseAmountField('12 € 50')).toBeNull(); // it read 1.250,00 €
    expect(parseAmountField('€')).toBeNull();
    expect(parseAmountField('12,50 € €')).toBeNull();
  });

  it('reads thousands grouped as people write them, and refuses what is not a grouping', () => {
    expect(parseAmountField('1.234,50')).toBe(123450);
    expect(parseAmountField('1,234.50')).toBe(123450);
    expect(parseAmountField('1.234.567')).toBe(123456700);
    expect(parseAmountField('12.345.678,9')).toBe(1234567890);
    expect(parseAmountField('1.23,50')).toBeNull();
    expect(parseAmountField('1234.567,50')).toBeNull();
    expect(parseAmountField('1,234,50')).toBeNull();
    expect(parseAmountField('1.234,5.0')).toBeNull();
    expect(parseAmountField('1.234,567')).toBeNull();
    expect(parseAmountField('.5')).toBeNull();
  });

  it('reads thousands grouped with spaces, as calculators and bank pages copy them (QA D12)', () => {
    expect(parseAmountField('1 234,50')).toBe(123450);
    expect(parseAmountField('1\u00a0234,50 €')).toBe(123450);
    expect(parseAmountField('€ 1\u202f234\u202f567')).toBe(123456700);
    expect(parseAmountField('12 345.6')).toBe(1234560);
    expect(parseAmountField('1 23,50')).toBeNull();
    expect(parseAmountField('1234 567')).toBeNull();
    expect(parseAmountField('1 234.567,50')).toBeNull();
    expect(parseAmountField('12 300 €  50')).toBeNull();
  });

  it('is not capped at the largest amount, so the caller can say what the limit is', () => {
    expect(parseAmountField('2000000')).toBe(200_000_000);
    expect(parseAmountField('1234567890')).toBeNull();
    expect(parseAmountField('-3')).toBeNull();
    expect(parseAmountField('')).toBeNull();
  });
});

describe('the confirmation of a large amount', () => {
  it('is asked from the threshold up, and never when the threshold is 0', () => {
    expect(needsConfirmation(125_000, 50_000)).toBe(true);
    expect(needsConfirmation(50_000, 50_000)).toBe(true);
    expect(needsConfirmation(49_999, 50_000)).toBe(false);
    expect(needsConfirmation(1_250, 50_000)).toBe(false);
    expect(needsConfirmation(100_000_000, 0)).toBe(false);
  });

  it('catches a missed comma on a keyed amount above the threshold', () => {
    const intended = entryCents(type(['1', '2', 'sep', '5', '0']));
    const keyed = entryCents(type(['1', '2', '5', '0']));
    expect(needsConfirmation(intended ?? 0, 100_000)).toBe(false);
    expect(needsConfirmation(keyed ?? 0, 100_000)).toBe(true);
  });
});

describe('an amount offered in a text field', () => {
  it('is written as the language writes money, with its thousands', () => {
    expect(fieldFromCents(123456, 'it')).toBe('1.234,56');
    expect(fieldFromCents(123456, 'en')).toBe('1,234.56');
    expect(fieldFromCents(1250, 'it')).toBe('12,50');
    expect(fieldFromCents(5, 'en')).toBe('0.05');
    expect(fieldFromCents(100_000_000, 'it')).toBe('1.000.000,00');
  });

  it('reads back as the same cents, in either language', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_CENTS }),
        fc.constantFrom('it' as const, 'en' as const),
        (cents, locale) => {
          expect(parseAmountField(fieldFromCents(cents, locale))).toBe(cents);
        },
      ),
    );
  });
});
