import type { CredentialStore } from '../credentials/credential-store';
import { DropPayError } from './errors';
import type { AppCredentials, TokenApi } from './token-api';
import type { TokenGrant } from './types';

/** What the UI may know about the DropPay link. Never carries a secret. */
export type ConnectionState = 'not_configured' | 'connected' | 'reconnect_needed';

export interface TokenManagerOptions {
  store: CredentialStore;
  api: TokenApi;
  /** Epoch milliseconds; injected so tests can move time. */
  now?: () => number;
  /** Renew this long before the token's expiry so no call goes out with a dying token. */
  refreshMarginMs?: number;
}

interface UserCredentials extends AppCredentials {
  connectionCode: string;
}

interface Tokens {
  accessToken: string;
  refreshToken: string | undefined;
  expiresAt: number;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

export const DEFAULT_REFRESH_MARGIN_MS = 60_000;

/**
 * Keeps the DropPay access token fresh. Tokens live in the keychain (so a restart does not
 * mint new ones) and in memory; one renewal at a time, however many calls wait on it.
 */
export class TokenManager {
  private readonly store: CredentialStore;
  private readonly api: TokenApi;
  private readonly now: () => number;
  private readonly marginMs: number;
  private tokens: Promise<Tokens | undefined> | undefined;
  private renewal: Promise<string> | undefined;
  private appToken: CachedToken | undefined;
  private appRenewal: Promise<string> | undefined;
  /** The credentials DropPay refused; until they change, asking again is pointless. */
  private refused: UserCredentials | undefined;
  /** Whether it was the application's key and secret it refused, rather than the code. */
  private refusedApplication = false;
  private lastState: ConnectionState | undefined;
  /**
   * Bumped whenever the merchant connection changes (a new code, a disconnect, a rewritten
   * store): a renewal started before then must not save the old connection's tokens.
   */
  private connection = 0;
  private readonly listeners = new Set<(state: ConnectionState) => void>();

  constructor(options: TokenManagerOptions) {
    this.store = options.store;
    this.api = options.api;
    this.now = options.now ?? Date.now;
    this.marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  }

  /** A bearer token good for at least the margin, renewing (once, shared) if needed. */
  async getAccessToken(): Promise<string> {
    const tokens = await this.loadTokens();
    if (tokens && this.fresh(tokens.expiresAt)) return tokens.accessToken;
    if (this.renewal === undefined) {
      const renewal = this.renew().finally(() => {
        // Only its own slot: after a connection change the slot holds the new connection's.
        if (this.renewal === renewal) this.renewal = undefined;
      });
      this.renewal = renewal;
    }
    return this.renewal;
  }

  /** After a 401/102: that token is dead. Ignored if a newer one has already replaced it. */
  async invalidate(accessToken: string): Promise<void> {
    const tokens = await this.loadTokens();
    if (tokens && tokens.accessToken === accessToken) tokens.expiresAt = 0;
  }

  /** The client_credentials token for the Connection API (memory only: it is cheap to remint). */
  async getApplicationToken(): Promise<string> {
    if (this.appToken && this.fresh(this.appToken.expiresAt)) return this.appToken.token;
    this.appRenewal ??= (async () => {
      const grant = await this.api.clientCredentials(await this.appCredentials());
      this.appToken = { token: grant.accessToken, expiresAt: this.now() + grant.expiresIn * 1000 };
      return grant.accessToken;
    })().finally(() => {
      this.appRenewal = undefined;
    });
    return this.appRenewal;
  }

  invalidateApplicationToken(token: string): void {
    if (this.appToken?.token === token) this.appToken = undefined;
  }

  async state(): Promise<ConnectionState> {
    const creds = await this.readCredentials();
    const state: ConnectionState = !creds
      ? 'not_configured'
      : this.isRefused(creds)
        ? 'reconnect_needed'
        : 'connected';
    this.emit(state);
    return state;
  }

  /** Subscribes to state changes; returns the unsubscribe function. */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adopts a connection code from onboarding: old tokens belong to the old connection. */
  async useConnectionCode(code: string, posId?: string): Promise<ConnectionState> {
    this.newConnection();
    await this.store.set('connectionCode', code);
    if (posId !== undefined) await this.store.set('posId', posId);
    await this.dropTokens();
    // A renewal that began during the writes may have read the old code or refresh token.
    this.newConnection();
    this.refused = undefined;
    return this.state();
  }

  /** Forgets the merchant connection (keeps the application key and secret). */
  async disconnect(): Promise<void> {
    this.newConnection();
    await this.store.delete('connectionCode');
    await this.dropTokens();
    // A renewal that began during the writes may have read the old code or refresh token.
    this.newConnection();
    this.refused = undefined;
    await this.state();
  }

  /** Drops what is cached in memory, e.g. after the store was rewritten by provisioning. */
  forget(): void {
    this.newConnection();
    this.tokens = undefined;
    this.appToken = undefined;
    this.refused = undefined;
  }

  /** A renewal under way belongs to the connection before: callers from now on start their own. */
  private newConnection(): void {
    this.connection += 1;
    this.renewal = undefined;
  }

  private fresh(expiresAt: number): boolean {
    return expiresAt - this.marginMs > this.now();
  }

