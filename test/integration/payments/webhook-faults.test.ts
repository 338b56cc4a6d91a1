/**
 * DropPay's events as a real network delivers them: each one twice, and held back to arrive late
 * and newest first (the sandbox's /_sim/webhooks switch). The real sandbox sends them over HTTP
 * to the real receiver, which hints the real payments service on a real journal file. The sale's
 * own poll is a minute unless a test says otherwise, so what ends within seconds ended because
 * an event arrived. Every test first proves from the sandbox's own record, and from the hints
 * the receiver passed on, that the events really were duplicated or reordered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type RunningWebhookReceiver } from '../../../electron/main/payments/index';
import type { PaymentsService } from '../../../electron/main/payments/index';
import type { SaleView, StartSaleInput } from '../../../shared/sales';
import {
  advance,
  CHARGEABLE_HISTORY,
  grant,
  ledger,
  openRig,
  sim,
  waitFor,
  waitForState,
  type Rig,
} from './harness';

const receivers: RunningWebhookReceiver[] = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
});

const SLOW_POLL = { pollIntervalMs: 60_000, resolveIntervalMs: 60_000 } as const;

/** What the receiver passed on to the service, in order of arrival. */
interface Hints {
  authorizations: string[];
  refunds: string[];
}

/** A rig whose authorizations ask the sandbox to send their events to a receiver of its own. */
async function hintedRig(options: Parameters<typeof openRig>[0] = {}): Promise<{ rig: Rig; hints: Hints }> {
  const hints: Hints = { authorizations: [], refunds: [] };
  let service: PaymentsService | null = null;
  const receiver = await startWebhookReceiver({
    onAuthorization: (id) => {
      hints.authorizations.push(id);
      return service?.notify(id) ?? false;
    },
    onRefund: (id) => {
      hints.refunds.push(id);
      return service?.notifyRefund(id) ?? false;
    },
  });
  receivers.push(receiver);
  const rig = await openRig({ ...SLOW_POLL, webhookUrl: receiver.url, ...options });
  service = rig.service;
  return { rig, hints };
}

/** The sandbox's delivery switch and its record, as GET /_sim/webhooks/faults shows them. */
interface Delivery {
  etype: string;
  id: string | null;
  status: string | null;
  attempt: number;
  answer: number;
}
interface DeliveryState {
  duplicate: number;
  hold: boolean;
  held: { etype: string; authorization_id: string; id: string | null; status: string | null }[];
  deliveries: Delivery[];
}

const misdeliver = (rig: Rig, body: { duplicate?: number; hold?: boolean }) =>
  sim(rig.sandbox, 'POST', '/_sim/webhooks/faults', body) as Promise<DeliveryState>;
const deliveryState = (rig: Rig) =>
  sim(rig.sandbox, 'GET', '/_sim/webhooks/faults') as Promise<DeliveryState>;
const release = (rig: Rig, body: { order?: 'reverse' | 'original'; authorization_id?: string } = {}) =>
  sim(rig.sandbox, 'POST', '/_sim/webhooks/release', body) as Promise<{ released: number; order: string }>;

/** `authorization:GRANTED`, `charge:DONE`, `refund:ENQUEUED`: an event as the receiver saw it. */
const label = (d: { etype: string; status: string | null }): string =>
  `${d.etype.split('.')[1] ?? d.etype}:${d.status ?? '?'}`;

/**
 * A sale approved by the payer with every event held back by the sandbox, to be sent twice
 * once released: none has reached the receiver yet.
 */
async function heldSale(
  input: StartSaleInput,
  options: Parameters<typeof openRig>[0] = {},
): Promise<{ rig: Rig; hints: Hints; sale: SaleView; authorizationId: string }> {
  const { rig, hints } = await hintedRig(options);
  await misdeliver(rig, { duplicate: 2, hold: true });
  const sale = await rig.service.startSale(input);
  const authorizationId = sale.authorizationId ?? '';
  await grant(rig, authorizationId);
  return { rig, hints, sale, authorizationId };
}

/** Gives whatever the last hints set going (a read back, a record) time to happen. */
const quiet = () => new Promise((r) => setTimeout(r, 250));

/**
 * Waits until the sandbox has had answers to `count` deliveries, and checks that no more come;
 * returns them, oldest first.
 */
async function deliveries(rig: Rig, count: number): Promise<Delivery[]> {
  await waitFor(
    async () => (await deliveryState(rig)).deliveries.length >= count,
    `${count} deliveries at the receiver`,
    4_000,
  );
  await quiet();
  const { deliveries: all } = await deliveryState(rig);
  expect(all.map(label), 'deliveries').toHaveLength(count);
  // Every one was taken at the first attempt: none is a retry after a refusal.
  expect(all.map((d) => [d.attempt, d.answer])).toEqual(all.map(() => [1, 204]));
  return all;
}

