/** The app layer's mapping of every module's errors onto what crosses IPC (toAppError). */
import { describe, expect, it } from 'vitest';
import { DropPayError } from '../../../electron/main/droppay/index';
import { CredentialStoreError } from '../../../electron/main/credentials/index';
import {
  JournalNotFoundError,
  JournalOpenError,
  JournalStateError,
  JournalValidationError,
  JournalWriteError,
} from '../../../electron/main/journal/index';
import { PaymentsError } from '../../../electron/main/payments/index';
import { AppFailure, reportedAppError, toAppError } from '../../../electron/main/app/errors';
import { ReconciliationError, type UnsettledItem } from '../../../electron/main/reconciliation/index';
import type { ErrorDetail } from '../../../shared/result';

describe('refund and PIN refusals across IPC', () => {
  it('travel with codes of their own, not as VALIDATION', () => {
    const cases: [ConstructorParameters<typeof PaymentsError>[0], string][] = [
      ['PIN_REQUIRED', 'PIN_REQUIRED'],
      ['PIN_INVALID', 'PIN_WRONG'],
      ['PIN_LOCKED', 'PIN_LOCKED'],
      ['ALREADY_REFUNDED', 'ALREADY_REFUNDED'],
      ['REFUND_TOO_LARGE', 'REFUND_TOO_LARGE'],
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

  it('a journal state error on its own is INVALID_STATE: only the refund flow names which rule', () => {
    expect(toAppError(new JournalStateError('charge c1 already has a refund (DONE)')).code).toBe(
      'INVALID_STATE',
    );
    expect(toAppError(PaymentsError.from(new JournalStateError('x'))).code).toBe('INVALID_STATE');
    // What the journal found wrong in the input itself stays bad input.
    expect(toAppError(new JournalValidationError('amount must be positive')).code).toBe('VALIDATION');
    expect(toAppError(PaymentsError.from(new JournalValidationError('x'))).code).toBe('VALIDATION');
    expect(toAppError(new AppFailure('PIN_LOCKED', 'wait'))).toEqual({ code: 'PIN_LOCKED', message: 'wait' });
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
      [
        new ReconciliationError('MISMATCHED', 'm', [], 3),
        'DAY_MISMATCHED',
        { key: 'day.mismatched', params: { count: 3 } },
      ],
      [
        new ReconciliationError('UNREAD', 'm', [], 4),
        'DAY_UNREAD',
        { key: 'day.unread', params: { count: 4 } },
      ],
      [new ReconciliationError('UNCHECKED', 'm'), 'DAY_UNCHECKED', { key: 'day.unchecked' }],
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
    expect(
      toAppError(new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'locked', { locked: true })).detail,
    ).toEqual({ key: 'keychain.locked' });
    expect(toAppError(new CredentialStoreError('KEYCHAIN_ERROR', 'x')).detail).toEqual({
      key: 'keychain.failed',
    });
  });

  it('an id the journal does not have, named, directly and through payments', () => {
    const missing = new JournalNotFoundError('sale', 'S-1');
    const expected = {
      code: 'NOT_FOUND',
      message: 'no sale S-1',
      detail: { key: 'sale.notFound', params: { id: 'S-1' } },
    };
    expect(toAppError(missing)).toEqual(expected);
    expect(toAppError(PaymentsError.from(missing))).toEqual(expected);
  });

  it('a bug: INTERNAL, with the detail that says to try again and where the log is', () => {
    for (const thrown of [
      new TypeError('x is undefined'),
      'a string',
      PaymentsError.from(new RangeError('r')),
    ]) {
      expect(toAppError(thrown)).toEqual({
        code: 'INTERNAL',
        message: 'Unexpected error.',
        detail: { key: 'internal.unexpected' },
      });
    }
  });
});

describe('reportedAppError', () => {
  it('logs the stack of a bug, whose detail sends the cashier to the log, and nothing else', () => {
    const lines: string[] = [];
    const log = (line: string): number => lines.push(line);
    expect(reportedAppError(new TypeError('x is undefined'), log).detail).toEqual({
      key: 'internal.unexpected',
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^unexpected error: TypeError: x is undefined\n\s+at /);
    expect(reportedAppError(new JournalStateError('x'), log).code).toBe('INVALID_STATE');
    expect(lines).toHaveLength(1);
  });
});
