import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayCheckProgress } from '../../../shared/day';
import type { SaleView } from '../../../shared/sales';
import type { AppStatus } from '../../../shared/ipc/contract';
import { pdfText } from '../reconciliation/pdf-text';
import { eventually, grant, startApp, type TestApp } from './harness';

// The end-of-day channels on the real runtime: the embedded sandbox over HTTP, the real journal
// file, the real keychain. The reconciliation rules themselves are tested in
// test/integration/reconciliation; here: what the cashier app gets through the contract.

let app: TestApp;
beforeAll(async () => {
  // The till's slow look at the held pre-authorization (every 5 s) put off: the check is what
  // finds the capture made outside the till, not a look that happens to come just before it.
  app = await startApp({ daySettleAfterMs: 0, resolveIntervalMs: 10 * 60_000 });
  await app.runtime.ready();
  await app.value('settings:update', { pollIntervalMs: 250 });
});
afterAll(() => app.close());

const sandboxUrl = (): string => app.runtime.sandbox?.baseUrl ?? 'no sandbox';
const progress = (): DayCheckProgress[] =>
  app.events.filter((e) => e.event === 'day').map((e) => e.payload as DayCheckProgress);

/** Waits until `check` resolves to something other than undefined. */
async function waitForState(id: string, state: SaleView['state']): Promise<SaleView> {
  return eventually(async () => {
    const sale = await app.value('sale:get', { saleId: id });
    return sale.state === state ? sale : undefined;
  });
}

async function paidSale(amount: number, policy?: SaleView['policy']): Promise<SaleView> {
  const started = await app.value('sale:start', {
    amount,
    description: `Vendita ${amount}`,
    ...(policy ? { policy } : {}),
  });
  await grant(sandboxUrl(), started.authorizationId ?? '');
  return waitForState(started.id, policy === 'BOOKED' ? 'granted' : 'paid');
}

async function untilRefundSettled(saleId: string): Promise<SaleView> {
  return eventually(async () => {
    const sale = await app.value('sale:get', { saleId });
    const status = sale.charges[0]?.refund?.status;
    return status === 'DONE' || status === 'ACCOUNTED' ? sale : undefined;
  });
}

