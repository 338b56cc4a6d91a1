/**
 * The one error type the payments service throws. Its `code` is closed so the IPC layer and
 * the UI can switch on it; `appCode` is the shared/result.ts code it travels as. Messages are
 * safe to show a cashier: they come from our own typed errors, never a stack, token or PIN.
 */
import { DropPayError, type DropPayErrorKind } from '../droppay';
import {
  JournalError,
  JournalNotFoundError,
  JournalReadError,
  JournalStateError,
  JournalValidationError,
  JournalWriteError,
  type JournalRecordKind,
} from '../journal';
import { unexpectedError, type AppError, type ErrorCode, type ErrorDetail } from '../../../shared/result';

export const PAYMENTS_ERROR_CODES = [
  'VALIDATION', // the input makes no sense (amount, text, unknown policy)
  'INVALID_STATE', // the sale or charge cannot do that now (cancel a paid sale, refund an unpaid charge...)
  'ALREADY_REFUNDED', // the charge has had its one refund (recorded here, or refused so by DropPay)
  'REFUND_TOO_LARGE', // the refund is above the charge's amount
  'NOT_FOUND', // no such sale or charge on this till
  'PIN_REQUIRED', // refunds need the manager PIN and none was given
  'PIN_INVALID', // wrong manager PIN
  'PIN_LOCKED', // too many wrong PINs: wait before trying again
  'NOT_READY', // recover() has not completed yet: nothing new may start
  'CLOSED', // the service is shutting down
  'STORAGE', // the journal refused the write: nothing was sent to DropPay
  'OUTCOME_UNKNOWN', // DropPay may have done it; the resolver is reading it back
  'DROPPAY_REJECTED', // DropPay answered no
  'NETWORK', // DropPay could not be reached; nothing happened
  'AUTH_REQUIRED', // DropPay credentials missing or refused
  'RECONNECT_NEEDED', // the merchant must reconnect the DropPay account
  'INTERNAL', // a bug
] as const;
export type PaymentsErrorCode = (typeof PAYMENTS_ERROR_CODES)[number];

/** How each code crosses IPC. Exhaustive: a new code is a compile error until mapped. */
export const PAYMENTS_TO_APP: Record<PaymentsErrorCode, ErrorCode> = {
  VALIDATION: 'VALIDATION',
  INVALID_STATE: 'INVALID_STATE',
  ALREADY_REFUNDED: 'ALREADY_REFUNDED',
  REFUND_TOO_LARGE: 'REFUND_TOO_LARGE',
  NOT_FOUND: 'NOT_FOUND',
  PIN_REQUIRED: 'PIN_REQUIRED',
  PIN_INVALID: 'PIN_WRONG',
  PIN_LOCKED: 'PIN_LOCKED',
  NOT_READY: 'INVALID_STATE',
  CLOSED: 'INVALID_STATE',
  STORAGE: 'STORAGE',
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
  DROPPAY_REJECTED: 'DROPPAY_REJECTED',
  NETWORK: 'NETWORK',
  AUTH_REQUIRED: 'AUTH_REQUIRED',
  RECONNECT_NEEDED: 'RECONNECT_NEEDED',
  INTERNAL: 'INTERNAL',
};

const DROPPAY_TO_PAYMENTS: Record<DropPayErrorKind, PaymentsErrorCode> = {
  VALIDATION: 'DROPPAY_REJECTED',
  AUTH_INVALID_CREDENTIALS: 'AUTH_REQUIRED',
  AUTH_TOKEN: 'AUTH_REQUIRED',
  RECONNECT_NEEDED: 'RECONNECT_NEEDED',
  NOT_CONFIGURED: 'AUTH_REQUIRED',
  FORBIDDEN_RESOURCE: 'DROPPAY_REJECTED',
  CHARGE_NOT_ALLOWED: 'DROPPAY_REJECTED',
  CHARGE_OUT_OF_SCOPE: 'DROPPAY_REJECTED',
  ALREADY_REFUNDED: 'ALREADY_REFUNDED',
  NOT_FOUND: 'NOT_FOUND',
  PAY_TOKEN_EXPIRED: 'DROPPAY_REJECTED',
  RATE_LIMITED: 'NETWORK',
  SERVER: 'NETWORK',
  NETWORK: 'NETWORK',
  TIMEOUT: 'NETWORK',
  OUTCOME_UNKNOWN: 'OUTCOME_UNKNOWN',
  MALFORMED_RESPONSE: 'DROPPAY_REJECTED',
  UNEXPECTED: 'DROPPAY_REJECTED',
};

