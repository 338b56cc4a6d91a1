import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/result';
import { en } from '../../../renderer/src/i18n/en';
import { errorText, type ErrorContext } from '../../../renderer/src/i18n/errors';
import { it as italian } from '../../../renderer/src/i18n/it';
import { formatters, translate } from '../../../renderer/src/i18n/translate';

describe('translations', () => {
  it('have the same keys and no empty string in either language', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(italian).sort());
    for (const dict of [italian, en]) {
      for (const [key, text] of Object.entries(dict)) expect(text, key).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    const holes = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
      expect(holes(en[key]), key).toEqual(holes(italian[key]));
    }
  });

  it('fill placeholders', () => {
    expect(translate('it', 'refund.tooMuch', { amount: '5,00 €' })).toBe(
      'Puoi rimborsare al massimo 5,00 €.',
    );
    expect(translate('en', 'setup.step', { n: 2, total: 3 })).toBe('Step 2 of 3');
  });

  it('explain every error code in both languages, in every context', () => {
    const contexts: ErrorContext[] = [
      'general',
      'sale',
      'cancel',
      'refund',
      'alreadyRefunded',
      'capture',
      'settings',
      'pin',
    ];
    for (const locale of ['it', 'en'] as const) {
      for (const code of ERROR_CODES) {
        for (const context of contexts) expect(errorText(locale, { code }, context)).toMatch(/\S/);
      }
    }
    expect(errorText('it', { code: 'DROPPAY_REJECTED' }, 'refund')).toContain('una sola volta');
    expect(errorText('en', { code: 'DROPPAY_REJECTED' }, 'refund')).toContain('only once');
  });

  it('format euros and dates with Intl for each language', () => {
    // Intl may put a narrow no-break space before the euro sign.
    expect(formatters('it').money.format(12.34).replace(/\s/g, ' ')).toBe('12,34 €');
    expect(formatters('en').money.format(12.34)).toBe('€12.34');
    expect(formatters('it').money.format(1234.5).replace(/\s/g, ' ')).toMatch(/^1\.?234,50 €$/);
  });
});
