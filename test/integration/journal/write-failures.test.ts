/**
 * When the storage refuses a write, record* throws a JournalWriteError and leaves nothing
 * half-written: the payments layer relies on this to send nothing to DropPay.
 */
import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from '../../../electron/main/journal/connection';
import { createJournal } from '../../../electron/main/journal/journal';
import {
  JournalReadError,
  JournalWriteError,
  replaySale,
  type Journal,
} from '../../../electron/main/journal/index';
import { count, grantedSale, open, paidSale, raw, steppingClock, tempPath, track } from './helpers';

function writeError(fn: () => unknown): JournalWriteError {
  try {
    fn();
  } catch (error) {
    if (error instanceof JournalWriteError) return error;
    throw error;
  }
  throw new Error('the write did not fail');
}

/** Every row of every table, to prove a failed write changed nothing at all. */
function snapshot(path: string): unknown {
  const db = raw(path, { readonly: true });
  const tables = ['events', 'sales', 'charges', 'refunds', 'settings'];
  const all = Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]),
  );
  db.close();
  return all;
}

describe('write failures', () => {
  it('a read-only journal: every record* throws JournalWriteError(READONLY) and nothing changes', () => {
    const path = tempPath();
    const rw = open({ path });
    const { chargeId } = paidSale(rw);
    const granted = grantedSale(rw);
    rw.close();
    const before = snapshot(path);

    const ro = open({ path, readOnly: true });
    const attempts: Array<() => unknown> = [
      () => ro.createSale({ amount: 100, description: 'x' }),
      () => ro.recordChargeIntent(granted.id, granted.amount),
      () => ro.recordRefundIntent(chargeId, 100, 'r'),
      () => ro.recordSaleState(granted.id, 'unknown'),
      () => ro.setSetting('store_name', 'x'),
    ];
    for (const attempt of attempts) {
      const error = writeError(attempt);
      expect(error.failure).toBe('READONLY');
      expect(error.message).toMatch(/nothing was recorded/);
    }
    expect(ro.getSale(granted.id)?.state).toBe('granted'); // reads still work
    ro.close();
    expect(snapshot(path)).toEqual(before);
  });

  it('a closed handle: writes throw JournalWriteError(CLOSED), reads JournalReadError(CLOSED)', () => {
    const path = tempPath();
    const j = open({ path });
    const sale = j.createSale({ amount: 100, description: 'x' });
    j.close();
    expect(writeError(() => j.recordAuthorizationIntent(sale.id)).failure).toBe('CLOSED');
    expect(writeError(() => j.createSale({ amount: 100, description: 'y' })).failure).toBe('CLOSED');
    expect(() => j.getSale(sale.id)).toThrow(JournalReadError);
    expect(() => j.verifyChain()).toThrow(JournalReadError);
    j.close(); // closing twice is harmless
    expect(open({ path }).getSale(sale.id)?.state).toBe('created');
  });

  it('a full disk: the write that does not fit throws JournalWriteError(FULL) and leaves no partial row', () => {
    const path = tempPath();
    const db = track(openJournalDatabase({ path }));
    const j: Journal = createJournal(db, { now: steppingClock().now });
    const pages = db.pragma('page_count', { simple: true }) as number;
    // SQLite's own cap on the file size: as good as a full disk, and deterministic.
    db.pragma(`max_page_count = ${pages + 3}`);
    let error: JournalWriteError | null = null;
    const sales: string[] = [];
    for (let i = 0; i < 500 && error === null; i += 1) {
      try {
        const sale = j.createSale({ amount: 100 + i, description: `vendita ${i} `.repeat(30) });
        sales.push(sale.id);
        j.recordAuthorizationIntent(sale.id, { note: 'n'.repeat(400) });
      } catch (e) {
        if (!(e instanceof JournalWriteError)) throw e;
        error = e;
      }
    }
    expect(error?.failure).toBe('FULL');
    expect(error?.sqliteCode).toBe('SQLITE_FULL');
    // Whatever step failed, the events and the rows still agree, sale by sale.
    expect(j.verifyChain()).toMatchObject({ ok: true });
    expect(count(db, 'sales')).toBe(sales.length);
    for (const id of sales) {
      const sale = j.getSale(id);
      expect(replaySale(j.saleTimeline(id)).state).toBe(sale?.state);
    }
    expect(j.readEvents(0, 10_000).filter((e) => e.kind === 'sale.started')).toHaveLength(sales.length);
  });

  it('when the row update fails after the event was appended, the event is rolled back too', () => {
    const path = tempPath();
    const j = open({ path });
    const sale = j.createSale({ amount: 100, description: 'x' });
    const granted = grantedSale(j);
    const before = snapshot(path);
    // Sabotage the second statement of each transaction from outside.
    const saboteur = raw(path);
    saboteur.exec(`CREATE TRIGGER sabotage_sales BEFORE UPDATE ON sales BEGIN SELECT RAISE(ABORT, 'sabotaged'); END;
                   CREATE TRIGGER sabotage_charges BEFORE INSERT ON charges BEGIN SELECT RAISE(ABORT, 'sabotaged'); END;`);
    const e1 = writeError(() => j.recordAuthorizationIntent(sale.id));
    expect(e1).toMatchObject({ failure: 'CONSTRAINT' });
    expect(e1.message).toMatch(/sabotaged/);
    expect(writeError(() => j.recordChargeIntent(granted.id, granted.amount)).failure).toBe('CONSTRAINT');
    saboteur.exec('DROP TRIGGER sabotage_sales; DROP TRIGGER sabotage_charges;');
    expect(snapshot(path)).toEqual(before);
    expect(j.verifyChain()).toMatchObject({ ok: true });
    // And the journal carries on normally afterwards.
    expect(j.recordAuthorizationIntent(sale.id).state).toBe('authorizing');
  });
});
