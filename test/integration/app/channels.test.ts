import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../../shared/ipc/channel-names';
import type { DisplayState } from '../../../shared/display';
import type { SaleView } from '../../../shared/sales';
import { eventually, grant, startApp, type TestApp } from './harness';

// Every channel of the contract through `dispatch` against the real runtime: the embedded
// sandbox over HTTP, real journal files, the real keychain. Outputs are checked against the
// contract's output schemas by the harness, events against the event schemas.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
  await app.value('settings:update', { pollIntervalMs: 250 });
});
afterAll(() => app.close());

const sandboxUrl = (): string => app.runtime.sandbox?.baseUrl ?? 'no sandbox';
const displayStates = (): DisplayState[] =>
  app.events.filter((e) => e.event === 'display').map((e) => e.payload as DisplayState);
const saleUpdate = (id: string, state: SaleView['state']): SaleView | undefined =>
  app.events
    .map((e) => (e.event === 'sale' ? (e.payload as { type: string; sale?: SaleView }) : null))
    .find((p) => p?.type === 'sale.updated' && p.sale?.id === id && p.sale.state === state)?.sale;

async function paidSale(amount: number, description: string): Promise<SaleView> {
  const started = await app.value('sale:start', { amount, description });
  expect(started.state).toBe('waiting');
  await grant(sandboxUrl(), started.authorizationId ?? '');
  return eventually(() => saleUpdate(started.id, 'paid'));
}

