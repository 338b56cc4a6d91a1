/**
 * DropPay's events, end to end: the real sandbox delivers them over HTTP to the real receiver,
 * which hints the real payments service. The sale's own poll is set to a minute, so a sale
 * that ends within seconds did so because an event arrived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../electron/main/payments/index';
import type { PaymentsService } from '../../../electron/main/payments/index';
import { advance, grant, ledgerCharges, openRig, refuse, waitFor, waitForState, type Rig } from './harness';

const receivers: RunningWebhookReceiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

const SLOW_POLL = { pollIntervalMs: 60_000, resolveIntervalMs: 60_000 } as const;

/** A rig whose authorizations ask the sandbox to send their events to a receiver of its own. */
async function hintedRig(
  options: Parameters<typeof openRig>[0] = {},
  refuseFirst = 0,
): Promise<{ rig: Rig; hints: string[] }> {
  const hints: string[] = [];
  let service: PaymentsService | null = null;
  const receiver = await startWebhookReceiver({
    onAuthorization: (id) => {
      hints.push(id);
      // The first `refuseFirst` events are turned away, as while the payments are not ready.
      if (hints.length <= refuseFirst) return false;
      return service?.notify(id) ?? false;
    },
    onRefund: (id) => service?.notifyRefund(id) ?? false,
  });
  receivers.push(receiver);
  const rig = await openRig({ ...SLOW_POLL, webhookUrl: receiver.url, ...options });
  service = rig.service;
  return { rig, hints };
}

describe('webhooks from the sandbox', () => {
  it('the payer approves: the event has the sale charged at once, not at the next poll a minute later', async () => {
    const { rig, hints } = await hintedRig();
    const sale = await rig.service.startSale({ amount: 1890, description: 'Pizza margherita' });
    expect(sale.state).toBe('waiting');
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid', 3_000);
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 1890 }]);
    expect(hints).toContain(sale.authorizationId);
    expect(await ledgerCharges(rig)).toHaveLength(1);
  });

  it('the payer declines: the sale ends refused at once', async () => {
    const { rig } = await hintedRig();
    const sale = await rig.service.startSale({ amount: 500, description: 'Gelato' });
    await refuse(rig, sale.authorizationId ?? '');
    const ended = await waitForState(rig, sale.id, 'refused', 3_000);
    expect(ended.charges).toEqual([]);
  });

  it('the answer to the creation is lost: the payer’s approval, sent as an event, finds the sale and charges it once', async () => {
    // The sandbox creates the authorization; its answer never reaches the till.
    const seen: string[] = [];
    const network: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (init?.method === 'POST' && url.endsWith('/shop/v1/pos/authorization') && seen.length === 0) {
        seen.push(((await res.json()) as { id: string }).id);
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const { rig, hints } = await hintedRig({
      clientOptions: { fetch: network, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
    });
    const sale = await rig.service.startSale({ amount: 2400, description: 'Due pizze' });
    expect(sale.state).toBe('unknown');
    expect(sale.authorizationId).toBeNull();
    const authId = seen[0] ?? '';
    expect(authId).not.toBe('');

    await grant(rig, authId);
    const paid = await waitForState(rig, sale.id, 'paid', 3_000);
    expect(paid.authorizationId).toBe(authId);
    expect(hints).toContain(authId);
    expect(await ledgerCharges(rig)).toMatchObject([{ authorization_id: authId, amount: 24 }]);
  });

  for (const failOnce of [false, true]) {
    it(`a CHARGED sale whose creation answer was lost, paid at the approval: paid, never expired first${failOnce ? ' (reading its charge fails once)' : ''}`, async () => {
      const seen: string[] = [];
      const network: typeof fetch = async (input, init) => {
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (
          failOnce &&
          init?.method !== 'POST' &&
          url.includes('/shop/v1/pos/charge/') &&
          seen.length === 1
        ) {
          seen.push('failed');
          throw new TypeError('fetch failed: connection reset');
        }
        const res = await fetch(input, init);
        if (init?.method === 'POST' && url.endsWith('/shop/v1/pos/authorization') && seen.length === 0) {
          seen.push(((await res.json()) as { id: string }).id);
          throw new TypeError('fetch failed: connection reset');
        }
        return res;
      };
      const { rig } = await hintedRig({
        pollIntervalMs: 50,
        clientOptions: { fetch: network, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } },
      });
      const sale = await rig.service.startSale({ amount: 2400, description: 'Biglietti', policy: 'CHARGED' });
      expect(sale.state).toBe('unknown');
      await grant(rig, seen[0] ?? '');
      const paid = await waitForState(rig, sale.id, 'paid', 3_000);
      expect(paid.charges).toMatchObject([{ origin: 'droppay', amount: 2400, status: 'DONE' }]);
      expect(paid.authorizationStatus).toBe('EXPIRED');
      expect(rig.statesOf(sale.id)).not.toContain('expired');
      if (failOnce) expect(seen).toContain('failed');
    });
  }

  it('an event turned away (503) is sent again by DropPay, and the sale is still charged at once', async () => {
    const { rig, hints } = await hintedRig({}, 1);
    const sale = await rig.service.startSale({ amount: 320, description: 'Cappuccino' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'paid', 4_000);
    expect(hints.filter((h) => h === sale.authorizationId).length).toBeGreaterThanOrEqual(2);
  });

  it('notify says whether it took the hint: not before recovery, not once closed', async () => {
    const rig = await openRig({ ...SLOW_POLL, recover: false });
    expect(rig.service.notify('CHT1')).toBe(false);
    await rig.service.recover();
    expect(rig.service.notify('CHT1')).toBe(true);
    await rig.service.close();
    expect(rig.service.notify('CHT1')).toBe(false);
  });

  it('a refund settles on the till the moment DropPay says so, not at the next poll', async () => {
    const { rig } = await hintedRig();
    const sale = await rig.service.startSale({ amount: 1500, description: 'Maglione' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid', 3_000);
    const after = await rig.service.refund({
      chargeId: paid.charges[0]?.id ?? '',
      amount: 500,
      reason: 'Taglia',
    });
    expect(after.charges[0]?.refund).toMatchObject({ status: 'ENQUEUED' });
    // DropPay's clock moves past the refund's settling time: the refund is DONE there.
    await advance(rig.sandbox, 3);
    const done = await waitFor(
      () => (rig.service.getSale(sale.id).charges[0]?.refund?.status === 'DONE' ? true : null),
      'the refund DONE on the till',
      3_000,
    );
    expect(done).toBe(true);
    expect(rig.service.getSale(sale.id)).toMatchObject({ refunded: 500 });
  });

  it('without a receiver the same approval waits for the poll', async () => {
    const rig = await openRig(SLOW_POLL);
    const sale = await rig.service.startSale({ amount: 700, description: 'Birra' });
    await grant(rig, sale.authorizationId ?? '');
    await new Promise((r) => setTimeout(r, 400));
    expect(rig.service.getSale(sale.id).state).toBe('waiting');
  });
});
