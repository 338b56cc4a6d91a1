import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import {
  PENDING_CHARGE_SHOWN_AFTER_MS,
  pendingSummary,
  toSaleView,
  toTimeline,
} from '../../../electron/main/payments/views';
import { grantedSale } from './fixtures';
import { SaleViewSchema, TimelineEntrySchema } from '../../../shared/sales';
import { PendingItemSchema } from '../../../shared/sale-events';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function journal(): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-views-'));
  const j = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    j.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return j;
}

function paid(j: Journal, amount: number, droppayId: string) {
  const sale = j.createSale({ amount, description: 'x' });
  j.recordAuthorizationIntent(sale.id);
  j.recordAuthorizationCreated(sale.id, { authorizationId: `CHT${droppayId}`, sharingUrl: 'https://x' });
  j.recordAuthorizationStatus(sale.id, 'GRANTED');
  const charge = j.recordChargeIntent(sale.id, amount);
  j.recordChargeOutcome(charge.id, { status: 'DONE', droppayId });
  return { saleId: sale.id, chargeId: charge.id };
}

describe('views', () => {
  it('sums charged, refunded and refundable from the journal rows', () => {
    const j = journal();
    const { saleId, chargeId } = paid(j, 1000, 'CHA1');
    let view = toSaleView(j.getSaleDetail(saleId)!, 300);
    expect(view).toMatchObject({ charged: 1000, refunded: 0, refundable: 1000 });
    expect(SaleViewSchema.parse(view)).toEqual(view);

    const refund = j.recordRefundIntent(chargeId, 300, 'r');
    view = toSaleView(j.getSaleDetail(saleId)!, 300);
    expect(view).toMatchObject({ refunded: 0, refundable: 0 });
    // A refund DropPay never accepted frees the charge again.
    j.recordRefundOutcome(refund.id, { status: 'FAILED', error: 'not sent' });
    expect(toSaleView(j.getSaleDetail(saleId)!, 300).refundable).toBe(1000);
    const retry = j.recordRefundIntent(chargeId, 300, 'r');
    j.recordRefundOutcome(retry.id, { status: 'DONE', droppayId: 'CHR1' });
    view = toSaleView(j.getSaleDetail(saleId)!, 300);
    expect(view).toMatchObject({ charged: 1000, refunded: 300, refundable: 0 });
    expect(view.charges[0]?.refund).toMatchObject({ droppayId: 'CHR1', amount: 300, status: 'DONE' });
    expect(Date.parse(view.waitingExpiresAt) - Date.parse(view.createdAt)).toBe(300_000);
  });

  it('a timeline copies summary fields only, never extra detail other than a note', () => {
    const j = journal();
    const sale = j.createSale({ amount: 500, description: 'x' });
    j.recordAuthorizationIntent(sale.id, { note: 'first try', internal: 'not for the screen' });
    const timeline = toTimeline(j.saleTimeline(sale.id));
    expect(timeline.map((e) => e.kind)).toEqual(['sale.started', 'authorization.create.intent']);
    expect(timeline[1]).toMatchObject({ note: 'first try', amount: 500, saleState: 'authorizing' });
    expect(JSON.stringify(timeline)).not.toContain('not for the screen');
    for (const entry of timeline) expect(TimelineEntrySchema.parse(entry)).toEqual(entry);
  });

  it('the pending summary leaves out what this process is working on right now', () => {
    const j = journal();
    const sale = j.createSale({ amount: 500, description: 'x' });
    j.recordAuthorizationIntent(sale.id);
    const ops = j.pendingOperations();
    expect(pendingSummary(ops, (id) => j.getSale(id), new Set()).count).toBe(1);
    expect(pendingSummary(ops, (id) => j.getSale(id), new Set([sale.id])).count).toBe(0);
  });

  it('a charge DropPay took but has not settled joins the banner once it has waited a minute', () => {
    const j = journal();
    const saleId = grantedSale(j);
    const charge = j.recordChargeIntent(saleId, 1000);
    const { charge: pending } = j.recordChargeOutcome(charge.id, { status: 'pending', droppayId: 'CHA1' });
    const since = Date.parse(pending.updatedAt);
    const summary = (at: number) =>
      pendingSummary(j.pendingOperations(), (id) => j.getSale(id), new Set(), at);
    expect(summary(since + PENDING_CHARGE_SHOWN_AFTER_MS - 1).count).toBe(0);
    expect(summary(since + PENDING_CHARGE_SHOWN_AFTER_MS).items).toMatchObject([
      { saleId, kind: 'charge', amount: 1000 },
    ]);
  });

  it("the resolver's last check of an item comes with it: why it stayed unknown, when it was read, when next", () => {
    const j = journal();
    const saleId = grantedSale(j);
    const charge = j.recordChargeIntent(saleId, 1000);
    j.recordChargeOutcome(charge.id, { status: 'unknown', error: 'lost' });
    const other = j.createSale({ amount: 300, description: 'y' });
    j.recordAuthorizationIntent(other.id);
    const checkedAt = Date.parse('2026-12-02T10:00:00.000Z');
    const checks = new Map([
      [charge.id, { checkedAt, nextAt: checkedAt + 20_000, problem: { key: 'droppay.NETWORK' as const } }],
    ]);
    const summary = pendingSummary(
      j.pendingOperations(),
      (id) => j.getSale(id),
      new Set(),
      Date.now(),
      checks,
    );
    expect(summary.items).toHaveLength(2);
    expect(summary.items.find((i) => i.kind === 'charge')).toMatchObject({
      saleId,
      lastError: 'lost',
      problem: { key: 'droppay.NETWORK' },
      checkedAt: '2026-12-02T10:00:00.000Z',
      nextCheckAt: '2026-12-02T10:00:20.000Z',
      qrNeverShown: false,
    });
    // Not read back yet in this run: nothing made up. Its creation's answer never came, so no
    // QR of it was ever shown.
    expect(summary.items.find((i) => i.kind === 'authorization')).toMatchObject({
      saleId: other.id,
      problem: null,
      checkedAt: null,
      nextCheckAt: null,
      qrNeverShown: true,
    });
    for (const item of summary.items) expect(PendingItemSchema.parse(item)).toEqual(item);
  });
});
