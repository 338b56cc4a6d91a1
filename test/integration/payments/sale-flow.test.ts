/** The sale flows end to end against the real sandbox: every way a sale can end. */
import { describe, expect, it, onTestFinished } from 'vitest';
import { createDropPayClient } from '../../../electron/main/droppay/index';
import { createPaymentsService, PaymentsError } from '../../../electron/main/payments/index';
import { PREAUTH_HOLD_DAYS } from '../../../shared/sales';
import {
  advance,
  CHARGEABLE_HISTORY,
  FAST,
  faultNextCall,
  grant,
  ledgerCharges,
  openRig,
  paidSale,
  refuse,
  revoke,
  sim,
  waitFor,
  waitForState,
} from './harness';

const AUTH = '/shop/v1/pos/authorization';
const CHARGE = '/shop/v1/pos/charge';

describe('a sale', () => {
  it('happy path: start → payer grants → charged once; journal, ledger and events agree', async () => {
    const rig = await openRig();
    const started = await rig.service.startSale({ amount: 5472, description: 'Spesa' });
    expect(started).toMatchObject({ state: 'waiting', amount: 5472, policy: 'CHARGEABLE' });
    expect(started.sharingUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/CHT/);
    expect(Date.parse(started.waitingExpiresAt) - Date.parse(started.createdAt)).toBe(300_000);
    // The till's reference went to DropPay as merchant_custom_id.
    const remote = await rig.till.client.authorizations.get(started.authorizationId ?? '');
    expect(remote.merchantCustomId).toBe(started.merchantRef);

    await grant(rig, started.authorizationId ?? '');
    const paid = await waitForState(rig, started.id, 'paid');
    expect(paid).toMatchObject({ charged: 5472, refunded: 0, refundable: 5472 });
    expect(paid.charges).toHaveLength(1);
    const charge = paid.charges[0];

    const charges = await ledgerCharges(rig);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: charge?.droppayId, amount: 54.72, status: 'DONE' });
    expect(rig.postCount(CHARGE)).toBe(1);

    // The sale and its authorization intent are one commit: the first state anyone sees is
    // `authorizing`, never a `created` sale with no intent on disk. Likewise the grant and the
    // charge intent: from `waiting` straight to `charging`, one fsync less before the charge.
    expect(rig.statesOf(started.id)).toEqual(['authorizing', 'waiting', 'charging', 'paid']);
    const sharing = rig.events.findIndex((e) => e.type === 'sale.sharing' && e.saleId === started.id);
    const charging = rig.events.findIndex((e) => e.type === 'sale.updated' && e.sale.state === 'charging');
    expect(sharing).toBeGreaterThan(-1);
    expect(sharing).toBeLessThan(charging);
    expect(rig.events[sharing]).toMatchObject({ sharingUrl: started.sharingUrl, amount: 5472 });

    expect(rig.service.timeline(started.id).map((e) => e.kind)).toEqual(CHARGEABLE_HISTORY);
    expect(rig.service.pending()).toEqual({ count: 0, items: [] });
  });

  it('the read that shows the grant hands out the pay token: one GET between grant and charge', async () => {
    // No poll of its own (a long interval): the webhook hint makes exactly one read.
    const rig = await openRig({ pollIntervalMs: 60_000 });
    const sale = await rig.service.startSale({ amount: 980, description: 'Pranzo' });
    const authId = sale.authorizationId ?? '';
    await grant(rig, authId);
    const from = rig.till.counter.seen.length;
    rig.service.notify(authId);
    await waitForState(rig, sale.id, 'paid');
    const after = rig.till.counter.seen.slice(from).map((s) => `${s.method} ${s.path}`);
    expect(after).toEqual([`GET ${AUTH}/${authId}`, `POST ${CHARGE}`]);
    expect((await ledgerCharges(rig)).map((c) => c.amount)).toEqual([9.8]);
  });

  it('one sale at a time at the customer: a second start is refused and records nothing; a BOOKED grant does not hold the till', async () => {
    const rig = await openRig();
    const first = await rig.service.startSale({ amount: 700, description: 'Birra' });
    const before = rig.journal.listSales({}).total;
    const refused = await rig.service
      .startSale({ amount: 320, description: 'Caffè' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PaymentsError);
    expect(refused).toMatchObject({
      code: 'INVALID_STATE',
      appCode: 'INVALID_STATE',
      saleId: first.id,
      detail: { key: 'sale.inProgress', params: { ref: first.merchantRef, amountCents: 700 } },
    });
    expect(rig.journal.listSales({}).total).toBe(before);
    expect(rig.service.currentSale()?.id).toBe(first.id);
    // Approved and charged: the till is free again.
    await grant(rig, first.authorizationId ?? '');
    await waitForState(rig, first.id, 'paid');
    expect(rig.service.currentSale()).toBeNull();

    // A pre-authorization granted waits for its capture, maybe for days: the next sale goes on.
    const booked = await rig.service.startSale({ amount: 9000, description: 'Cena', policy: 'BOOKED' });
    expect(rig.service.currentSale()?.id).toBe(booked.id);
    await grant(rig, booked.authorizationId ?? '');
    await waitForState(rig, booked.id, 'granted');
    expect(rig.service.currentSale()).toBeNull();
    const next = await rig.service.startSale({ amount: 450, description: 'Cornetto' });
    expect(next.state).toBe('waiting');
    await rig.service.cancelSale(next.id);
    expect(rig.service.currentSale()).toBeNull();
  });

  it('a waiting sale past its time no longer holds the till, even while the till cannot learn its end', async () => {
    const rig = await openRig();
    const stale = await rig.service.startSale({ amount: 700, description: 'Birra' });
    await expect(rig.service.startSale({ amount: 320, description: 'Caffè' })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    // DropPay still says WAITING (its clock did not move); on the till's, the QR's time is up.
    rig.clock.jump(300 + 31);
    expect(rig.service.getSale(stale.id).state).toBe('waiting');
    expect(rig.service.currentSale()).toBeNull();
    const next = await rig.service.startSale({ amount: 320, description: 'Caffè' });
    expect(next.state).toBe('waiting');
    expect(rig.service.currentSale()?.id).toBe(next.id);
  });

  it('a sale being created when the till stopped is not offered as the one in progress, before recovery or after', async () => {
    const rig = await openRig({ recover: false });
    // Left by a run that stopped between the intent and DropPay's answer: no QR was shown.
    const created = rig.journal.createSale({ amount: 610, description: 'Tramezzino' });
    const asked = rig.journal.createSale({ amount: 820, description: 'Panino' });
    rig.journal.recordAuthorizationIntent(asked.id);
    await rig.restart();
    expect(rig.journal.getSale(created.id)?.state).toBe('created');
    expect(rig.journal.getSale(asked.id)?.state).toBe('authorizing');
    // A window opening now (recovery still to run) is not handed either of them.
    expect(rig.service.currentSale()).toBeNull();
    await rig.service.recover();
    expect(rig.service.currentSale()).toBeNull();
    const next = await rig.service.startSale({ amount: 450, description: 'Cornetto' });
    expect(rig.service.currentSale()?.id).toBe(next.id);
  });

  it('"charge again" on a failed sale is refused while another sale is at the customer', async () => {
    const rig = await openRig();
    await sim(rig.sandbox, 'POST', '/_sim/charge/next-fails');
    const failed = await rig.service.startSale({ amount: 900, description: 'Pranzo' });
    await grant(rig, failed.authorizationId ?? '');
    await waitForState(rig, failed.id, 'failed');
    const next = await rig.service.startSale({ amount: 900, description: 'Pranzo' });
    await expect(rig.service.retryCharge(failed.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'sale.inProgress', params: { saleId: next.id } },
    });
    expect(rig.postCount(CHARGE)).toBe(1);
    await rig.service.cancelSale(next.id);
    // Alone again, it may be charged once more.
    const paid = await rig.service.retryCharge(failed.id);
    expect(['charging', 'paid']).toContain(paid.state);
  });

  it('refused by the payer: ends refused, nothing charged', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 300, description: 'Caffè' });
    await refuse(rig, sale.authorizationId ?? '');
    const ended = await waitForState(rig, sale.id, 'refused');
    expect(ended.authorizationStatus).toBe('REFUSED');
    expect(await ledgerCharges(rig)).toHaveLength(0);
  });

  it('expired: the payer never answers within the waiting time', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 300, description: 'Caffè' });
    await advance(rig.sandbox, 301);
    const ended = await waitForState(rig, sale.id, 'expired');
    expect(ended.authorizationStatus).toBe('EXPIRED');
    expect(await ledgerCharges(rig)).toHaveLength(0);
  });

  it('cancelled by the cashier: DELETE reaches DropPay, a later grant is impossible', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 300, description: 'Caffè' });
    const cancelled = await rig.service.cancelSale(sale.id);
    expect(cancelled).toMatchObject({ state: 'cancelled', authorizationStatus: 'CANCELLED' });
    const remote = await rig.till.client.authorizations.get(sale.authorizationId ?? '');
    expect(remote.status).toBe('CANCELLED');
    await expect(grant(rig, sale.authorizationId ?? '')).rejects.toThrow(/403/);
    await expect(rig.service.cancelSale(sale.id)).rejects.toMatchObject({
      code: 'INVALID_STATE',
      appCode: 'INVALID_STATE',
    });
  });

  it('revoked: the payer withdraws a BOOKED grant before the capture', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 2000, description: 'Noleggio', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    await revoke(rig, sale.authorizationId ?? '');
    const ended = await waitForState(rig, sale.id, 'revoked');
    expect(ended.charges).toEqual([]);
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 100 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
    expect(await ledgerCharges(rig)).toHaveLength(0);
  });

  it('charge FAILED (insufficient balance): the sale fails and the charge is not repeated', async () => {
    const rig = await openRig();
    await sim(rig.sandbox, 'POST', '/_sim/charge/next-fails');
    const sale = await rig.service.startSale({ amount: 900, description: 'Pranzo' });
    await grant(rig, sale.authorizationId ?? '');
    const failed = await waitForState(rig, sale.id, 'failed');
    expect(failed.charges).toMatchObject([{ status: 'FAILED', amount: 900 }]);
    expect(failed.charges[0]?.droppayId).toMatch(/^CHA/);
    expect(failed.charged).toBe(0);
    await new Promise((r) => setTimeout(r, 100)); // several poll intervals
    expect(rig.postCount(CHARGE)).toBe(1);
    expect((await ledgerCharges(rig)).map((c) => c.status)).toEqual(['FAILED']);
  });

  it('BOOKED: stays granted until captured, then charges the smaller amount once', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 5000, description: 'Cauzione', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    await new Promise((r) => setTimeout(r, 80));
    expect(rig.service.getSale(sale.id).state).toBe('granted');
    expect(await ledgerCharges(rig)).toHaveLength(0);

    // Above the booked amount is what was typed; captured already is the sale's state.
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 5001 })).rejects.toMatchObject({
      code: 'VALIDATION',
      appCode: 'VALIDATION',
    });
    const captured = await rig.service.captureSale({ saleId: sale.id, amount: 3000 });
    expect(captured).toMatchObject({ state: 'paid', charged: 3000, refundable: 3000 });
    expect(await ledgerCharges(rig)).toMatchObject([{ amount: 30, status: 'DONE' }]);
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 100 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
      appCode: 'INVALID_STATE',
      detail: { key: 'sale.cannotCapture', params: { state: 'paid' } },
    });
  });

  it('BOOKED: the reservation has an end DropPay keeps; past it nothing is captured and the sale ends expired', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({
      amount: 4000,
      description: 'Noleggio bici',
      policy: 'BOOKED',
    });
    // The window the till asked for is the one it shows: a week from the sale.
    expect(Date.parse(sale.captureBy ?? '') - Date.parse(sale.createdAt)).toBe(
      PREAUTH_HOLD_DAYS * 86_400_000,
    );
    const remote = await rig.till.client.authorizations.get(sale.authorizationId ?? '');
    expect(Date.parse(remote.chargeDateEnd ?? '')).toBe(Date.parse(sale.captureBy ?? ''));
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    // A CHARGEABLE sale has no such end.
    expect((await rig.service.startSale({ amount: 100, description: 'Caffè' })).captureBy).toBeNull();
    // A week and a bit later at DropPay: the money is released, and a capture takes nothing.
    await advance(rig.sandbox, PREAUTH_HOLD_DAYS * 86_400 + 60);
    // Refused, or (when DropPay's word of the end came first) answered with the sale ended.
    const outcome = await rig.service.captureSale({ saleId: sale.id, amount: 4000 }).then(
      (view) => view.state,
      (err: unknown) => (err instanceof PaymentsError ? 'refused' : err),
    );
    expect(['refused', 'expired']).toContain(outcome);
    expect(await ledgerCharges(rig)).toHaveLength(0);
    const ended = await waitForState(rig, sale.id, 'expired');
    expect(ended.charged).toBe(0);
  });

  it('CHARGED: DropPay charges at grant; the till records the charge it observed', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 1500, description: 'Biglietto', policy: 'CHARGED' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid');
    const remote = await rig.till.client.authorizations.get(sale.authorizationId ?? '');
    expect(paid.charges).toMatchObject([
      { origin: 'droppay', droppayId: remote.chargeId, amount: 1500, status: 'DONE' },
    ]);
    expect(rig.postCount(CHARGE)).toBe(0);
    expect(await ledgerCharges(rig)).toHaveLength(1);
    // Its one charge used the count up, so DropPay shows it EXPIRED: the sale goes from waiting
    // straight to paid, never shown as expired on the way.
    expect(remote.status).toBe('EXPIRED');
    expect(rig.statesOf(sale.id)).toEqual(['authorizing', 'waiting', 'paid']);
    expect(paid.authorizationStatus).toBe('EXPIRED');
  });

  it('only BOOKED sales are captured', async () => {
    const rig = await openRig();
    const sale = await rig.service.startSale({ amount: 100, description: 'x' });
    await expect(rig.service.captureSale({ saleId: sale.id, amount: 100 })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('bad input is refused before anything is recorded or sent', async () => {
    const rig = await openRig();
    const bad = [
      { amount: 0, description: 'x' },
      { amount: 12.5, description: 'x' },
      { amount: 100_000_001, description: 'x' },
      { amount: 100, description: '   ' },
      { amount: 100, description: 'é'.repeat(513) },
      { amount: 100, description: 'x', policy: 'LATER' },
    ];
    for (const input of bad) {
      await expect(rig.service.startSale(input as never)).rejects.toMatchObject({ code: 'VALIDATION' });
    }
    expect(rig.service.listSales().total).toBe(0);
    expect(rig.postCount(AUTH)).toBe(0);
    // 512 characters is the limit, counted in code points: 512 emoji are fine.
    const long = await rig.service.startSale({ amount: 100, description: '☕'.repeat(512) });
    expect(long.state).toBe('waiting');
  });

  it('nothing new starts before recover() has run once', async () => {
    const rig = await openRig({ recover: false });
    const error = await rig.service.startSale({ amount: 100, description: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaymentsError);
    expect(error).toMatchObject({ code: 'NOT_READY', appCode: 'INVALID_STATE' });
    expect(rig.postCount(AUTH)).toBe(0);
    await rig.service.recover();
    expect((await rig.service.startSale({ amount: 100, description: 'x' })).state).toBe('waiting');
  });

  it('once closed, nothing new starts, and the renderer is told to try again', async () => {
    const rig = await openRig();
    await rig.service.close();
    await expect(rig.service.startSale({ amount: 100, description: 'x' })).rejects.toMatchObject({
      code: 'CLOSED',
      appCode: 'INVALID_STATE',
      detail: { key: 'sale.closing' },
    });
  });

  it('a webhook hint polls at once, long before the next scheduled poll', async () => {
    const rig = await openRig({ pollIntervalMs: 60_000 });
    const sale = await rig.service.startSale({ amount: 250, description: 'Acqua' });
    await grant(rig, sale.authorizationId ?? '');
    await new Promise((r) => setTimeout(r, 50));
    expect(rig.service.getSale(sale.id).state).toBe('waiting');
    rig.service.notify(sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'paid');
  });

  it('lists and finds sales; unknown ids are NOT_FOUND', async () => {
    const rig = await openRig();
    const a = await paidSale(rig, 100, 'Primo');
    await rig.service.startSale({ amount: 200, description: 'Secondo' });
    expect(rig.service.listSales().total).toBe(2);
    expect(rig.service.listSales({ state: 'paid' }).sales.map((s) => s.id)).toEqual([a.id]);
    expect(rig.service.listSales({ text: a.merchantRef }).sales).toHaveLength(1);
    const missing = { code: 'NOT_FOUND', detail: { key: 'sale.notFound', params: { id: 'nope' } } };
    expect(() => rig.service.getSale('nope')).toThrow(expect.objectContaining(missing));
    expect(() => rig.service.timeline('nope')).toThrow(expect.objectContaining(missing));
    await expect(rig.service.cancelSale('nope')).rejects.toMatchObject(missing);
    expect(() => rig.service.listSales({ limit: 0 })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION',
        detail: { key: 'input.invalid', params: { field: 'limit' } },
      }),
    );
    await waitFor(() => rig.service.listSales({ state: 'waiting' }).total === 1, 'one waiting');
  });

  it('authorization refused by DropPay: recorded failed with its reason, and the error says why', async () => {
    const rig = await openRig();
    const client = createDropPayClient({
      baseUrl: rig.sandbox.baseUrl,
      store: rig.till.store,
      posId: 'NOTMYPOS1',
    });
    const service = createPaymentsService({ journal: rig.journal, client, ...FAST });
    onTestFinished(() => service.close());
    await service.recover();
    const error = await service.startSale({ amount: 100, description: 'x' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DROPPAY_REJECTED', appCode: 'DROPPAY_REJECTED' });
    const saleId = (error as PaymentsError).saleId ?? '';
    expect(service.getSale(saleId)).toMatchObject({ state: 'failed', authorizationId: null });
    expect(service.getSale(saleId).lastError).not.toBeNull();
  });

  it('authorization answer lost: the sale is unknown, on the banner, and the cashier can still end it', async () => {
    const rig = await openRig();
    await rig.till.client.brands.list(); // a token first, so the fault hits the POST itself
    faultNextCall(rig, rig.till.client.authorizations, 'create', { drop_after_commit_rate: 1 });
    const sale = await rig.service.startSale({ amount: 100, description: 'x' });
    expect(sale).toMatchObject({ state: 'unknown', authorizationId: null, sharingUrl: null });
    expect(rig.service.pending()).toMatchObject({
      count: 1,
      items: [{ saleId: sale.id, kind: 'authorization' }],
    });
    const cancelled = await rig.service.cancelSale(sale.id);
    expect(cancelled.state).toBe('cancelled');
    expect(rig.service.pending().count).toBe(0);
    expect(rig.service.timeline(sale.id).at(-1)?.note).toMatch(/before any payment link was shown/);
  });
});
