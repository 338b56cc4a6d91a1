/**
 * The receipt says when the refund was asked ("Refunded on …", SaleReceipt.svelte, from the
 * view's `charge.refund.createdAt`): for a refund asked again after a FAILED attempt, that is
 * the attempt on the receipt, the latest, not the first one the journal row was created for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { toSaleView } from '../../../electron/main/payments/views';
import { SaleViewSchema } from '../../../shared/sales';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function journal(): { j: Journal; set: (iso: string) => void } {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-asked-at-'));
  let t = Date.parse('2026-05-04T08:00:00.000Z');
  const j = openJournal({ path: join(dir, 'j.sqlite'), now: () => new Date(t++), timeZone: 'Europe/Rome' });
  cleanups.push(() => {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { j, set: (iso) => (t = Date.parse(iso)) };
}

function paid(j: Journal) {
  const sale = j.createSale({ amount: 5000, description: 'x' });
  j.recordAuthorizationIntent(sale.id);
  j.recordAuthorizationCreated(sale.id, { authorizationId: 'CHT1', sharingUrl: 'https://x' });
  j.recordAuthorizationStatus(sale.id, 'GRANTED');
  const charge = j.recordChargeIntent(sale.id, 5000);
  j.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: 'CHA1' });
  return { saleId: sale.id, chargeId: charge.id };
}

const refundOf = (j: Journal, saleId: string) => {
  const view = toSaleView(j.getSaleDetail(saleId)!, 300);
  expect(SaleViewSchema.safeParse(view).success).toBe(true);
  return view.charges[0]?.refund;
};

describe('when the refund on the receipt was asked', () => {
  it('is the latest attempt’s time for a refund asked again after a FAILED one, whatever came after', () => {
    const { j, set } = journal();
    const { saleId, chargeId } = paid(j);
    set('2026-05-04T09:00:00.000Z');
    const first = j.recordRefundIntent(chargeId, 2000, 'Reso');
    // Asked once: its own time (the row's createdAt).
    expect(refundOf(j, saleId)).toMatchObject({ createdAt: '2026-05-04T09:00:00.000Z', status: 'intent' });
    j.recordRefundOutcome(first.id, { status: 'FAILED', droppayId: 'CHR1' });
    set('2026-05-04T10:00:00.000Z');
    const second = j.recordRefundIntent(chargeId, 2000, 'Reso');
    expect(second).toMatchObject({
      createdAt: '2026-05-04T09:00:00.000Z',
      askedAt: '2026-05-04T10:00:00.000Z',
    });
    j.recordRefundOutcome(second.id, { status: 'FAILED', error: 'refused' });
    set('2026-05-05T07:30:00.000Z');
    const third = j.recordRefundIntent(chargeId, 1500, 'Reso');
    set('2026-05-05T07:31:00.000Z');
    j.recordRefundOutcome(third.id, { status: 'DONE', droppayId: 'CHR3' });
    expect(j.getRefund(third.id)).toMatchObject({
      attempt: 3,
      createdAt: '2026-05-04T09:00:00.000Z',
      askedAt: '2026-05-05T07:30:00.000Z',
    });
    expect(refundOf(j, saleId)).toMatchObject({
      createdAt: '2026-05-05T07:30:00.000Z',
      status: 'DONE',
      amount: 1500,
      droppayId: 'CHR3',
    });
  });
});
