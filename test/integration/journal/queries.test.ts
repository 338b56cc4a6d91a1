/** Read side: recovery work after a restart, the sales history, settings. */
import { parseAmountText } from '../../../shared/money';
import { describe, expect, it } from 'vitest';
import { JournalValidationError, type Journal } from '../../../electron/main/journal/index';
import { grantedSale, nextId, open, paidSale, tempPath } from './helpers';

describe('queries', () => {
  it('pendingOperations lists every intent without an outcome, after a reopen too', () => {
    const path = tempPath();
    let j = open({ path });
    const authorizing = j.createSale({ amount: 100, description: 'a' });
    j.recordAuthorizationIntent(authorizing.id);
    const lost = j.createSale({ amount: 100, description: 'b' });
    j.recordAuthorizationIntent(lost.id);
    j.recordAuthorizationUnknown(lost.id, '503');
    const charging = grantedSale(j);
    const charge = j.recordChargeIntent(charging.id, charging.amount);
    const waiting = grantedSale(j);
    const { chargeId } = paidSale(j);
    const refund = j.recordRefundIntent(chargeId, 100, 'r');
    j.createSale({ amount: 100, description: 'created only' });
    j.close();
    j = open({ path });

    const p = j.pendingOperations();
    expect(p.authorizations.map((s) => s.id)).toEqual([authorizing.id, lost.id]);
    expect(p.charges.map((c) => c.id)).toEqual([charge.id]);
    expect(p.refunds.map((r) => r.id)).toEqual([refund.id]);
    expect(p.openSales.map((s) => s.id)).toEqual([waiting.id]);

    j.recordChargeOutcome(charge.id, { status: 'unknown' });
    expect(j.pendingOperations().authorizations.map((s) => s.id)).toEqual([authorizing.id, lost.id]); // not the charge's sale
    j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR-1' });
    expect(j.pendingOperations().refunds).toEqual([]);
  });

  it('saleHasEvent answers for that sale only, as its timeline would', () => {
    const j = open();
    const waiting = (): string => {
      const sale = j.createSale({ amount: 900, description: 'Pranzo' });
      j.recordAuthorizationIntent(sale.id);
      j.recordAuthorizationCreated(sale.id, {
        authorizationId: nextId('CHT'),
        sharingUrl: 'https://dp.link/u/1',
      });
      return sale.id;
    };
    const asked = { id: waiting() };
    const other = paidSale(j).sale;
    expect(j.saleHasEvent(asked.id, 'authorization.cancel.intent')).toBe(false);
    j.recordAuthorizationCancelIntent(asked.id);
    expect(j.saleHasEvent(asked.id, 'authorization.cancel.intent')).toBe(true);
    expect(j.saleHasEvent(other.id, 'authorization.cancel.intent')).toBe(false);
    for (const id of [asked.id, other.id]) {
      for (const kind of ['sale.started', 'authorization.created', 'charge.intent'] as const) {
        expect(j.saleHasEvent(id, kind), `${id} ${kind}`).toBe(
          j.saleTimeline(id).some((e) => e.kind === kind),
        );
      }
    }
  });

  it('getSaleByAuthorization finds the one sale of an authorization, by the whole id only', () => {
    const j = open();
    const first = grantedSale(j);
    const second = grantedSale(j);
    j.createSale({ amount: 100, description: 'no authorization yet' });
    const firstAuth = first.authorizationId ?? '';
    expect(j.getSaleByAuthorization(firstAuth)?.id).toBe(first.id);
    expect(j.getSaleByAuthorization(second.authorizationId ?? '')?.id).toBe(second.id);
    // Not a text search: a prefix, a LIKE pattern or another case matches nothing.
    expect(j.getSaleByAuthorization(firstAuth.slice(0, -1))).toBeNull();
    expect(j.getSaleByAuthorization('CHT%')).toBeNull();
    expect(j.getSaleByAuthorization(firstAuth.toLowerCase())).toBeNull();
    expect(j.getSaleByAuthorization('')).toBeNull();
  });

  it('listSales filters by business day, state and text, pages newest first', () => {
    const clock = { t: Date.parse('2026-05-01T10:00:00.000Z') };
    const j = open({ now: () => new Date((clock.t += 1)) });
    const ids: string[] = [];
    for (let d = 0; d < 3; d += 1) {
      clock.t = Date.parse(`2026-05-0${d + 1}T10:00:00.000Z`);
      for (let i = 0; i < 4; i += 1)
        ids.push(j.createSale({ amount: 100, description: `giorno ${d + 1} vendita ${i}` }).id);
    }
    j.recordAuthorizationIntent(ids[5] ?? '');
    expect(j.listSales({ from: '2026-05-02', to: '2026-05-02' }).total).toBe(4);
    expect(j.listSales({ from: '2026-05-02' }).total).toBe(8);
    expect(j.listSales({ state: 'authorizing' }).sales.map((s) => s.id)).toEqual([ids[5]]);
    expect(j.listSales({ state: ['authorizing', 'created'] }).total).toBe(12);
    // Every word, in any order: the four of day 3, and the two others' sale no. 3.
    expect(j.listSales({ text: 'GIORNO 3' }).total).toBe(6);
    expect(j.listSales({ text: 'vendita 0 giorno 3' }).sales.map((s) => s.id)).toEqual([ids[8]]);
    expect(j.listSales({ text: '100%_' }).total).toBe(0); // LIKE wildcards are literal
    const page = j.listSales({ limit: 5, offset: 5 });
    expect(page).toMatchObject({ total: 12 });
    expect(page.sales.map((s) => s.id)).toEqual(ids.slice().reverse().slice(5, 10));
    expect(() => j.listSales({ from: '2026-5-1' })).toThrow(JournalValidationError);
    expect(() => j.listSales({ limit: 0 })).toThrow(JournalValidationError);
  });

  it('settings are journaled and refuse secret-like keys', () => {
    const j = open();
    j.setSetting('store_name', 'Bar Centrale');
    j.setSetting('time_zone', 'Europe/Rome');
    j.setSetting('store_name', 'Bar Centrale 2');
    expect(j.listSettings().map((s) => [s.key, s.value])).toEqual([
      ['store_name', 'Bar Centrale 2'],
      ['time_zone', 'Europe/Rome'],
    ]);
    expect(j.readEvents().filter((e) => e.kind === 'setting.changed')).toHaveLength(3);
    for (const key of ['access_token', 'connection_code', 'application_secret', 'admin_pin', 'Store']) {
      expect(() => j.setSetting(key, 'x'), key).toThrow(JournalValidationError);
    }
    expect(j.getSetting('language')).toBeNull();
    expect(j.listSettings()).toHaveLength(2);
  });
});