describe('every channel through dispatch, on the real runtime', () => {
  it('app:status and app:check-connection report the sandbox merchant', async () => {
    const checked = await app.value('app:check-connection');
    expect(checked).toMatchObject({
      environment: 'sandbox',
      connection: 'connected',
      merchantName: 'Bar Sandbox',
    });
    expect(checked.posId).toBe(app.runtime.sandbox?.credentials.posId);
    expect(await app.value('app:status')).toEqual(checked);
  });

  it('settings:list-displays gives the one virtual display of browser mode', async () => {
    expect(await app.value('settings:list-displays')).toEqual([
      { id: 0, label: 'Browser', primary: true, width: 1920, height: 1080 },
    ]);
  });

  it('a sale: start → QR on the customer display → payer approves → paid on the display', async () => {
    const started = await app.value('sale:start', { amount: 1250, description: 'Caffè e cornetto' });
    expect(started).toMatchObject({ amount: 1250, state: 'waiting', policy: 'CHARGEABLE' });
    expect(started.sharingUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\//);
    const pay = await eventually(() =>
      displayStates().find((s) => s.mode === 'pay' && s.saleId === started.id),
    );
    expect(pay).toMatchObject({
      amount: 1250,
      description: 'Caffè e cornetto',
      sharingUrl: started.sharingUrl,
    });
    expect(await app.value('display:state')).toMatchObject({ mode: 'pay', saleId: started.id });

    await grant(sandboxUrl(), started.authorizationId ?? '');
    const paid = await eventually(() => saleUpdate(started.id, 'paid'));
    expect(paid.charged).toBe(1250);
    await eventually(() =>
      displayStates().find((s) => s.mode === 'result' && s.saleId === started.id && s.outcome === 'approved'),
    );
    expect(await app.value('sale:get', { saleId: started.id })).toMatchObject({
      state: 'paid',
      charged: 1250,
    });
  });

  it('sale:list, sale:timeline, payments:pending and payments:recheck read the journal', async () => {
    const list = await app.value('sale:list', { state: 'paid' });
    expect(list.total).toBeGreaterThanOrEqual(1);
    const sale = list.sales[0];
    expect(sale?.state).toBe('paid');
    const timeline = await app.value('sale:timeline', { saleId: sale?.id ?? '' });
    expect(timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['sale.started', 'charge.done']));
    expect(await app.value('payments:pending')).toEqual({ count: 0, items: [] });
    // "Check now" with nothing in doubt: a pass that finds nothing, reported as a recovery event.
    const before = app.events.length;
    expect(await app.value('payments:recheck')).toEqual({ count: 0, items: [] });
    expect(
      app.events
        .slice(before)
        .some((e) => e.event === 'sale' && (e.payload as { type: string }).type === 'recovery'),
    ).toBe(true);
  });

  it('refund:create refunds part of a paid charge', async () => {
    const sale = await paidSale(800, 'Pizza');
    const charge = sale.charges[0];
    const refunded = await app.value('refund:create', {
      chargeId: charge?.id ?? '',
      amount: 300,
      reason: 'Resto',
    });
    expect(refunded.charges[0]?.refund).toMatchObject({ amount: 300, reason: 'Resto' });
    // The history's "Refunded": the core lists it, and only sales with a refund.
    const withRefund = await app.value('sale:list', { refunded: true });
    expect(withRefund.sales.map((s) => s.id)).toContain(sale.id);
    expect(
      withRefund.sales.every((s) => s.charges.some((c) => c.refund && c.refund.status !== 'FAILED')),
    ).toBe(true);
    expect(withRefund.total).toBeLessThan((await app.value('sale:list', {})).total);
    // A refund on an old sale never disturbs the customer display.
    expect(displayStates().filter((s) => s.mode === 'result' && s.saleId === sale.id)).toHaveLength(1);
  });

  it('sale:cancel cancels a waiting sale and the display says so', async () => {
    const started = await app.value('sale:start', { amount: 450, description: 'Gelato' });
    const cancelled = await app.value('sale:cancel', { saleId: started.id });
    expect(cancelled.state).toBe('cancelled');
    await eventually(() =>
      displayStates().find(
        (s) => s.mode === 'result' && s.saleId === started.id && s.outcome === 'cancelled',
      ),
    );
  });

  it('sale:capture takes part of a BOOKED pre-authorization', async () => {
    const started = await app.value('sale:start', {
      amount: 5000,
      description: 'Cauzione',
      policy: 'BOOKED',
    });
    await grant(sandboxUrl(), started.authorizationId ?? '');
    await eventually(() => saleUpdate(started.id, 'granted'));
    const captured = await app.value('sale:capture', { saleId: started.id, amount: 3200 });
    expect(captured).toMatchObject({ state: 'paid', charged: 3200 });
  });

  it('sale:retry-charge charges a refused charge again on the same approval, once', async () => {
    const armed = await fetch(`${sandboxUrl()}/_sim/charge/next-fails`, { method: 'POST' });
    expect(armed.ok).toBe(true);
    const started = await app.value('sale:start', { amount: 990, description: 'Portafoglio vuoto' });
    await grant(sandboxUrl(), started.authorizationId ?? '');
    const failed = await eventually(() => saleUpdate(started.id, 'failed'));
    expect(failed).toMatchObject({ authorizationStatus: 'GRANTED', charged: 0 });
    const paid = await app.value('sale:retry-charge', { saleId: started.id });
    expect(paid).toMatchObject({ state: 'paid', charged: 990 });
    expect(paid.charges.map((c) => c.status).sort()).toEqual(['DONE', 'FAILED']);
    const again = await app.call('sale:retry-charge', { saleId: started.id });
    expect(again.ok ? 'charged twice' : again.error.code).toBe('INVALID_STATE');
  });

  it('answers unknown ids with NOT_FOUND', async () => {
    for (const channel of ['sale:get', 'sale:timeline', 'sale:cancel', 'sale:retry-charge'] as const) {
      const r = await app.call(channel, { saleId: 'no-such-sale' });
      expect(r.ok ? 'ok' : r.error, channel).toMatchObject({
        code: 'NOT_FOUND',
        detail: { key: 'sale.notFound', params: { id: 'no-such-sale' } },
      });
    }
  });
});

