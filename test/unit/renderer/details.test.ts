import { describe, expect, it } from 'vitest';
import { ERROR_DETAIL_KEYS, invalidInput, type AppError } from '../../../shared/result';
import { SettingsUpdateSchema } from '../../../shared/settings';
import { errorDetail } from '../../../renderer/src/i18n/details';
import { errorText } from '../../../renderer/src/i18n/errors';
import { toAppError } from '../../../electron/main/app/errors';
import { JournalNotFoundError } from '../../../electron/main/journal/index';
import { notFound, PaymentsError } from '../../../electron/main/payments/errors';
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';

const error = (detail: AppError['detail'], message = 'English fallback'): AppError => ({
  code: 'VALIDATION',
  message,
  ...(detail ? { detail } : {}),
});

describe('the detail line under an error', () => {
  it('has its own text in Italian and in English for every detail key the core can send', () => {
    for (const key of ERROR_DETAIL_KEYS) {
      const itText = errorDetail('it', error({ key }));
      const enText = errorDetail('en', error({ key }));
      expect(itText, key).not.toBe('English fallback');
      expect(enText, key).not.toBe('English fallback');
      expect(itText, key).not.toBe(enText);
    }
  });

  it('a refusal for what the till is doing is headed so, not "invalid data", and says the day as the screens do (QA D10)', () => {
    const notNow = (detail: AppError['detail']): AppError => ({ ...error(detail), code: 'INVALID_STATE' });
    const closed = notNow({ key: 'settings.dayRuleClosedDay', params: { day: '2026-12-06' } });
    expect(errorText('it', closed, 'settings')).toBe('Non si può cambiare adesso.');
    expect(errorText('en', closed, 'settings')).toBe('This cannot be changed now.');
    expect(errorDetail('it', closed)).toContain('nella giornata del 6 dic 2026, che è già chiusa');
    expect(errorDetail('en', closed)).toContain('the business day of 6 Dec 2026, which');
    for (const key of ['settings.saleInProgress', 'settings.dayRuleSaleInProgress'] as const)
      expect(errorText('it', notNow({ key }), 'settings')).toBe('Non si può cambiare adesso.');
    // The code says it, not the detail key: a VALIDATION is invalid data whatever its detail.
    expect(errorText('en', error({ key: 'settings.saleInProgress' }), 'settings')).toBe('Invalid data.');
    // What was typed wrong is still invalid data.
    expect(errorText('it', error({ key: 'settings.timeZoneUnknown', params: { zone: 'Mars/Base' } }))).toBe(
      'Dati non validi.',
    );
  });

  it('formats amounts as money, names states in the language, and keeps DropPay’s own words', () => {
    const tooLarge = error({ key: 'refund.tooLarge', params: { amountCents: 601, maxCents: 600 } });
    expect(errorDetail('it', tooLarge)).toBe('Il rimborso (6,01\u00a0€) supera l’addebito (6,00\u00a0€).');
    expect(errorDetail('en', tooLarge)).toBe('The refund (€6.01) is above the charge (€6.00).');
    expect(errorDetail('it', error({ key: 'sale.cannotCancel', params: { state: 'paid' } }))).toBe(
      'Una vendita «Pagata» non si può annullare.',
    );
    expect(errorDetail('it', error({ key: 'refund.already', params: { status: 'DONE' } }))).toContain(
      '(eseguito)',
    );
    expect(errorDetail('it', error({ key: 'pin.locked', params: { seconds: 27 } }))).toBe(
      'Troppi PIN errati di seguito: riprova tra 27 s.',
    );
    // The tries left before the lock, singular and plural; without the count, the PIN alone.
    const wrong = (triesLeft?: number) =>
      error({ key: 'pin.wrong', ...(triesLeft === undefined ? {} : { params: { triesLeft } }) });
    expect(errorDetail('it', wrong(2))).toBe(
      'Il PIN inserito non è quello del responsabile: ancora 2 tentativi prima del blocco.',
    );
    expect(errorDetail('it', wrong(1))).toBe(
      'Il PIN inserito non è quello del responsabile: ancora 1 tentativo prima del blocco.',
    );
    expect(errorDetail('en', wrong(4))).toBe(
      'The PIN entered is not the manager PIN: 4 tries left before the lock.',
    );
    expect(errorDetail('en', wrong(1))).toBe(
      'The PIN entered is not the manager PIN: 1 try left before the lock.',
    );
    expect(errorDetail('it', wrong())).toBe('Il PIN inserito non è quello del responsabile.');
    expect(
      errorDetail(
        'it',
        error({ key: 'droppay.ALREADY_REFUNDED', params: { droppay: 'charge CHA1 already has a refund' } }),
      ),
    ).toBe('Questo pagamento è già stato rimborsato. (DropPay: charge CHA1 already has a refund)');
  });

  it('falls back to the core’s message without a detail, or with one this renderer does not know', () => {
    expect(errorDetail('it', error(undefined, 'Bridge secret refused.'))).toBe('Bridge secret refused.');
    const unknown = {
      code: 'INTERNAL',
      message: 'Newer core',
      detail: { key: 'future.key' },
    } as unknown as AppError;
    expect(errorDetail('it', unknown)).toBe('Newer core');
    // A state this renderer has no word for is shown as the core sent it.
    expect(errorDetail('en', error({ key: 'sale.cannotCapture', params: { state: 'archived' } }))).toBe(
      'A pre-authorization that is “archived” cannot be captured.',
    );
  });
});

