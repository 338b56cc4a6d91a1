/**
 * The journal first: when the intent cannot be written, NOTHING goes to DropPay. Storage
 * failures are made real, as in test/integration/journal: a read-only file, and a trigger
 * added behind the journal's back that makes the insert fail.
 */
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openJournal } from '../../../electron/main/journal/index';
import { createPaymentsService, PaymentsError } from '../../../electron/main/payments/index';
import { grant, ledger, openRig, paidSale, waitForState } from './harness';

const AUTH = '/shop/v1/pos/authorization';
const CHARGE = '/shop/v1/pos/charge';
const REFUND = '/shop/v1/pos/refund';

function sabotage(path: string, table: string): () => void {
  const db = new Database(path);
  onTestFinished(() => {
    if (db.open) db.close();
  });
  db.exec(
    `CREATE TRIGGER sabotage_${table} BEFORE INSERT ON ${table} BEGIN SELECT RAISE(ABORT, 'disk says no'); END;`,
  );
  return () => {
    db.exec(`DROP TRIGGER sabotage_${table}`);
    db.close();
  };
}

describe('a journal that refuses writes', () => {
  it('read-only journal: startSale fails with STORAGE and no authorization is requested', async () => {
    const rig = await openRig();
    await paidSale(rig, 100);
    const before = await ledger(rig.sandbox);
    const posts = rig.postCount(AUTH);

    const readOnly = openJournal({ path: rig.journalPath, readOnly: true });
    onTestFinished(() => readOnly.close());
    const service = createPaymentsService({ journal: readOnly, client: rig.till.client, pollIntervalMs: 20 });
    onTestFinished(() => service.close());
    await service.recover();
    const error = await service.startSale({ amount: 500, description: 'Pizza' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentsError);
    expect(error).toMatchObject({ code: 'STORAGE', appCode: 'STORAGE' });
    expect((error as Error).message).toMatch(/nothing was sent to DropPay/);
    expect(rig.postCount(AUTH)).toBe(posts);
    expect(await ledger(rig.sandbox)).toEqual(before);
  });

  it('charge intent refused: no charge is sent; once the journal writes again the sale is charged once', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 1200, description: 'Cena' });
    const repair = sabotage(rig.journalPath, 'charges');
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    await new Promise((r) => setTimeout(r, 150)); // several polls, each refused by the journal
    expect(rig.postCount(CHARGE)).toBe(0);
    expect((await ledger(rig.sandbox)).charges).toHaveLength(0);
    expect(rig.service.getSale(sale.id).state).toBe('granted');

    repair();
    const paid = await waitForState(rig, sale.id, 'paid');
    expect(paid.charges).toHaveLength(1);
    expect(rig.postCount(CHARGE)).toBe(1);
    expect((await ledger(rig.sandbox)).charges).toHaveLength(1);
  });

  it('refund intent refused: STORAGE, and no refund is sent', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 900);
    const repair = sabotage(rig.journalPath, 'refunds');
    const error = await rig.service
      .refund({ chargeId: paid.charges[0]?.id ?? '', amount: 900, reason: 'Reso' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE' });
    expect(rig.postCount(REFUND)).toBe(0);
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(0);
    repair();
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toBeNull();
  });
});
