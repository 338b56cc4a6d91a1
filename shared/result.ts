/**
 * What crosses the IPC boundary: never a thrown error, always a Result. The error is plain
 * data with a closed code the renderer switches on exhaustively and translates; the message
 * is safe to show a cashier and never carries a stack or a secret.
 */

/** Every error code the renderer may receive. Closed: adding one is a deliberate change. */
export const ERROR_CODES = [
  'VALIDATION',
  'AUTH_REQUIRED',
  'RECONNECT_NEEDED',
  'KEYCHAIN_UNAVAILABLE',
  'NETWORK',
  'DROPPAY_REJECTED',
  'OUTCOME_UNKNOWN',
  'NOT_FOUND',
  'STORAGE',
  'INTERNAL',
  'DAY_CLOSED',
  'DAY_UNSETTLED',
  'DAY_CHAIN_BROKEN', // the journal's hash chain does not verify: closing needs a written reason
  'PIN_REQUIRED', // the manager PIN is set and none was given (refund, changing the PIN)
  'PIN_WRONG', // the manager PIN given is not the one set
  'PIN_LOCKED', // too many wrong PINs in a row: the guard refuses every PIN for a while
  'ALREADY_REFUNDED', // the charge has had its one refund (on this till or at DropPay)
  'REFUND_TOO_LARGE', // the refund is above the charge's amount
  'BRIDGE_REFUSED', // browser mode: the bridge refused this page's secret (open it from the printed address)
  'CORE_UNREACHABLE', // browser mode: the page cannot reach the core at all
] as const;

/** A closed error code; see ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Plain-data error: safe to serialise, show and log. */
export interface AppError {
  code: ErrorCode;
  message: string;
}

/** The envelope every IPC call returns. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Builds a success envelope. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failure envelope. */
export function fail<T = never>(code: ErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
