import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const SANDBOX_DB_FILE = 'droppay-sandbox.sqlite';

/**
 * The simulator's memory: what DropPay "knows". Times are integer epoch milliseconds of the
 * simulated clock, money is integer cents; both are converted only at the wire.
 */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE connections (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  code TEXT UNIQUE,
  pos_id TEXT NOT NULL,
  webhooks TEXT,
  loopback_uri TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  waiting_until INTEGER NOT NULL
) STRICT;

CREATE TABLE tokens (
  token TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh', 'application')),
  connection_id TEXT,
  expires_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE authorizations (
  id TEXT PRIMARY KEY,
  pos_id TEXT NOT NULL,
  description TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  policy TEXT NOT NULL,
  max_count INTEGER NOT NULL,
  date_start INTEGER NOT NULL,
  date_end INTEGER,
  merchant_custom_id TEXT,
  webhooks TEXT,
  loopback_uri TEXT,
  status TEXT NOT NULL,
  expiry_reason TEXT,
  success_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  waiting_until INTEGER NOT NULL,
  pay_token_val TEXT,
  pay_token_issued INTEGER,
  pay_token_expiring INTEGER,
  pay_token_used INTEGER NOT NULL DEFAULT 0,
  charge_id TEXT
) STRICT;
-- The sweep looks for due transitions by status twice a second, on a state that only grows.
CREATE INDEX authorizations_by_status ON authorizations(status);

CREATE TABLE charges (
  id TEXT PRIMARY KEY,
  authorization_id TEXT NOT NULL REFERENCES authorizations(id),
  pos_id TEXT NOT NULL,
  pay_token_val TEXT,
  amount_cents INTEGER NOT NULL,
  description TEXT NOT NULL,
  merchant_custom_id TEXT,
  merchant_custom_label TEXT,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  done_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX charges_by_authorization ON charges(authorization_id);
CREATE INDEX charges_by_status ON charges(status);

CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  charge_id TEXT NOT NULL REFERENCES charges(id),
  pos_id TEXT NOT NULL,
  amount_cents INTEGER NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL,
  will_fail INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  done_at INTEGER,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX refunds_by_charge ON refunds(charge_id);
CREATE INDEX refunds_by_status ON refunds(status);
`;

/** Opens (and creates on first use) the state database; in memory when no folder is given. */
export function openDatabase(dataDir: string | undefined): Db {
  let db: Db;
  if (dataDir === undefined) {
    db = new Database(':memory:');
  } else {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(join(dataDir, SANDBOX_DB_FILE));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new Error(`sandbox database is version ${version}, newer than this simulator (${SCHEMA_VERSION})`);
  }
  if (version === 0) {
    db.transaction(() => {
      db.exec(SCHEMA);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }
  return db;
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/**
 * Forgets every resource, token and the clock offset. The credentials stay: they are what the
 * app was provisioned with, and the caller re-creates the merchant's own connection.
 */
export function wipeState(db: Db): void {
  db.exec(`
    DELETE FROM refunds; DELETE FROM charges; DELETE FROM authorizations;
    DELETE FROM tokens; DELETE FROM connections;
    DELETE FROM meta WHERE key NOT LIKE 'credential.%';
  `);
}
