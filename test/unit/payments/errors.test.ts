import { describe, expect, it } from 'vitest';
import { DropPayError, type DropPayErrorKind } from '../../../electron/main/droppay/index';
import { CredentialStoreError } from '../../../electron/main/credentials/index';
import {
  JournalNotFoundError,
  JournalOpenError,
  JournalStateError,
  JournalValidationError,
  JournalWriteError,
} from '../../../electron/main/journal/index';
import { PAYMENTS_ERROR_CODES, PAYMENTS_TO_APP, PaymentsError } from '../../../electron/main/payments/index';
import { isInDoubt } from '../../../electron/main/payments/errors';
import { AppFailure, toAppError } from '../../../electron/main/app/errors';
import { ReconciliationError, type UnsettledItem } from '../../../electron/main/reconciliation/index';
import { ERROR_CODES, type ErrorDetail } from '../../../shared/result';

describe('PaymentsError', () => {
  it('maps every code onto a shared ErrorCode', () => {
    for (const code of PAYMENTS_ERROR_CODES) {
      expect(ERROR_CODES).toContain(PAYMENTS_TO_APP[code]);
      expect(new PaymentsError(code, 'm').toAppError()).toEqual({
        code: PAYMENTS_TO_APP[code],
        message: 'm',
      });
    }
  });

  it('keeps the meaning of journal errors', () => {
    const write = new JournalWriteError('FULL', 'disk full', 'SQLITE_FULL');
    expect(PaymentsError.from(write, 's1')).toMatchObject({ code: 'STORAGE', saleId: 's1', cause: write });
    expect(PaymentsError.from(write).message).toMatch(/nothing was sent to DropPay/);
    expect(PaymentsError.from(new JournalStateError('x')).code).toBe('INVALID_STATE');
    expect(PaymentsError.from(new JournalValidationError('x')).code).toBe('VALIDATION');
    expect(PaymentsError.from(new JournalNotFoundError('x')).code).toBe('NOT_FOUND');
  });

  it('keeps the meaning of DropPay errors, with DropPay words for the cashier', () => {
    const cases: [DropPayErrorKind, string][] = [
      ['OUTCOME_UNKNOWN', 'OUTCOME_UNKNOWN'],
      ['CHARGE_OUT_OF_SCOPE', 'DROPPAY_REJECTED'],
      ['RECONNECT_NEEDED', 'RECONNECT_NEEDED'],
      ['NOT_CONFIGURED', 'AUTH_REQUIRED'],
      ['TIMEOUT', 'NETWORK'],
      ['NOT_FOUND', 'NOT_FOUND'],
      ['ALREADY_REFUNDED', 'ALREADY_REFUNDED'],
    ];
    for (const [kind, code] of cases) expect(PaymentsError.from(new DropPayError(kind)).code).toBe(code);
    const rejected = new DropPayError('VALIDATION', { description: 'amount too high' });
    expect(PaymentsError.from(rejected).message).toMatch(/amount too high/);
  });

  it('anything else is INTERNAL with no detail', () => {
    const e = PaymentsError.from(new Error('secret stack detail'));
    expect(e).toMatchObject({ code: 'INTERNAL', message: 'Unexpected error.' });
  });
});

describe('refund and PIN refusals across IPC', () => {
  it('travel with codes of their own, not as VALIDATION', () => {
    const cases: [ConstructorParameters<typeof PaymentsError>[0], string][] = [
      ['PIN_REQUIRED', 'PIN_REQUIRED'],
      ['PIN_INVALID', 'PIN_WRONG'],
      ['PIN_LOCKED', 'PIN_LOCKED'],
      ['ALREADY_REFUNDED', 'ALREADY_REFUNDED'],
      ['REFUND_TOO_LARGE', 'REFUND_TOO_LARGE'],
      ['INVALID_STATE', 'VALIDATION'],
    ];
    for (const [code, app] of cases) {
      expect(toAppError(new PaymentsError(code, 'm')), code).toEqual({ code: app, message: 'm' });
    }
  });

  it('DropPay refusing a second refund is ALREADY_REFUNDED, directly and through payments', () => {
    const refused = new DropPayError('ALREADY_REFUNDED');
    expect(toAppError(refused).code).toBe('ALREADY_REFUNDED');
    expect(toAppError(PaymentsError.from(refused)).code).toBe('ALREADY_REFUNDED');
    expect(toAppError(new DropPayError('CHARGE_NOT_ALLOWED')).code).toBe('DROPPAY_REJECTED');
  });

  it('a journal state error on its own stays VALIDATION: only the refund flow names it', () => {
    expect(toAppError(new JournalStateError('charge c1 already has a refund (DONE)')).code).toBe(
      'VALIDATION',
    );
    expect(toAppError(PaymentsError.from(new JournalStateError('x'))).code).toBe('VALIDATION');
    expect(toAppError(new AppFailure('PIN_LOCKED', 'wait'))).toEqual({ code: 'PIN_LOCKED', message: 'wait' });
  });
});

