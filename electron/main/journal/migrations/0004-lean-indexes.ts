/**
 * 0004: four indexes no query or guarantee needed, so every record writes fewer pages.
 * - `events.prev_hash` and `events.hash` lose their UNIQUE index. What keeps the chain
 *   unforkable is the `events_chain_link` trigger (the next seq, linked to the current head)
 *   and `seq` being the primary key; nothing looks an event up by its hash. SQLite cannot drop
 *   a UNIQUE column constraint, so `events` is rebuilt: same columns, same CHECKs, same rows
 *   and seqs, its triggers carried over as they are stored.
 * - `events_by_day`: no query reads events by day (the end of day reads charges and refunds).
 * - `sales_by_day`: `sales_by_day_policy` (0002) starts with the same column.
 * FROZEN once released: change the schema in a new file.
 */
import type Database from 'better-sqlite3';
import type { Migration } from './migration';

/** The two column definitions of 0001 that carry UNIQUE, as SQLite stored them. */
const UNIQUE_HASH_COLUMNS = /^(\s*(?:prev_hash|hash)\s+TEXT NOT NULL) UNIQUE (CHECK)/gm;

function storedSql(db: Database.Database, type: string, name: string): string {
  const sql = db
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = ? AND name = ?`)
    .pluck()
    .get(type, name) as string | undefined;
  if (sql === undefined) throw new Error(`the ${type} ${name} is missing`);
  return sql;
}

function rebuildEvents(db: Database.Database): void {
  const table = storedSql(db, 'table', 'events');
  let dropped = 0;
  const lean = table
    .replace(/^CREATE TABLE events \(/, 'CREATE TABLE events_v4 (')
    .replace(UNIQUE_HASH_COLUMNS, (_all, column: string, check: string) => {
      dropped += 1;
      return `${column} ${check}`;
    });
  if (!lean.startsWith('CREATE TABLE events_v4 (') || dropped !== 2) {
    throw new Error('the events table is not the one migration 0001 created; it was left as it is');
  }
  const triggers = db
    .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name`)
    .pluck()
    .all() as string[];
  const count = db.prepare('SELECT count(*) FROM events').pluck();
  const before = count.get() as number;
  db.exec(lean);
  db.exec('INSERT INTO events_v4 SELECT * FROM events ORDER BY seq');
  db.exec('DROP TABLE events');
  db.exec('ALTER TABLE events_v4 RENAME TO events');
  db.exec('CREATE INDEX events_by_correlation ON events (correlation_id, seq)');
  for (const trigger of triggers) db.exec(trigger);
  const after = count.get() as number;
  if (after !== before) throw new Error(`events: ${before} rows before the rebuild, ${after} after`);
}

export const migration0004: Migration = {
  version: 4,
  name: 'lean-indexes',
  up(db) {
    rebuildEvents(db);
    db.exec('DROP INDEX sales_by_day');
  },
};
