import { describe, expect, it } from 'vitest';
import { DropPayError, type DropPayErrorKind } from '../../../electron/main/droppay/index';
import {
  JournalNotFoundError,
  JournalOpenError,
  JournalStateError,
  JournalValidationError,
  JournalWriteError,
} from '../../../electron/main/journal/index';
import { PAYMENTS_ERROR_CODES, PAYMENTS_TO_APP, PaymentsError } from '../../../electron/main/payments/index';
import { isInDoubt, notFound } from '../../../electron/main/payments/errors';
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

  it('sends a refusal for the state of the till or the sale as INVALID_STATE, bad input as VALIDATION', () => {
    const cases: [ConstructorParameters<typeof PaymentsError>[0], string][] = [
      ['INVALID_STATE', 'INVALID_STATE'], // another sale at the customer, a paid sale cancelled
      ['NOT_READY', 'INVALID_STATE'], // recovery still running: not a bug, try again shortly
      ['CLOSED', 'INVALID_STATE'], // the payments are closing (an environment switch)
      ['VALIDATION', 'VALIDATION'],
    ];
    for (const [code, app] of cases) expect(new PaymentsError(code, 'm').toAppError().code, code).toBe(app);
  });

  it('keeps the meaning of journal errors', () => {
    const write = new JournalWriteError('FULL', 'disk full', 'SQLITE_FULL');
    expect(PaymentsError.from(write, 's1')).toMatchObject({ code: 'STORAGE', saleId: 's1', cause: write });
    expect(PaymentsError.from(write).message).toMatch(/nothing was sent to DropPay/);
    expect(PaymentsError.from(new JournalStateError('x')).code).toBe('INVALID_STATE');
    expect(PaymentsError.from(new JournalValidationError('x')).code).toBe('VALIDATION');
    expect(PaymentsError.from(new JournalNotFoundError('sale', 's1')).code).toBe('NOT_FOUND');
  });

  it('words what the journal refused or lacks for the renderer, naming the id', () => {
    const cases: [Error, string, ErrorDetail][] = [
      [new JournalStateError('a paid sale cannot wait'), 'INVALID_STATE', { key: 'journal.refused' }],
      [new JournalValidationError('amount must be positive'), 'VALIDATION', { key: 'journal.refused' }],
      [new JournalNotFoundError('sale', 's1'), 'NOT_FOUND', { key: 'sale.notFound', params: { id: 's1' } }],
      [
        new JournalNotFoundError('charge', 'c1'),
        'NOT_FOUND',
        { key: 'charge.notFound', params: { id: 'c1' } },
      ],
      [
        new JournalNotFoundError('refund', 'r1'),
        'NOT_FOUND',
        { key: 'refund.notFound', params: { id: 'r1' } },
      ],
      [new JournalOpenError('CORRUPT', 'bad file'), 'STORAGE', { key: 'journal.unavailable' }],
    ];
    for (const [error, code, detail] of cases) {
      // The message stays the journal's own, for the log.
      expect(PaymentsError.from(error).toAppError(), error.message).toEqual({
        code,
        message: error.message,
        detail,
      });
    }
  });

  it('an id not on this till is NOT_FOUND, named in the message and in the detail', () => {
    expect(notFound('charge', 'c9').toAppError()).toEqual({
      code: 'NOT_FOUND',
      message: 'No charge c9 on this till.',
      detail: { key: 'charge.notFound', params: { id: 'c9' } },
    });
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

  it('anything else is INTERNAL, told as a bug and nothing of its own message', () => {
    const e = PaymentsError.from(new Error('secret stack detail'));
    expect(e.toAppError()).toEqual({
      code: 'INTERNAL',
      message: 'Unexpected error.',
      detail: { key: 'internal.unexpected' },
    });
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