const SALE_ORDER = ['created', 'authorizing', 'waiting', 'granted', 'charging', 'paid'];
const AUTHORIZATION_ORDER = ['WAITING', 'GRANTED', 'EXPIRED'];
const REFUND_ORDER = ['ENQUEUED', 'DONE', 'ACCOUNTED'];
/** DropPay charged at the approval: the till finds the charge, then the authorization used up. */
const CHARGED_HISTORY = [
  'sale.started',
  'authorization.create.intent',
  'authorization.created',
  'charge.observed',
  'authorization.status',
];

/**
 * Each value is past the one before it in `order` (or at it, when `repeats` are allowed: a
 * sale's state shows on every step of its history).
 */
function expectForward(
  values: readonly string[],
  order: readonly string[],
  what: string,
  repeats = false,
): void {
  const ranks = values.map((v) => order.indexOf(v));
  const forward = ranks.every(
    (r, i) => r >= 0 && (i === 0 || r > (ranks[i - 1] ?? 0) || (repeats && r === ranks[i - 1])),
  );
  expect(forward, `${what}: ${values.join(' → ')}`).toBe(true);
}

/**
 * The sale is paid by exactly one charge, at DropPay and in the journal, and neither its
 * updates on screen nor its history in the journal ever go backwards. `chargePosts` is how many
 * charges the till POSTed in the whole test (none for a CHARGED sale, which DropPay charges).
 */
async function expectPaidOnce(rig: Rig, sale: SaleView, chargePosts: number): Promise<void> {
  const after = rig.service.getSale(sale.id);
  expect(after).toMatchObject({ state: 'paid', charged: sale.amount });
  expect(after.charges).toMatchObject([{ amount: sale.amount }]);
  expect(['DONE', 'ACCOUNTED']).toContain(after.charges[0]?.status);

  const atDropPay = (await ledger(rig.sandbox)).charges.filter(
    (c) => c.authorization_id === sale.authorizationId,
  );
  expect(atDropPay).toHaveLength(1);
  expect(after.charges[0]?.droppayId).toBe(atDropPay[0]?.id);
  expect(rig.postCount('/shop/v1/pos/charge')).toBe(chargePosts);

  expect(rig.journal.getSaleDetail(sale.id)?.charges).toHaveLength(1);
  const history = rig.service.timeline(sale.id);
  const intents = sale.policy === 'CHARGED' ? 0 : 1;
  expect(history.filter((e) => e.kind === 'charge.intent')).toHaveLength(intents);

  // Recorded once each, as with events delivered once and in order.
  expect(history.map((e) => e.kind).filter((k) => !k.startsWith('refund.'))).toEqual(
    sale.policy === 'CHARGED' ? CHARGED_HISTORY : CHARGEABLE_HISTORY,
  );
  expectForward(rig.statesOf(sale.id), SALE_ORDER, 'the sale on screen');
  expectForward(
    history.flatMap((e) => (e.saleState === null ? [] : [e.saleState])),
    SALE_ORDER,
    'the sale in the journal',
    true,
  );
  expectForward(
    history.flatMap((e) => (e.kind.startsWith('authorization.') && e.status !== null ? [e.status] : [])),
    AUTHORIZATION_ORDER,
    'the authorization in the journal',
  );
}

