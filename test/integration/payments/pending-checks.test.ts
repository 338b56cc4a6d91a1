/**
 * The banner's picture of an operation in doubt: why the last read-back did not settle it,
 * when it was read and when it will be next, and "check now" (recheck) reading it at once,
 * past the resolver's backoff. Real sandbox faults over HTTP, a real journal file.
 */
import { describe, expect, it } from 'vitest';
import {
  aroundNextCall,
  grant,
  ledgerCharges,
  openRig,
  setFaults,
  waitFor,
  waitForState,
  type Rig,
} from './harness';

/**
 * A paid-for sale whose charge POST committed at DropPay with its answer lost, and DropPay
 * answering 503 from then on; returned once the charge flow has let go of the charge (it reads
 * back for a moment itself) and the banner lists it. The resolver's interval is far beyond the
 * test, so only "check now" reads the charge back.
 */
async function chargeInDoubt(amount: number, description: string) {
  const rig: Rig = await openRig({ resolveIntervalMs: 600_000 });
  aroundNextCall(
    rig.till.client.charges,
    'create',
    () => setFaults(rig.sandbox, { drop_after_commit_rate: 1 }),
    () => setFaults(rig.sandbox, { drop_after_commit_rate: 0, error_rate: 1 }),
  );
  const sale = await rig.service.startSale({ amount, description });
  await grant(rig, sale.authorizationId ?? '');
  await waitForState(rig, sale.id, 'unknown');
  const before = await waitFor(
    () => (rig.service.pending().count === 1 ? rig.service.pending() : null),
    'one item on the banner',
  );
  return { rig, sale, before };
}

const CHARGE = '/shop/v1/pos/charge';

describe('pending operations: why, when next, and check now', () => {
  it('a charge whose answer was lost while DropPay answers 503: the banner says why, and check now settles it once it answers', async () => {
    const { rig, sale, before } = await chargeInDoubt(2350, 'Scarpe');
    // Not read back by the resolver yet: the journal's reason only, no check times.
    expect(before.items).toMatchObject([
      { saleId: sale.id, kind: 'charge', amount: 2350, problem: null, checkedAt: null, nextCheckAt: null },
    ]);

    const checked = await rig.service.recheck();
    expect(checked.count).toBe(1);
    const item = checked.items[0];
    expect(item?.problem).toMatchObject({ key: 'droppay.SERVER' });
    expect(item?.checkedAt).not.toBeNull();
    const checkedAt = Date.parse(item?.checkedAt ?? '');
    expect(Math.abs(checkedAt - rig.clock.now().getTime())).toBeLessThan(5_000);
    // The next read waits at least one resolver interval.
    expect(Date.parse(item?.nextCheckAt ?? '') - checkedAt).toBeGreaterThanOrEqual(600_000);
    expect(rig.events.some((e) => e.type === 'recovery' && e.unknown === 1)).toBe(true);
    // Still in doubt, nothing was charged a second time.
    expect(rig.postCount(CHARGE)).toBe(1);

    // DropPay answers again: check now finds the charge it made, without waiting for the backoff.
    await setFaults(rig.sandbox, { error_rate: 0 });
    const after = await rig.service.recheck();
    expect(after).toEqual({ count: 0, items: [] });
    const paid = rig.service.getSale(sale.id);
    expect(paid).toMatchObject({ state: 'paid', charged: 2350 });
    expect(rig.postCount(CHARGE)).toBe(1);
    expect(await ledgerCharges(rig)).toMatchObject([{ amount: 23.5, status: 'DONE' }]);
    // The pass check now ran is the last one reported, and it left nothing unknown.
    expect(rig.events.filter((e) => e.type === 'recovery').at(-1)).toMatchObject({ unknown: 0 });
  });

  it('two clicks on check now share one pass', async () => {
    const { rig, sale } = await chargeInDoubt(500, 'Caffè');
    const recoveries = (): number => rig.events.filter((e) => e.type === 'recovery').length;
    const at = recoveries();
    const [a, b] = await Promise.all([rig.service.recheck(), rig.service.recheck()]);
    expect(a).toEqual(b);
    expect(recoveries() - at).toBe(1);
    expect(a.items).toMatchObject([{ saleId: sale.id, problem: { key: 'droppay.SERVER' } }]);
    expect(rig.postCount(CHARGE)).toBe(1);
  });
});
