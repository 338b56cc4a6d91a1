/** Read side: recovery work after a restart, the sales history, settings. */
import { describe, expect, it } from 'vitest';
import { JournalValidationError } from '../../../electron/main/journal/index';
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
    expect(j.listSales({ text: 'GIORNO 3' }).total).toBe(4);
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
