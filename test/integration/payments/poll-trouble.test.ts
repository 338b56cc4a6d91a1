/**
 * A sale waiting for the payer while DropPay stops answering its reads: the cashier is told
 * (once, after more than one failed read), told again when it works, and the sale goes on.
 * Real sandbox faults over HTTP, a real journal file.
 */
import { describe, expect, it } from 'vitest';
import type { SaleEvent } from '../../../shared/sale-events';
import { grant, openRig, setFaults, waitFor, waitForState } from './harness';

type Polling = Extract<SaleEvent, { type: 'sale.polling' }>;

describe('polling trouble', () => {
  it('503s while the customer decides: told once with why, then told it works again, then paid', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 700, description: 'Panino' });
    const polling = (): Polling[] =>
      rig.events.filter((e): e is Polling => e.type === 'sale.polling' && e.saleId === sale.id);
    // A few good polls first: nothing to tell.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(polling()).toEqual([]);

    await setFaults(rig.sandbox, { error_rate: 1 });
    const told = await waitFor(() => polling()[0] ?? null, 'the cashier told of the trouble');
    expect(told.problem).toMatchObject({ key: 'droppay.SERVER' });
    expect(Math.abs(Date.parse(told.since ?? '') - Date.now())).toBeLessThan(5_000);
    // Still failing the same way: not told again and again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(polling()).toHaveLength(1);
    expect(rig.service.getSale(sale.id).state).toBe('waiting');

    await setFaults(rig.sandbox, { error_rate: 0 });
    await waitFor(() => (polling().length === 2 ? true : null), 'the cashier told it works again');
    expect(polling()[1]).toMatchObject({ problem: null, since: null });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'paid');
    expect(polling()).toHaveLength(2);
  });
});