describe('errors whose detail line used to be the core’s English message', () => {
  it('are worded in Italian, naming the id they are about', () => {
    const cases: [AppError, string][] = [
      [toAppError(notFound('sale', 'S-7')), 'Su questa cassa non c’è la vendita S-7.'],
      [toAppError(notFound('charge', 'C-7')), 'Su questa cassa non c’è l’addebito C-7.'],
      [toAppError(new JournalNotFoundError('refund', 'R-7')), 'Su questa cassa non c’è il rimborso R-7.'],
      [
        toAppError(PaymentsError.from(new TypeError('x is undefined'))),
        'Qualcosa non ha funzionato nella cassa: riprova. Se si ripete, i dettagli sono nel file di log, nella cartella dei dati della cassa.',
      ],
      [
        error({ key: 'sale.closing' }, 'The payments service is shutting down.'),
        'La cassa sta cambiando ambiente DropPay o si sta chiudendo: riprova tra un momento.',
      ],
    ];
    for (const [appError, italian] of cases) {
      expect(errorDetail('it', appError), appError.message).toBe(italian);
      expect(errorDetail('en', appError), appError.message).not.toBe(italian);
    }
    expect(errorDetail('en', toAppError(notFound('sale', 'S-7')))).toBe('There is no sale S-7 on this till.');
  });

  it('an answer that does not match what was asked, sent as the error itself, reads in Italian', () => {
    const mismatch = JOURNAL_PATTERNS.answerMismatch.write('CHG9', ['5.00', 'AUT1'], ['10.00', 'AUT1']);
    const appError = toAppError(new PaymentsError('INVALID_STATE', mismatch, { saleId: 'S-1' }));
    expect(appError.detail).toBeUndefined();
    expect(errorDetail('it', appError)).toBe(
      'DropPay ha risposto con CHG9, che non corrisponde alla richiesta (5,00 € su AUT1 invece di 10,00 € su AUT1): resta in dubbio per la verifica della giornata.',
    );
    expect(errorDetail('en', appError)).toBe(mismatch);
  });
});

