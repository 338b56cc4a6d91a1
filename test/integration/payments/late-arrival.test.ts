/**
 * A POST that reaches DropPay after the till gave up on it and read DropPay back. The read-back
 * showed nothing, yet the charge or refund then happens: the till must not have written it off.
 * It stays `unknown` while the POST can still take effect, sends nothing a second time, and
 * records what DropPay did once it reads again. The network is the held-network fault (the
 * request is delivered late to the real sandbox); journal, client and service are real.
 */
import { describe, expect, it } from 'vitest';
import { heldNetwork } from '../../support/held-network';
import { advance, grant, ledger, openRig, paidSale, waitFor, waitForState } from './harness';

const CHARGE = '/shop/v1/pos/charge';
const REFUND = '/shop/v1/pos/refund';
/** The client's timeout: short, so the held request is given up quickly. */
const TIMEOUT_MS = 400;
/** How long the service lets a lost POST land before concluding; well above the test's steps. */
const IN_TRANSIT_MS = 2_500;

async function lateRig(inTransitMs = IN_TRANSIT_MS) {
  const network = heldNetwork();
  const rig = await openRig({
    inTransitMs,
    clientOptions: { fetch: network.fetch, timeoutMs: TIMEOUT_MS },
  });
  return { rig, network };
}

describe('a POST that arrives after the till read DropPay back', () => {
  it('a charge: unknown, never sent twice, and recorded DONE once it landed', async () => {
    const { rig, network } = await lateRig();
    network.hold('POST', CHARGE);
    const sale = await rig.service.startSale({ amount: 1490, description: 'Pizza' });
    await grant(rig, sale.authorizationId ?? '');
    await network.held();
    // The POST timed out and the read-back showed nothing: not a proof while it may still land.
    const inDoubt = await waitForState(rig, sale.id, 'unknown');
    expect(inDoubt.charges).toMatchObject([{ status: 'unknown', droppayId: null }]);
    expect(
      rig.till.counter.count('GET', `/shop/v1/pos/authorization/${sale.authorizationId}`),
    ).toBeGreaterThan(0);

    expect(await network.release()).toBe(201);
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    const charges = (await ledger(rig.sandbox)).charges;
    expect(charges).toHaveLength(1);
    // One charge row, the one that was sent, found by its label: no FAILED row, no second POST.
    expect(paid.charges).toMatchObject([{ status: 'DONE', droppayId: charges[0]?.id, amount: 1490 }]);
    expect(rig.postCount(CHARGE)).toBe(1);
    expect(rig.service.timeline(sale.id).at(-1)?.note).toMatch(/reading the authorization back/);
  });

  it('the wall clock set forward while a charge POST is on its way: still unknown, never charged twice', async () => {
    const { rig, network } = await lateRig();
    network.hold('POST', CHARGE);
    const sale = await rig.service.startSale({ amount: 990, description: 'Cornetto' });
    await grant(rig, sale.authorizationId ?? '');
    await network.held();
    await waitForState(rig, sale.id, 'unknown');
    // An NTP correction (or a person) moves the terminal's clock ten minutes on; real time does
    // not move. On the wall clock alone the window would be over and the charge written off.
    rig.clock.jump(600);
    // A few resolver passes (every 40 ms here), well inside the real window of 2.5 s.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rig.service.getSale(sale.id).charges).toMatchObject([{ status: 'unknown', droppayId: null }]);
    expect(rig.postCount(CHARGE)).toBe(1);

    expect(await network.release()).toBe(201);
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 990 }]);
    expect(rig.postCount(CHARGE)).toBe(1);
    expect((await ledger(rig.sandbox)).charges).toMatchObject([{ amount: 9.9, status: 'DONE' }]);
  });

  it('a charge whose pay token DropPay replaced: concluded not charged at once, charged with the new token', async () => {
    // A window far longer than the test: only the replaced token can end the doubt.
    const { rig, network } = await lateRig(10 * 60_000);
    network.hold('POST', CHARGE);
    const sale = await rig.service.startSale({ amount: 820, description: 'Libro' });
    await grant(rig, sale.authorizationId ?? '');
    await network.held();
    await waitForState(rig, sale.id, 'unknown');
    expect(rig.postCount(CHARGE)).toBe(1);

    // The token's 180 s go by at DropPay: the next read hands out a new one, the old is dead.
    await advance(rig.sandbox, 200);
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    expect(paid.charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
    expect(rig.postCount(CHARGE)).toBe(2);
    // Nobody was told "failed" between the verdict and the charge with the new token.
    expect(rig.statesOf(sale.id)).not.toContain('failed');
    // The old request still arrives, and DropPay refuses it (dead token, nothing left to
    // charge): one charge in all.
    expect([403, 410]).toContain(await network.release());
    expect((await ledger(rig.sandbox)).charges).toMatchObject([{ amount: 8.2, status: 'DONE' }]);
  });

  it('a BOOKED capture: unknown, not left as refused, then paid with the captured amount', async () => {
    const { rig, network } = await lateRig();
    const sale = await rig.service.startSale({ amount: 5000, description: 'Cauzione', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    network.hold('POST', CHARGE);
    const capturing = rig.service.captureSale({ saleId: sale.id, amount: 3200 }).catch((e: unknown) => e);
    await network.held();
    const answer = await capturing;
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'unknown', charged: 0 });
    expect(answer).not.toBeInstanceOf(Error);

    expect(await network.release()).toBe(201);
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    expect(paid).toMatchObject({ charged: 3200 });
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 3200 }]);
    expect((await ledger(rig.sandbox)).charges).toMatchObject([{ amount: 32, status: 'DONE' }]);
  });

  it('a POST held back by a slow token renewal: its window runs from when the till gave up, not from its intent', async () => {
    // A window shorter than the token's delay: measured from the intent it would have closed
    // before the POST even left, and the first read-back would have written the capture off.
    const { rig, network } = await lateRig(600);
    const sale = await rig.service.startSale({ amount: 2000, description: 'Noleggio', policy: 'BOOKED' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'granted');
    const tokens = rig.till.client.tokens;
    const token = tokens.getAccessToken.bind(tokens);
    // The capture asks for a token twice: for the read before charging, then for the POST,
    // after its intent is on file. The second one is slow, as a renewal after an idle hour.
    let calls = 0;
    tokens.getAccessToken = async () => {
      calls += 1;
      if (calls === 2) await new Promise((r) => setTimeout(r, 800));
      return token();
    };
    network.hold('POST', CHARGE);
    const capturing = rig.service.captureSale({ saleId: sale.id, amount: 1500 }).catch((e: unknown) => e);
    await network.held();
    await capturing;
    // Given up on, read back (nothing yet), and still open: not FAILED.
    expect(rig.service.getSale(sale.id)).toMatchObject({ state: 'unknown', charged: 0 });
    expect(rig.service.getSale(sale.id).charges.map((c) => c.status)).toEqual(['unknown']);
    expect(await network.release()).toBe(201);
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    expect(paid.charges).toMatchObject([{ status: 'DONE', amount: 1500 }]);
    expect((await ledger(rig.sandbox)).charges).toMatchObject([{ amount: 15, status: 'DONE' }]);
  });

  it('a refund: unknown, not recorded FAILED, then followed to what DropPay did', async () => {
    const { rig, network } = await lateRig();
    const paid = await paidSale(rig, 2300);
    const chargeId = paid.charges[0]?.id ?? '';
    network.hold('POST', REFUND);
    const view = await rig.service.refund({ chargeId, amount: 1000, reason: 'Reso parziale' });
    expect(view.charges[0]?.refund).toMatchObject({ status: 'unknown', droppayId: null });
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(0);

    expect(await network.release()).toBe(201);
    const [made] = (await ledger(rig.sandbox)).refunds;
    const settled = await waitFor(
      () => {
        const refund = rig.service.getSale(paid.id).charges[0]?.refund;
        if (!refund || refund.droppayId === null) return null;
        return refund;
      },
      'the refund read back',
      10_000,
    );
    expect(settled).toMatchObject({ droppayId: made?.id, amount: 1000 });
    expect(['ENQUEUED', 'DONE', 'ACCOUNTED']).toContain(settled.status);
    expect(rig.postCount(REFUND)).toBe(1);
  });

  it('the wall clock set forward while a refund POST is on its way: still unknown, never refunded twice', async () => {
    const { rig, network } = await lateRig(1_500);
    const paid = await paidSale(rig, 1800);
    const chargeId = paid.charges[0]?.id ?? '';
    // The till has run for longer than the window: timed from this run's start instead of from
    // when it gave up on the POST, the window would be over at once.
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    network.hold('POST', REFUND);
    const view = await rig.service.refund({ chargeId, amount: 1800, reason: 'Reso' });
    expect(view.charges[0]?.refund).toMatchObject({ status: 'unknown', droppayId: null });
    // Ten minutes on the wall clock alone: on it, the refund's window would be over.
    rig.clock.jump(600);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toMatchObject({ status: 'unknown' });
    // Not written off, so the cashier cannot be offered the refund again.
    await expect(rig.service.refund({ chargeId, amount: 1800, reason: 'Reso' })).rejects.toThrow();
    expect(rig.postCount(REFUND)).toBe(1);

    expect(await network.release()).toBe(201);
    const settled = await waitFor(
      () => {
        const refund = rig.service.getSale(paid.id).charges[0]?.refund;
        return refund && refund.droppayId !== null ? refund : null;
      },
      'the refund read back',
      10_000,
    );
    expect(settled).toMatchObject({ amount: 1800 });
    expect(rig.postCount(REFUND)).toBe(1);
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(1);
  });

  it('a refund that never arrives: concluded not refunded only after the window, then asked again', async () => {
    const { rig, network } = await lateRig(1_000);
    const paid = await paidSale(rig, 1200);
    const chargeId = paid.charges[0]?.id ?? '';
    network.hold('POST', REFUND);
    const started = Date.now();
    await rig.service.refund({ chargeId, amount: 1200, reason: 'Reso' });
    await waitFor(
      () => rig.service.getSale(paid.id).charges[0]?.refund?.status === 'FAILED',
      'the refund concluded',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(0);
    const again = await rig.service.refund({ chargeId, amount: 1200, reason: 'Reso' });
    expect(again.charges[0]?.refund?.droppayId).not.toBeNull();
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(1);
  });
});
