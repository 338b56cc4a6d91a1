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
`;

/**
 * The lifecycle sweep runs before every request and looks for transitions that are due, on a
 * state that only grows. Indexing by status alone made each sweep walk every WAITING
 * authorization (every one a busy till ever created), so a request cost O(rows); with the
 * deadline in the index each query is a range probe that finds nothing most of the time.
 * Applied on every open (IF NOT EXISTS) so databases from earlier runs get them too; indexes
 * are invisible to the data, so the schema version stays and older builds still open the file.
 */
const SWEEP_INDEXES = `
DROP INDEX IF EXISTS authorizations_by_status;
DROP INDEX IF EXISTS charges_by_status;
DROP INDEX IF EXISTS refunds_by_status;
CREATE INDEX IF NOT EXISTS authorizations_waiting_due ON authorizations(status, waiting_until);
CREATE INDEX IF NOT EXISTS authorizations_window_due ON authorizations(status, date_end);
CREATE INDEX IF NOT EXISTS connections_waiting_due ON connections(status, waiting_until);
CREATE INDEX IF NOT EXISTS charges_accounting_due ON charges(status, done_at);
CREATE INDEX IF NOT EXISTS refunds_settle_due ON refunds(status, created_at);
CREATE INDEX IF NOT EXISTS refunds_accounting_due ON refunds(status, done_at);
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
    // In WAL mode NORMAL stays crash-consistent (a power cut may lose the last commits, never
    // corrupt the file) and skips an fsync per write, which FULL would do: right for a simulator.
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
  db.transaction(() => db.exec(SWEEP_INDEXES))();
  return db;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * The statement for `source`, prepared once per connection. Preparing (parse + plan) cost
 * more than running these one-row statements, and every request ran a dozen of them. The
 * schema never changes after openDatabase, so a cached statement never goes stale.
 */
export function sql(db: Db, source: string): Database.Statement {
  let cache = statements.get(db);
  if (cache === undefined) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(source);
  if (statement === undefined) {
    statement = db.prepare(source);
    cache.set(source, statement);
  }
  return statement;
}

export function getMeta(db: Db, key: string): string | undefined {
  const row = sql(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  sql(
    db,
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