describe('refund and PIN refusals arrive through dispatch with codes of their own', () => {
  const codeOf = (r: { ok: boolean; error?: { code: string } }): string =>
    r.ok ? 'ok' : (r.error?.code ?? '?');

  it('a second refund of the same charge is ALREADY_REFUNDED; one above the charge REFUND_TOO_LARGE', async () => {
    const sale = await paidSale(600, 'Tramezzino');
    const chargeId = sale.charges[0]?.id ?? '';
    const tooMuch = await app.call('refund:create', { chargeId, amount: 601, reason: 'Troppo' });
    expect(tooMuch).toEqual({
      ok: false,
      error: {
        code: 'REFUND_TOO_LARGE',
        message: 'The refund (6.01 €) is above the charge (6.00 €).',
        // What the renderer words in the cashier's language, with the amounts in cents.
        detail: { key: 'refund.tooLarge', params: { amountCents: 601, maxCents: 600 } },
      },
    });
    expect(codeOf(await app.call('refund:create', { chargeId, amount: 200, reason: 'Primo' }))).toBe('ok');
    const second = await app.call('refund:create', { chargeId, amount: 100, reason: 'Secondo' });
    expect(codeOf(second)).toBe('ALREADY_REFUNDED');
    expect(second.ok ? '' : second.error.message).toMatch(/one refund per charge/);
    const already = second.ok ? undefined : second.error.detail;
    expect(already?.key).toBe('refund.already');
    expect(['ENQUEUED', 'DONE']).toContain(already?.params?.status);
    const refunds = (await app.value('sale:get', { saleId: sale.id })).charges.map((c) => c.refund?.amount);
    expect(refunds).toEqual([200]);
  });

  it('DropPay refusing a refund made elsewhere is ALREADY_REFUNDED too, not DROPPAY_REJECTED', async () => {
    const sale = await paidSale(700, 'Insalata');
    const charge = sale.charges[0];
    await app.runtime.client.refunds.create({
      chargeId: charge?.droppayId ?? '',
      amount: 100,
      reason: 'Da un’altra cassa',
    });
    const refused = await app.call('refund:create', {
      chargeId: charge?.id ?? '',
      amount: 300,
      reason: 'Reso',
    });
    expect(codeOf(refused)).toBe('ALREADY_REFUNDED');
    // DropPay's refusal: its kind for the renderer to word, DropPay's own description beside it.
    expect(refused.ok ? null : refused.error.detail).toEqual({
      key: 'droppay.ALREADY_REFUNDED',
      params: { droppay: expect.stringMatching(/already has a refund/) },
    });
  });

  it('with a manager PIN: none is PIN_REQUIRED, a wrong one PIN_WRONG, the fifth in a row PIN_LOCKED', async () => {
    const PIN = '31415926';
    await app.value('settings:set-manager-pin', { pin: PIN });
    try {
      const sale = await paidSale(500, 'Spremuta');
      const refund = { chargeId: sale.charges[0]?.id ?? '', amount: 500, reason: 'Reso' };
      expect(codeOf(await app.call('refund:create', refund))).toBe('PIN_REQUIRED');
      for (let i = 0; i < 4; i += 1) {
        expect(
          codeOf(await app.call('refund:create', { ...refund, managerPin: '2718' })),
          `try ${i + 1}`,
        ).toBe('PIN_WRONG');
      }
      // The fifth wrong one is answered with the lock it starts.
      expect(codeOf(await app.call('refund:create', { ...refund, managerPin: '2718' }))).toBe('PIN_LOCKED');
      // Locked now, even for the right PIN; the message says how long to wait.
      const locked = await app.call('refund:create', { ...refund, managerPin: PIN });
      expect(codeOf(locked)).toBe('PIN_LOCKED');
      expect(locked.ok ? '' : locked.error.message).toMatch(/wait \d+ s/);
      const lockedDetail = locked.ok ? undefined : locked.error.detail;
      expect(lockedDetail?.key).toBe('pin.locked');
      expect(lockedDetail?.params?.seconds).toBeGreaterThan(0);
      // Nothing was refunded by any of these.
      expect((await app.value('sale:get', { saleId: sale.id })).charges[0]?.refund).toBeNull();
      // The lock is the PIN's, not the refund screen's: changing the PIN waits too.
      const change = await app.call('settings:set-manager-pin', { pin: null, currentPin: PIN });
      expect(codeOf(change)).toBe('PIN_LOCKED');
      expect(change.ok ? undefined : change.error.detail?.key).toBe('pin.locked');
    } finally {
      // Nobody can remove a locked PIN through the app for 30 s: the test removes its file.
      rmSync(join(app.dataDir, 'manager-pin.json'), { force: true });
    }
  });
});

