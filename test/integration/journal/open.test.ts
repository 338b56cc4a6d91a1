import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPragmas } from '../../../electron/main/journal/connection';
import { JournalOpenError, openJournal, type JournalOptions } from '../../../electron/main/journal/index';
import { LATEST_VERSION } from '../../../electron/main/journal/migrations/index';
import { grantedSale, open, paidSale, raw, steppingClock, tempDir, tempPath } from './helpers';

function openError(options: JournalOptions): JournalOpenError {
  try {
    openJournal(options).close();
  } catch (error) {
    if (error instanceof JournalOpenError) return error;
    throw error;
  }
  throw new Error('openJournal did not fail');
}

const WRITER = join(import.meta.dirname, 'fixtures/writer.ts');

describe('opening the journal', () => {
  it('sets WAL, synchronous=FULL, foreign keys and the busy timeout, and they read back', () => {
    const path = tempPath();
    const j = open({ path, busyTimeoutMs: 1234 });
    expect(j.pragmas()).toEqual({
      journalMode: 'wal',
      synchronous: 2,
      foreignKeys: 1,
      busyTimeout: 1234,
      userVersion: LATEST_VERSION,
    });
    // WAL is a property of the file: another connection sees it too.
    expect(raw(path).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('fails with a clear error when a pragma does not take (an in-memory database cannot be WAL)', () => {
    const error = openError({ path: ':memory:' });
    expect(error.failure).toBe('PRAGMA');
    expect(error.message).toMatch(/journal_mode is "memory", expected "wal"/);
  });

  it('the verifier names each setting that is wrong', () => {
    const db = raw(tempPath());
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = OFF');
    db.pragma('busy_timeout = 10');
    expect(() => verifyPragmas(db, 5000, 0)).toThrow(
      /synchronous is 1, expected 2 \(FULL\); foreign_keys is 0, expected 1 \(ON\); busy_timeout is 10, expected 5000/,
    );
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    expect(verifyPragmas(db, 5000, 0)).toMatchObject({ journalMode: 'wal', synchronous: 2 });
  });

  it('refuses a file with garbage in the middle, with a clear error, and does not touch it', () => {
    const path = tempPath();
    const j = open({ path });
    for (let i = 0; i < 300; i += 1)
      j.createSale({ amount: 100 + i, description: `sale number ${i} `.repeat(4) });
    j.close();
    const pageSize = 4096;
    const pages = statSync(path).size / pageSize;
    expect(pages).toBeGreaterThan(20);
    const garbage = Buffer.alloc(1024);
    let x = 0x2545f491;
    for (let i = 0; i < garbage.length; i += 1) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      garbage[i] = x & 0xff;
    }
    const fd = openSync(path, 'r+');
    writeSync(fd, garbage, 0, garbage.length, Math.floor(pages / 2) * pageSize);
    closeSync(fd);
    const before = readFileSync(path);

    const error = openError({ path });
    expect(error.failure).toBe('CORRUPT');
    expect(error.message).toMatch(/journal file .* (failed its integrity check|is damaged).* left untouched/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database at all, and leaves it as it was', () => {
    const path = join(tempDir(), 'journal.sqlite');
    writeFileSync(path, 'these are the shop accounts, not a database\n'.repeat(200));
    const before = readFileSync(path);
    const error = openError({ path });
    expect(error.failure).toBe('CORRUPT');
    expect(error.message).toMatch(/damaged or not a database/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('reports a missing folder and bad options before touching anything', () => {
    expect(openError({ path: join(tempDir(), 'no/such/folder/journal.sqlite') }).failure).toBe('CANNOT_OPEN');
    expect(openError({ path: tempPath(), timeZone: 'Europe/Atlantis' }).failure).toBe('INVALID_OPTIONS');
    expect(openError({ path: tempPath(), cutoffHour: 24 }).failure).toBe('INVALID_OPTIONS');
  });

  it('reopening after close keeps every row and the chain goes on from its head', () => {
    const path = tempPath();
    const first = open({ path });
    const { sale: paid, chargeId } = paidSale(first);
    const refund = first.recordRefundIntent(chargeId, 250, 'cliente insoddisfatto');
    const waiting = first.createSale({ amount: 999, description: 'in attesa' });
    first.setSetting('store_name', 'Bar Centrale');
    const detail = first.getSaleDetail(paid.id);
    const timeline = first.saleTimeline(paid.id);
    const verdict = first.verifyChain();
    first.close();

    const second = open({ path });
    expect(second.getSaleDetail(paid.id)).toEqual(detail);
    expect(second.saleTimeline(paid.id)).toEqual(timeline);
    expect(second.getRefund(refund.id)).toEqual(refund);
    expect(second.getSale(waiting.id)?.state).toBe('created');
    expect(second.getSetting('store_name')).toBe('Bar Centrale');
    expect(second.verifyChain()).toEqual(verdict);
    const more = second.createSale({ amount: 1, description: 'dopo la riapertura' });
    const [started] = second.saleTimeline(more.id);
    expect(started?.prevHash).toBe(verdict.ok ? verdict.head : 'broken');
    expect(second.verifyChain()).toMatchObject({ ok: true, count: (verdict.ok ? verdict.count : 0) + 1 });
  });

  it('a process killed right after recording an intent loses nothing: the intent is pending on reopen', () => {
    const path = tempPath();
    open({ path }).close();
    const child = spawnSync(process.execPath, ['--import', 'tsx', WRITER, path, 'crash'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal).toBe('SIGKILL');
    const saleId = child.stdout.trim();
    expect(saleId).toMatch(/^[0-9a-f-]{36}$/);
    const j = open({ path });
    expect(j.getSale(saleId)?.state).toBe('authorizing');
    expect(j.pendingOperations().authorizations.map((s) => s.id)).toEqual([saleId]);
    expect(j.verifyChain()).toMatchObject({ ok: true, count: 2 });
  });

  it('opens read-only for reading; stamps rows with the business day of the configured zone and cut-off', () => {
    const path = tempPath();
    const clock = steppingClock('2026-10-25T01:30:00.000Z'); // 02:30 CET, the repeated hour
    const j = open({ path, now: clock.now, cutoffHour: 4 });
    const sale = grantedSale(j);
    expect(sale.businessDay).toBe('2026-10-24');
    expect(j.saleTimeline(sale.id).every((e) => e.businessDay === '2026-10-24')).toBe(true);
    j.close();
    const ro = open({ path, readOnly: true });
    expect(ro.getSale(sale.id)?.state).toBe('granted');
  });
});