describe('the end of day through the contract', () => {
  let today = '';
  let booked: SaleView;

  it('day:report totals the day as the journal has it', async () => {
    const a = await paidSale(1250);
    const b = await paidSale(4000);
    await paidSale(700, 'CHARGED');
    booked = await paidSale(5000, 'BOOKED');
    const cancelled = await app.value('sale:start', { amount: 999, description: 'Ripensamento' });
    await app.value('sale:cancel', { saleId: cancelled.id });
    const charge = b.charges[0];
    if (!charge) throw new Error('no charge');
    await app.value('refund:create', { chargeId: charge.id, amount: 1500, reason: 'Taglia sbagliata' });
    await untilRefundSettled(b.id);
    today = a.businessDay;

    const report = await app.value('day:report', {});
    expect(report.day).toBe(today);
    expect(report.totals).toEqual({ chargedCents: 1250 + 4000 + 700, refundedCents: 1500, netCents: 4450 });
    expect(report.charges.done.count).toBe(3);
    expect(report.refunds.done).toEqual({ count: 1, cents: 1500 });
    expect(report.sales.byState).toMatchObject({ paid: 3, granted: 1, cancelled: 1 });
    expect(report.openPreauthorizations.map((p) => p.saleId)).toEqual([booked.id]);
    expect(report.byHour.reduce((n, h) => n + h.netCents, 0)).toBe(4450);
    expect(report.byPolicy.find((p) => p.policy === 'CHARGED')?.charged).toEqual({ count: 1, cents: 700 });
    // No closure yet: the quick check has nothing to start from, so it re-hashes everything.
    expect(report.chain).toMatchObject({ ok: true, fromSeq: 0 });
    expect(report.closure).toBeNull();
    const full = await app.value('day:report', { day: today, verify: 'full' });
    expect(full.chain).toMatchObject({ ok: true, scope: 'full', fromSeq: 0 });
    expect(full.chain.count).toBeGreaterThan(20);
  });

  it('day:check reads every item back, pushes its progress, and lists what DropPay has that the till lacks', async () => {
    // Someone captures the open pre-authorization outside this till (another terminal, a script):
    // DropPay took the money, the journal never heard of it.
    const authorizationId = booked.authorizationId ?? '';
    const authorization = await app.runtime.client.authorizations.get(authorizationId);
    await app.runtime.client.charges.create({
      authorizationId,
      payTokenVal: authorization.payToken?.val ?? '',
      amount: 3000,
    });
    const before = progress().length;
    const section = await app.value('day:check', { day: today });
    expect(section.finishedAt).not.toBeNull();
    expect(section.errors).toBe(0);
    expect(section.total).toBeGreaterThanOrEqual(9);
    const events = progress().slice(before);
    expect(events[0]).toMatchObject({ day: today, running: true });
    expect(events.at(-1)).toMatchObject({ day: today, running: false, done: section.total });
    const found = [...section.mismatches, ...section.settled].map((f) => [
      f.code,
      f.itemKind,
      f.droppayAmount,
    ]);
    expect(found).toContainEqual(['MISSING_IN_JOURNAL', 'charge', 3000]);
    // The money that moved is now in the journal and in the report.
    const report = await app.value('day:report', { day: today });
    expect(report.totals.chargedCents).toBe(1250 + 4000 + 700 + 3000);
    expect(report.check?.total).toBe(section.total);
  });

  it('a second check at the same time joins the first instead of reading DropPay twice', async () => {
    const [one, two] = await Promise.all([
      app.value('day:check', { day: today, recheck: true }),
      app.value('day:check', { day: today, recheck: true }),
    ]);
    expect(two).toEqual(one);
    expect(one.skipped).toBe(0);
  });

  it('day:export gives CSV (comma and semicolon), PDF and JSON of the same report', async () => {
    const csv = await app.value('day:export', { day: today, format: 'csv', lang: 'en' });
    expect(csv).toMatchObject({ fileName: `droppay-day-${today}-en.csv`, encoding: 'utf8' });
    expect(csv.content.startsWith('\uFEFF')).toBe(true);
    const net = csv.content.split('\r\n').find((l) => l.startsWith('total,') && l.includes('net'));
    expect(net).toContain('74.50');
    expect(csv.content.replace(/^\uFEFF/, '').startsWith('type,local_time,')).toBe(true);
    // The headings follow the language of whoever exports, whatever the separator.
    const commaIt = await app.value('day:export', { day: today, format: 'csv', lang: 'it' });
    expect(commaIt.content.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^tipo,/);
    // Each file named by its kind and the language inside (QA D13): none takes another's name.
    expect(commaIt.fileName).toBe(`droppay-day-${today}-it.csv`);
    const excelEn = await app.value('day:export', { day: today, format: 'csv-semicolon', lang: 'en' });
    expect(excelEn.fileName).toBe(`droppay-day-${today}-excel-en.csv`);
    const it = await app.value('day:export', { day: today, format: 'csv-semicolon', lang: 'it' });
    expect(it.fileName).toBe(`droppay-day-${today}-excel-it.csv`);
    expect(it.content.split('\r\n')[0]).toContain(';');
    expect(it.content).toContain('74,50');
    const pdf = await app.value('day:export', { day: today, format: 'pdf', lang: 'it' });
    expect(pdf.encoding).toBe('base64');
    expect(Buffer.from(pdf.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // With the day's movements: as many as the CSV has charge and refund lines.
    const lines = it.content.split('\r\n').filter((l) => /^(addebito|rimborso);/.test(l)).length;
    expect(lines).toBeGreaterThan(0);
    expect((await pdfText(Buffer.from(pdf.content, 'base64'))).text).toContain(`Movimenti: ${lines}`);
    const json = await app.value('day:export', { day: today, format: 'json', lang: 'en' });
    expect(JSON.parse(json.content)).toMatchObject({ day: today, totals: { netCents: 7450 } });
  });

  it("the report names the shop and the till: DropPay's store until the settings give a name, and the POS ID", async () => {
    // The sandbox's sales have their own journal; the store name is a setting of the main one,
    // and the POS ID is in the keychain.
    const status = await app.value('app:status');
    expect(status.storeName).toBe('Bar Sandbox');
    expect(status.posId).toMatch(/^POS/);
    expect(await app.value('day:report', { day: today })).toMatchObject({
      storeName: 'Bar Sandbox',
      posId: status.posId,
    });
    await app.value('settings:update', { storeName: 'Bar Centrale' });
    expect((await app.value('day:report', { day: today })).storeName).toBe('Bar Centrale');
    const json = await app.value('day:export', { day: today, format: 'json', lang: 'en' });
    expect(JSON.parse(json.content)).toMatchObject({ storeName: 'Bar Centrale', posId: status.posId });
  });

  it('day:close refuses unknown outcomes without a reason, records a forced one, and is final', async () => {
    // An outcome nobody knows: DropPay creates the authorization, then the answer is lost.
    await fetch(`${sandboxUrl()}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latency_ms: 0, error_rate: 0, drop_after_commit_rate: 1, seed: 7 }),
    });
    try {
      const started = await app.call('sale:start', { amount: 321, description: 'Rete instabile' });
      expect(started.ok ? started.value.state : started.error.code).toBe('unknown');
      const report = await app.value('day:report', { day: today });
      expect(report.unsettled).toEqual([expect.objectContaining({ kind: 'authorization', amount: 321 })]);

      const refused = await app.call('day:close', { day: today });
      expect(refused.ok ? 'closed' : refused.error.code).toBe('DAY_UNSETTLED');
      expect((await app.value('app:status')).dayClosed).toBeNull();
      const pushed = app.events.length;
      const closed = await app.value('day:close', { day: today, forceReason: 'Rete giù, verifico domani' });
      // The status bar's word on today follows, pushed to every window: a sale now is a change
      // after the closing, until the day ends.
      const status = await app.value('app:status');
      expect(status.dayClosed?.day).toBe(today);
      expect(Date.parse(status.dayClosed?.endsAt ?? '')).toBeGreaterThan(Date.now());
      const event = await eventually(() =>
        app.events
          .slice(pushed)
          .find((e) => e.event === 'status' && (e.payload as AppStatus).dayClosed?.day === today),
      );
      expect(event.payload).toMatchObject({ dayClosed: status.dayClosed });
      expect(closed.closure).toMatchObject({ seq: 1, day: today, forcedReason: 'Rete giù, verifico domani' });
      expect(closed.totals.netCents).toBe(7450);

      const again = await app.call('day:close', { day: today, forceReason: 'ancora' });
      expect(again.ok ? 'closed' : again.error.code).toBe('DAY_CLOSED');
      const list = await app.value('day:closures');
      expect(list).toEqual([
        expect.objectContaining({
          seq: 1,
          day: today,
          netCents: 7450,
          chargesCount: 4,
          refundsCount: 1,
          forced: true,
        }),
      ]);
      // The closed day's report is the stored one; the quick chain check starts at its anchor.
      const stored = await app.value('day:report', { day: today });
      expect(stored.closure).toMatchObject({ seq: 1, anchorIntact: true, closuresIntact: true });
      expect(stored.chain).toMatchObject({ ok: true, scope: 'since-last-closure' });
      expect(stored.chain.fromSeq).toBe(stored.closure?.chainHeadSeq);
      // The closed day keeps the name it was closed under, whatever the settings say later.
      expect(stored.storeName).toBe('Bar Centrale');
      expect(stored.posId).toBe((await app.value('app:status')).posId);
      await app.value('settings:update', { storeName: 'Bar Nuovo' });
      expect((await app.value('day:report', { day: today })).storeName).toBe('Bar Centrale');
    } finally {
      await fetch(`${sandboxUrl()}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ latency_ms: 0, error_rate: 0, drop_after_commit_rate: 0, seed: 7 }),
      });
    }
  });

  it('a charge edited in the file behind the app’s back shows on the day screen’s report as a broken chain', async () => {
    const sale = await paidSale(830);
    const charge = sale.charges[0];
    if (!charge) throw new Error('no charge');
    expect((await app.value('day:report', { day: sale.businessDay })).chain.ok).toBe(true);
    const db = new Database(app.runtime.journal.path);
    db.prepare("UPDATE charges SET status = 'FAILED' WHERE id = ?").run(charge.id);
    db.close();
    const report = await app.value('day:report', { day: sale.businessDay });
    expect(report.chain).toMatchObject({ ok: false, reason: 'row-altered' });
    expect(report.chain.message).toContain(charge.id);
  });

  it('refuses a day that has not begun and a date that does not exist', async () => {
    const future = await app.call('day:close', { day: '2999-01-01' });
    expect(future.ok ? 'closed' : future.error.code).toBe('VALIDATION');
    const invalid = await app.call('day:report', { day: '2026-02-30' });
    expect(invalid.ok ? 'ok' : invalid.error.code).toBe('VALIDATION');
  });
});