describe('events delivered twice and out of order', () => {
  it('every event twice: the sale is charged once, at once, and ends paid', async () => {
    const { rig, hints } = await hintedRig();
    await misdeliver(rig, { duplicate: 2 });
    const sale = await rig.service.startSale({ amount: 1890, description: 'Pizza margherita' });
    const authorizationId = sale.authorizationId ?? '';
    await grant(rig, authorizationId);
    await waitForState(rig, sale.id, 'paid', 3_000);

    // The grant, the charge and the authorization's expiry (its one charge used up): each twice.
    // Copies of different events race each other, so only what arrived is certain, not the order.
    const sent = (await deliveries(rig, 6)).map(label);
    expect(sent.sort()).toEqual([
      'authorization:EXPIRED',
      'authorization:EXPIRED',
      'authorization:GRANTED',
      'authorization:GRANTED',
      'charge:DONE',
      'charge:DONE',
    ]);
    expect(hints.authorizations).toEqual(Array.from({ length: 6 }, () => authorizationId));
    await quiet();
    await expectPaidOnce(rig, sale, 1);
  });

  it('held back and sent newest first after the sale is paid: the stale grant changes nothing', async () => {
    // Polled quickly, so the till learns of the approval with every event still held.
    const { rig, hints, sale, authorizationId } = await heldSale(
      { amount: 1250, description: 'Due caffè e una brioche' },
      { pollIntervalMs: 30 },
    );
    await waitForState(rig, sale.id, 'paid', 3_000);
    const held = await deliveryState(rig);
    // The charge used the authorization up: it expired in the same step, just before the charge.
    expect(held.held.map(label)).toEqual(['authorization:GRANTED', 'authorization:EXPIRED', 'charge:DONE']);
    expect(held.held.every((e) => e.authorization_id === authorizationId)).toBe(true);
    expect(held.deliveries).toEqual([]);
    expect(hints.authorizations).toEqual([]);

    expect(await release(rig)).toEqual({ released: 3, order: 'reverse' });
    // The WAITING → GRANTED update arrives last, after the charge's, to a sale long paid.
    const sent = (await deliveries(rig, 6)).map(label);
    expect(sent).toEqual([
      'charge:DONE',
      'charge:DONE',
      'authorization:EXPIRED',
      'authorization:EXPIRED',
      'authorization:GRANTED',
      'authorization:GRANTED',
    ]);
    expect(hints.authorizations).toEqual(Array.from({ length: 6 }, () => authorizationId));
    expect((await deliveryState(rig)).held).toEqual([]);
    await quiet();
    await expectPaidOnce(rig, sale, 1);
  });

  it('a CHARGED sale known only from late, doubled events: paid once, never expired first', async () => {
    const { rig, hints, sale, authorizationId } = await heldSale({
      amount: 2400,
      description: 'Biglietti',
      policy: 'CHARGED',
    });
    // DropPay charged at the approval; the till, polling once a minute, has heard nothing yet.
    const held = await deliveryState(rig);
    expect(held.held.map(label)).toEqual(['authorization:EXPIRED', 'charge:DONE', 'authorization:EXPIRED']);
    await quiet();
    expect(rig.service.getSale(sale.id).state).toBe('waiting');

    // Sent newest first (the three read the same either way): the till is paid by events alone.
    await release(rig);
    await waitForState(rig, sale.id, 'paid', 3_000);
    const sent = await deliveries(rig, 6);
    expect(sent.map(label)).toEqual([
      'authorization:EXPIRED',
      'authorization:EXPIRED',
      'charge:DONE',
      'charge:DONE',
      'authorization:EXPIRED',
      'authorization:EXPIRED',
    ]);
    expect(hints.authorizations).toEqual(Array.from({ length: 6 }, () => authorizationId));
    await quiet();
    await expectPaidOnce(rig, sale, 0);
    expect(rig.service.getSale(sale.id).charges).toMatchObject([{ origin: 'droppay' }]);
    expect(rig.statesOf(sale.id)).not.toContain('expired');
  });

  it('one sale’s events held back while another’s are sent: each paid once, by its own', async () => {
    const { rig, hints } = await hintedRig();
    await misdeliver(rig, { hold: true });
    const early = await rig.service.startSale({ amount: 320, description: 'Cappuccino' });
    await grant(rig, early.authorizationId ?? '');
    expect(await release(rig, { authorization_id: early.authorizationId ?? '' })).toMatchObject({
      released: 1,
    });
    await waitForState(rig, early.id, 'paid', 3_000);
    // One sale at a time at the customer: the next one starts once the first is paid.
    const late = await rig.service.startSale({ amount: 700, description: 'Birra' });
    await grant(rig, late.authorizationId ?? '');
    const ofSale = (sale: SaleView) => (e: { authorization_id: string }) =>
      e.authorization_id === sale.authorizationId;
    // The early sale's charge raised events of its own, held like the late sale's grant.
    const held = (await deliveryState(rig)).held;
    const earlyHeld = held.filter(ofSale(early));
    expect(earlyHeld.length).toBeGreaterThan(0);
    expect(held.filter(ofSale(late)).map(label)).toEqual(['authorization:GRANTED']);

    // Releasing the early sale's events leaves the late one's held: it stays waiting.
    expect(await release(rig, { authorization_id: early.authorizationId ?? '' })).toMatchObject({
      released: earlyHeld.length,
    });
    await deliveries(rig, 1 + earlyHeld.length);
    expect((await deliveryState(rig)).held.map(label)).toEqual(['authorization:GRANTED']);
    expect(rig.service.getSale(late.id).state).toBe('waiting');

    // Turned off, the switch holds nothing more, and what it held is sent as it was raised.
    await misdeliver(rig, {});
    expect(await release(rig, { order: 'original' })).toMatchObject({ released: 1 });
    await waitForState(rig, late.id, 'paid', 3_000);
    // The late grant, then the late sale's charge and expiry, sent at once.
    await deliveries(rig, 1 + earlyHeld.length + 1 + 2);
    expect(new Set(hints.authorizations)).toEqual(new Set([late.authorizationId, early.authorizationId]));
    await quiet();
    await expectPaidOnce(rig, late, 2);
    await expectPaidOnce(rig, early, 2);
    expect((await ledger(rig.sandbox)).charges).toHaveLength(2);
  });

  it('a refund’s events twice, late and newest first: recorded once, ends ACCOUNTED', async () => {
    const { rig, hints } = await hintedRig();
    await misdeliver(rig, { duplicate: 2 });
    const started = await rig.service.startSale({ amount: 1500, description: 'Maglione' });
    await grant(rig, started.authorizationId ?? '');
    const paid = await waitForState(rig, started.id, 'paid', 3_000);
    await deliveries(rig, 6);

    await misdeliver(rig, { duplicate: 2, hold: true });
    const after = await rig.service.refund({
      chargeId: paid.charges[0]?.id ?? '',
      amount: 500,
      reason: 'Taglia',
    });
    const refundId = after.charges[0]?.refund?.droppayId ?? '';
    expect(after.charges[0]?.refund).toMatchObject({ status: 'ENQUEUED' });
    // DropPay settles the refund, then books it and the charge; the till hears none of it yet.
    await advance(rig.sandbox, 3);
    await advance(rig.sandbox, 61);
    const held = await deliveryState(rig);
    expect(held.held.map(label)).toEqual([
      'refund:ENQUEUED',
      'refund:DONE',
      'charge:ACCOUNTED',
      'refund:ACCOUNTED',
    ]);
    await quiet();
    expect(rig.service.getSale(paid.id).charges[0]?.refund?.status).toBe('ENQUEUED');

    await release(rig);
    const sent = (await deliveries(rig, 6 + 8)).slice(6).map(label);
    expect(sent).toEqual([
      'refund:ACCOUNTED',
      'refund:ACCOUNTED',
      'charge:ACCOUNTED',
      'charge:ACCOUNTED',
      'refund:DONE',
      'refund:DONE',
      'refund:ENQUEUED',
      'refund:ENQUEUED',
    ]);
    expect(hints.refunds).toEqual(Array.from({ length: 6 }, () => refundId));
    await waitFor(
      () => rig.service.getSale(paid.id).charges[0]?.refund?.status === 'ACCOUNTED',
      'the refund ACCOUNTED on the till',
      3_000,
    );
    await quiet();

    const sale = rig.service.getSale(paid.id);
    expect(sale).toMatchObject({ state: 'paid', charged: 1500, refunded: 500 });
    expect(sale.charges[0]?.refund).toMatchObject({ status: 'ACCOUNTED', amount: 500, droppayId: refundId });
    expect((await ledger(rig.sandbox)).refunds).toMatchObject([{ id: refundId, status: 'ACCOUNTED' }]);
    expect(rig.postCount('/shop/v1/pos/refund')).toBe(1);
    expect(rig.journal.getSaleDetail(paid.id)?.refunds).toHaveLength(1);
    const history = rig.service.timeline(paid.id);
    expect(history.filter((e) => e.kind === 'refund.intent')).toHaveLength(1);
    expectForward(
      history.flatMap((e) => (e.kind === 'refund.status' && e.status !== null ? [e.status] : [])),
      REFUND_ORDER,
      'the refund in the journal',
    );
    await expectPaidOnce(rig, paid, 1);
  });
});

describe('the sandbox’s delivery switch', () => {
  it('checks what it is given, and /_sim/reset turns it off and drops what it held', async () => {
    const { rig, hints } = await hintedRig();
    await expect(misdeliver(rig, { duplicate: 11 })).rejects.toThrow(/400/);
    await expect(misdeliver(rig, { hold: 'yes' as unknown as boolean })).rejects.toThrow(/400/);
    await expect(release(rig, { order: 'sideways' as 'reverse' })).rejects.toThrow(/400/);

    await misdeliver(rig, { duplicate: 3, hold: true });
    const sale = await rig.service.startSale({ amount: 500, description: 'Gelato' });
    await grant(rig, sale.authorizationId ?? '');
    expect((await deliveryState(rig)).held).toHaveLength(1);
    await sim(rig.sandbox, 'POST', '/_sim/reset');
    expect(await deliveryState(rig)).toEqual({
      duplicate: 1,
      hold: false,
      held: [],
      held_dropped: 0,
      deliveries: [],
    });
    expect(await release(rig)).toMatchObject({ released: 0 });
    await quiet();
    expect(hints.authorizations).toEqual([]);
  });
});
