/**
 * A waiting sale whose authorization DropPay no longer knows (404: here a sandbox reset; in a
 * shop, a journal moved to another account). The real sandbox over HTTP and a real journal.
 */
import { describe, expect, it } from 'vitest';
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import { ledgerCharges, openRig, sim, waitFor, type Rig } from './harness';

const AUTH = '/shop/v1/pos/authorization';

/** A sale waiting for the payer, then DropPay forgets every authorization. */
async function forgottenSale(
  policy: 'CHARGEABLE' | 'BOOKED' | 'CHARGED',
): Promise<{ rig: Rig; saleId: string }> {
  const rig = await openRig();
  const sale = await rig.service.startSale({ amount: 1450, description: 'Pranzo', policy });
  expect(sale.state).toBe('waiting');
  await sim(rig.sandbox, 'POST', '/_sim/reset');
  await expect(rig.till.client.authorizations.get(sale.authorizationId ?? '')).rejects.toMatchObject({
    kind: 'NOT_FOUND',
  });
  return { rig, saleId: sale.id };
}

describe('a waiting sale DropPay no longer knows', () => {
  it.each(['CHARGEABLE', 'BOOKED'] as const)(
    '%s: the cashier can cancel it, and it ends cancelled with nothing charged',
    async (policy) => {
      const { rig, saleId } = await forgottenSale(policy);
      const cancelled = await rig.service.cancelSale(saleId);
      expect(cancelled.state).toBe('cancelled');
      // The DELETE was sent (it met the 404), after the intent was on record.
      expect(
        rig.till.counter.count('DELETE', `${AUTH}/${rig.journal.getSale(saleId)?.authorizationId}`),
      ).toBe(1);
      const timeline = rig.service.timeline(saleId);
      expect(timeline.map((e) => e.kind)).toContain('authorization.cancel.intent');
      expect(timeline.at(-1)?.note).toBe(JOURNAL_TEXTS.cancelledUnknownToDropPay);
      expect(
        rig.events.some(
          (e) => e.type === 'sale.updated' && e.sale.id === saleId && e.sale.state === 'cancelled',
        ),
      ).toBe(true);
      expect(await ledgerCharges(rig)).toHaveLength(0);
      expect(rig.journal.verifyChain()).toMatchObject({ ok: true });
    },
  );

  it('CHARGED: DropPay charges by itself on approval, so a 404 ends nothing', async () => {
    const { rig, saleId } = await forgottenSale('CHARGED');
    await expect(rig.service.cancelSale(saleId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(rig.service.getSale(saleId).state).toBe('waiting');
    // Past its time too: still not concluded, as the payer may have paid before the 404.
    rig.clock.jump(300 + 31);
    const polls = rig.till.counter.count('GET', `${AUTH}/${rig.journal.getSale(saleId)?.authorizationId}`);
    await waitFor(
      () =>
        rig.till.counter.count('GET', `${AUTH}/${rig.journal.getSale(saleId)?.authorizationId}`) > polls + 2,
      'more polls',
    );
    expect(rig.service.getSale(saleId).state).toBe('waiting');
  });

  it.each(['CHARGEABLE', 'BOOKED'] as const)(
    '%s: left alone, it stays waiting within its time and ends expired once past it',
    async (policy) => {
      const { rig, saleId } = await forgottenSale(policy);
      const path = `${AUTH}/${rig.journal.getSale(saleId)?.authorizationId}`;
      const polls = rig.till.counter.count('GET', path);
      // Within its time a 404 may be DropPay catching up: the till keeps asking.
      await waitFor(() => rig.till.counter.count('GET', path) > polls + 2, 'more polls');
      expect(rig.service.getSale(saleId).state).toBe('waiting');
      // The QR's time and the grace are over: the payer can no longer approve.
      rig.clock.jump(300 + 31);
      const ended = await waitFor(() => {
        const sale = rig.service.getSale(saleId);
        return sale.state === 'expired' ? sale : undefined;
      }, 'expired');
      expect(ended.state).toBe('expired');
      expect(rig.service.timeline(saleId).at(-1)?.note).toBe(JOURNAL_TEXTS.expiredUnknownToDropPay);
      expect(await ledgerCharges(rig)).toHaveLength(0);
      expect(rig.journal.verifyChain()).toMatchObject({ ok: true });
    },
  );
});