export class PaymentsError extends Error {
  override readonly name = 'PaymentsError';
  /** The sale the failure is about, when one was already on file. */
  readonly saleId: string | undefined;
  /** The message's meaning, for the renderer to word in the cashier's language. */
  readonly detail: ErrorDetail | undefined;

  constructor(
    readonly code: PaymentsErrorCode,
    message: string,
    options: { saleId?: string; cause?: unknown; detail?: ErrorDetail } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.saleId = options.saleId;
    this.detail = options.detail;
  }

  get appCode(): ErrorCode {
    return PAYMENTS_TO_APP[this.code];
  }

  toAppError(): AppError {
    const error: AppError = { code: this.appCode, message: this.message };
    if (this.detail !== undefined) error.detail = this.detail;
    return error;
  }

  /** Wraps whatever a flow caught: journal and DropPay errors keep their meaning. */
  static from(error: unknown, saleId?: string): PaymentsError {
    if (error instanceof PaymentsError) return error;
    const opts = { cause: error, ...(saleId === undefined ? {} : { saleId }) };
    if (error instanceof DropPayError) {
      return new PaymentsError(DROPPAY_TO_PAYMENTS[error.kind], droppayErrorText(error), {
        ...opts,
        detail: error.appDetail,
      });
    }
    if (error instanceof JournalWriteError || error instanceof JournalReadError) {
      return new PaymentsError(
        'STORAGE',
        `The till could not write its journal (${error.failure}): nothing was sent to DropPay.`,
        { ...opts, detail: { key: 'journal.nothingSent' } },
      );
    }
    const refused = { ...opts, detail: { key: 'journal.refused' } } as const;
    if (error instanceof JournalValidationError)
      return new PaymentsError('VALIDATION', error.message, refused);
    if (error instanceof JournalStateError) return new PaymentsError('INVALID_STATE', error.message, refused);
    if (error instanceof JournalNotFoundError) {
      return new PaymentsError('NOT_FOUND', error.message, {
        ...opts,
        detail: notFoundDetail(error.what, error.id),
      });
    }
    if (error instanceof JournalError) {
      return new PaymentsError('STORAGE', error.message, { ...opts, detail: { key: 'journal.unavailable' } });
    }
    const unexpected = unexpectedError();
    return new PaymentsError('INTERNAL', unexpected.message, { ...opts, detail: unexpected.detail });
  }
}

/** The detail of an id this till has no record of. */
export function notFoundDetail(what: JournalRecordKind, id: string): ErrorDetail {
  return { key: `${what}.notFound`, params: { id } };
}

/** No sale, charge or refund `id` on this till. */
export function notFound(what: JournalRecordKind, id: string): PaymentsError {
  return new PaymentsError('NOT_FOUND', `No ${what} ${id} on this till.`, {
    detail: notFoundDetail(what, id),
  });
}

/** A cashier-readable text for the journal's last_error: DropPay's words when it gave some. */
export function droppayErrorText(error: DropPayError): string {
  return error.description ? `${error.userMessage} (${error.description})` : error.userMessage;
}

/** Any caught error as a short text for the journal (never a stack). */
export function errorText(error: unknown): string {
  if (error instanceof DropPayError) return droppayErrorText(error);
  if (error instanceof PaymentsError) return error.message;
  if (error instanceof JournalError) return error.message;
  return 'unexpected error';
}

/**
 * True when a state-changing call may have reached DropPay: its outcome must be read back,
 * never assumed. A call that provably never left (connection refused) is not in doubt.
 */
export function isInDoubt(error: unknown): boolean {
  if (!(error instanceof DropPayError)) return false;
  if (error.neverSent) return false;
  return error.inDoubt || error.kind === 'OUTCOME_UNKNOWN';
}
