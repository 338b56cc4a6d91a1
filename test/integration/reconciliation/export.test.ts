import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  buildDayReport,
  closeDay,
  closedDays,
  closedDaysCsv,
  exportCsv,
  formatMoney,
  renderJson,
  renderReportPdf,
} from '../../../electron/main/reconciliation';
import { HINTS, type Finding } from '../../../electron/main/reconciliation/hints';
import type { CheckSection, DayReport } from '../../../electron/main/reconciliation/types';
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';
import { bookClosedAtSix, chargedSale, grantedSale, openBook, type Book } from './harness';
import { pdfText } from './pdf-text';
import { markDayChecked } from '../../support/checked-day';

const DAY = '2026-10-25';
/** The day as the PDF writes it, day first like the screens. */
const DAY_SHOWN = '25/10/2026';
const NOW = () => new Date('2026-10-25T20:00:00.000Z');

/** A small RFC 4180 parser, written for the test: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  return rows;
}

/** "-1.234,56" style amounts back to cents without floats. */
function cents(text: string, decimal: string): number {
  const m = new RegExp(`^(-?)(\\d+)\\${decimal}(\\d\\d)$`).exec(text);
  if (!m) throw new Error(`not an amount: ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

function buildDay(book: Book) {
  const j = book.journal;
  book.clock.set('2026-10-25T00:30:00.000Z'); // 02:30 CEST
  const a = j.createSale({
    amount: 123456,
    description: 'Caffè; "speciale", brioche\nseconda riga',
    policy: 'CHARGEABLE',
  });
  j.recordAuthorizationIntent(a.id);
  j.recordAuthorizationCreated(a.id, { authorizationId: 'CHT-A', sharingUrl: 'https://dp.link/u/10/CHT-A' });
  j.recordAuthorizationStatus(a.id, 'GRANTED');
  const ca = j.recordChargeIntent(a.id, 123456);
  j.recordChargeOutcome(ca.id, { status: 'DONE', droppayId: 'CHA-A' });
  book.clock.set('2026-10-25T01:30:00.000Z'); // 02:30 CET
  const formula = j.createSale({ amount: 5, description: '=HYPERLINK("x")', policy: 'BOOKED' });
  j.recordAuthorizationIntent(formula.id);
  j.recordAuthorizationCreated(formula.id, { authorizationId: 'CHT-F', sharingUrl: 'x' });
  j.recordAuthorizationStatus(formula.id, 'GRANTED');
  j.recordChargeOutcome(j.recordChargeIntent(formula.id, 5).id, { status: 'ACCOUNTED', droppayId: 'CHA-F' });
  chargedSale(j, 999, 'FAILED');
  chargedSale(j, 4321, 'unknown');
  book.clock.set('2026-10-25T15:00:00.000Z');
  const refund = j.recordRefundIntent(ca.id, 2345, 'Reso; parziale');
  j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR-A' });
}

/** The report as if the day had been checked with DropPay at 20:59:30 Rome time. */
function checkedReport(report: DayReport, over: Partial<CheckSection>): DayReport {
  return {
    ...report,
    check: {
      startedAt: '2026-10-25T19:58:00.000Z',
      finishedAt: '2026-10-25T19:59:30.000Z',
      total: 6,
      checked: 6,
      skipped: 0,
      errors: 0,
      changedSince: 0,
      mismatches: [],
      settled: [],
      ...over,
    },
  };
}

describe('exports', () => {
  for (const [separator, sep, decimal] of [
    ['comma', ',', '.'],
    ['semicolon', ';', ','],
  ] as const) {
    it(`CSV (${separator}): BOM, one line per charge and refund, exact amounts, totals that add up`, () => {
      const book = openBook();
      buildDay(book);
      const csv = exportCsv(book.journal, DAY, { separator, now: NOW });
      expect(csv.charCodeAt(0)).toBe(0xfeff);
      expect(csv.endsWith('\r\n')).toBe(true);
      const rows = parseCsv(csv.slice(1), sep);
      expect(rows[0]).toEqual([
        'type',
        'local_time',
        'sale_ref',
        'policy',
        'id',
        'droppay_id',
        'status',
        'amount',
        'net_effect',
        'description',
        'refund_reason',
        'utc_time',
      ]);
      const lines = rows.slice(1).filter((r) => r[0] === 'charge' || r[0] === 'refund');
      const db = new Database(book.path, { readonly: true });
      const journalRows = db
        .prepare(
          `SELECT id, amount, status FROM charges WHERE business_day = @day UNION ALL SELECT id, amount, status FROM refunds WHERE business_day = @day`,
        )
        .all({ day: DAY }) as { id: string; amount: number; status: string }[];
      db.close();
      expect(lines).toHaveLength(journalRows.length);
      for (const jr of journalRows) {
        const line = lines.find((l) => l[4] === jr.id);
        expect(line && [cents(line[7] ?? '', decimal), line[6]]).toEqual([jr.amount, jr.status]);
      }
      const report = buildDayReport(book.journal, DAY);
      const net = lines.reduce((s, l) => s + cents(l[8] ?? '', decimal), 0);
      expect(net).toBe(report.totals.netCents);
      const totals = Object.fromEntries(
        rows.filter((r) => r[0] === 'total').map((r) => [r[6], cents(r[7] ?? '', decimal)]),
      );
      expect(totals).toMatchObject({ charged: 123461, refunded: 2345, net: 121116, adjustments: 0 });
      // Each total's net effect has the sign its lines have: refunds take money out.
      const effects = Object.fromEntries(
        rows.filter((r) => r[0] === 'total').map((r) => [r[6], cents(r[8] ?? '', decimal)]),
      );
      expect(effects).toMatchObject({ charged: 123461, refunded: -2345, net: 121116 });
      // Text survives quoting; a formula is defused; both 02:30s keep their own wall time.
      expect(lines.map((l) => l[9])).toContain('Caffè; "speciale", brioche\nseconda riga');
      expect(lines.map((l) => l[9])).toContain(`'=HYPERLINK("x")`);
      // A refund's line has its sale's description, and its own reason beside it.
      const refundLine = lines.find((l) => l[0] === 'refund');
      expect(refundLine?.slice(9, 11)).toEqual([
        'Caffè; "speciale", brioche\nseconda riga',
        'Reso; parziale',
      ]);
      expect(lines.filter((l) => l[0] === 'charge').map((l) => l[10])).toEqual(['', '', '', '']);
      const twoThirty = lines.filter((l) => l[1] === '2026-10-25 02:30:00');
      expect(twoThirty.length).toBeGreaterThanOrEqual(2);
      // ...which only the UTC column tells apart: 02:30 CEST, then 02:30 CET.
      expect(new Set(twoThirty.map((l) => l[11]?.slice(0, 16)))).toEqual(
        new Set(['2026-10-25T00:30', '2026-10-25T01:30']),
      );
      for (const l of rows.slice(1)) expect(l).toHaveLength(12);
    });
  }

  it('an Italian CSV with commas quotes the words that hold a comma ("accettato, in corso")', () => {
    const book = openBook();
    buildDay(book);
    const { charge } = chargedSale(book.journal, 2500, 'DONE');
    const refund = book.journal.recordRefundIntent(charge.id, 500, 'Reso');
    book.journal.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'CHR-Q' });
    const text = exportCsv(book.journal, DAY, { separator: 'comma', lang: 'it' }).slice(1);
    expect(text).toContain('"accettato, in corso"');
    const rows = parseCsv(text, ',');
    for (const r of rows) expect(r).toHaveLength(12);
    const line = rows.find((r) => r[4] === refund.id) ?? [];
    expect([line[0], ...line.slice(6, 9)]).toEqual(['rimborso', 'accettato, in corso', '5.00', '0.00']);
  });

  it('CSV of a closed day: its lines as they stood at the close, under its stored totals, plus what changed since', () => {
    const book = openBook();
    buildDay(book);
    const j = book.journal;
    const lost = j.listSales({ from: DAY, to: DAY, state: 'unknown' }).sales[0];
    const charge = lost && j.getSaleDetail(lost.id)?.charges[0];
    if (!charge) throw new Error('no unknown charge');
    // A refund that failed before the close, asked again after it.
    const refunded = chargedSale(j, 3000, 'DONE').charge;
    const first = j.recordRefundIntent(refunded.id, 1000, 'Primo tentativo');
    j.recordRefundOutcome(first.id, { status: 'FAILED', droppayId: 'CHR-FIRST' });
    const formula = j.listSales({ from: DAY, to: DAY }).sales.find((x) => x.policy === 'BOOKED');
    const booked = formula && j.getSaleDetail(formula.id)?.charges[0];
    if (!booked) throw new Error('no BOOKED charge');
    closeDay(j, DAY, { force: { reason: 'verifica domani' }, now: NOW });
    const csv = (): string[][] =>
      parseCsv(exportCsv(j, DAY, { separator: 'semicolon', lang: 'it' }).slice(1), ';');
    const atClose = csv();

    // Later the same business day (22:00 in Rome): a refund the close never saw.
    book.clock.set('2026-10-25T21:00:00.000Z');
    const late = j.recordRefundIntent(booked.id, 3, 'Dopo la chiusura');
    j.recordRefundOutcome(late.id, { status: 'DONE', droppayId: 'CHR-LATE' });
    // The next day: the unknown charge turns out DONE; the failed refund is asked again.
    book.clock.set('2026-10-26T09:00:00.000Z');
    j.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: 'CHA-LATE' });
    const again = j.recordRefundIntent(refunded.id, 1500, 'Secondo tentativo');
    j.recordRefundOutcome(again.id, { status: 'DONE', droppayId: 'CHR-AGAIN' });

    const rows = csv();
    expect(rows[0]?.slice(0, 3)).toEqual(['tipo', 'ora_locale', 'rif_vendita']);
    expect(rows[0]?.[10]).toBe('motivo_rimborso');
    const totals = Object.fromEntries(
      rows.filter((r) => r[0] === 'totale').map((r) => [r[6], cents(r[7] ?? '', ',')]),
    );
    // The unknown 43,21 settled (+4321) and the late refund (-3) changed the day after its close.
    expect(totals).toMatchObject({ netto: 124116, variazioni_dopo_chiusura: 4318 });
    // The Italian file says its codes in words.
    const lines = rows.filter((r) => r[0] === 'addebito' || r[0] === 'rimborso');
    expect(new Set(lines.map((r) => r[3]))).toEqual(new Set(['Pagamento', 'Preautorizzazione']));
    expect(new Set(lines.map((r) => r[6]))).toEqual(
      new Set(['eseguito', 'contabilizzato', 'non riuscito', 'esito sconosciuto']),
    );
    expect(lines.reduce((s, r) => s + cents(r[8] ?? '', ','), 0)).toBe(totals.netto);
    // Line by line as at the close: the charge still in doubt with no DropPay id, the refund
    // as it failed (its first reason and amount), the late refund not there.
    const line = (id: string) => lines.find((l) => l[4] === id);
    expect(line(charge.id)?.slice(5, 9)).toEqual(['', 'esito sconosciuto', '43,21', '0,00']);
    expect(line(first.id)?.slice(5, 11)).toEqual([
      'CHR-FIRST',
      'non riuscito',
      '10,00',
      '0,00',
      'Vendita 3000',
      'Primo tentativo',
    ]);
    expect(line(late.id)).toBeUndefined();
    // Exported at the close or now, the same file but for what changed since.
    const laterLine = (r: string[]) => r[0] === 'totale' && r[6] === 'variazioni_dopo_chiusura';
    expect(rows.filter((r) => !laterLine(r))).toEqual(atClose.filter((r) => !laterLine(r)));
    // The next day (not closed) shows the refund as it is now.
    const next = parseCsv(exportCsv(j, '2026-10-26', { separator: 'semicolon' }).slice(1), ';');
    expect(next.find((l) => l[4] === again.id)?.slice(5, 11)).toEqual([
      'CHR-AGAIN',
      'DONE',
      '15,00',
      '-15,00',
      'Vendita 3000',
      'Secondo tentativo',
    ]);
  });

  it('PDF: a real reader opens it, A4, every page numbered, totals and sections in the text', async () => {
    const book = openBook();
    buildDay(book);
    for (let i = 0; i < 30; i += 1) chargedSale(book.journal, 100 + i, 'unknown');
    const held = grantedSale(book.journal, 7000, 'BOOKED');
    const report = buildDayReport(book.journal, DAY, { now: NOW });
    const pdf = renderReportPdf(report, { lang: 'it' });
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const { pages, text, size } = await pdfText(pdf);
    expect(size).toEqual({ width: 595.28, height: 841.89 });
    expect(text).toContain('Chiusura di cassa giornaliera');
    expect(text).toContain(`Giornata contabile: ${DAY_SHOWN}`);
    expect(text).toContain(`Dalle / alle: ${DAY_SHOWN} 00:00:00 – 26/10/2026 00:00:00 (25 h)`);
    expect(text).not.toContain(DAY);
    expect(text).toContain(formatMoney(report.totals.netCents, 'it'));
    expect(text).toContain(formatMoney(report.totals.chargedCents, 'it'));
    expect(text).toContain('1.234,56 €');
    // The payment types in the reader's language, never the API's words.
    for (const p of ['Pagamento', 'Preautorizzazione', 'Addebito diretto']) expect(text).toContain(p);
    expect(text).not.toContain('CHARGEABLE');
    // The payment types in words, the open pre-authorizations' heading too.
    expect(text).not.toContain('BOOKED');
    expect(text).toContain('Preautorizzazioni aperte (importo riservato, non ancora incassato)');
    expect(text).toContain(`${held.merchantRef} ${held.authorizationId ?? ''} 70,00 €`);
    expect(text).toContain('Operazioni con esito sconosciuto');
    expect(text).toContain('altri');
    expect(text).toContain(`Pagina ${pages} di ${pages}`);
    expect(text).toContain(report.chain.headHash);
    const en = await pdfText(renderReportPdf(report, { lang: 'en' }));
    expect(en.text).toContain('End-of-day report');
    expect(en.text).toContain('€1,234.56');
    for (const p of ['Payment', 'Pre-authorization', 'Direct charge']) expect(en.text).toContain(p);
    expect(en.text).not.toContain('BOOKED');
    expect(en.text).toContain('Open pre-authorizations (amount reserved, not yet captured)');
  });

  it("PDF: when the day was checked with DropPay, in the day's local time and the reader's words", async () => {
    const book = openBook();
    buildDay(book);
    const report = buildDayReport(book.journal, DAY, { now: NOW });
    const checked = checkedReport(report, { checked: 5, skipped: 1 });
    const italian = (await pdfText(renderReportPdf(checked, { lang: 'it' }))).text;
    // 19:59:30 UTC is 20:59:30 in Rome (CET, the clocks went back that morning).
    expect(italian).toMatch(/Verificata: 25\/10\/2026 20:59:30 \(6\/6, errori 0\)/);
    expect(italian).not.toContain('2026-10-25T19:59:30.000Z');
    expect(italian).not.toContain('dopo questa verifica');
    const en = (await pdfText(renderReportPdf(checked, { lang: 'en' }))).text;
    expect(en).toMatch(/Checked: 25\/10\/2026 20:59:30 \(6\/6, errors 0\)/);
    // Sales after the check are not covered by its "no mismatches": the paper says so.
    const stale = checkedReport(report, { checked: 5, skipped: 1, changedSince: 2 });
    const staleIt = (await pdfText(renderReportPdf(stale, { lang: 'it' }))).text.replace(/\s+/g, ' ');
    expect(staleIt).toContain(
      'Addebiti e rimborsi fatti o cambiati dopo questa verifica, non confrontati con DropPay: 2',
    );
    const staleEn = (await pdfText(renderReportPdf(stale, { lang: 'en' }))).text.replace(/\s+/g, ' ');
    expect(staleEn).toContain('made or changed after this check, not compared with DropPay: 2');
    // DropPay did not answer for some items: the paper says the check is incomplete, and its
    // "no mismatches" covers only what was read.
    const unread = checkedReport(report, { checked: 6, errors: 3 });
    const unreadIt = (await pdfText(renderReportPdf(unread, { lang: 'it' }))).text.replace(/\s+/g, ' ');
    expect(unreadIt).toContain(
      'VERIFICA INCOMPLETA: voci per cui DropPay non ha risposto, non verificate: 3',
    );
    expect(unreadIt).toContain('Nessuna discrepanza tra le voci lette.');
    expect(unreadIt).not.toContain('Nessuna discrepanza.');
    expect(italian).not.toContain('VERIFICA INCOMPLETA');
  });

  it('PDF: a mismatch says what differs and both sides in words, never DropPay codes', async () => {
    const book = openBook();
    buildDay(book);
    const report = buildDayReport(book.journal, DAY, { now: NOW });
    const finding = (over: Partial<Finding>): Finding => ({
      code: 'MISSING_IN_JOURNAL',
      itemKind: 'charge',
      journalId: null,
      saleId: 's1',
      merchantRef: 'S-20261025-ABC123',
      droppayId: 'CHA0000000000000000000042',
      journalStatus: null,
      droppayStatus: 'DONE',
      journalAmount: null,
      droppayAmount: 3000,
      recorded: null,
      hint: HINTS.MISSING_IN_JOURNAL.charge,
      ...over,
    });
    const checked = checkedReport(report, {
      mismatches: [
        finding({}),
        finding({ droppayId: null, droppayStatus: 'charge_success_count 2', droppayAmount: null }),
        finding({
          code: 'STATUS_DIFFERS',
          itemKind: 'refund',
          journalId: 'r1',
          journalStatus: 'ENQUEUED',
          droppayStatus: 'FAILED',
          journalAmount: 500,
          droppayAmount: 500,
          hint: HINTS.STATUS_DIFFERS.refund,
        }),
      ],
    });
    const it = (await pdfText(renderReportPdf(checked, { lang: 'it' }))).text.replace(/\s+/g, ' ');
    expect(it).toContain('Assente nella cassa: addebito S-20261025-ABC123 CHA0000000000000000000042');
    expect(it).toContain('Cassa: – / DropPay: eseguito 30,00 €');
    expect(it).toContain('Cassa: – / DropPay: 2 addebiti fatti');
    expect(it).toContain('Stato diverso: rimborso S-20261025-ABC123');
    expect(it).toContain('Cassa: accettato, in corso 5,00 € / DropPay: non riuscito 5,00 €');
    expect(it).not.toMatch(/MISSING_IN_JOURNAL|STATUS_DIFFERS|charge_success_count|ENQUEUED|DONE/);
    const en = (await pdfText(renderReportPdf(checked, { lang: 'en' }))).text.replace(/\s+/g, ' ');
    expect(en).toContain('Missing in the till: charge S-20261025-ABC123');
    expect(en).toContain('Till: – / DropPay: completed €30.00');
    expect(en).toContain('Till: accepted, in progress €5.00 / DropPay: failed €5.00');
    expect(en).not.toMatch(/MISSING_IN_JOURNAL|charge_success_count|ENQUEUED/);
  });

  it('PDF: why an item is in doubt is printed whole, within the page, however long', async () => {
    const book = openBook();
    buildDay(book);
    const j = book.journal;
    const sale = grantedSale(j, 1250);
    const intent = j.recordChargeIntent(sale.id, 1250);
    const why = `${JOURNAL_PATTERNS.answerMismatch.write('CHA0000000000000000000017', ['99.00', 'CHT0000000000000000000011'], ['12.50', 'CHT0000000000000000000012'])} See ${'https://support.example/'.padEnd(160, 'x')}`;
    j.recordChargeOutcome(intent.id, { status: 'unknown', error: why });
    const report = buildDayReport(j, DAY, { now: NOW });
    expect(report.unsettled.find((u) => u.id === intent.id)?.lastError).toBe(why);
    const { text, size, rightmost } = await pdfText(renderReportPdf(report, { lang: 'en' }));
    expect(rightmost).toBeLessThanOrEqual(size.width - 50 + 0.5);
    const squeezed = text.replace(/\s+/g, '');
    expect(squeezed).toContain(why.replace(/\s+/g, ''));
  });

  it('PDF of a day changed after its close: one line per charge or refund, its steps merged, in words', async () => {
    const book = openBook();
    buildDay(book);
    const j = book.journal;
    const formula = j.listSales({ from: DAY, to: DAY }).sales.find((x) => x.policy === 'BOOKED');
    const booked = formula && j.getSaleDetail(formula.id)?.charges[0];
    if (!booked || !formula) throw new Error('no BOOKED charge');
    closeDay(j, DAY, { force: { reason: 'verifica domani' }, now: NOW });
    // Later the same business day: a refund the close never saw, sent and then done.
    book.clock.set('2026-10-25T21:00:00.000Z');
    const late = j.recordRefundIntent(booked.id, 3, 'Dopo la chiusura');
    j.recordRefundOutcome(late.id, { status: 'DONE', droppayId: 'CHR-LATE' });
    const report = buildDayReport(j, DAY, { now: () => new Date('2026-10-25T21:30:00.000Z') });
    // Two steps in the report (sent, then done), which a reader takes for one refund.
    expect(report.laterAdjustments.items.map((a) => [a.from, a.to])).toEqual([
      [null, 'intent'],
      ['intent', 'DONE'],
    ]);
    const it = (await pdfText(renderReportPdf(report))).text.replace(/\s+/g, ' ');
    expect(it).toContain(`Variazioni dopo la chiusura: -0,03 €`);
    // In words, the status it has now first (QA C31: "nuovo → eseguito" read as jargon).
    expect(it).toContain(
      `${DAY_SHOWN} rimborso ${formula.merchantRef} aggiunto dopo la chiusura: eseguito, -0,03 €`,
    );
    expect(it).not.toMatch(/intent|DONE|nuovo/);
    // What is still in doubt, in words too.
    expect(it).toMatch(/Operazioni con esito sconosciuto addebito S-\d{8}-\w{6} esito sconosciuto 43,21 €/);
    const en = (await pdfText(renderReportPdf(report, { lang: 'en' }))).text.replace(/\s+/g, ' ');
    expect(en).toContain(`${DAY_SHOWN} refund ${formula.merchantRef} added after closing: completed, -€0.03`);
  });

  it('a charge after the close whose answer is not in yet: 0,00 € so far, and the amount at stake said (QA D7)', async () => {
    const book = openBook();
    buildDay(book);
    const j = book.journal;
    closeDay(j, DAY, { force: { reason: 'verifica domani' }, now: NOW });
    book.clock.set('2026-10-25T21:00:00.000Z');
    const sale = grantedSale(j, 660);
    const intent = j.recordChargeIntent(sale.id, 660);
    const report = buildDayReport(j, DAY, { now: () => new Date('2026-10-25T21:30:00.000Z') });
    const [line] = report.laterAdjustments.items;
    expect(line).toMatchObject({ from: null, to: 'intent', netDeltaCents: 0, amountCents: 660 });
    const it = (await pdfText(renderReportPdf(report))).text.replace(/\s+/g, ' ');
    expect(it).toContain(
      `addebito ${sale.merchantRef} aggiunto dopo la chiusura: in invio, 0,00 € (in sospeso: 6,60 €)`,
    );
    const en = (await pdfText(renderReportPdf(report, { lang: 'en' }))).text.replace(/\s+/g, ' ');
    expect(en).toContain(`charge ${sale.merchantRef} added after closing: sending, €0.00 (€6.60 at stake)`);
    // The next day's CSV carries it: its amount column has the charge's amount, its effect
    // column what it changed.
    const later = () => new Date('2026-10-25T21:30:00.000Z');
    const row = exportCsv(j, '2026-10-26', { separator: 'semicolon', lang: 'it', now: later })
      .split(/\r?\n/)
      .find((r) => r.includes(sale.merchantRef));
    expect(row).toMatch(/;6,60;0,00;/);
    // Once done, the line counts it and nothing is at stake any more.
    j.recordChargeOutcome(intent.id, { status: 'DONE', droppayId: 'CHR-LATE-660' });
    const done = (await pdfText(renderReportPdf(buildDayReport(j, DAY, { now: later })))).text.replace(
      /\s+/g,
      ' ',
    );
    expect(done).toContain(`addebito ${sale.merchantRef} aggiunto dopo la chiusura: eseguito, 6,60 €`);
    expect(done).not.toContain('in sospeso');
  });

  it('PDF of a closed, forced day names the closure and its reason', async () => {
    const book = openBook();
    buildDay(book);
    const { report } = closeDay(book.journal, DAY, {
      force: { reason: 'Rete assente alle 21' },
      now: NOW,
      storeName: 'Bar Centrale',
      posId: 'POS0000AB12',
    });
    const { text } = await pdfText(renderReportPdf(report));
    expect(text).toContain(`Chiusa (n. 1): ${DAY_SHOWN} 21:00:00`);
    expect(text).toContain('Rete assente alle 21');
    // Whose day it was, as the app said when closing it; the stored report keeps both.
    expect(text).toContain('Negozio: Bar Centrale');
    expect(text).toContain('ID POS DropPay: POS0000AB12');
    expect(buildDayReport(book.journal, DAY, { now: NOW })).toMatchObject({
      storeName: 'Bar Centrale',
      posId: 'POS0000AB12',
    });
  });

  it('PDF of a closed day read later: generated when read, closed when closed; the chain in plain words', async () => {
    const book = openBook();
    buildDay(book);
    closeDay(book.journal, DAY, { now: NOW, force: { reason: 'Verifico domani' } });
    const later = new Date(NOW().getTime() + 36 * 3_600_000);
    const report = buildDayReport(book.journal, DAY, { now: () => later, verifyChain: 'since-last-closure' });
    expect(report.generatedAt).toBe(later.toISOString());
    expect(report.closure?.createdAt).toBe(NOW().toISOString());
    const text = (await pdfText(renderReportPdf(report, { lang: 'en' }))).text.replace(/\s+/g, ' ');
    // "verified: 0 events after the last closure's anchor (#N)", not "verified (0, events…)".
    expect(text).toMatch(/Event chain verified: 0 events after the last closure’s anchor \(#\d+\)/);
    const full = buildDayReport(book.journal, DAY, { now: () => later });
    const italian = (await pdfText(renderReportPdf(full))).text.replace(/\s+/g, ' ');
    expect(italian).toMatch(new RegExp(`Catena degli eventi verificata: ${full.chain.count} eventi`));
  });

  it('JSON is the report itself, amounts in cents', () => {
    const book = openBook();
    buildDay(book);
    const report = buildDayReport(book.journal, DAY, { now: NOW });
    const parsed = JSON.parse(renderJson(report)) as typeof report;
    expect(parsed).toEqual(report);
    expect(parsed.totals).toEqual({ chargedCents: 123461, refundedCents: 2345, netCents: 121116 });
    expect(Number.isInteger(parsed.byHour[2]?.charged.cents)).toBe(true);
  });
});

