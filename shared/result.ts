/**
 * What crosses the IPC boundary: never a thrown error, always a Result. The error is plain
 * data with a closed code the renderer switches on exhaustively and translates; the message
 * is safe to show a cashier and never carries a stack or a secret.
 */

/** Every error code the renderer may receive. Closed: adding one is a deliberate change. */
export const ERROR_CODES = [
  'VALIDATION',
  'INVALID_STATE', // refused for what the till is doing now (a sale in progress, recovery running), not for the input
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
  'DAY_MISMATCHED', // the day's check with DropPay found differences: closing needs a written reason
  'DAY_UNCHECKED', // the day was never checked with DropPay: closing needs a written reason
  'DAY_UNREAD', // the day's last check could not read items from DropPay: closing needs a written reason
  'PIN_REQUIRED', // the manager PIN is set and none was given (refund, changing the PIN)
  'PIN_WRONG', // the manager PIN given is not the one set
  'PIN_LOCKED', // too many wrong PINs in a row: the guard refuses every PIN for a while
  'SETTINGS_LOCKED', // a manager PIN is set and the settings are not unlocked: the change needs it
  'ALREADY_REFUNDED', // the charge has had its one refund (on this till or at DropPay)
  'REFUND_TOO_LARGE', // the refund is above the charge's amount
  'BRIDGE_REFUSED', // browser mode: the bridge refused this page's secret (open it from the printed address)
  'CORE_UNREACHABLE', // browser mode: the page cannot reach the core at all
] as const;

/** A closed error code; see ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What DropPay's answers can mean, as the client classifies them (droppay/errors.ts): the
 * renderer words each in the cashier's language.
 */
export const DROPPAY_ERROR_KINDS = [
  'VALIDATION',
  'AUTH_INVALID_CREDENTIALS',
  'AUTH_TOKEN',
  'RECONNECT_NEEDED',
  'NOT_CONFIGURED',
  'FORBIDDEN_RESOURCE',
  'CHARGE_NOT_ALLOWED',
  'CHARGE_OUT_OF_SCOPE',
  'ALREADY_REFUNDED',
  'NOT_FOUND',
  'PAY_TOKEN_EXPIRED',
  'RATE_LIMITED',
  'SERVER',
  'NETWORK',
  'TIMEOUT',
  'OUTCOME_UNKNOWN',
  'MALFORMED_RESPONSE',
  'UNEXPECTED',
] as const;
export type DropPayErrorKindName = (typeof DROPPAY_ERROR_KINDS)[number];

/**
 * Our own explanations of an error, beyond its code. Closed like the codes: the renderer has a
 * text for each in every language, so the detail line is never English on an Italian screen.
 */