  private loadTokens(): Promise<Tokens | undefined> {
    this.tokens ??= (async () => {
      const [accessToken, refreshToken, expiry] = await Promise.all([
        this.store.get('accessToken'),
        this.store.get('refreshToken'),
        this.store.get('tokenExpiresAt'),
      ]);
      const expiresAt = Number(expiry);
      if (accessToken === undefined && refreshToken === undefined) return undefined;
      return {
        accessToken: accessToken ?? '',
        refreshToken,
        expiresAt: Number.isFinite(expiresAt) ? expiresAt : 0,
      };
    })().catch((err: unknown) => {
      this.tokens = undefined;
      throw err;
    });
    return this.tokens;
  }

  private async renew(): Promise<string> {
    const connection = this.connection;
    // The connection changed while DropPay was answering: that grant is the old one's.
    const stale = (): boolean => connection !== this.connection;
    const creds = await this.readCredentials();
    if (!creds) {
      this.emit('not_configured');
      throw new DropPayError('NOT_CONFIGURED');
    }
    if (this.isRefused(creds)) {
      throw this.refusedApplication
        ? new DropPayError('AUTH_INVALID_CREDENTIALS', {
            message: "DropPay refused this application's key and secret earlier",
          })
        : new DropPayError('RECONNECT_NEEDED', { message: 'DropPay refused this connection code earlier' });
    }
    const current = await this.loadTokens();
    if (current?.refreshToken) {
      try {
        const refreshed = await this.api.refresh(creds, current.refreshToken);
        return stale() ? await this.getAccessToken() : await this.save(refreshed);
      } catch (err) {
        // Whatever went wrong (revoked, already used, lost answer), the connection code still works.
        if (!(err instanceof DropPayError)) throw err;
      }
    }
    let grant: TokenGrant;
    try {
      grant = await this.api.fromConnectionCode(creds, creds.connectionCode);
    } catch (err) {
      if (stale()) return this.getAccessToken();
      // A 401 that says why (100: these credentials) is a refusal; a bare one is a gateway in
      // the way, an outage like a 503, not a reason to ask the merchant to reconnect.
      if (err instanceof DropPayError && err.status === 401 && err.code !== undefined) {
        // Which did DropPay refuse, the connection code or the application's key and secret?
        // Its application token needs only the latter: a typo there is not a lost connection.
        const application = await this.applicationRefused(creds);
        if (stale()) return this.getAccessToken();
        this.refused = creds;
        this.refusedApplication = application;
        await this.dropTokens();
        this.emit('reconnect_needed');
        throw new DropPayError(application ? 'AUTH_INVALID_CREDENTIALS' : 'RECONNECT_NEEDED', {
          status: err.status,
          code: err.code,
          description: err.description,
          method: err.method,
          path: err.path,
          cause: err,
        });
      }
      throw err;
    }
    return stale() ? this.getAccessToken() : this.save(grant);
  }

  /** True when DropPay refuses the application's own key and secret (a 401 for its token). */
  private async applicationRefused(creds: UserCredentials): Promise<boolean> {
    try {
      await this.api.clientCredentials(creds);
      return false;
    } catch (err) {
      return err instanceof DropPayError && err.status === 401 && err.code !== undefined;
    }
  }

  private async save(grant: TokenGrant): Promise<string> {
    const tokens: Tokens = {
      accessToken: grant.accessToken,
      refreshToken: grant.refreshToken,
      expiresAt: this.now() + grant.expiresIn * 1000,
    };
    this.tokens = Promise.resolve(tokens);
    await this.store.set('accessToken', tokens.accessToken);
    if (tokens.refreshToken !== undefined) await this.store.set('refreshToken', tokens.refreshToken);
    else await this.store.delete('refreshToken');
    await this.store.set('tokenExpiresAt', String(tokens.expiresAt));
    this.emit('connected');
    return tokens.accessToken;
  }

  private async dropTokens(): Promise<void> {
    this.tokens = Promise.resolve(undefined);
    await this.store.delete('accessToken');
    await this.store.delete('refreshToken');
    await this.store.delete('tokenExpiresAt');
  }

  private async appCredentials(): Promise<AppCredentials> {
    const [clientId, clientSecret] = await Promise.all([
      this.store.get('applicationKey'),
      this.store.get('applicationSecret'),
    ]);
    if (!clientId || !clientSecret) throw new DropPayError('NOT_CONFIGURED');
    return { clientId, clientSecret };
  }

  private async readCredentials(): Promise<UserCredentials | undefined> {
    const [clientId, clientSecret, connectionCode] = await Promise.all([
      this.store.get('applicationKey'),
      this.store.get('applicationSecret'),
      this.store.get('connectionCode'),
    ]);
    if (!clientId || !clientSecret || !connectionCode) return undefined;
    return { clientId, clientSecret, connectionCode };
  }

  private isRefused(creds: UserCredentials): boolean {
    const r = this.refused;
    return (
      !!r &&
      r.clientId === creds.clientId &&
      r.clientSecret === creds.clientSecret &&
      r.connectionCode === creds.connectionCode
    );
  }

  private emit(state: ConnectionState): void {
    if (state === this.lastState) return;
    this.lastState = state;
    for (const listener of this.listeners) listener(state);
  }
}