describe('listSales text search: case and accents folded on both sides', () => {
  /** A journal file with sales described with and without accents, % and _. */
  function shop() {
    const path = tempPath();
    const j = open({ path });
    const sell = (description: string): string => j.createSale({ amount: 100, description }).id;
    const sales = {
      macchiato: sell('caffè macchiato'),
      lungo: sell('Caffe lungo'),
      perche: sell('Perché no'),
      percent: sell('Sconto 100% sul secondo'),
      underscore: sell('Promo caffe_2x'),
      street: sell('Consegna in Hauptstraße'),
      granted: grantedSale(j), // 'Due caffè e una brioche'
    };
    const ids = (text: string): string[] =>
      j
        .listSales({ text })
        .sales.map((s) => s.id)
        .sort();
    return { path, j, sales, ids };
  }
  const sorted = (...list: string[]): string[] => list.sort();

  it('an upper-case accented query finds a lower-case accented description', () => {
    const { sales, ids } = shop();
    expect(ids('CAFFÈ MACCHIATO')).toEqual([sales.macchiato]);
    expect(ids('PERCHÉ')).toEqual([sales.perche]);
  });

  it('an unaccented query finds accented text, in any case', () => {
    const { j, sales, ids } = shop();
    expect(ids('caffe macchiato')).toEqual([sales.macchiato]);
    expect(ids('perche')).toEqual([sales.perche]);
    expect(ids('PERCHE NO')).toEqual([sales.perche]);
    // The words in another order, as a cashier remembers them.
    expect(ids('no perché')).toEqual([sales.perche]);
    expect(ids('brioche CAFFE')).toEqual([sales.granted.id]);
    expect(ids('brioche cornetto')).toEqual([]);
    expect(ids('strasse')).toEqual([sales.street]);
    expect(ids('caffe')).toEqual(sorted(sales.macchiato, sales.lungo, sales.underscore, sales.granted.id));
    expect(j.listSales({ text: 'caffe', limit: 2 }).total).toBe(4);
  });

  it('an accented query finds unaccented text', () => {
    const { sales, ids } = shop();
    expect(ids('càffé LÙNGO')).toEqual([sales.lungo]);
    expect(ids('CAFFÈ_2X')).toEqual([sales.underscore]);
    expect(ids('CAFFÈ')).toEqual(sorted(sales.macchiato, sales.lungo, sales.underscore, sales.granted.id));
  });

  it('% and _ stay literal', () => {
    const { sales, ids } = shop();
    expect(ids('%')).toEqual([sales.percent]);
    expect(ids('100%')).toEqual([sales.percent]);
    expect(ids('100%s')).toEqual([]);
    expect(ids('_')).toEqual([sales.underscore]);
    expect(ids('caffe_lungo')).toEqual([]);
    expect(ids('\\')).toEqual([]);
  });

  it('the merchant reference and authorization id are found in any case, next to the other filters', () => {
    const { j, sales, ids } = shop();
    const ref = j.getSale(sales.perche)?.merchantRef ?? '';
    expect(ids(ref)).toEqual([sales.perche]);
    expect(ids(ref.toLowerCase())).toEqual([sales.perche]);
    expect(ids(sales.granted.authorizationId?.toLowerCase() ?? '')).toEqual([sales.granted.id]);
    expect(j.listSales({ text: 'CAFFÈ', state: 'granted' }).sales.map((s) => s.id)).toEqual([
      sales.granted.id,
    ]);
    expect(j.listSales({ text: 'caffe', from: '2099-01-01' }).total).toBe(0);
    expect(j.listSales({ text: '  ' }).total).toBe(7);
  });

  it('folds on a journal reopened read-only, and on a backup (whose check prepares the same statements)', async () => {
    const { path, j, sales } = shop();
    const copy = tempPath();
    await j.backup(copy);
    j.close();
    const ro = open({ path, readOnly: true });
    expect(ro.listSales({ text: 'PERCHE' }).sales.map((s) => s.id)).toEqual([sales.perche]);
    const restored = open({ path: copy });
    expect(restored.listSales({ text: 'PERCHE' }).sales.map((s) => s.id)).toEqual([sales.perche]);
  });
});