export const ERROR_DETAIL_KEYS = [
  ...DROPPAY_ERROR_KINDS.map((k) => `droppay.${k}` as const),
  'journal.nothingSent', // the intent could not be written: nothing went to DropPay
  'journal.answerNotWritten', // DropPay answered but the journal refused it: do not repeat
  'journal.saleDamaged', // {ref, field, value}: a stored date of the sale names no real time
  'sale.notReady', // start-up recovery still running
  'sale.cannotCancel', // {state}
  'sale.cannotCapture', // {state}
  'sale.captureNotBooked',
  'sale.captureAboveBooked',
  'sale.cannotChargeAgain', // {state}
  'sale.notFound', // {id}: no sale with that id on this till
  'sale.inProgress', // {ref, amountCents, saleId}: another sale is still at the customer
  'sale.closing', // the payments are closing (an environment switch, the app quitting): try again
  'charge.notFound', // {id}: no charge with that id on this till
  'refund.notFound', // {id}: no refund with that id on this till
  'cancel.unconfirmed', // DropPay did not confirm the cancellation; the till will not charge
  'pin.required',
  'pin.wrong', // {triesLeft}: wrong PINs still allowed before the lock (at least 1)
  'pin.locked', // {seconds}: also the answer to the wrong PIN that starts the lock
  'pin.damaged', // {file}: the PIN file cannot be read; every PIN is refused
  'refund.already', // {status}
  'refund.earlierInDoubt',
  'refund.tooLarge', // {amountCents, maxCents}
  'request.unknown', // a channel the core does not have
  'internal.unexpected', // a bug: try again; the log in the data folder has the details
  'input.invalid', // {field}: the request did not pass the contract's schema
  'settings.customUrlMissing',
  'settings.sandboxCredentials',
  'settings.credentialsOtherEnvironment', // {current, asked}: credentials for an environment the till is not on
  'settings.saleInProgress', // an environment switch with a sale open
  'settings.dayRuleSaleInProgress', // a business-day change with a sale open
  'settings.dayRuleClosedDay', // a business-day change that would put now in a closed day {day}
  'settings.timeZoneUnknown', // a time zone Intl does not know {zone}
  'settings.locked', // a guarded setting changed while the settings are locked: unlock with the PIN
  'connect.needsApplication', // connecting an account before the key and secret are saved
  'connect.noneWaiting', // a connection status or cancel with none started
  'connect.noCode', // DropPay approved a connection and sent no code
  'pin.currentRequired',
  'journal.refused', // the journal's own checks refused the record
  'journal.unavailable', // the journal cannot be opened, read or written
  'keychain.unavailable',
  'keychain.locked', // there, but locked: unlock it
  'keychain.failed',
  'day.invalid',
  'day.future',
  'day.reason', // {max}: a forced close's written reason
  'day.alreadyClosed',
  'day.unsettled', // {count}
  'day.chainBroken',
  'day.mismatched', // {count}
  'day.unchecked', // the day has sales and was never checked with DropPay
  'day.unread', // {count}: items the day's check could not read from DropPay
  'bridge.refused', // browser mode: the page's secret was refused
  'bridge.unreachable', // browser mode: the core does not answer
  'bridge.status', // {status}: the bridge answered an HTTP error
  'backup.folderNotAbsolute', // a backup folder must be a full path
  'backup.folderUnavailable', // {folder}: it cannot be created or written (a USB stick unplugged)
  'backup.folderMissing', // {folder}: chosen for the copies, and not there
  'backup.folderIsFile', // {folder}: chosen for the copies, and a file
  'backup.diskFull', // {folder}: no space left for the copy
  'backup.notWritable', // {folder}: read-only, no permission, or an I/O error
  'backup.checkFailed', // the copy was written but did not pass SQLite's check
  'backup.failed', // the copy could not be written (any other cause)
] as const;
export type ErrorDetailKey = (typeof ERROR_DETAIL_KEYS)[number];

/**
 * A detail the renderer words itself. Params ending in `Cents` are amounts it formats as money;
 * `droppay` is DropPay's own description, shown as DropPay wrote it.
 */
export interface ErrorDetail {
  key: ErrorDetailKey;
  params?: Record<string, string | number>;
}

/** Plain-data error: safe to serialise, show and log. */
export interface AppError {
  code: ErrorCode;
  /** English, for logs and for a renderer that has no text for `detail`. */
  message: string;
  detail?: ErrorDetail;
}

/** The envelope every IPC call returns. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** Builds a success envelope. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** What the renderer learns of a bug: only that it happened (its stack goes to the log). */
export function unexpectedError(): AppError {
  return { code: 'INTERNAL', message: 'Unexpected error.', detail: { key: 'internal.unexpected' } };
}

/**
 * The detail for input a schema refused: the field of its first issue, as a dotted path, or
 * `input` when it is the input as a whole.
 */
export function invalidInput(issues: readonly { path: readonly PropertyKey[] }[]): {
  key: 'input.invalid';
  params: { field: string };
} {
  const path = issues[0]?.path ?? [];
  return { key: 'input.invalid', params: { field: path.length > 0 ? path.map(String).join('.') : 'input' } };
}

/** Builds a failure envelope, with the detail the renderer words it from when there is one. */
export function fail<T = never>(code: ErrorCode, message: string, detail?: ErrorDetail): Result<T> {
  return { ok: false, error: detail === undefined ? { code, message } : { code, message, detail } };
}
