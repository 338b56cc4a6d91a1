/**
 * Migration 0004: the events table rebuilt without its two hash indexes, and the two unused
 * day indexes dropped. Tried on a new journal (what is gone, what still holds) and on a
 * version-3 journal with a day of business (every row and seq kept, the chain intact, the
 * queries still on an index), and on an events table it does not recognise (refused, rolled
 * back).
 */
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from '../../../electron/main/journal/connection';
import { createJournal, type Journal } from '../../../electron/main/journal/journal';
import { MIGRATIONS } from '../../../electron/main/journal/migrations/index';
import { JournalOpenError } from '../../../electron/main/journal/errors';
import { GENESIS_HASH } from '../../../electron/main/journal/hash-chain';
import { grantedSale, paidSale, raw, steppingClock, tempPath, track } from './helpers';

function open(path: string, version = MIGRATIONS.length): Journal {
  const db = track(openJournalDatabase({ path, migrations: MIGRATIONS.slice(0, version) }));
  return createJournal(db, { now: steppingClock().now });
}

const schemaNames = (path: string, type: string): string[] =>
  raw(path)
    .prepare(`SELECT name FROM sqlite_schema WHERE type = ? ORDER BY name`)
    .pluck()
    .all(type) as string[];

/** A morning's business: paid sales, one refunded, one still waiting, one cancelled. */
function business(j: Journal): void {
  const { chargeId } = paidSale(j, 1250);
  paidSale(j, 480);
  const refund = j.recordRefundIntent(chargeId, 250, 'Brioche finita');
  j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR0001' });
  grantedSale(j, 990);
  const cancelled = j.createSale({ amount: 300, description: 'Acqua' });
  j.recordSaleState(cancelled.id, 'cancelled', { note: 'cambiato idea' });
}

describe('migration 0004-lean-indexes', () => {
  it('leaves events with its primary key and the correlation index only; sales without sales_by_day', () => {
    const path = tempPath();
    open(path).close();
    const indexes = schemaNames(path, 'index');
    expect(indexes).toContain('events_by_correlation');
    expect(indexes).toContain('sales_by_day_policy');
    expect(indexes).not.toContain('events_by_day');
    expect(indexes).not.toContain('sales_by_day');
    const eventIndexes = raw(path)
      .prepare(`SELECT name FROM pragma_index_list('events') ORDER BY name`)
      .pluck()
      .all();
    expect(eventIndexes).toEqual(['events_by_correlation']);
    const events = raw(path).prepare(`SELECT strict FROM pragma_table_list WHERE name = 'events'`).pluck();
    expect(events.get()).toBe(1);
    expect(schemaNames(path, 'trigger')).toEqual(
      expect.arrayContaining([
        'events_chain_link',
        'events_no_delete',
        'events_no_secret_keys',
        'events_no_update',
      ]),
    );
  });

  it('what the indexes did not guard still holds: no fork, no edit, no secret, no bad hash', () => {
    const path = tempPath();
    const j = open(path);
    business(j);
    j.close();
    const db = raw(path);
    const head = db.prepare('SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1').get() as {
      seq: number;
      hash: string;
    };
    const insert = db.prepare(
      `INSERT INTO events (seq, at, business_day, kind, correlation_id, entity_id, payload, prev_hash, hash)
       VALUES (?, '2026-05-04T10:00:00.000Z', '2026-05-04', 'sale.state', NULL, NULL, ?, ?, ?)`,
    );
    const h = (c: string): string => c.repeat(64);
    // A second event after the head's predecessor (a fork), one skipping a seq, one from genesis.
    expect(() => insert.run(head.seq, '{}', h('a'), h('b'))).toThrow(/next seq and link to the last hash/);
    expect(() => insert.run(head.seq + 2, '{}', head.hash, h('b'))).toThrow(/next seq/);
    expect(() => insert.run(head.seq + 1, '{}', GENESIS_HASH, h('b'))).toThrow(/link to the last hash/);
    expect(() => insert.run(head.seq + 1, '{}', head.hash, 'not-hex')).toThrow(/CHECK constraint/);
    expect(() => insert.run(head.seq + 1, '{"pin":"1"}', head.hash, h('b'))).toThrow(/secret-like key/);
    expect(() => db.prepare('UPDATE events SET payload = ? WHERE seq = 1').run('{}')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 1').run()).toThrow(/append-only/);
  });

  it('on a version-3 journal with data: every event and sale kept, the chain intact, queries on indexes', () => {
    const path = tempPath();
    const v3 = open(path, 3);
    business(v3);
    const chain = v3.verifyChain();
    v3.close();
    const snapshot = (): { events: unknown[]; sales: unknown[]; charges: unknown[]; refunds: unknown[] } => {
      const db = raw(path);
      const all = (t: string): unknown[] => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all();
      return { events: all('events'), sales: all('sales'), charges: all('charges'), refunds: all('refunds') };
    };
    const before = snapshot();
    expect(before.events.length).toBeGreaterThan(10);

    const j = open(path);
    expect(j.pragmas()).toMatchObject({ userVersion: MIGRATIONS.length });
    // The rebuild went through the WAL; the runner moved it into the file and cut it back.
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(snapshot()).toEqual(before);
    expect(j.verifyChain()).toEqual(chain);
    const db = raw(path);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // The queries that used the dropped indexes' columns still run on an index.
    const plan = (sql: string): string =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan(`SELECT * FROM events WHERE correlation_id = 'x' ORDER BY seq`)).toMatch(
      /events_by_correlation/,
    );
    expect(plan(`SELECT * FROM sales WHERE business_day = '2026-05-04'`)).toMatch(/sales_by_day_policy/);

    // And the journal goes on recording on the rebuilt table, linked to the old head.
    const next = j.createSale({ amount: 700, description: 'Dopo la migrazione' });
    const verdict = j.verifyChain();
    expect(verdict).toMatchObject({ ok: true, count: before.events.length + 1 });
    expect(j.saleTimeline(next.id)).toHaveLength(1);
  });

  it('refuses an events table it does not recognise, and leaves the file at version 3', () => {
    const path = tempPath();
    const v3 = open(path, 3);
    business(v3);
    v3.close();
    raw(path).exec('ALTER TABLE events RENAME COLUMN hash TO digest');
    const events = raw(path).prepare('SELECT count(*) FROM events').pluck().get();
    let failure: unknown;
    try {
      open(path);
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(JournalOpenError);
    expect(failure).toMatchObject({ failure: 'MIGRATION' });
    expect(String((failure as Error).message)).toMatch(
      /0004-lean-indexes failed.*not the one migration 0001 created/,
    );
    const db = raw(path);
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(events);
    expect(schemaNames(path, 'index')).toContain('events_by_day');
  });
});