describe('listSales text search: an amount typed as text finds the sales of that amount', () => {
  /**
   * The ids `text` finds, sorted, beside those expected plus, when the text is not an amount,
   * any whose reference or authorization id holds it by chance (their random part has digits).
   * An amount is never looked for in the references: their dates hold every number.
   */
  function finds(j: Journal, text: string, expected: string[]): void {
    const found = j
      .listSales({ text, limit: 500 })
      .sales.map((s) => s.id)
      .sort();
    const byChance = j
      .listSales({ limit: 500 })
      .sales.filter(
        (s) =>
          parseAmountText(text) === null &&
          [s.merchantRef, s.authorizationId ?? ''].some((t) => t.toLowerCase().includes(text.trim())),
      )
      .map((s) => s.id);
    expect(found, text).toEqual([...new Set([...expected, ...byChance])].sort());
  }

  function shop() {
    const j = open();
    const sell = (amount: number, description: string): string => j.createSale({ amount, description }).id;
    const sales = {
      twelveFifty: sell(1250, 'Pranzo veloce'),
      twelve: sell(1200, 'Due panini'),
      twelveFive: sell(125, 'Caramelle'),
      big: sell(123450, 'Bicicletta'),
      digits: sell(990, 'Menu 12 euro'), // the digits in its description, not its amount
      other: sell(3000, 'Scarpe'),
    };
    return { j, sales };
  }

  it('in Italian or with a point, one or two decimals, with or without the euro sign', () => {
    const { j, sales } = shop();
    for (const typed of ['12,50', '12.50', '12,5', '12.5', '€ 12,50', '12,50 €', '12,50€', ' 12,50 ']) {
      finds(j, typed, [sales.twelveFifty]);
    }
    finds(j, '1,25', [sales.twelveFive]);
    finds(j, '1.234,50', [sales.big]);
    finds(j, '1234,50', [sales.big]);
  });

  it('a whole number is that many euros, and text containing it still matches', () => {
    const { j, sales } = shop();
    finds(j, '12', [sales.twelve, sales.digits]);
    finds(j, '12,00', [sales.twelve]);
    finds(j, '30', [sales.other]);
  });

  it('an amount is not looked for in the references, whose dates hold every number (QA D1)', () => {
    const { j, sales } = shop();
    // Every reference of the day holds the date's digits: "12" and "2" are in each of December's.
    const day = (j.getSale(sales.other)?.merchantRef ?? '').slice(2, 10);
    for (const typed of ['12', '2', '20', day.slice(4, 6), day.slice(6, 8)]) {
      const amount = parseAmountText(typed) ?? -1;
      const expected = Object.entries(sales)
        .filter(([name]) => name !== 'digits' || '12 euro'.includes(typed))
        .map(([, id]) => j.getSale(id))
        .filter((sale) => sale !== null && (sale.amount === amount || sale.description.includes(typed)))
        .map((sale) => sale?.id ?? '');
      expect(
        j
          .listSales({ text: typed, limit: 500 })
          .sales.map((s) => s.id)
          .sort(),
        typed,
      ).toEqual(expected.sort());
    }
    expect(
      j
        .listSales({ text: '12', limit: 500 })
        .sales.map((s) => s.id)
        .sort(),
    ).toEqual([sales.twelve, sales.digits].sort());
    // A reference's random tail, or the whole of it, is still found.
    const ref = j.getSale(sales.other)?.merchantRef ?? '';
    expect(j.listSales({ text: ref }).sales.map((s) => s.id)).toEqual([sales.other]);
    expect(j.listSales({ text: ref.slice(-6).toLowerCase() }).sales.map((s) => s.id)).toContain(sales.other);
  });

  it('a description’s words with an amount find the sales of both ("panini 12")', () => {
    const { j, sales } = shop();
    j.createSale({ amount: 450, description: 'Panini al tavolo' });
    finds(j, 'panini 12', [sales.twelve]);
    finds(j, '12 panini', [sales.twelve]);
    finds(j, 'PANINI 12,00 €', [sales.twelve]);
    finds(j, 'due panini 12', [sales.twelve]);
    finds(j, 'panini 30', []);
    finds(j, 'scarpe 12', []);
    // Two amounts: words only (no description has both numbers).
    finds(j, '12 30', []);
  });

  it('what is not an amount is searched as text only', () => {
    const { j, sales } = shop();
    for (const typed of ['12,505', '1,999', '12 € 50', 'abc', '-12,50', '12,5.0']) finds(j, typed, []);
    finds(j, '12 euro', [sales.digits]);
    // A merchant reference is found as text, its digits never read as an amount.
    const ref = j.getSale(sales.other)?.merchantRef ?? '';
    finds(j, ref, [sales.other]);
    finds(j, ref.slice(2, 10), Object.values(sales)); // the day's digits: every sale of the day
  });

  it('next to the other filters, and counted as listed', () => {
    const { j, sales } = shop();
    expect(j.listSales({ text: '12,50', limit: 1 })).toMatchObject({ total: 1 });
    expect(j.listSales({ text: '12,50', state: 'created' }).sales.map((s) => s.id)).toEqual([
      sales.twelveFifty,
    ]);
    expect(j.listSales({ text: '12,50', state: 'cancelled' }).total).toBe(0);
    expect(j.listSales({ text: '12,50', from: '2099-01-01' }).total).toBe(0);
  });

  it('a pre-authorization captured for less is found by the amount charged, as by its own', () => {
    const j = open();
    const booked = grantedSale(j, 4500, 'BOOKED');
    const capture = j.recordChargeIntent(booked.id, 3850);
    j.recordChargeOutcome(capture.id, { status: 'DONE', droppayId: nextId('CHA') });
    const refusedSale = grantedSale(j, 6000, 'BOOKED');
    const refused = j.recordChargeIntent(refusedSale.id, 2175);
    j.recordChargeOutcome(refused.id, { status: 'FAILED' });
    const full = paidSale(j, 3850).sale;
    finds(j, '38,50', [booked.id, full.id]);
    expect(j.listSales({ text: '38,50' }).total).toBe(2);
    finds(j, '45', [booked.id]);
    finds(j, '21,75', []); // a charge that failed charged nothing
    finds(j, '60', [refusedSale.id]);
  });

  it('a sale is found by the amount refunded on it, unless that refund failed', () => {
    const j = open();
    const { sale, chargeId } = paidSale(j, 3000);
    const refund = j.recordRefundIntent(chargeId, 750, 'Taglia sbagliata');
    j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: nextId('CHR') });
    const other = paidSale(j, 4000);
    const failed = j.recordRefundIntent(other.chargeId, 1125, 'Prova');
    j.recordRefundOutcome(failed.id, { status: 'FAILED', droppayId: nextId('CHR') });
    finds(j, '7,50', [sale.id]);
    finds(j, '11,25', []); // a refund that failed gave nothing back
    finds(j, '30', [sale.id]);
  });
});

