import { ACCESS_TOKEN_SECONDS, MAX_REFERENCE_LENGTH } from './config';
import { sql } from './db';
import { connectionMoves, createConnection, mustGetConnection } from './connection-flow';
import type { SandboxCore } from './context';
import { connectionEntity } from './entities';
import { fail } from './errors';
import { route, type RequestContext, type Route } from './http-io';
import type { ConnectionRow } from './rows';
import {
  authenticateApplication,
  checkClient,
  connectionByCode,
  consumeRefreshToken,
  issueApplicationToken,
  issueTokenPair,
} from './tokens';
import { optionalString, optionalUrl, optionalWebhooks, requiredString } from './validate';

/** Token endpoints (OAuth-like) and the Connection API. */

/** client_id/client_secret from the body, or from HTTP Basic as OAuth clients may send them. */
function clientFrom(ctx: RequestContext): { id: string; secret: string } | null {
  const basic = /^Basic\s+(\S+)$/i.exec(ctx.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  const id = optionalString(ctx.body, 'client_id', MAX_REFERENCE_LENGTH);
  const secret = optionalString(ctx.body, 'client_secret', MAX_REFERENCE_LENGTH);
  if (id === null && secret === null) return null;
  if (id === null) throw fail.missing('client_id');
  if (secret === null) throw fail.missing('client_secret');
  return { id, secret };
}

function tokenGrant(core: SandboxCore, ctx: RequestContext, viaPut: boolean) {
  const client = clientFrom(ctx);
  // The PUT form (one public client's refresh call) may carry only the refresh token.
  if (client) checkClient(core, client.id, client.secret);
  else if (!viaPut) throw fail.missing('client_id');
  const grantType = viaPut
    ? (optionalString(ctx.body, 'grant_type', 64) ?? 'refresh_token')
    : requiredString(ctx.body, 'grant_type', 64);
  const now = core.now();
  const pair = core.tx(() => {
    if (grantType === 'authorization_code') {
      // A code turns into tokens only with the client's own credentials (POST, or a PUT that
      // carries them); a bare PUT may only refresh.
      if (client === null) throw fail.missing('client_id');
      const code = requiredString(ctx.body, 'code', MAX_REFERENCE_LENGTH);
      return issueTokenPair(core, connectionByCode(core, code).id, now);
    }
    if (grantType === 'refresh_token') {
      const refresh = requiredString(ctx.body, 'refresh_token', MAX_REFERENCE_LENGTH);
      return issueTokenPair(core, consumeRefreshToken(core, refresh, now).id, now);
    }
    throw fail.wrong('grant_type', 'must be authorization_code or refresh_token');
  });
  return { status: 200, json: { token_type: 'bearer', ...pair, expires_in: ACCESS_TOKEN_SECONDS } };
}

function clientCredentialsGrant(core: SandboxCore, ctx: RequestContext) {
  const client = clientFrom(ctx);
  if (!client) throw fail.missing('client_id');
  const grantType = requiredString(ctx.body, 'grant_type', 64);
  if (grantType !== 'client_credentials') throw fail.wrong('grant_type', 'must be client_credentials');
  checkClient(core, client.id, client.secret);
  const token = core.tx(() => issueApplicationToken(core, core.now()));
  return {
    status: 200,
    json: { token_type: 'bearer', access_token: token, expires_in: ACCESS_TOKEN_SECONDS },
  };
}

export function oauthRoutes(core: SandboxCore): Route[] {
  const app = (ctx: RequestContext): void => authenticateApplication(core, ctx.headers, core.now());
  const reply = (row: ConnectionRow, status = 200) => ({ status, json: connectionEntity(core, row) });
  return [
    route('POST', '/oa2/v1/ac/token', (ctx) => tokenGrant(core, ctx, false)),
    route('PUT', '/oa2/v1/ac/token', (ctx) => tokenGrant(core, ctx, true)),
    route('POST', '/oa2/v1/cc/token', (ctx) => clientCredentialsGrant(core, ctx)),
    route('POST', '/oa2/v1/connection', (ctx) => {
      app(ctx);
      const webhooks = optionalWebhooks(ctx.body, 'webhooks');
      const loopback = optionalUrl(ctx.body, 'loopback_uri');
      return reply(
        core.tx(() => createConnection(core, webhooks, loopback, core.now())),
        201,
      );
    }),
    route('GET', '/oa2/v1/connection', (ctx) => {
      app(ctx);
      // The merchant's own connection was never created through this API: it is not listed.
      const rows = sql(
        core.db,
        "SELECT * FROM connections WHERE id NOT IN (SELECT value FROM meta WHERE key = 'credential.connection_id') ORDER BY rowid",
      ).all() as ConnectionRow[];
      return { status: 200, json: { connections: rows.map((r) => connectionEntity(core, r)) } };
    }),
    route('GET', '/oa2/v1/connection/:id', (ctx) => {
      app(ctx);
      return reply(mustGetConnection(core, ctx.params[0] ?? ''));
    }),
    route('DELETE', '/oa2/v1/connection/:id', (ctx) => {
      app(ctx);
      return reply(core.tx(() => connectionMoves.cancel(core, ctx.params[0] ?? '', core.now())));
    }),
  ];
}