describe('DropPay out of reach', () => {
  const unreachable = (params?: Record<string, string>): AppError => ({
    code: 'NETWORK',
    message: 'DropPay cannot be reached (ECONNREFUSED)',
    detail: params ? { key: 'droppay.NETWORK', params } : { key: 'droppay.NETWORK' },
  });

  it('says, under its headline, which address was tried, what it met and what to check', () => {
    const error = unreachable({ host: 'api.drop-pay.io', network: 'refused' });
    expect(errorDetail('it', error)).toBe(
      'La cassa ha provato a contattare api.drop-pay.io, ma la connessione è stata rifiutata. Controlla che il computer sia in rete (cavo o Wi-Fi) e che un firewall o un proxy non blocchi la cassa; per un ambiente personalizzato, controlla l’indirizzo nelle Impostazioni.',
    );
    expect(errorDetail('en', error)).toBe(
      'The till tried to reach api.drop-pay.io, but the connection was refused. Check that this computer is online (cable or Wi-Fi) and that no firewall or proxy blocks the till; for a custom environment, check its address in Settings.',
    );
    expect(errorDetail('en', unreachable({ host: 'x.test', network: 'dns' }))).toContain(
      'x.test, but its name could not be found (DNS).',
    );
  });

  it('never repeats the headline, with or without what the core knew', () => {
    for (const locale of ['it', 'en'] as const) {
      const headline = errorText(locale, unreachable());
      for (const error of [unreachable(), unreachable({ host: 'h.test', network: 'dropped' })]) {
        const detail = errorDetail(locale, error);
        expect(detail).not.toBe(headline);
        // Not the headline's words again: "not reachable" is said once, by the headline.
        expect(detail).not.toMatch(/raggiungibile|cannot be reached/);
        expect(detail).not.toMatch(/\{\w+\}/);
      }
    }
    expect(errorDetail('it', unreachable())).toMatch(/^La cassa ha provato a contattare DropPay\. /);
  });
});

describe('an input the contract refused', () => {
  const refused = (field: string): AppError => ({
    code: 'VALIDATION',
    message: `invalid input: ${field}`,
    detail: { key: 'input.invalid', params: { field } },
  });

  it('names the field as the screen labels it, never by its name in the code', () => {
    // The core's own detail, from the schema's refusal of a custom address that is no URL.
    const parsed = SettingsUpdateSchema.safeParse({ environment: 'custom', customBaseUrl: 'exa mple' });
    expect(parsed.success).toBe(false);
    const detail = invalidInput(parsed.error?.issues ?? []);
    expect(detail.params.field).toBe('customBaseUrl');
    const error: AppError = { code: 'VALIDATION', message: 'x', detail };
    expect(errorDetail('it', error)).toBe(
      'Un dato inviato non è valido (campo «Indirizzo DropPay»): correggilo e riprova.',
    );
    expect(errorDetail('en', error)).toBe(
      'A value sent is not valid (the “DropPay address” field): correct it and try again.',
    );
    expect(errorDetail('it', refused('credentials.posId'))).toContain('(campo «ID POS»)');
    expect(errorDetail('en', refused('pollIntervalMs'))).toContain(
      '(the “Payment check interval (ms)” field)',
    );
  });

  it('says no name at all for a field the cashier does not fill in, or the input as a whole', () => {
    for (const field of ['saleId', 'input', 'items.0']) {
      expect(errorDetail('it', refused(field))).toBe('Un dato inviato non è valido: correggilo e riprova.');
      expect(errorDetail('en', refused(field))).toBe('A value sent is not valid: correct it and try again.');
    }
  });

  it('has a label in both languages for every field the settings, credentials and PIN take', () => {
    const fields = [
      ...Object.keys(SettingsUpdateSchema.shape),
      'applicationKey',
      'applicationSecret',
      'connectionCode',
      'posId',
      'pin',
      'currentPin',
    ].filter((f) => f !== 'completeFirstRun');
    for (const field of fields)
      for (const locale of ['it', 'en'] as const)
        expect(errorDetail(locale, refused(field)), `${locale} ${field}`).not.toContain(field);
  });
});