describe('invalid input is VALIDATION on every channel, before any handler runs', () => {
  const invalid: Record<(typeof CHANNEL_NAMES)[number], unknown[]> = {
    'app:status': [{ x: 1 }, 'status'],
    'app:check-connection': [{}],
    'settings:get': [[]],
    'settings:update': [
      { pollIntervalMs: 5 },
      { language: 'de' },
      { customBaseUrl: 'ftp://x' },
      // The secrets would travel in clear, or the API paths would land in a query or fragment.
      { customBaseUrl: 'http://pay.example' },
      { customBaseUrl: 'https://user:pass@pay.example' },
      { customBaseUrl: 'https://pay.example/?x=1' },
      { customBaseUrl: 'https://pay.example/#api' },
      { storeName: '' },
      null,
    ],
    'settings:set-credentials': [{ posId: 'not a pos' }, { applicationSecret: '' }, 'secret'],
    'settings:set-manager-pin': [{ pin: '12' }, { pin: 'abcd' }, {}],
    'settings:unlock': [{}, { pin: '' }, { pin: '123456789' }, { pin: 1234 }, { pin: '1234', extra: 1 }],
    'settings:lock': [{ pin: '1234' }],
    'settings:list-displays': [{ all: true }],
    'connection:start': [{ webhooks: 'x' }, 'start'],
    'connection:status': [{ id: 'CON1' }],
    'connection:cancel': [[]],
    'sale:start': [
      { amount: 0, description: 'x' },
      { amount: 1.5, description: 'x' },
      { amount: 100, description: ' ' },
      { amount: 100, description: 'x', policy: 'FREE' },
      { amount: 100 },
    ],
    'sale:cancel': [{ saleId: '' }, {}],
    'sale:capture': [{ saleId: 's', amount: -1 }, { saleId: 's' }],
    'sale:retry-charge': [{ saleId: '' }, { id: 's' }, 's'],
    'sale:get': [{ saleId: 'x'.repeat(65) }, undefined],
    'sale:current': [{}, 'current'],
    'sale:list': [{ limit: 0 }, { from: '4 May' }, { state: 'lost' }, { refunded: 'yes' }],
    'sale:timeline': [{ id: 's' }],
    'refund:create': [
      { chargeId: 'c', amount: 1, reason: 'r', managerPin: '1' },
      { chargeId: 'c', amount: 0, reason: 'r' },
    ],
    'payments:pending': [{ all: true }],
    'payments:recheck': [{ now: true }],
    'backup:status': [{ folder: '/tmp' }],
    'backup:now': [{ now: true }],
    'backup:set-folder': [{ folder: '' }, {}, { folder: 'x'.repeat(501) }, { folder: 'relative/folder' }],
    'display:state': [{ mode: 'pay' }],
    'display:language': [
      { language: 'de' },
      {},
      'en',
      { language: 'EN' },
      { sameCustomerAs: '' },
      { language: 'en', sameCustomerAs: 's1' },
    ],
    'day:report': [{ day: '22/11/2026' }, { verify: 'some' }, 'today'],
    'day:check': [{}, { day: '2026-11-22', recheck: 'yes' }],
    'day:close': [
      { day: '2026-11-22', forceReason: '   ' },
      { day: '2026-11-22', forceReason: 'x'.repeat(1001) },
    ],
    'day:export': [
      { day: '2026-11-22', format: 'xlsx', lang: 'it' },
      { day: '2026-11-22', format: 'csv', lang: 'de' },
      { format: 'pdf', lang: 'it' },
    ],
    'day:closures': [{ limit: 5 }],
    'day:export-closures': [{ format: 'pdf', lang: 'it' }, { format: 'csv' }, { format: 'csv', lang: 'de' }],
  };

  it.each(Object.entries(invalid))('%s', async (channel, inputs) => {
    for (const input of inputs) {
      const r = await app.call(channel as (typeof CHANNEL_NAMES)[number], input);
      expect(r.ok ? 'ok' : r.error.code, JSON.stringify(input)).toBe('VALIDATION');
      // Each refusal has a detail the renderer words in the cashier's language.
      expect(r.ok ? null : r.error.detail?.key, JSON.stringify(input)).toMatch(
        /^(input\.invalid|day\.|backup\.)/,
      );
    }
  });

  it('covers every channel', () => {
    expect(Object.keys(invalid).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('refuses an unknown channel', async () => {
    const r = await app.call('app:format-disk' as 'app:status');
    expect(r).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'Unknown request.', detail: { key: 'request.unknown' } },
    });
  });
});

describe('start-up', () => {
  it('a Charge pressed as the till starts waits for the recovery pass instead of being refused', async () => {
    const fresh = await startApp();
    try {
      const started = await fresh.call('sale:start', { amount: 100, description: 'Subito' });
      expect(started.ok ? started.value.state : started.error).toBe('waiting');
    } finally {
      await fresh.close();
    }
  });
});
