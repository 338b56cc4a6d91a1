import { DROPPAY_ERROR_MESSAGES as SHARED_MESSAGES } from '../../../shared/core-texts';
import type { DropPayErrorKindName, ErrorDetail } from '../../../shared/result';
import type { SentRequest } from './types';

/**
 * Every way a DropPay call can fail. Closed, so the UI can switch on it exhaustively; listed
 * once, in shared/result.ts, so the renderer has a text for each.
 */
export type DropPayErrorKind = DropPayErrorKindName;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Short, secret-free English texts a cashier can read; the renderer words them by kind. */
export const DROPPAY_ERROR_MESSAGES: Record<DropPayErrorKind, string> = SHARED_MESSAGES;

/** Why an outcome is unknown; kept so logs can tell a timeout from a 5xx. */
export type UnknownReason = 'TIMEOUT' | 'NETWORK' | 'SERVER' | 'MALFORMED_RESPONSE';

/** Why DropPay could not be reached, as far as the socket said: for the cashier's detail line. */
export type NetworkCause = 'dns' | 'refused' | 'unreachable' | 'dropped' | 'certificate';

export interface DropPayErrorInit {
  status?: number;
  code?: string;
  description?: string;
  method?: HttpMethod;
  path?: string;
  field?: string;
  reason?: UnknownReason;
  sent?: SentRequest;
  /** Set when the request may have changed state server side and must be read back. */
  inDoubt?: boolean;
  /** Whether the request provably never reached the server (connection refused, DNS). */
  neverSent?: boolean;
  message?: string;
  cause?: unknown;
  /** NETWORK: the host (and port) the till tried, never a path or a credential. */
  host?: string;
  network?: NetworkCause;
}

/**
 * The one error type the DropPay client throws. Carries what the UI and the payments layer
 * need (kind, HTTP status, DropPay code and description, the call) and never a token or secret.
 */
export class DropPayError extends Error {
  override readonly name = 'DropPayError';
  readonly kind: DropPayErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly description: string | undefined;
  readonly method: HttpMethod | undefined;
  readonly path: string | undefined;
  readonly field: string | undefined;
  readonly reason: UnknownReason | undefined;
  readonly sent: SentRequest | undefined;
  readonly inDoubt: boolean;
  readonly neverSent: boolean;
  readonly host: string | undefined;
  readonly network: NetworkCause | undefined;
  /** The short text for a cashier (the `message` also names the call, for logs). */
  readonly userMessage: string;
  private readonly detail: string | undefined;

  constructor(kind: DropPayErrorKind, init: DropPayErrorInit = {}) {
    const userMessage = DROPPAY_ERROR_MESSAGES[kind];
    const where =
      init.method && init.path
        ? ` [${init.method} ${init.path}${init.status ? ` → ${init.status}` : ''}]`
        : '';
    super(
      `${init.message ?? userMessage}${where}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.kind = kind;
    this.status = init.status;
    this.code = init.code;
    this.description = init.description;
    this.method = init.method;
    this.path = init.path;
    this.field = init.field;
    this.reason = init.reason;
    this.sent = init.sent;
    this.inDoubt = init.inDoubt ?? kind === 'OUTCOME_UNKNOWN';
    this.neverSent = init.neverSent ?? false;
    this.host = init.host;
    this.network = init.network;
    this.userMessage = userMessage;
    this.detail = init.message;
  }

  /** What the renderer words in the cashier's language: the kind, and DropPay's own words. */
  get appDetail(): ErrorDetail {
    // Unreachable: which address was tried and what the socket met, for the line to say what
    // to check (the headline already says it is unreachable).
    const params = {
      ...(this.description ? { droppay: this.description } : {}),
      ...(this.host ? { host: this.host } : {}),
      ...(this.network ? { network: this.network } : {}),
    };
    return Object.keys(params).length > 0
      ? { key: `droppay.${this.kind}`, params }
      : { key: `droppay.${this.kind}` };
  }

  /** A copy with the domain request attached, for the payments layer's read-back. */
  withSent(sent: SentRequest): DropPayError {
    return new DropPayError(this.kind, { ...this.initData(), sent, message: this.detail, cause: this.cause });
  }

  /** Plain data safe to put in a log or send across IPC. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      ...this.initData(),
      sent: loggableSent(this.sent),
    };
  }

  private initData(): DropPayErrorInit {
    return {
      status: this.status,
      code: this.code,
      description: this.description,
      method: this.method,
      path: this.path,
      field: this.field,
      reason: this.reason,
      sent: this.sent,
      inDoubt: this.inDoubt,
      neverSent: this.neverSent,
      host: this.host,
      network: this.network,
    };
  }
}

/** The pay token can still charge for a few minutes: logs get its shape, not its value. */
function loggableSent(sent: SentRequest | undefined): SentRequest | undefined {
  if (sent?.operation !== 'charge.create') return sent;
  return { operation: sent.operation, input: { ...sent.input, payTokenVal: '[redacted]' } };
}

export function isDropPayError(err: unknown, kind?: DropPayErrorKind): err is DropPayError {
  return err instanceof DropPayError && (kind === undefined || err.kind === kind);
}

/** The contract's error table, keyed on `${status}/${code}` because codes restart per status. */
const ERROR_TABLE: Readonly<Record<string, DropPayErrorKind>> = {
  '400/100': 'VALIDATION',
  '400/101': 'VALIDATION',
  '400/102': 'VALIDATION',
  '401/100': 'AUTH_INVALID_CREDENTIALS',
  '401/102': 'AUTH_TOKEN',
  '403/101': 'FORBIDDEN_RESOURCE',
  '403/200': 'CHARGE_NOT_ALLOWED',
  '403/201': 'CHARGE_OUT_OF_SCOPE',
  '403/202': 'ALREADY_REFUNDED',
  '404/100': 'NOT_FOUND',
  '410/200': 'PAY_TOKEN_EXPIRED',
};

/** DropPay pads codes as strings ("100"); some servers send numbers or "0100". */
export function normalizeCode(code: unknown): string | undefined {
  if (typeof code === 'number' && Number.isInteger(code)) return String(code);
  if (typeof code === 'string' && /^\s*\d+\s*$/.test(code)) return String(Number(code.trim()));
  if (typeof code === 'string' && code.trim() !== '') return code.trim();
  return undefined;
}

/** Maps an HTTP error status and DropPay code to a kind. */
export function kindFor(status: number, code: string | undefined): DropPayErrorKind {
  if (status >= 500 && status <= 599) return 'SERVER';
  if (status === 429) return 'RATE_LIMITED';
  if (code === undefined) return 'UNEXPECTED';
  return ERROR_TABLE[`${status}/${code}`] ?? 'UNEXPECTED';
}
