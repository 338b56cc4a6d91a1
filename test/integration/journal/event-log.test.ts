import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventHash } from '../../../electron/main/journal/hash-chain';
import { JournalValidationError } from '../../../electron/main/journal/index';
import { count, open, paidSale, raw, tempDir, tempPath } from './helpers';

const WRITER = join(import.meta.dirname, 'fixtures/writer.ts');

/** A journal file with a few sales in it, closed; returns its path and event count. */
function filledJournal(): { path: string; events: number } {
  const path = tempPath();
  const j = open({ path });
  paidSale(j);
  const { chargeId } = paidSale(j, 800);
  j.recordRefundIntent(chargeId, 800, 'errore di battitura');
  j.createSale({ amount: 300, description: 'ultimo' });
  const verdict = j.verifyChain();
  j.close();
  if (!verdict.ok) throw new Error('fresh journal does not verify');
  return { path, events: verdict.count };
}

/** Edits one stored event as an attacker with file access would: drop the guard, change, leave. */
function tamper(path: string, sql: string, ...params: unknown[]): void {
  const db = raw(path);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
  db.prepare(sql).run(...params);
  db.close();
}

describe('event log', () => {
  it('UPDATE and DELETE on events are refused in the journal file itself', () => {
    const { path, events } = filledJournal();
    const db = raw(path);
    expect(() => db.prepare(`UPDATE events SET payload = '{}' WHERE seq = 2`).run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events WHERE seq = 2').run()).toThrow(/append-only/);
    expect(count(db, 'events')).toBe(events);
    db.close();
    expect(open({ path }).verifyChain()).toMatchObject({ ok: true, count: events });
  });

  const columns: Array<[string, string]> = [
    ['payload', `json_set(payload, '$.amount', 1)`],
    ['at', `'2020-01-01T00:00:00.000Z'`],
    ['business_day', `'2020-01-01'`],
    ['kind', `'sale.state'`],
    ['correlation_id', `'someone-else'`],
    ['entity_id', `NULL`],
  ];
  it.each(columns)('editing %s of any single event is detected at exactly that seq', (column, value) => {
    const { path: pristine, events } = filledJournal();
    const dir = tempDir();
    for (let seq = 1; seq <= events; seq += 1) {
      const copy = join(dir, `copy-${seq}.sqlite`);
      copyFileSync(pristine, copy);
      tamper(copy, `UPDATE events SET ${column} = ${value} WHERE seq = ?`, seq);
      const verdict = open({ path: copy }).verifyChain();
      expect(verdict, `${column} at seq ${seq}`).toMatchObject({
        ok: false,
        brokenAtSeq: seq,
        reason: 'hash-mismatch',
      });
    }
  });

  it('a deleted event is detected at the next seq, a re-hashed forgery at its successor', () => {
    const { path, events } = filledJournal();
    const copy = join(tempDir(), 'copy.sqlite');
    copyFileSync(path, copy);
    tamper(path, 'DELETE FROM events WHERE seq = ?', 4);
    expect(open({ path }).verifyChain()).toMatchObject({ ok: false, brokenAtSeq: 5, reason: 'seq-gap' });

    // The forger edits event 3 and recomputes its hash correctly: event 4 no longer links.
    const j = open({ path: copy });
    const target = j.readEvents(2, 1)[0];
    j.close();
    if (!target) throw new Error('no event 3');
    const forged = {
      seq: 3,
      at: target.at,
      business_day: target.businessDay,
      kind: target.kind,
      correlation_id: target.correlationId,
      entity_id: target.entityId,
      payload: '{"amount":1}',
      prev_hash: target.prevHash,
    };
    tamper(copy, 'UPDATE events SET payload = ?, hash = ? WHERE seq = 3', forged.payload, eventHash(forged));
    expect(open({ path: copy }).verifyChain()).toMatchObject({
      ok: false,
      brokenAtSeq: 4,
      reason: 'prev-hash-mismatch',
    });
    expect(events).toBeGreaterThan(4);
  });

  it('secret-like keys in a payload are refused with an error and nothing is written', () => {
    const path = tempPath();
    const j = open({ path });
    const sale = j.createSale({ amount: 500, description: 'x' });
    const before = j.verifyChain();
    expect(() =>
      j.recordAuthorizationIntent(sale.id, { droppay: { pay_token: { val: 'b5b9...' } } }),
    ).toThrow(JournalValidationError);
    expect(() => j.recordAuthorizationIntent(sale.id, { connection_code: 'x' })).toThrow(
      /secret-like keys extra\.connection_code/,
    );
    expect(() => j.recordAuthorizationIntent(sale.id, { accessToken: 'x' })).toThrow(
      /secret-like keys extra\.accessToken/,
    );
    expect(() => j.recordAuthorizationIntent(sale.id, { entity: [{ PIN: 1234 }] })).toThrow(
      /extra\.entity\[0\]\.PIN/,
    );
    expect(j.verifyChain()).toEqual(before);
    expect(j.getSale(sale.id)?.state).toBe('created');
    // Harmless extras are kept, canonically, in the event.
    j.recordAuthorizationIntent(sale.id, { pos_id: 'POSV265V3PQ9E', attempt: 1 });
    expect(j.saleTimeline(sale.id)[1]?.payload).toMatchObject({
      extra: { pos_id: 'POSV265V3PQ9E', attempt: 1 },
    });
  });

  it('two connections in one process writing in turn keep one unbroken chain', () => {
    const path = tempPath();
    const a = open({ path });
    const b = open({ path });
    for (let i = 0; i < 50; i += 1) {
      const writer = i % 2 === 0 ? a : b;
      const sale = writer.createSale({ amount: 100 + i, description: `turn ${i}` });
      (i % 3 === 0 ? b : a).recordAuthorizationIntent(sale.id);
    }
    expect(a.verifyChain()).toMatchObject({ ok: true, count: 100 });
    expect(b.verifyChain()).toEqual(a.verifyChain());
  });

  it('two processes writing at the same time keep one unbroken chain', async () => {
    const path = tempPath();
    open({ path }).close();
    const children = ['alpha', 'beta'].map((tag) =>
      spawn(process.execPath, ['--import', 'tsx', WRITER, path, 'sales', '150', tag], {
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    const exits = children.map(
      (child) =>
        new Promise<number | null>((resolve, reject) => {
          child.on('error', reject);
          child.on('exit', (code) => resolve(code));
        }),
    );
    await Promise.all(children.map((child) => new Promise((resolve) => child.stdout.once('data', resolve))));
    for (const child of children) child.stdin.write('go\n');
    expect(await Promise.all(exits)).toEqual([0, 0]);
    const j = open({ path });
    expect(j.verifyChain()).toMatchObject({ ok: true, count: 600 });
    expect(j.listSales({ text: 'alpha', limit: 1 }).total).toBe(150);
    expect(j.listSales({ text: 'beta', limit: 1 }).total).toBe(150);
    // Both writers really overlapped: their sales interleave in the log.
    const order = j.listSales({ limit: 300 }).sales.map((s) => s.description.split(' ')[0]);
    const switches = order.filter((tag, i) => i > 0 && tag !== order[i - 1]).length;
    expect(switches).toBeGreaterThan(1);
  });
});