describe('the closed days as CSV', () => {
  it('one line per closed day, oldest first, and a total that is their sum; Italian Excel and plain', () => {
    const book = openBook();
    const j = book.journal;
    const days = [
      { at: '2026-10-23T10:00:00.000Z', day: '2026-10-23', sales: [1250, 480] },
      { at: '2026-10-24T10:00:00.000Z', day: '2026-10-24', sales: [99_999] },
      { at: '2026-10-25T10:00:00.000Z', day: '2026-10-25', sales: [300] },
    ];
    for (const d of days) {
      book.clock.set(d.at);
      for (const amount of d.sales) chargedSale(j, amount, 'DONE');
    }
    // A refund on the second day, then each day closed on its evening.
    book.clock.set('2026-10-24T11:00:00.000Z');
    const refunded = chargedSale(j, 2000, 'DONE');
    const refund = j.recordRefundIntent(refunded.charge.id, 500, 'Reso');
    j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR0001' });
    for (const d of days) {
      markDayChecked(book.path, d.day);
      closeDay(j, d.day, { now: () => new Date(`${d.day}T21:00:00.000Z`) });
    }

    const it = parseCsv(closedDaysCsv(j, { separator: 'semicolon', lang: 'it' }).replace(/^\uFEFF/, ''), ';');
    expect(it[0]).toEqual([
      'chiusura',
      'giornata',
      'chiusa_il_ora_locale',
      'pagamenti',
      'incassato',
      'rimborsi',
      'rimborsato',
      'netto',
      'rettifiche',
      'netto_con_rettifiche',
      'forzata',
      'chiusa_il_utc',
    ]);
    // When each was closed, in the shop's time (summer time until the 25th's night) and in UTC.
    expect(it.slice(1, 4).map((r) => [r[2], r[11]])).toEqual([
      ['2026-10-23 23:00:00', '2026-10-23T21:00:00.000Z'],
      ['2026-10-24 23:00:00', '2026-10-24T21:00:00.000Z'],
      ['2026-10-25 22:00:00', '2026-10-25T21:00:00.000Z'],
    ]);
    expect(it.slice(1, 4).map((r) => [r[0], r[1], r[4], r[6], r[7], r[8], r[10]])).toEqual([
      ['1', '2026-10-23', '17,30', '0,00', '17,30', '0,00', 'no'],
      ['2', '2026-10-24', '1019,99', '5,00', '1014,99', '0,00', 'no'],
      ['3', '2026-10-25', '3,00', '0,00', '3,00', '0,00', 'no'],
    ]);
    const total = it[4] ?? [];
    expect(total.slice(0, 2)).toEqual(['totale', '2026-10-23/2026-10-25']);
    // The total is the sum of the lines, to the cent.
    const sum = (col: number): number => it.slice(1, 4).reduce((s, r) => s + cents(r[col] ?? '', ','), 0);
    expect(cents(total[7] ?? '', ',')).toBe(sum(7));
    expect(cents(total[7] ?? '', ',')).toBe(1250 + 480 + 99_999 + 300 + 2000 - 500);
    expect(total[3]).toBe('5');
    expect(it).toHaveLength(5);

    const en = parseCsv(closedDaysCsv(j, { separator: 'comma', lang: 'en' }).replace(/^\uFEFF/, ''), ',');
    expect(en[0]?.[0]).toBe('closure');
    expect(en[0]?.[2]).toBe('closed_at_local');
    expect(en[0]?.[11]).toBe('closed_at_utc');
    expect(en[2]?.[7]).toBe('1014.99');
    expect(en[4]?.[0]).toBe('total');
  });

  it('a day left open and closed after the days that followed it still comes first, and the period runs oldest to newest', () => {
    const book = openBook();
    const j = book.journal;
    for (const day of ['2026-10-23', '2026-10-24']) {
      book.clock.set(`${day}T10:00:00.000Z`);
      chargedSale(j, 100, 'DONE');
    }
    markDayChecked(book.path, '2026-10-24');
    markDayChecked(book.path, '2026-10-23');
    closeDay(j, '2026-10-24', { now: () => new Date('2026-10-24T21:00:00.000Z') });
    closeDay(j, '2026-10-23', { now: () => new Date('2026-10-24T21:30:00.000Z') });
    const rows = parseCsv(closedDaysCsv(j).replace(/^\uFEFF/, ''), ',');
    expect(rows.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['2', '2026-10-23'],
      ['1', '2026-10-24'],
      ['total', '2026-10-23/2026-10-24'],
    ]);
  });

  it('money that moved after a day was closed is in the list: its adjustment, and a net with it', () => {
    const book = bookClosedAtSix();
    const j = book.journal;
    // Later the same business day: a sale after the close, carried by the next day's report.
    chargedSale(j, 4000, 'DONE');
    book.clock.set('2026-05-05T08:00:00.000Z');
    chargedSale(j, 500, 'DONE');
    markDayChecked(book.path, '2026-05-05');
    closeDay(j, '2026-05-05', { now: () => new Date('2026-05-05T18:00:00.000Z') });

    const rows = parseCsv(closedDaysCsv(j, { separator: 'comma', lang: 'en' }).replace(/^\uFEFF/, ''), ',');
    expect(rows.map((r) => [r[1], r[7], r[8], r[9]])).toEqual([
      ['business_day', 'net', 'adjustments', 'net_with_adjustments'],
      ['2026-05-04', '10.00', '0.00', '10.00'],
      ['2026-05-05', '5.00', '40.00', '45.00'],
      ['2026-05-04/2026-05-05', '15.00', '40.00', '55.00'],
    ]);
    // The day that carries them lists them; no cell reads as a spreadsheet formula.
    const carried = parseCsv(
      exportCsv(j, '2026-05-05', { verifyChain: false }).replace(/^\uFEFF/, ''),
      ',',
    ).filter((r) => r[0] === 'adjustment');
    expect(carried.map((r) => [r[6], r[8], r[9]])).toEqual([
      ['none->intent', '0.00', '2026-05-04'],
      ['intent->DONE', '40.00', '2026-05-04'],
    ]);
    for (const cell of carried.flat()) expect(cell).not.toMatch(/^[=+\-@]/);
    // The sale's intent and its charge are two adjustments: only the charge moved money.
    expect(closedDays(j).map((c) => [c.day, c.adjustmentsCents, c.adjustmentsCount])).toEqual([
      ['2026-05-05', 4000, 2],
      ['2026-05-04', 0, 0],
    ]);
  });

  it('with no closed day: the heading and an empty total', () => {
    const book = openBook();
    const text = closedDaysCsv(book.journal, { separator: 'semicolon', lang: 'it' });
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text.slice(1), ';').map((r) => r[0])).toEqual(['chiusura', 'totale']);
  });
});