describe('isInDoubt', () => {
  it('is true only for calls that may have reached DropPay', () => {
    expect(isInDoubt(new DropPayError('OUTCOME_UNKNOWN'))).toBe(true);
    expect(isInDoubt(new DropPayError('MALFORMED_RESPONSE', { inDoubt: true }))).toBe(true);
    expect(isInDoubt(new DropPayError('NETWORK', { neverSent: true }))).toBe(false);
    expect(isInDoubt(new DropPayError('CHARGE_NOT_ALLOWED'))).toBe(false);
    expect(isInDoubt(new Error('x'))).toBe(false);
  });
});

describe('what a person can see carries a detail the renderer words', () => {
  it('end-of-day refusals', () => {
    const unsettled = [{ kind: 'charge' }, { kind: 'refund' }] as unknown as UnsettledItem[];
    const cases: [ReconciliationError, string, ErrorDetail | undefined][] = [
      [new ReconciliationError('INVALID_DAY', 'm'), 'VALIDATION', { key: 'day.invalid' }],
      [new ReconciliationError('FUTURE_DAY', 'm'), 'VALIDATION', { key: 'day.future' }],
      [
        new ReconciliationError('INVALID_REASON', 'm'),
        'VALIDATION',
        { key: 'day.reason', params: { max: 1000 } },
      ],
      [new ReconciliationError('ALREADY_CLOSED', 'm'), 'DAY_CLOSED', { key: 'day.alreadyClosed' }],
      [
        new ReconciliationError('UNSETTLED', 'm', unsettled),
        'DAY_UNSETTLED',
        { key: 'day.unsettled', params: { count: 2 } },
      ],
      [new ReconciliationError('CHAIN_BROKEN', 'm'), 'DAY_CHAIN_BROKEN', { key: 'day.chainBroken' }],
      [new ReconciliationError('TOO_NEW', 'm'), 'STORAGE', { key: 'journal.unavailable' }],
      // An option the app passed wrong: nothing for the person to act on, so no detail.
      [new ReconciliationError('INVALID_OPTIONS', 'm'), 'VALIDATION', undefined],
    ];
    for (const [error, code, detail] of cases) {
      expect(toAppError(error), error.code).toEqual(
        detail === undefined ? { code, message: 'm' } : { code, message: 'm', detail },
      );
    }
  });

  it('the journal and the keychain', () => {
    expect(toAppError(new JournalValidationError('reason too long')).detail).toEqual({
      key: 'journal.refused',
    });
    expect(toAppError(new JournalStateError('x')).detail).toEqual({ key: 'journal.refused' });
    expect(toAppError(new JournalOpenError('CORRUPT', 'bad file'))).toMatchObject({
      code: 'STORAGE',
      detail: { key: 'journal.unavailable' },
    });
    expect(toAppError(new JournalWriteError('FULL', 'disk full', 'SQLITE_FULL')).detail).toEqual({
      key: 'journal.unavailable',
    });
    expect(toAppError(new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'no secret service'))).toEqual({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: 'no secret service',
      detail: { key: 'keychain.unavailable' },
    });
    expect(toAppError(new CredentialStoreError('KEYCHAIN_ERROR', 'x')).detail).toEqual({
      key: 'keychain.failed',
    });
  });
});
