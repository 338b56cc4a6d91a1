import type { CredentialStore } from '../credentials/credential-store';
import type { RetryOptions } from './backoff';
import { ConnectionApi } from './connection-api';
import { DropPayError, isDropPayError } from './errors';
import { HttpClient } from './http';
import { PosApi, type Authed } from './pos-api';
import { Reachability } from './reachability';
import { TokenApi } from './token-api';
import { TokenManager, type ConnectionState } from './token-manager';
import type {
  Authorization,
  Brand,
  Charge,
  Connection,
  CreateAuthorizationInput,
  CreateChargeInput,
  CreateConnectionInput,
  CreateRefundInput,
  Refund,
} from './types';

export interface DropPayClientOptions {
  /** e.g. https://api.drop-pay.io or the sandbox's base URL. */
  baseUrl: string;
  store: CredentialStore;
  /** Overrides the POS id kept in the store. */
  posId?: string;
  timeoutMs?: number;
  retry?: Partial<RetryOptions>;
  /** Epoch milliseconds (token expiry arithmetic). */
  now?: () => number;
  refreshMarginMs?: number;
  /** Test seams: jitter source, wait between retries, transport. */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

/** What the payments layer and onboarding use. Every method throws DropPayError on failure. */
export interface DropPayClient {
  readonly tokens: TokenManager;
  /** Whether DropPay answered the latest call (the status bar's "not answering"). */
  readonly reach: Reachability;
  state(): Promise<ConnectionState>;
  authorizations: {
    create(input: CreateAuthorizationInput): Promise<Authorization>;
    get(id: string): Promise<Authorization>;
    cancel(id: string): Promise<Authorization | undefined>;
  };
  charges: {
    create(input: CreateChargeInput): Promise<Charge>;
    get(id: string): Promise<Charge>;
  };
  refunds: {
    create(input: CreateRefundInput): Promise<Refund>;
    get(id: string): Promise<Refund>;
  };
  brands: { list(): Promise<Brand[]> };
  connection: {
    create(input?: CreateConnectionInput): Promise<Connection>;
    get(id: string): Promise<Connection>;
    cancel(id: string): Promise<Connection | undefined>;
  };
}

export function createDropPayClient(options: DropPayClientOptions): DropPayClient {
  const reach = new Reachability(options.now);
  const http = new HttpClient({
    onOutcome: (answered) => reach.record(answered),
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    random: options.random,
    sleep: options.sleep,
    fetch: options.fetch,
  });
  const tokens = new TokenManager({
    store: options.store,
    api: new TokenApi(http),
    now: options.now,
    refreshMarginMs: options.refreshMarginMs,
  });

  // A 401/102 means DropPay did nothing with the call, so one retry with a fresh token is safe
  // even for a charge. A 401 with no code at all (a gateway's bare `WWW-Authenticate` answer)
  // promises nothing about what was done: the token is dropped, so the next call renews it
  // instead of every sale failing until the local clock says it expired, but only a read is
  // sent again (a POST that may have gone through must be read back, not repeated).
  const retryWithNewToken = (err: unknown): 'retry' | 'renew' | null => {
    if (isDropPayError(err, 'AUTH_TOKEN')) return 'retry';
    if (!(err instanceof DropPayError) || err.status !== 401 || err.code !== undefined) return null;
    return err.method === 'GET' ? 'retry' : 'renew';
  };
  const authed: Authed = async (call) => {
    const token = await tokens.getAccessToken();
    try {
      return await call(token);
    } catch (err) {
      const next = retryWithNewToken(err);
      if (next === null) throw err;
      await tokens.invalidate(token);
      if (next === 'renew') throw err;
      return call(await tokens.getAccessToken());
    }
  };
  const appAuthed: Authed = async (call) => {
    const token = await tokens.getApplicationToken();
    try {
      return await call(token);
    } catch (err) {
      const next = retryWithNewToken(err);
      if (next === null) throw err;
      tokens.invalidateApplicationToken(token);
      if (next === 'renew') throw err;
      return call(await tokens.getApplicationToken());
    }
  };

  const pos = new PosApi(http, authed, async () => options.posId ?? (await options.store.get('posId')));
  const connection = new ConnectionApi(http, appAuthed);

  return {
    tokens,
    reach,
    state: () => tokens.state(),
    authorizations: {
      create: (input) => pos.createAuthorization(input),
      get: (id) => pos.getAuthorization(id),
      cancel: (id) => pos.cancelAuthorization(id),
    },
    charges: { create: (input) => pos.createCharge(input), get: (id) => pos.getCharge(id) },
    refunds: { create: (input) => pos.createRefund(input), get: (id) => pos.getRefund(id) },
    brands: { list: () => pos.listBrands() },
    connection: {
      create: (input) => connection.create(input),
      get: (id) => connection.get(id),
      cancel: (id) => connection.cancel(id),
    },
  };
}
