/**
 * A sale whose stored record names a date that does not exist (a flipped digit that keeps the
 * column's pattern, so the journal still opens): the history names it and shows the rest, a
 * direct read says what is wrong, and a flow that moves it on still records every step.
 */
import { describe, expect, it } from 'vitest';
import { PaymentsError } from '../../../electron/main/payments/index';
import { damageRowDate } from '../../support/journal-file';
import { grant, ledgerCharges, openRig, paidSale, waitFor } from './harness';

/** Month 12 becomes 13, any other month gains ten: still two digits, no longer a month. */
const monthThirteen = (iso: string): string =>
  `${iso.slice(0, 5)}${String(Number(iso.slice(5, 7)) + (iso.slice(5, 7) === '12' ? 1 : 10))}${iso.slice(7)}`;

describe('a damaged date in the journal', () => {
  it('is named in the history, which still shows every other sale', async () => {
    const rig = await openRig();
    const first = await paidSale(rig, 1250, 'Caffè');
    const second = await paidSale(rig, 980, 'Brioche');
    const third = await rig.service.startSale({ amount: 400, description: 'Acqua' });
    await rig.service.cancelSale(third.id);

    const value = damageRowDate(rig.journalPath, 'sales', first.id, 'created_at', monthThirteen);
    const chargeValue = damageRowDate(
      rig.journalPath,
      'charges',
      second.charges[0]?.id ?? '',
      'updated_at',
      (iso) => `${iso.slice(0, 5)}02-30${iso.slice(10)}`,
    );
    await rig.restart();
    await rig.service.recover();

    const page = rig.service.listSales({});
    expect(page.total).toBe(3);
    expect(page.sales.map((s) => s.id)).toEqual([third.id]);
    expect(page.damaged).toEqual([
      { id: second.id, merchantRef: second.merchantRef, field: 'charge.updatedAt', value: chargeValue },
      { id: first.id, merchantRef: first.merchantRef, field: 'sale.createdAt', value },
    ]);

    // Read on its own, the sale says what is wrong instead of "unexpected error".
    let caught: unknown;
    try {
      rig.service.getSale(first.id);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PaymentsError);
    const error = caught as PaymentsError;
    expect(error.code).toBe('STORAGE');
    expect(error.toAppError()).toMatchObject({
      code: 'STORAGE',
      detail: {
        key: 'journal.saleDamaged',
        params: { ref: first.merchantRef, field: 'sale.createdAt', value },
      },
    });
    expect(error.message).toContain(first.merchantRef);
    expect(error.message).toContain(value);

    // Its events are all still there to read.
    expect(rig.service.timeline(first.id).map((e) => e.kind)).toContain('charge.done');
    // A filter that leaves it out shows no warning.
    expect(rig.service.listSales({ text: third.merchantRef })).toMatchObject({ damaged: [], total: 1 });
  });

  it('does not stop a flow that moves the sale on: every step is recorded and the log names it', async () => {
    const lines: string[] = [];
    const rig = await openRig({ log: (line) => lines.push(line) });
    const sale = await rig.service.startSale({ amount: 1590, description: 'Pranzo' });
    const value = damageRowDate(rig.journalPath, 'sales', sale.id, 'created_at', monthThirteen);
    const updatesBefore = rig.statesOf(sale.id).length;

    await grant(rig, sale.authorizationId ?? '');
    rig.service.notify(sale.authorizationId ?? '');
    await waitFor(() => rig.journal.getSale(sale.id)?.state === 'paid', 'the damaged sale to be paid');

    const charges = await ledgerCharges(rig);
    expect(charges.filter((c) => c.authorization_id === sale.authorizationId)).toHaveLength(1);
    expect(rig.journal.getSaleDetail(sale.id)?.charges.map((c) => c.status)).toEqual(['DONE']);
    expect(lines.some((l) => l.includes(sale.merchantRef) && l.includes(value))).toBe(true);
    // No view of it was pushed once it was damaged (none could be right).
    expect(rig.statesOf(sale.id)).toHaveLength(updatesBefore);
    expect(rig.journal.verifyChain()).toMatchObject({ ok: true });
  });
});