describe('listSales refunded: the sales with a refund, through the query', () => {
  it('finds the sales refunded wholly or in part, not a failed refund, next to the other filters and paged', () => {
    const j = open();
    const whole = paidSale(j, 1200);
    const all = j.recordRefundIntent(whole.chargeId, 1200, 'Rotto');
    j.recordRefundOutcome(all.id, { status: 'DONE', droppayId: nextId('CHR') });
    const part = paidSale(j, 3000);
    const some = j.recordRefundIntent(part.chargeId, 500, 'Sconto');
    j.recordRefundOutcome(some.id, { status: 'ENQUEUED', droppayId: nextId('CHR') });
    const failedOnly = paidSale(j, 800);
    const failed = j.recordRefundIntent(failedOnly.chargeId, 800, 'Prova');
    j.recordRefundOutcome(failed.id, { status: 'FAILED', droppayId: nextId('CHR') });
    const untouched = paidSale(j, 900);
    // Asked and not answered yet: the money may be on its way back, so it is listed.
    const asked = paidSale(j, 700);
    j.recordRefundIntent(asked.chargeId, 200, 'In corso');

    const ids = (query: Parameters<Journal['listSales']>[0]): string[] =>
      j.listSales(query).sales.map((s) => s.id);
    expect(ids({ refunded: true })).toEqual([asked.sale.id, part.sale.id, whole.sale.id]);
    expect(j.listSales({ refunded: true }).total).toBe(3);
    // Off, or false: every sale, as without the filter.
    expect(ids({ refunded: false })).toHaveLength(5);
    expect(ids({})).toContain(untouched.sale.id);
    expect(ids({})).toContain(failedOnly.sale.id);
    // With the text and the state, and across pages: the query filters, not one page.
    expect(ids({ refunded: true, text: '30,00' })).toEqual([part.sale.id]);
    expect(ids({ refunded: true, state: 'paid' })).toHaveLength(3);
    const first = j.listSales({ refunded: true, limit: 2 });
    const second = j.listSales({ refunded: true, limit: 2, offset: 2 });
    expect(first.total).toBe(3);
    expect([...first.sales, ...second.sales].map((s) => s.id)).toEqual([
      asked.sale.id,
      part.sale.id,
      whole.sale.id,
    ]);
  });
});
