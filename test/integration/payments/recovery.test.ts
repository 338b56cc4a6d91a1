/**
 * Start-up recovery of every kind of pending operation. A crash is simulated in-process: the
 * crash point throws (which halts the service as a dead process would), then a new service
 * opens the same journal file against the same sandbox and runs recover().
 */
import { describe, expect, it } from 'vitest';
import type { Authorization } from '../../../electron/main/droppay/index';
import type { CrashPointName } from '../../../electron/main/payments/index';
import { LOST_AUTHORIZATION_GRACE_SECONDS } from '../../../electron/main/payments/index';
import { grant, ledger, openRig, paidSale, waitFor, waitForState, type Rig } from './harness';

const CHARGE = '/shop/v1/pos/charge';
const REFUND = '/shop/v1/pos/refund';

/** A crash point that "kills" the service the first time `name` is reached. */
function crashAt(name: CrashPointName) {
  const hit = { crashed: false };
  return {
    hit,
    crashPoint: (point: CrashPointName) => {
      if (point !== name || hit.crashed) return;
      hit.crashed = true;
      throw new Error(`simulated crash at ${point}`);
    },
  };
}

/** Keeps the ids of the authorizations the client creates (the ledger lists only money). */
function captureCreated(rig: Rig): Authorization[] {
  const created: Authorization[] = [];
  const create = rig.till.client.authorizations.create.bind(rig.till.client.authorizations);
  rig.till.client.authorizations.create = async (input) => {
    const auth = await create(input);
    created.push(auth);
    return auth;
  };
  return created;
}

