/**
 * Migration 0001 on an empty database: the objects it creates and the constraints they carry,
 * tried with raw SQL so the schema itself (not the repository code) is what is tested.
 */
import type Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH } from '../../../electron/main/journal/hash-chain';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import { JOURNAL_APPLICATION_ID, runMigrations } from '../../../electron/main/journal/migrations/runner';
import { raw, tempPath } from './helpers';

let db: Database.Database;
const T = '2026-05-04T10:00:00.000Z';
const DAY = '2026-05-04';

/** Appends a correctly chained event with raw SQL and returns its seq. */
function event(payload = '{}', kind = 'sale.started'): number {
  const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const row = {
    seq: (head?.seq ?? 0) + 1,
    at: T,
    business_day: DAY,
    kind,
    correlation_id: 's1',
    entity_id: 's1',
    payload,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  db.prepare(
    `INSERT INTO events (seq, at, business_day, kind, correlation_id, entity_id, payload, prev_hash, hash)
     VALUES (@seq, @at, @business_day, @kind, @correlation_id, @entity_id, @payload, @prev_hash, @hash)`,
  ).run({ ...row, hash: eventHash(row) });
  return row.seq;
}

function sale(id: string, amount: number, extra: Record<string, unknown> = {}): void {
  const seq = event();
  db.prepare(
    `INSERT INTO sales (id, merchant_ref, amount, description, policy, state, business_day, created_at, updated_at, last_event_seq)
     VALUES (@id, @ref, @amount, 'desc', @policy, @state, @day, @t, @t, @seq)`,
  ).run({ id, ref: `S-${id}`, amount, policy: 'CHARGEABLE', state: 'paid', day: DAY, t: T, seq, ...extra });
}

function charge(id: string, saleId: string, amount: number, status = 'DONE'): void {
  db.prepare(
    `INSERT INTO charges (id, sale_id, droppay_id, amount, status, origin, business_day, created_at, updated_at, last_event_seq)
     VALUES (?, ?, ?, ?, ?, 'terminal', ?, ?, ?, 1)`,
  ).run(id, saleId, `CHA-${id}`, amount, status, DAY, T, T);
}

function refund(id: string, chargeId: string, amount: number, reason = 'reso'): void {
  db.prepare(
    `INSERT INTO refunds (id, charge_id, amount, reason, status, attempt, business_day, created_at, updated_at, last_event_seq)
     VALUES (?, ?, ?, ?, 'intent', 1, ?, ?, ?, 1)`,
  ).run(id, chargeId, amount, reason, DAY, T, T);
}

beforeEach(() => {
  db = raw(tempPath());
  expect(runMigrations(db, MIGRATIONS, 1)).toEqual([1]);
});

describe('migration 0001-initial', () => {
  it('creates the tables (all STRICT), their indexes and triggers, and stamps version and owner', () => {
    const names = (type: string): string[] =>
      db
        .prepare(`SELECT name FROM sqlite_schema WHERE type = ? AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .pluck()
        .all(type) as string[];
    expect(names('table')).toEqual(['charges', 'events', 'refunds', 'sales', 'settings']);
    const strict = db
      .prepare(
        `SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as Array<{
      name: string;
      strict: number;
    }>;
    expect(strict.every((t) => t.strict === 1)).toBe(true);
    expect(names('index')).toEqual(
      expect.arrayContaining([
        'events_by_correlation',
        'events_by_day',
        'sales_by_day',
        'charges_one_open_per_sale',
      ]),
    );
    expect(names('trigger')).toEqual(
      expect.arrayContaining([
        'events_no_update',
        'events_no_delete',
        'events_chain_link',
        'events_no_secret_keys',
        'sales_no_delete',
        'refunds_within_charge_insert',
        'refunds_within_charge_update',
        'charges_within_sale',
      ]),
    );
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(JOURNAL_APPLICATION_ID);
    const saleColumns = (
      db.prepare(`SELECT name FROM pragma_table_info('sales')`).pluck().all() as string[]
    ).sort();
    expect(saleColumns).toEqual(
      [
        'amount',
        'authorization_id',
        'authorization_status',
        'business_day',
        'created_at',
        'description',
        'id',
        'last_error',
        'last_event_seq',
        'merchant_ref',
        'policy',
        'sharing_url',
        'state',
        'updated_at',
      ].sort(),
    );
  });

  it('events are append-only: UPDATE and DELETE are aborted', () => {
    event('{"a":1}');
    expect(() => db.prepare(`UPDATE events SET payload = '{"a":2}' WHERE seq = 1`).run()).toThrow(
      /append-only: UPDATE/,
    );
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only: DELETE/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE/);
    expect(db.prepare('SELECT payload FROM events').pluck().get()).toBe('{"a":1}');
  });

  it('an event must take the next seq and link to the head: no fork, no gap, even in raw SQL', () => {
    event();
    const insert = db.prepare(
      `INSERT INTO events (seq, at, business_day, kind, payload, prev_hash, hash) VALUES (?, '${T}', '${DAY}', 'sale.started', '{}', ?, ?)`,
    );
    expect(() => insert.run(2, GENESIS_HASH, 'a'.repeat(64))).toThrow(/link to the last hash/); // forks from genesis
    expect(() => insert.run(3, db.prepare('SELECT hash FROM events').pluck().get(), 'b'.repeat(64))).toThrow(
      /next seq/,
    );
    expect(() =>
      db
        .prepare(
          `INSERT INTO events (at, business_day, kind, payload, prev_hash, hash) VALUES ('${T}', '${DAY}', 'x.y', '{}', ?, ?)`,
        )
        .run(GENESIS_HASH, 'c'.repeat(64)),
    ).toThrow(/next seq/);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
  });

  it('event payloads must be JSON objects without secret-like keys; kind and dates have a shape', () => {
    expect(() => event('not json')).toThrow();
    expect(() => event('[1,2]')).toThrow(/CHECK/);
    expect(() => event('{"charge":{"pay_token":{"val":"x"}}}')).toThrow(/secret-like key/);
    expect(() => event('{"connection_code":"x"}')).toThrow(/secret-like key/);
    expect(() => event('{"Access-Token":"x"}')).toThrow(/secret-like key/);
    expect(() => event('{}', 'Sale Started')).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO events (seq, at, business_day, kind, payload, prev_hash, hash) VALUES (1, '2026-05-04 10:00', '${DAY}', 'a.b', '{}', ?, ?)`,
        )
        .run(GENESIS_HASH, 'd'.repeat(64)),
    ).toThrow(/CHECK/);
    expect(event('{"barcode":"8001234567890","description":"ok"}')).toBe(1);
  });

  it('amounts are positive integer cents up to 1,000,000.00 € (STRICT rejects text and reals)', () => {
    expect(() => sale('zero', 0)).toThrow(/CHECK/);
    expect(() => sale('neg', -100)).toThrow(/CHECK/);
    expect(() => sale('huge', 100_000_001)).toThrow(/CHECK/);
    expect(() => sale('real', 12.5)).toThrow(/cannot store REAL/);
    expect(() => sale('text', 'a lot' as unknown as number)).toThrow(/cannot store TEXT/);
    sale('max', 100_000_000);
    sale('s1', 1000);
    expect(() => charge('c0', 's1', 0)).toThrow(/CHECK/);
    expect(() => charge('cbig', 's1', 1001)).toThrow(/cannot exceed its sale/);
    charge('c1', 's1', 1000);
    expect(() => refund('r0', 'c1', 0)).toThrow(/CHECK/);
    expect(db.prepare('SELECT count(*) FROM sales').pluck().get()).toBe(2);
  });

  it('closed sets: policy, state, charge and refund status', () => {
    expect(() => sale('p', 100, { policy: 'FREE' })).toThrow(/CHECK/);
    expect(() => sale('s', 100, { state: 'done' })).toThrow(/CHECK/);
    sale('s1', 1000);
    expect(() => charge('c', 's1', 100, 'done')).toThrow(/CHECK/);
    charge('c1', 's1', 1000);
    refund('r1', 'c1', 100);
    expect(() => db.prepare(`UPDATE refunds SET status = 'REFUNDED' WHERE id = 'r1'`).run()).toThrow(/CHECK/);
  });

  it('one refund per charge, never above the charge, only for a paid charge', () => {
    sale('s1', 1000);
    charge('c1', 's1', 1000);
    expect(() => refund('r-big', 'c1', 1001)).toThrow(/cannot exceed its charge/);
    refund('r1', 'c1', 1000);
    expect(() => refund('r2', 'c1', 1)).toThrow(/UNIQUE constraint failed: refunds.charge_id/);
    expect(() => db.prepare(`UPDATE refunds SET amount = 999 WHERE id = 'r1'`).run()).toThrow(
      /fixed once sent/,
    );
    // A retry of an attempt DropPay never accepted may change the amount, but not above the charge.
    db.prepare(`UPDATE refunds SET status = 'FAILED' WHERE id = 'r1'`).run();
    expect(() =>
      db.prepare(`UPDATE refunds SET status = 'intent', amount = 1001 WHERE id = 'r1'`).run(),
    ).toThrow(/cannot exceed its charge/);
    db.prepare(`UPDATE refunds SET status = 'intent', amount = 900 WHERE id = 'r1'`).run();
    expect(db.prepare(`SELECT amount FROM refunds WHERE id = 'r1'`).pluck().get()).toBe(900);
    sale('s2', 500);
    charge('c2', 's2', 500, 'FAILED');
    expect(() => refund('r3', 'c2', 100)).toThrow(/only a DONE or ACCOUNTED charge/);
    expect(() => refund('r4', 'missing', 100)).toThrow(/FOREIGN KEY/);
    expect(() => refund('r5', 'c1', 10, 'x'.repeat(513))).toThrow();
    expect(db.prepare('SELECT id FROM refunds').pluck().all()).toEqual(['r1']);
  });

  it('at most one charge in flight per sale; facts once written do not change; nothing is deleted', () => {
    sale('s1', 1000);
    charge('c1', 's1', 1000, 'intent');
    expect(() => charge('c2', 's1', 1000, 'unknown')).toThrow(/UNIQUE constraint failed/);
    expect(() => db.prepare(`UPDATE sales SET amount = 1 WHERE id = 's1'`).run()).toThrow(/cannot change/);
    expect(() => db.prepare(`UPDATE charges SET amount = 1 WHERE id = 'c1'`).run()).toThrow(/cannot change/);
    expect(() => db.prepare(`UPDATE charges SET droppay_id = 'OTHER' WHERE id = 'c1'`).run()).toThrow(
      /droppay_id cannot change/,
    );
    expect(() => db.prepare(`DELETE FROM sales WHERE id = 's1'`).run()).toThrow(/never deleted/);
    expect(() => db.prepare(`DELETE FROM charges`).run()).toThrow(/never deleted/);
    db.prepare(`UPDATE sales SET state = 'unknown' WHERE id = 's1'`).run(); // state does change
    expect(db.prepare(`SELECT amount FROM sales WHERE id = 's1'`).pluck().get()).toBe(1000);
  });

  it('settings refuse secret-like keys', () => {
    const seq = event();
    const put = db.prepare(
      `INSERT INTO settings (key, value, updated_at, last_event_seq) VALUES (?, 'v', '${T}', ${seq})`,
    );
    for (const key of [
      'access_token',
      'app.secret',
      'connection_code',
      'pin',
      'admin_password',
      'Store_Name',
    ]) {
      expect(() => put.run(key), key).toThrow(/CHECK/);
    }
    put.run('store_name');
    put.run('barcode.prefix');
    expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(2);
  });
});
