import type { HttpClient } from './http';
import type { TokenGrant } from './types';
import { parseWire, tokenSchema } from './wire';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

const USER_TOKEN_PATH = '/oa2/v1/ac/token';
const APP_TOKEN_PATH = '/oa2/v1/cc/token';

/** The three OAuth grants. No method here ever puts a secret in an error or a log. */
export class TokenApi {
  constructor(private readonly http: HttpClient) {}

  /**
   * A user token from the connection code. Marked idempotent: the grant moves no money, so a
   * retry after a timeout or 5xx at worst mints a second token and the first one goes unused.
   */
  async fromConnectionCode(app: AppCredentials, code: string): Promise<TokenGrant> {
    const body = await this.http.request({
      method: 'POST',
      path: USER_TOKEN_PATH,
      body: {
        grant_type: 'authorization_code',
        code,
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'app',
      },
      retry: 'idempotent',
      secrets: [app.clientSecret, code],
    });
    return parseWire(tokenSchema, body, { method: 'POST', path: USER_TOKEN_PATH, what: 'token' });
  }

  /**
   * Not retried: a refresh whose answer was lost has already burnt the old refresh token, so a
   * repeat could only fail. The token manager falls back to the connection code instead.
   */
  async refresh(app: AppCredentials, refreshToken: string): Promise<TokenGrant> {
    const body = await this.http.request({
      method: 'POST',
      path: USER_TOKEN_PATH,
      body: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: app.clientId,
        client_secret: app.clientSecret,
      },
      retry: 'unsafe',
      secrets: [app.clientSecret, refreshToken],
    });
    return parseWire(tokenSchema, body, { method: 'POST', path: USER_TOKEN_PATH, what: 'token' });
  }

  /** The application token for the Connection API. Idempotent for the same reason as above. */
  async clientCredentials(app: AppCredentials): Promise<TokenGrant> {
    const body = await this.http.request({
      method: 'POST',
      path: APP_TOKEN_PATH,
      body: { grant_type: 'client_credentials', client_id: app.clientId, client_secret: app.clientSecret },
      retry: 'idempotent',
      secrets: [app.clientSecret],
    });
    return parseWire(tokenSchema, body, { method: 'POST', path: APP_TOKEN_PATH, what: 'token' });
  }
}
