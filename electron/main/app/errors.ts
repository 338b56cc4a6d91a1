import { CredentialStoreError } from '../credentials';
import { DropPayError, type DropPayErrorKind } from '../droppay';
import {
  JournalError,
  JournalNotFoundError,
  JournalOpenError,
  JournalStateError,
  JournalValidationError,
} from '../journal';
import { notFoundDetail, PaymentsError } from '../payments/errors';
import { MAX_CLOSE_REASON, ReconciliationError, type ReconciliationErrorCode } from '../reconciliation';
import { unexpectedError, type AppError, type ErrorCode, type ErrorDetail } from '../../../shared/result';
import { ConfigError } from './config';

/** Which IPC error code each DropPay failure becomes. Exhaustive: a new kind is a type error. */
const DROPPAY_TO_APP: Record<DropPayErrorKind, ErrorCode> = {
  VALIDATION: 'VALIDATION',
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

/**
 * Which IPC error code each end-of-day refusal becomes, and what the renderer says of it.
 * Exhaustive: a new code is a type error.
 */
const RECONCILIATION_TO_APP: Record<
  ReconciliationErrorCode,
  { code: ErrorCode; detail: ((e: ReconciliationError) => ErrorDetail) | null }
> = {
  INVALID_DAY: { code: 'VALIDATION', detail: () => ({ key: 'day.invalid' }) },
  FUTURE_DAY: { code: 'VALIDATION', detail: () => ({ key: 'day.future' }) },
  INVALID_REASON: {
    code: 'VALIDATION',
    detail: () => ({ key: 'day.reason', params: { max: MAX_CLOSE_REASON } }),
  },
  // Options come from the app, not from the person: nothing for them to act on.
  INVALID_OPTIONS: { code: 'VALIDATION', detail: null },
  ALREADY_CLOSED: { code: 'DAY_CLOSED', detail: () => ({ key: 'day.alreadyClosed' }) },
  UNSETTLED: {
    code: 'DAY_UNSETTLED',
    detail: (e) => ({ key: 'day.unsettled', params: { count: e.unsettled.length } }),
  },
  CHAIN_BROKEN: { code: 'DAY_CHAIN_BROKEN', detail: () => ({ key: 'day.chainBroken' }) },
  MISMATCHED: {
    code: 'DAY_MISMATCHED',
    detail: (e) => ({ key: 'day.mismatched', params: { count: e.mismatched } }),
  },
  UNCHECKED: { code: 'DAY_UNCHECKED', detail: () => ({ key: 'day.unchecked' }) },
  UNREAD: {
    code: 'DAY_UNREAD',
    detail: (e) => ({ key: 'day.unread', params: { count: e.mismatched } }),
  },
  READ_ONLY: { code: 'STORAGE', detail: () => ({ key: 'journal.unavailable' }) },
  CANNOT_OPEN: { code: 'STORAGE', detail: () => ({ key: 'journal.unavailable' }) },
  NOT_A_JOURNAL: { code: 'STORAGE', detail: () => ({ key: 'journal.unavailable' }) },
  TOO_NEW: { code: 'STORAGE', detail: () => ({ key: 'journal.unavailable' }) },
};

/**
 * A refusal decided by the app layer itself (settings, environment switch), already in the
 * renderer's words. Its message is written here, so it is known to be free of secrets.
 */
export class AppFailure extends Error {
  override readonly name = 'AppFailure';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The message's meaning, for the renderer to word in the cashier's language. */
    readonly detail?: ErrorDetail,
  ) {
    super(message);
  }
}

/**
 * Turns anything thrown in the core into plain data for the renderer. Messages come from our
 * own typed errors (written to be secret-free); anything else becomes INTERNAL, a bug.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppFailure) {
    return error.detail === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, detail: error.detail };
  }
  if (error instanceof PaymentsError) return error.toAppError();
  if (error instanceof DropPayError) {
    return { code: DROPPAY_TO_APP[error.kind], message: error.message, detail: error.appDetail };
  }
  if (error instanceof CredentialStoreError) {
    return error.kind === 'KEYCHAIN_UNAVAILABLE'
      ? {
          code: 'KEYCHAIN_UNAVAILABLE',
          message: error.message,
          detail: { key: error.locked ? 'keychain.locked' : 'keychain.unavailable' },
        }
      : { code: 'STORAGE', message: error.message, detail: { key: 'keychain.failed' } };
  }
  if (error instanceof JournalError) return journalError(error);
  if (error instanceof ConfigError) return { code: 'VALIDATION', message: error.message };
  if (error instanceof ReconciliationError) {
    const { code, detail } = RECONCILIATION_TO_APP[error.code];
    return detail === null
      ? { code, message: error.message }
      : { code, message: error.message, detail: detail(error) };
  }
  return unexpectedError();
}

/**
 * toAppError for an answer to the renderer: what it sees of an unexpected error is only that
 * it happened, so its stack goes to `log` (the file log scrubs secrets), or nobody could ever
 * find out what went wrong.
 */
export function reportedAppError(error: unknown, log: (line: string) => void): AppError {
  const appError = toAppError(error);
  if (appError.code === 'INTERNAL') {
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  return appError;
}

function journalError(error: JournalError): AppError {
  // The journal's validation and state messages describe the input and the record (never a
  // secret: secrets are refused before they reach it); storage failures are summarised.
  const refused: ErrorDetail = { key: 'journal.refused' };
  const unavailable: ErrorDetail = { key: 'journal.unavailable' };
  if (error instanceof JournalValidationError)
    return { code: 'VALIDATION', message: error.message, detail: refused };
  if (error instanceof JournalStateError)
    return { code: 'INVALID_STATE', message: error.message, detail: refused };
  if (error instanceof JournalNotFoundError)
    return { code: 'NOT_FOUND', message: error.message, detail: notFoundDetail(error.what, error.id) };
  if (error instanceof JournalOpenError)
    return {
      code: 'STORAGE',
      message: `The journal could not be opened (${error.failure}).`,
      detail: unavailable,
    };
  return { code: 'STORAGE', message: 'The journal could not be read or written.', detail: unavailable };
}
