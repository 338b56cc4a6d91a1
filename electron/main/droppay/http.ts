import { backoffDelay, DEFAULT_RETRY, realSleep, type RetryOptions } from './backoff';
import {
  DropPayError,
  kindFor,
  normalizeCode,
  type DropPayErrorKind,
  type HttpMethod,
  type NetworkCause,
} from './errors';

export interface HttpClientOptions {
  baseUrl: string;
  /** Per attempt, covering connect, headers and body. */
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Injected for tests: jitter source in [0, 1) and the wait between attempts. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /** Told how each request ended: whether DropPay answered (see `Reachability`). */
  onOutcome?: (answered: boolean) => void;
}

/**
 * `idempotent`: repeating it cannot move money (GETs, token grants), so any transient failure
 * is retried. `unsafe`: retried only when the request provably never left this machine; any
 * other failure becomes OUTCOME_UNKNOWN, because a duplicate charge is worse than a pause.
 */
export type RetryPolicy = 'idempotent' | 'unsafe';

export interface HttpRequest {
  method: HttpMethod;
  path: string;
  body?: Record<string, unknown>;
  bearer?: string;
  retry: RetryPolicy;
  /** Values to scrub from any server text that ends up in an error (the server might echo them). */
  secrets?: readonly string[];
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Codes that only ever come before a connection exists (a name that does not resolve, a
 * refused or timed-out connect), so not one byte of the request reached DropPay. ECONNRESET
 * is deliberately absent: a reset can follow the request.
 */
const BEFORE_CONNECTING = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'UND_ERR_CONNECT_TIMEOUT',
]);
/**
 * Codes that mean "never sent" only when the connect itself failed: on a kept-alive socket
 * the same code can come from a write after the request left.
 */
const AT_CONNECT = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

const TRANSIENT: ReadonlySet<DropPayErrorKind> = new Set(['TIMEOUT', 'NETWORK', 'SERVER', 'RATE_LIMITED']);
/** Failures where DropPay itself gave no answer: none came, or only a 5xx from it or a gateway. */
const UNANSWERED: ReadonlySet<DropPayErrorKind> = new Set(['TIMEOUT', 'NETWORK', 'SERVER']);

/** JSON over fetch with timeouts, bounded jittered retries and DropPay error mapping. */
export class HttpClient {
  private readonly baseUrl: string;
  /** The address's host and port, named when it cannot be reached. */
  private readonly host: string | undefined;
  private readonly timeoutMs: number;
  private readonly retry: RetryOptions;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;
  private readonly onOutcome: (answered: boolean) => void;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.host = URL.canParse(this.baseUrl) ? new URL(this.baseUrl).host : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (!(this.retry.maxAttempts >= 1)) throw new RangeError('retry.maxAttempts must be at least 1');
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? realSleep;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const onOutcome = options.onOutcome ?? (() => undefined);
    // A listener's failure must never turn an answer (a charge made) into an error.
    this.onOutcome = (answered) => {
      try {
        onOutcome(answered);
      } catch {
        // Told is best effort: the request's own outcome stands.
      }
    };
  }

  /** The parsed JSON body of a 2xx answer (undefined when empty); a DropPayError otherwise. */
  async request(req: HttpRequest): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        const body = await this.once(req);
        this.onOutcome(true);
        return body;
      } catch (err) {
        if (!(err instanceof DropPayError)) throw err;
        if (attempt >= this.retry.maxAttempts || !isRetryable(req, err)) {
          this.onOutcome(!UNANSWERED.has(err.kind));
          throw finalize(req, err);
        }
        await this.sleep(backoffDelay(attempt - 1, this.retry, this.random));
      }
    }
  }

  private async once(req: HttpRequest): Promise<unknown> {
    const where = { method: req.method, path: req.path };
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    if (req.bearer !== undefined) headers.authorization = `Bearer ${req.bearer}`;
    try {
      let res: Response;
      try {
        res = await this.fetchImpl(this.baseUrl + req.path, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: controller.signal,
          // Never followed: fetch would turn a POST into a GET and take that GET's answer for the
          // POST's (a charge made, answered "not found"), or send the body, pay token or client
          // secret included, on to whatever host the Location names.
          redirect: 'manual',
        });
      } catch (err) {
        throw transportError(err, timedOut, { ...where, host: this.host }, false, this.timeoutMs);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        throw transportError(err, timedOut, { ...where, host: this.host }, true, this.timeoutMs);
      }
      if (res.status >= 200 && res.status < 300) return parseSuccess(text, req, res.status);
      if (res.status >= 300 && res.status < 400) {
        throw new DropPayError('UNEXPECTED', {
          status: res.status,
          method: req.method,
          path: req.path,
          message: `DropPay answered ${res.status} (a redirect), which the till does not follow`,
          // The server may have carried the request out before redirecting: read it back.
          inDoubt: req.retry === 'unsafe',
        });
      }
      throw httpError(res.status, text, req);
    } finally {
      clearTimeout(timer);
    }
  }
}

function isRetryable(req: HttpRequest, err: DropPayError): boolean {
  if (err.neverSent) return true;
  return req.retry === 'idempotent' && TRANSIENT.has(err.kind);
}

