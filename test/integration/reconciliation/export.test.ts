import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  buildDayReport,
  closeDay,
  exportCsv,
  formatMoney,
  renderJson,
  renderReportPdf,
} from '../../../electron/main/reconciliation';
import { chargedSale, openBook, type Book } from './harness';
import { pdfText } from './pdf-text';

const DAY = '2026-10-25';
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
      // Text survives quoting; a formula is defused; both 02:30s keep their own wall time.
      expect(lines.map((l) => l[9])).toContain('Caffè; "speciale", brioche\nseconda riga');
      expect(lines.map((l) => l[9])).toContain(`'=HYPERLINK("x")`);
      expect(lines.filter((l) => l[1] === '2026-10-25 02:30:00').length).toBeGreaterThanOrEqual(2);
    });
  }

  it('CSV of a closed day: stored totals, plus a line for what changed after closing', () => {
    const book = openBook();
    buildDay(book);
    const lost = book.journal.listSales({ from: DAY, to: DAY, state: 'unknown' }).sales[0];
    closeDay(book.journal, DAY, { force: { reason: 'verifica domani' }, now: NOW });
    const charge = lost && book.journal.getSaleDetail(lost.id)?.charges[0];
    if (!charge) throw new Error('no unknown charge');
    book.clock.set('2026-10-26T09:00:00.000Z');
    book.journal.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: 'CHA-LATE' });
    const rows = parseCsv(exportCsv(book.journal, DAY, { separator: 'semicolon', lang: 'it' }).slice(1), ';');
    expect(rows[0]?.[0]).toBe('tipo');
    const totals = Object.fromEntries(
      rows.filter((r) => r[0] === 'total').map((r) => [r[6], cents(r[7] ?? '', ',')]),
    );
    expect(totals).toMatchObject({ net: 121116, later_adjustments: 4321 });
    const lineNet = rows
      .filter((r) => r[0] === 'charge' || r[0] === 'refund')
      .reduce((s, r) => s + cents(r[8] ?? '', ','), 0);
    expect(lineNet).toBe((totals.net ?? 0) + (totals.later_adjustments ?? 0));
  });

  it('PDF: a real reader opens it, A4, every page numbered, totals and sections in the text', async () => {
    const book = openBook();
    buildDay(book);
    for (let i = 0; i < 30; i += 1) chargedSale(book.journal, 100 + i, 'unknown');
    const report = buildDayReport(book.journal, DAY, { now: NOW });
    const pdf = renderReportPdf(report, { lang: 'it' });
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    const { pages, text, size } = await pdfText(pdf);
    expect(size).toEqual({ width: 595.28, height: 841.89 });
    expect(text).toContain('Chiusura di cassa giornaliera');
    expect(text).toContain(`Giornata contabile: ${DAY}`);
    expect(text).toContain(formatMoney(report.totals.netCents, 'it'));
    expect(text).toContain(formatMoney(report.totals.chargedCents, 'it'));
    expect(text).toContain('1.234,56 €');
    for (const p of ['CHARGEABLE', 'BOOKED', 'CHARGED']) expect(text).toContain(p);
    expect(text).toContain('Operazioni con esito sconosciuto');
    expect(text).toContain('altri');
    expect(text).toContain(`Pagina ${pages} di ${pages}`);
    expect(text).toContain(report.chain.headHash);
    const en = await pdfText(renderReportPdf(report, { lang: 'en' }));
    expect(en.text).toContain('End-of-day report');
    expect(en.text).toContain('€1,234.56');
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
    expect(text).toContain('Chiusa #1');
    expect(text).toContain('Rete assente alle 21');
    // Whose day it was, as the app said when closing it; the stored report keeps both.
    expect(text).toContain('Negozio: Bar Centrale');
    expect(text).toContain('ID POS DropPay: POS0000AB12');
    expect(buildDayReport(book.journal, DAY, { now: NOW })).toMatchObject({
      storeName: 'Bar Centrale',
      posId: 'POS0000AB12',
    });
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
