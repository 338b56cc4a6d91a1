import type { IncomingHttpHeaders } from 'node:http';
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS } from './config';
import type { SandboxCore } from './context';
import type { SandboxCredentials } from './index';
import { sql, getMeta, setMeta, type Db } from './db';
import { fail } from './errors';
import { newId, newSecret } from './ids';
import { getConnection, type ConnectionRow } from './rows';

/** Credentials, the merchant's own connection, and bearer tokens. */

const CREDENTIAL_KEYS: Record<keyof SandboxCredentials, string> = {
  applicationKey: 'credential.application_key',
  applicationSecret: 'credential.application_secret',
  connectionCode: 'credential.connection_code',
  posId: 'credential.pos_id',
};
const MERCHANT_CONNECTION_KEY = 'credential.connection_id';

/** Given values win, then what a previous run stored, then fresh random ones; all are stored. */
export function resolveCredentials(db: Db, given: Partial<SandboxCredentials>): SandboxCredentials {
  const generate: Record<keyof SandboxCredentials, () => string> = {
    applicationKey: newId.applicationKey,
    applicationSecret: newSecret,
    connectionCode: newSecret,
    posId: newId.pos,
  };
  const out = {} as SandboxCredentials;
  for (const key of Object.keys(CREDENTIAL_KEYS) as (keyof SandboxCredentials)[]) {
    const value = given[key] ?? getMeta(db, CREDENTIAL_KEYS[key]) ?? generate[key]();
    setMeta(db, CREDENTIAL_KEYS[key], value);
    out[key] = value;
  }
  return out;
}

/** The connection behind the handed-out connection code: GRANTED from the start. */
export function ensureMerchantConnection(core: SandboxCore): void {
  const { db, credentials } = core;
  const now = core.now();
  let id = getMeta(db, MERCHANT_CONNECTION_KEY);
  if (id === undefined) {
    id = newId.connection();
    setMeta(db, MERCHANT_CONNECTION_KEY, id);
  }
  if (getConnection(db, id)) {
    sql(db, "UPDATE connections SET code = ?, pos_id = ? WHERE id = ? AND status = 'GRANTED'").run(
      credentials.connectionCode,
      credentials.posId,
      id,
    );
    return;
  }
  sql(
    db,
    `INSERT INTO connections (id, status, code, pos_id, created_at, updated_at, waiting_until)
     VALUES (?, 'GRANTED', ?, ?, ?, ?, ?)`,
  ).run(id, credentials.connectionCode, credentials.posId, now, now, now);
}

export function checkClient(core: SandboxCore, clientId: string, clientSecret: string): void {
  const c = core.credentials;
  if (clientId !== c.applicationKey || clientSecret !== c.applicationSecret) {
    throw fail.credentials('unknown client_id or client_secret');
  }
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

export function issueTokenPair(core: SandboxCore, connectionId: string, now: number): TokenPair {
  const pair = { access_token: newSecret(), refresh_token: newSecret() };
  const insert = sql(
    core.db,
    'INSERT INTO tokens (token, kind, connection_id, expires_at) VALUES (?, ?, ?, ?)',
  );
  insert.run(pair.access_token, 'access', connectionId, now + ACCESS_TOKEN_SECONDS * 1000);
  insert.run(pair.refresh_token, 'refresh', connectionId, now + REFRESH_TOKEN_SECONDS * 1000);
  return pair;
}

export function issueApplicationToken(core: SandboxCore, now: number): string {
  const token = newSecret();
  sql(
    core.db,
    "INSERT INTO tokens (token, kind, connection_id, expires_at) VALUES (?, 'application', NULL, ?)",
  ).run(token, now + ACCESS_TOKEN_SECONDS * 1000);
  return token;
}

/** A refresh token works once: using it revokes it. Returns the connection it belonged to. */
export function consumeRefreshToken(core: SandboxCore, token: string, now: number): ConnectionRow {
  const row = sql(
    core.db,
    "SELECT connection_id, expires_at, revoked FROM tokens WHERE token = ? AND kind = 'refresh'",
  ).get(token) as { connection_id: string | null; expires_at: number; revoked: number } | undefined;
  if (!row || row.revoked === 1 || row.expires_at <= now || row.connection_id === null) {
    throw fail.credentials('refresh_token unknown, already used or expired');
  }
  sql(core.db, 'UPDATE tokens SET revoked = 1 WHERE token = ?').run(token);
  const connection = getConnection(core.db, row.connection_id);
  if (!connection || connection.status !== 'GRANTED')
    throw fail.credentials('the connection is no longer granted');
  return connection;
}

export function connectionByCode(core: SandboxCore, code: string): ConnectionRow {
  const row = sql(core.db, "SELECT * FROM connections WHERE code = ? AND status = 'GRANTED'").get(code) as
    ConnectionRow | undefined;
  if (!row) throw fail.credentials('unknown or revoked connection code');
  return row;
}

function bearer(headers: IncomingHttpHeaders): string {
  const header = headers.authorization ?? '';
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m?.[1]) throw fail.token('missing: send Authorization: Bearer <access_token>');
  return m[1];
}

function lookup(core: SandboxCore, token: string, kind: 'access' | 'application', now: number) {
  const row = sql(core.db, 'SELECT * FROM tokens WHERE token = ?').get(token) as
    { kind: string; connection_id: string | null; expires_at: number; revoked: number } | undefined;
  if (!row || row.kind !== kind || row.revoked === 1) throw fail.token('unknown');
  if (row.expires_at <= now) throw fail.token('expired');
  return row;
}

/** A merchant's access token: returns the POS whose resources it may touch. */
export function authenticateMerchant(
  core: SandboxCore,
  headers: IncomingHttpHeaders,
  now: number,
): { posId: string } {
  const row = lookup(core, bearer(headers), 'access', now);
  const connection = row.connection_id === null ? undefined : getConnection(core.db, row.connection_id);
  if (!connection || connection.status !== 'GRANTED')
    throw fail.token('belongs to a connection that was revoked');
  return { posId: connection.pos_id };
}

/** An application token (client credentials): only the Connection API takes it. */
export function authenticateApplication(core: SandboxCore, headers: IncomingHttpHeaders, now: number): void {
  lookup(core, bearer(headers), 'application', now);
}
