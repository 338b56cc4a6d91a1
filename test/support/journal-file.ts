/**
 * Raw access to a journal file behind the journal's back: what a crash left on disk, SQLite's
 * own integrity check, and tampering with an event the way an attacker with the file would
 * (dropping the append-only trigger first).
 */
import Database from 'better-sqlite3';

export interface RawEvent {
  seq: number;
  at: string;
  business_day: string;
  kind: string;
  correlation_id: string | null;
  entity_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

/** A plain connection; no pragmas beyond a busy timeout, so it changes nothing on open. */
export function rawJournal(path: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(path, { readonly: options.readonly ?? false, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function allEvents(db: Database.Database): RawEvent[] {
  return db.prepare<[], RawEvent>('SELECT * FROM events ORDER BY seq').all();
}

/** seq -> hash of every event with seq > afterSeq. */
export function eventHashes(db: Database.Database, afterSeq = 0): Map<number, string> {
  const rows = db
    .prepare<[number], { seq: number; hash: string }>(
      'SELECT seq, hash FROM events WHERE seq > ? ORDER BY seq',
    )
    .all(afterSeq);
  return new Map(rows.map((r) => [r.seq, r.hash]));
}

/** SQLite's full integrity check: ['ok'] when the file is sound. */
export function integrityCheck(path: string): string[] {
  const db = rawJournal(path);
  try {
    const rows = db.pragma('integrity_check') as Record<string, unknown>[];
    return rows.map((r) => String(Object.values(r)[0]));
  } finally {
    db.close();
  }
}

export type EventColumn = Exclude<keyof RawEvent, 'seq'>;

/**
 * Rewrites one column of one stored event, bypassing the append-only trigger the way someone
 * holding the file could: drop the trigger, UPDATE, put the trigger back. Returns the old value.
 */
export function tamperEvent(path: string, seq: number, column: EventColumn, value: string): string | null {
  const db = rawJournal(path);
  try {
    const trigger = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_update'",
      )
      .get();
    if (!trigger) throw new Error('the journal has no events_no_update trigger to bypass');
    const row = db.prepare<[number], RawEvent>('SELECT * FROM events WHERE seq = ?').get(seq);
    if (!row) throw new Error(`no event ${seq}`);
    db.transaction(() => {
      db.exec('DROP TRIGGER events_no_update');
      // Column names come from the closed EventColumn type, never from outside input.
      const changed = db.prepare(`UPDATE events SET ${column} = ? WHERE seq = ?`).run(value, seq);
      if (changed.changes !== 1)
        throw new Error(`tampering with event ${seq} changed ${changed.changes} rows`);
      db.exec(trigger.sql);
    })();
    // The trigger is back: the file still refuses an honest UPDATE afterwards.
    return row[column];
  } finally {
    db.close();
  }
}

/** Rewrites one stored event's payload text with `edit` (see tamperEvent); returns the old text. */
export function editEventPayload(path: string, seq: number, edit: (payload: string) => string): string {
  const db = rawJournal(path);
  let payload: string;
  try {
    const row = db.prepare<[number], RawEvent>('SELECT * FROM events WHERE seq = ?').get(seq);
    if (!row) throw new Error(`no event ${seq}`);
    payload = row.payload;
  } finally {
    db.close();
  }
  const changed = edit(payload);
  if (changed === payload) throw new Error(`the edit left event ${seq} as it was`);
  tamperEvent(path, seq, 'payload', changed);
  return payload;
}

/**
 * Rewrites one dated column of one sale, charge or refund with `edit` of its stored text, the
 * way a flipped bit in the file would: past the row's immutable-columns trigger, and without
 * breaking the column's pattern CHECK (so the journal still opens). Returns the new text.
 */
export function damageRowDate(
  path: string,
  table: 'sales' | 'charges' | 'refunds',
  id: string,
  column: 'created_at' | 'updated_at' | 'business_day',
  edit: (stored: string) => string,
): string {
  const db = rawJournal(path);
  try {
    const name = `${table}_immutable_columns`;
    const trigger = db
      .prepare<[string], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
      .get(name);
    if (!trigger) throw new Error(`the journal has no ${name} trigger to bypass`);
    // Table and column names come from the closed parameter types, never from outside input.
    const stored = db
      .prepare<[string], string>(`SELECT ${column} FROM ${table} WHERE id = ?`)
      .pluck()
      .get(id);
    if (stored === undefined) throw new Error(`no row ${id} in ${table}`);
    const value = edit(stored);
    if (value === stored) throw new Error(`the edit left ${table}.${column} of ${id} as it was`);
    db.transaction(() => {
      db.exec(`DROP TRIGGER ${name}`);
      db.prepare(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(value, id);
      db.exec(trigger.sql);
    })();
    return value;
  } finally {
    db.close();
  }
}
