import { describe, expect, it } from 'vitest';
import { JournalStateError } from '../../../electron/main/journal/index';
import { count, open, raw, tempPath } from './helpers';

// `batch`: several records in one commit. What it promises: nothing of a batch is visible (or
// durable) before all of it is, a failure leaves no part of it behind, and the chain holds.

describe('journal batch', () => {
  it('commits a new sale and its authorization intent together, seen by no one before', () => {
    const path = tempPath();
    const j = open({ path });
    const other = raw(path);
    let seenInside = -1;
    const sale = j.batch(() => {
      const created = j.createSale({ amount: 1250, description: 'Caffè' });
      seenInside = count(other, 'sales');
      return j.recordAuthorizationIntent(created.id);
    });
    expect(seenInside).toBe(0);
    expect(sale.state).toBe('authorizing');
    expect(count(other, 'sales')).toBe(1);
    const kinds = j.saleTimeline(sale.id).map((e) => e.kind);
    expect(kinds).toEqual(['sale.started', 'authorization.create.intent']);
    expect(j.verifyChain()).toMatchObject({ ok: true });
    other.close();
    j.close();
  });

  it('leaves nothing behind when anything in it fails, and the journal goes on', () => {
    const j = open({ path: tempPath() });
    const before = j.verifyChain();
    expect(() =>
      j.batch(() => {
        const created = j.createSale({ amount: 500, description: 'Rotta' });
        j.recordAuthorizationIntent(created.id);
        // A second intent for the same sale is refused by the journal: the whole batch goes.
        j.recordAuthorizationIntent(created.id);
      }),
    ).toThrow(JournalStateError);
    expect(j.listSales().total).toBe(0);
    expect(j.verifyChain()).toEqual(before);
    const next = j.createSale({ amount: 700, description: 'Dopo' });
    expect(j.getSale(next.id)?.amount).toBe(700);
    expect(j.verifyChain()).toMatchObject({ ok: true, count: before.ok ? before.count + 1 : -1 });
    j.close();
  });

  it('a failure caught inside the batch undoes only that write', () => {
    const j = open({ path: tempPath() });
    const sale = j.batch(() => {
      const created = j.createSale({ amount: 900, description: 'Pranzo' });
      expect(() => j.recordChargeIntent(created.id, 900)).toThrow(JournalStateError);
      return j.recordAuthorizationIntent(created.id);
    });
    expect(j.saleTimeline(sale.id).map((e) => e.kind)).toEqual([
      'sale.started',
      'authorization.create.intent',
    ]);
    expect(j.verifyChain()).toMatchObject({ ok: true });
    j.close();
  });
});
