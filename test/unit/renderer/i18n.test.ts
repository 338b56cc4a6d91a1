import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../shared/result';
import { en } from '../../../renderer/src/i18n/en';
import { errorText, type ErrorContext } from '../../../renderer/src/i18n/errors';
import { it as italian } from '../../../renderer/src/i18n/it';
import { formatters, statusText, translate, zonedFormat } from '../../../renderer/src/i18n/translate';

describe('translations', () => {
  it('have the same keys and no empty string in either language', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(italian).sort());
    for (const dict of [italian, en]) {
      for (const [key, text] of Object.entries(dict)) expect(text, key).not.toBe('');
    }
  });

  it('use the typographic apostrophe, never a straight one between letters', () => {
    // Every text shown: the dictionaries, the detail and journal wordings, the error headlines.
    for (const file of ['it.ts', 'en.ts', 'day-it.ts', 'day-en.ts', 'details.ts', 'errors.ts']) {
      const source = readFileSync(join('renderer/src/i18n', file), 'utf8').split('\n');
      const texts = source.filter((line) => !/^\s*(\/\/|\/?\*)/.test(line));
      for (const line of texts) expect(line, file).not.toMatch(/\p{L}'\p{L}/u);
      expect(texts.join('').length).toBeGreaterThan(500);
    }
  });

  it('use the same placeholders in both languages', () => {
    const holes = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const key of Object.keys(italian) as (keyof typeof italian)[]) {
      expect(holes(en[key]), key).toEqual(holes(italian[key]));
    }
  });

  it('word the statuses DropPay and the till record, and show an unknown one as written', () => {
    expect(statusText('it', 'authorization', 'GRANTED')).toBe('approvata');
    expect(statusText('it', 'charge', 'pending')).toBe(translate('it', 'chargeStatus.pending'));
    expect(statusText('it', 'refund', 'ENQUEUED')).toBe(translate('it', 'refundStatus.ENQUEUED'));
    // The same word is a charge's and a refund's, each from its own list.
    expect(statusText('it', 'charge', 'ENQUEUED')).toBe('ENQUEUED');
    expect(statusText('it', 'authorization', 'NEW')).toBe('NEW');
    expect(statusText('en', 'authorization', 'REFUSED')).toBe('declined');
    // No property of a plain object passes for a word.
    expect(statusText('en', 'authorization', 'constructor')).toBe('constructor');
  });

  it('fill placeholders', () => {
    expect(translate('it', 'refund.tooMuch', { amount: '5,00 €' })).toBe(
      'Puoi rimborsare al massimo 5,00 €.',
    );
    expect(translate('en', 'setup.step', { n: 2, total: 3 })).toBe('Step 2 of 3');
  });

  it('explain every error code in both languages, in every context', () => {
    const contexts: ErrorContext[] = ['general', 'sale', 'cancel', 'refund', 'capture', 'settings'];
    for (const locale of ['it', 'en'] as const) {
      for (const code of ERROR_CODES) {
        for (const context of contexts) expect(errorText(locale, { code }, context)).toMatch(/\S/);
      }
    }
    // A second refund and one too large have codes of their own: another refusal is not
    // blamed on them (QA D2: a reason DropPay found too long was headed "only once").
    expect(errorText('it', { code: 'DROPPAY_REJECTED' }, 'refund')).toBe('DropPay ha rifiutato il rimborso.');
    expect(errorText('en', { code: 'DROPPAY_REJECTED' }, 'refund')).toBe('DropPay refused the refund.');
    expect(errorText('it', { code: 'ALREADY_REFUNDED' }, 'refund')).toContain('un solo rimborso');
  });

  it('tell credentials DropPay refused apart from credentials not set', () => {
    const refused = { code: 'AUTH_REQUIRED', detail: { key: 'droppay.AUTH_INVALID_CREDENTIALS' } } as const;
    expect(errorText('it', refused)).toBe(
      'DropPay non ha accettato le credenziali: controllale nelle Impostazioni.',
    );
    expect(errorText('en', refused)).toBe('DropPay did not accept the credentials: check them in Settings.');
    expect(errorText('it', { code: 'AUTH_REQUIRED' })).toContain('mancanti');
  });

  it('give every error code its own text, different in Italian and English', () => {
    for (const code of ERROR_CODES) {
      const italianText = errorText('it', { code });
      const englishText = errorText('en', { code });
      expect(italianText, code).toMatch(/\S/);
      expect(englishText, code).toMatch(/\S/);
      expect(italianText, code).not.toBe(englishText);
    }
    // No two codes read the same: the cashier can tell each refusal apart.
    for (const locale of ['it', 'en'] as const) {
      const seen = ERROR_CODES.map((code) => errorText(locale, { code }));
      expect(new Set(seen).size, locale).toBe(ERROR_CODES.length);
    }
  });

  it('tell the refund and PIN refusals apart, and say to wait when the PIN is locked', () => {
    expect(errorText('it', { code: 'PIN_WRONG' }, 'refund')).toMatch(/PIN.*errato/);
    expect(errorText('en', { code: 'PIN_WRONG' }, 'refund')).toMatch(/Wrong manager PIN/);
    // A damaged PIN file: no PIN is wrong as such, and the headline does not say one is.
    const damaged = {
      code: 'PIN_WRONG',
      detail: { key: 'pin.damaged', params: { file: '/d/manager-pin.json' } },
    } as const;
    expect(errorText('it', damaged, 'refund')).toBe('Il PIN del responsabile non si può verificare.');
    expect(errorText('en', damaged, 'refund')).toBe('The manager PIN cannot be checked.');
    expect(errorText('it', { code: 'PIN_LOCKED' }, 'refund')).toMatch(/attendi/);
    expect(errorText('en', { code: 'PIN_LOCKED' }, 'refund')).toMatch(/wait/);
    expect(errorText('it', { code: 'PIN_REQUIRED' }, 'refund')).toMatch(/Serve il PIN del responsabile/);
    expect(errorText('en', { code: 'PIN_REQUIRED' }, 'settings')).toMatch(/current one/);
    expect(errorText('it', { code: 'ALREADY_REFUNDED' }, 'refund')).toMatch(/già stato rimborsato/);
    expect(errorText('en', { code: 'ALREADY_REFUNDED' }, 'refund')).toMatch(/already been refunded/);
    expect(errorText('it', { code: 'REFUND_TOO_LARGE' }, 'refund')).toMatch(/supera/);
    expect(errorText('en', { code: 'REFUND_TOO_LARGE' }, 'refund')).toMatch(/above the charge/);
    // A refund refused as invalid no longer blames the PIN: the PIN has codes of its own.
    expect(errorText('en', { code: 'VALIDATION' }, 'refund')).not.toMatch(/PIN/);
    expect(errorText('it', { code: 'VALIDATION' }, 'refund')).not.toMatch(/PIN/);
  });

  it('head a refusal for the till’s state as "not now", in the words of where it happened', () => {
    const state = { code: 'INVALID_STATE' } as const;
    const headlines: [ErrorContext, string, string][] = [
      ['general', 'Non si può fare adesso.', 'This cannot be done right now.'],
      ['settings', 'Non si può cambiare adesso.', 'This cannot be changed now.'],
      ['backup', 'Non si può cambiare adesso.', 'This cannot be changed now.'],
      ['sale', 'Il pagamento non si può avviare adesso.', 'The payment cannot be taken right now.'],
      ['cancel', 'Questa vendita non si può annullare adesso.', 'This sale cannot be cancelled now.'],
      [
        'capture',
        'Questa preautorizzazione non si può incassare adesso.',
        'This pre-authorization cannot be captured now.',
      ],
      ['refund', 'Questo addebito non si può rimborsare adesso.', 'This charge cannot be refunded now.'],
    ];
    for (const [context, italianText, englishText] of headlines) {
      expect(errorText('it', state, context), context).toBe(italianText);
      expect(errorText('en', state, context), context).toBe(englishText);
    }
    // Whatever the detail: the detail line says what to finish or wait for, not the headline.
    const inProgress = {
      code: 'INVALID_STATE',
      detail: { key: 'sale.inProgress', params: { ref: 'R1', amountCents: 400, saleId: 's1' } },
    } as const;
    expect(errorText('en', inProgress, 'sale')).toBe('The payment cannot be taken right now.');
    // Never "invalid data": nothing the cashier typed is wrong.
    for (const [context] of headlines) {
      expect(errorText('it', state, context)).not.toBe(errorText('it', { code: 'VALIDATION' }, context));
      expect(errorText('en', state, context)).not.toMatch(/invalid|not accepted/i);
    }
  });

  it('format euros and dates with Intl for each language', () => {
    // Intl may put a narrow no-break space before the euro sign.
    expect(formatters('it').money.format(12.34).replace(/\s/g, ' ')).toBe('12,34 €');
    expect(formatters('en').money.format(12.34)).toBe('€12.34');
    expect(formatters('it').money.format(1234.5).replace(/\s/g, ' ')).toMatch(/^1\.?234,50 €$/);
  });
});

describe('dates', () => {
  const at = new Date('2026-12-04T21:05:09Z');

  it('write the year in full in Italian as in English, with and without the shop zone', () => {
    const shown = (['it', 'en'] as const).flatMap((locale) => [
      zonedFormat(locale, 'Europe/Rome', 'dateTime').format(at),
      zonedFormat(locale, 'Europe/Rome', 'dateTimeSeconds').format(at),
      formatters(locale).dateTime.format(at),
    ]);
    for (const text of shown) expect(text).toMatch(/^04\/12\/2026, \d\d:\d\d/);
    expect(zonedFormat('it', 'Europe/Rome', 'dateTimeSeconds').format(at)).toBe('04/12/2026, 22:05:09');
    expect(zonedFormat('en', 'Europe/Rome', 'dateTime').format(at)).toBe('04/12/2026, 22:05');
  });
});
