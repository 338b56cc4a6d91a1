import { describe, expect, it } from 'vitest';
import { DropPayError, type DropPayErrorKind } from '../../../electron/main/droppay/index';
import {
  JournalNotFoundError,
  JournalStateError,
  JournalValidationError,
  JournalWriteError,
} from '../../../electron/main/journal/index';
import { PAYMENTS_ERROR_CODES, PAYMENTS_TO_APP, PaymentsError } from '../../../electron/main/payments/index';
import { isInDoubt } from '../../../electron/main/payments/errors';
import { ERROR_CODES } from '../../../shared/result';

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
    expect(PaymentsError.from(new JournalNotFoundError('sale', 's1')).code).toBe('NOT_FOUND');
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

describe('isInDoubt', () => {
  it('is true only for calls that may have reached DropPay', () => {
    expect(isInDoubt(new DropPayError('OUTCOME_UNKNOWN'))).toBe(true);
    expect(isInDoubt(new DropPayError('MALFORMED_RESPONSE', { inDoubt: true }))).toBe(true);
    expect(isInDoubt(new DropPayError('NETWORK', { neverSent: true }))).toBe(false);
    expect(isInDoubt(new DropPayError('CHARGE_NOT_ALLOWED'))).toBe(false);
    expect(isInDoubt(new Error('x'))).toBe(false);
  });
});