/** An unsafe request that failed in transit or with a 5xx may have happened: say so. */
function finalize(req: HttpRequest, err: DropPayError): DropPayError {
  if (req.retry !== 'unsafe' || err.neverSent) return err;
  if (err.kind !== 'TIMEOUT' && err.kind !== 'NETWORK' && err.kind !== 'SERVER') return err;
  return new DropPayError('OUTCOME_UNKNOWN', {
    status: err.status,
    code: err.code,
    description: err.description,
    method: req.method,
    path: req.path,
    reason: err.kind,
    cause: err,
  });
}

function parseSuccess(text: string, req: HttpRequest, status: number): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DropPayError('MALFORMED_RESPONSE', {
      status,
      method: req.method,
      path: req.path,
      message: 'DropPay sent a body that is not JSON',
      // The request may have been carried out even though the answer is unreadable.
      inDoubt: req.retry === 'unsafe',
    });
  }
}

/**
 * What a server's words must never repeat: the request's own secrets, its bearer token, and a
 * pay token it carried (an error description ends up on screen and in the journal).
 */
function secretsOf(req: HttpRequest): string[] {
  const payToken = req.body?.['pay_token_val'];
  return [
    ...(req.secrets ?? []),
    ...(req.bearer === undefined ? [] : [req.bearer]),
    ...(typeof payToken === 'string' ? [payToken] : []),
  ];
}

function httpError(status: number, text: string, req: HttpRequest): DropPayError {
  let code: string | undefined;
  let description: string | undefined;
  try {
    const body = JSON.parse(text) as unknown;
    if (body !== null && typeof body === 'object') {
      const fields = body as Record<string, unknown>;
      code = normalizeCode(fields.code);
      if (typeof fields.description === 'string') description = redact(fields.description, secretsOf(req));
    }
  } catch {
    // An error page from a proxy: the status alone decides.
  }
  return new DropPayError(kindFor(status, code), {
    status,
    code,
    description,
    method: req.method,
    path: req.path,
  });
}

function transportError(
  err: unknown,
  timedOut: boolean,
  where: { method: HttpMethod; path: string; host: string | undefined },
  afterHeaders: boolean,
  timeoutMs: number,
): DropPayError {
  const { host, ...call } = where;
  if (timedOut) {
    return new DropPayError('TIMEOUT', {
      ...call,
      message: `DropPay did not answer within ${timeoutMs} ms`,
      cause: err,
    });
  }
  const codes = errorCodes(err);
  const sites = errorSites(err);
  const neverSent =
    !afterHeaders &&
    sites.length > 0 &&
    sites.every(
      ({ code, syscall }) => BEFORE_CONNECTING.has(code) || (AT_CONNECT.has(code) && syscall === 'connect'),
    );
  return new DropPayError('NETWORK', {
    ...call,
    ...(host === undefined ? {} : { host }),
    network: networkCause(sites.map((site) => site.code)),
    neverSent,
    message: `DropPay cannot be reached${codes.length ? ` (${codes.join(', ')})` : ''}`,
    cause: err,
  });
}

/** What the socket errors mean for the cashier: the first code that says, else nothing. */
function networkCause(codes: string[]): NetworkCause | undefined {
  for (const code of codes) {
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
    if (code === 'ECONNREFUSED') return 'refused';
    if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT'].includes(code))
      return 'unreachable';
    if (/CERT|^ERR_TLS|^ERR_SSL|^UNABLE_TO_/.test(code)) return 'certificate';
    if (['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED'].includes(code)) return 'dropped';
  }
  return undefined;
}

/** Each socket error in fetch's cause chain with the system call that met it, when said. */
function errorSites(err: unknown, seen = new Set<unknown>()): { code: string; syscall: string | null }[] {
  if (err === null || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as { code?: unknown; syscall?: unknown; cause?: unknown; errors?: unknown };
  const out: { code: string; syscall: string | null }[] = [];
  // An AggregateError (one connect per address of the host) copies its first error's code
  // but not its system call: the errors inside it are what tell.
  if (Array.isArray(e.errors)) for (const inner of e.errors) out.push(...errorSites(inner, seen));
  else if (typeof e.code === 'string') {
    out.push({ code: e.code, syscall: typeof e.syscall === 'string' ? e.syscall : null });
  }
  out.push(...errorSites(e.cause, seen));
  return out;
}

/** Socket error codes anywhere in fetch's cause chain (undici wraps them, sometimes in an AggregateError). */
export function errorCodes(err: unknown, seen = new Set<unknown>()): string[] {
  if (err === null || typeof err !== 'object' || seen.has(err)) return [];
  seen.add(err);
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown };
  const out: string[] = [];
  if (typeof e.code === 'string') out.push(e.code);
  if (Array.isArray(e.errors)) for (const inner of e.errors) out.push(...errorCodes(inner, seen));
  out.push(...errorCodes(e.cause, seen));
  return [...new Set(out)];
}

export function redact(text: string, secrets: readonly string[] | undefined): string {
  let out = text;
  for (const s of secrets ?? []) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out;
}
