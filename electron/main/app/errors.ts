import { CredentialStoreError } from '../credentials';
import { DropPayError, type DropPayErrorKind } from '../droppay';
import type { AppError, ErrorCode } from '../../../shared/result';

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
  ALREADY_REFUNDED: 'DROPPAY_REJECTED',
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
 * Turns anything thrown in the core into plain data for the renderer. Messages come from our
 * own typed errors (written to be secret-free); anything else becomes INTERNAL with no detail.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof DropPayError) return { code: DROPPAY_TO_APP[error.kind], message: error.message };
  if (error instanceof CredentialStoreError) {
    return {
      code: error.kind === 'KEYCHAIN_UNAVAILABLE' ? 'KEYCHAIN_UNAVAILABLE' : 'STORAGE',
      message: error.message,
    };
  }
  return { code: 'INTERNAL', message: 'Unexpected error.' };
}