describe('recovery at start-up', () => {
  it('authorization intent, POST never sent: unknown until the waiting time is over, then expired, no money', async () => {
    const { crashPoint } = crashAt('authorization.after-intent');
    const rig = await openRig({ crashPoint });
    await expect(rig.service.startSale({ amount: 300, description: 'Caffè' })).rejects.toThrow();
    const saleId = rig.service.listSales().sales[0]?.id ?? '';
    expect(rig.service.getSale(saleId).state).toBe('authorizing');
    expect(rig.postCount('/shop/v1/pos/authorization')).toBe(0);

    await rig.restart({ crashPoint: undefined });
    const report = await rig.service.recover();
    expect(report).toMatchObject({ checked: 1, resolved: 0, unknown: 1 });
    expect(rig.service.getSale(saleId).state).toBe('unknown');
    expect(rig.service.pending()).toMatchObject({
      count: 1,
      items: [{ saleId, kind: 'authorization', amount: 300 }],
    });
    expect(rig.events).toContainEqual({ type: 'recovery', pending: 1, unknown: 1 });

    rig.clock.shift(300 + LOST_AUTHORIZATION_GRACE_SECONDS + 1);
    const ended = await waitForState(rig, saleId, 'expired');
    expect(ended.charges).toEqual([]);
    expect(rig.service.timeline(saleId).at(-1)?.note).toMatch(/no money moved/);
    expect(rig.service.pending().count).toBe(0);
    expect(rig.events).toContainEqual({ type: 'recovery', pending: 1, unknown: 0 });
  });

  it('authorization created but the answer lost in the crash: a webhook naming it revives the sale', async () => {
    const { crashPoint } = crashAt('authorization.after-response');
    const rig = await openRig({ crashPoint });
    const created = captureCreated(rig);
    await expect(rig.service.startSale({ amount: 640, description: 'Pane' })).rejects.toThrow();
    expect(created).toHaveLength(1);
    const saleId = rig.service.listSales().sales[0]?.id ?? '';

    await rig.restart({ crashPoint: undefined });
    expect(await rig.service.recover()).toMatchObject({ unknown: 1 });
    rig.service.notify(created[0]?.id ?? '');
    const waiting = await waitForState(rig, saleId, 'waiting');
    expect(waiting.authorizationId).toBe(created[0]?.id);
    await grant(rig, created[0]?.id ?? '');
    await waitForState(rig, saleId, 'paid');
    expect((await ledger(rig.sandbox)).charges).toHaveLength(1);
  });

  it('charge intent, POST never sent: unknown while it could still land, then proven not charged and charged exactly once', async () => {
    const { crashPoint, hit } = crashAt('charge.after-intent');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 990, description: 'Vino' });
    await grant(rig, sale.authorizationId ?? '');
    await waitFor(() => hit.crashed, 'the crash');
    expect(rig.service.getSale(sale.id).state).toBe('charging');

    // Restarted at once: a POST sent just before the crash could still reach DropPay.
    await rig.restart({ crashPoint: undefined });
    const report = await rig.service.recover();
    expect(report).toMatchObject({ checked: 1, resolved: 0, unknown: 1 });
    const waiting = rig.service.getSale(sale.id);
    expect(waiting.state).toBe('unknown');
    expect(waiting.charges[0]).toMatchObject({ status: 'unknown' });
    expect(rig.journal.getCharge(waiting.charges[0]?.id ?? '')?.lastError).toMatch(/may still reach it/);
    expect(rig.postCount(CHARGE)).toBe(0);

    // Once the window is over, the resolver concludes by itself and charges with a fresh token.
    const paid = await waitForState(rig, sale.id, 'paid');
    expect(paid.charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
    expect(rig.postCount(CHARGE)).toBe(1);
    expect((await ledger(rig.sandbox)).charges).toHaveLength(1);
  });

  it('charge sent, crash before its answer was written: recorded DONE from DropPay, no second charge', async () => {
    const { crashPoint, hit } = crashAt('charge.after-response');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 2500, description: 'Scarpe' });
    await grant(rig, sale.authorizationId ?? '');
    await waitFor(() => hit.crashed, 'the crash');
    const [charge] = (await ledger(rig.sandbox)).charges;

    await rig.restart({ crashPoint: undefined });
    await rig.service.recover();
    const paid = rig.service.getSale(sale.id);
    expect(paid).toMatchObject({ state: 'paid', charged: 2500 });
    expect(paid.charges).toMatchObject([{ status: 'DONE', droppayId: charge?.id }]);
    await new Promise((r) => setTimeout(r, 80));
    expect(rig.postCount(CHARGE)).toBe(1);
    expect((await ledger(rig.sandbox)).charges).toHaveLength(1);
  });

  it('capture intent, POST never sent: not charged, left for the cashier, who captures again', async () => {
    const { crashPoint } = crashAt('capture.after-intent');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 4000, description: 'Cauzione', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 2500 })).rejects.toThrow();

    await rig.restart({ crashPoint: undefined });
    expect(await rig.service.recover()).toMatchObject({ checked: 1, unknown: 1 });
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'unknown', charged: 0 });
    // Past the window (the terminal's clock moved on), the next read-back is final.
    rig.clock.shift(1);
    expect(await rig.service.recover()).toMatchObject({ unknown: 0 });
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'failed', charged: 0 });
    expect((await ledger(rig.sandbox)).charges).toHaveLength(0);
    const paid = await rig.service.captureSale({ saleId: sale.id, amount: 2500 });
    expect(paid).toMatchObject({ state: 'paid', charged: 2500 });
  });

  it('capture sent, answer lost in the crash: recorded with the captured amount', async () => {
    const { crashPoint } = crashAt('capture.after-response');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 4000, description: 'Cauzione', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 1500 })).rejects.toThrow();

    await rig.restart({ crashPoint: undefined });
    await rig.service.recover();
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'paid', charged: 1500 });
    expect((await ledger(rig.sandbox)).charges).toMatchObject([{ amount: 15, status: 'DONE' }]);
  });

  it('refund intent, POST never sent: recorded as not refunded; a new refund is then possible', async () => {
    const { crashPoint } = crashAt('refund.after-intent');
    const rig = await openRig({ crashPoint });
    const paid = await paidSale(rig, 1100);
    const chargeId = paid.charges[0]?.id ?? '';
    await expect(rig.service.refund({ chargeId, amount: 1100, reason: 'Reso' })).rejects.toThrow();

    await rig.restart({ crashPoint: undefined });
    expect(await rig.service.recover()).toMatchObject({ checked: 1, resolved: 0, unknown: 1 });
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toMatchObject({ status: 'unknown' });
    // The resolver reads it back when the window closes, and only then calls it not refunded.
    await waitFor(
      () => rig.service.getSale(paid.id).charges[0]?.refund?.status === 'FAILED',
      'the refund concluded',
    );
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toMatchObject({ droppayId: null });
    expect(rig.postCount(REFUND)).toBe(0);
    const again = await rig.service.refund({ chargeId, amount: 1100, reason: 'Reso' });
    expect(again.charges[0]?.refund?.status).toBe('ENQUEUED');
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(1);
  });

  it('refund sent, answer lost in the crash: found on the charge and followed', async () => {
    const { crashPoint } = crashAt('refund.after-response');
    const rig = await openRig({ crashPoint });
    const paid = await paidSale(rig, 1100);
    await expect(
      rig.service.refund({ chargeId: paid.charges[0]?.id ?? '', amount: 500, reason: 'Reso' }),
    ).rejects.toThrow();
    const [remote] = (await ledger(rig.sandbox)).refunds;

    await rig.restart({ crashPoint: undefined });
    await rig.service.recover();
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toMatchObject({
      status: 'ENQUEUED',
      droppayId: remote?.id,
      amount: 500,
    });
    expect(rig.postCount(REFUND)).toBe(1);
  });

  it('cancel intent, DELETE never sent: sent again at recovery, and the sale ends cancelled', async () => {
    const { crashPoint } = crashAt('cancel.after-intent');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 200, description: 'Acqua' });
    await expect(rig.service.cancelSale(sale.id)).rejects.toThrow();
    expect((await rig.till.client.authorizations.get(sale.authorizationId ?? '')).status).toBe('WAITING');

    await rig.restart({ crashPoint: undefined });
    await rig.service.recover();
    await waitForState(rig, sale.id, 'cancelled');
    expect((await rig.till.client.authorizations.get(sale.authorizationId ?? '')).status).toBe('CANCELLED');
  });

  it('a cancel the payer beat: the grant is recorded but never charged', async () => {
    const { crashPoint } = crashAt('cancel.after-intent');
    const rig = await openRig({ crashPoint });
    const sale = await rig.service.startSale({ amount: 200, description: 'Acqua' });
    await expect(rig.service.cancelSale(sale.id)).rejects.toThrow();
    await grant(rig, sale.authorizationId ?? '');

    await rig.restart({ crashPoint: undefined });
    await rig.service.recover();
    const ended = await waitForState(rig, sale.id, 'cancelled');
    expect(ended.authorizationStatus).toBe('GRANTED');
    expect((await ledger(rig.sandbox)).charges).toHaveLength(0);
  });

  it('a sale recorded but never sent (stopped before its intent) ends failed, nothing sent', async () => {
    const rig = await openRig({ recover: false });
    const sale = rig.journal.createSale({ amount: 100, description: 'Mai inviata' });
    await rig.service.recover();
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'failed', charges: [] });
    expect(rig.service.getSale(sale.id).lastError).toMatch(/nothing was sent/);
    expect(rig.postCount('/shop/v1/pos/authorization')).toBe(0);
  });

  it('open sales resume: a waiting sale keeps being polled after a restart', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 350, description: 'Cornetto' });
    await rig.restart();
    expect(await rig.service.recover()).toMatchObject({ checked: 0, resumed: 1 });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'paid');
  });

  it('granted on file but never charged (stopped in between): charged at recovery', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 780, description: 'Pizza' });
    await rig.restart();
    // What a run that stopped right after recording the grant leaves behind.
    await grant(rig, sale.authorizationId ?? '');
    rig.journal.recordAuthorizationStatus(sale.id, 'GRANTED');
    await rig.service.recover();
    await waitForState(rig, sale.id, 'paid');
    expect((await ledger(rig.sandbox)).charges).toHaveLength(1);
  });
});
