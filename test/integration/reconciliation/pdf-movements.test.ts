/**
 * The PDF's list of movements (QA C23): every charge and refund of the day in time order, in
 * the reader's words, with a refund's reason, from the same lines the CSV prints, over as many
 * pages as the day needs. Real journals, read back with a real PDF reader (pdf.js).
 */
import { describe, expect, it } from 'vitest';
import { MAX_TEXT_LENGTH } from '../../../shared/sale-sets';
import { closeDay, exportCsv, exportPdf } from '../../../electron/main/reconciliation';
import { markDayChecked } from '../../support/checked-day';
import { damageRowDate } from '../../support/journal-file';
import { chargedSale, grantedSale, openBook, type Book } from './harness';
import { pdfText } from './pdf-text';

const DAY = '2026-05-04';
const NOW = () => new Date('2026-05-04T19:00:00.000Z');
const squash = (text: string): string => text.replace(/\s+/g, ' ');

/** The text from `heading` on, white space squashed (the reader splits lines where it likes). */
function from(text: string, heading: string): string {
  const s = squash(text);
  const at = s.indexOf(heading);
  if (at < 0) throw new Error(`no "${heading}" in the PDF`);
  return s.slice(at);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The movement lines in `text`, as [time, sale ref, kind, amount]. */
function movementLines(text: string, kinds: [string, string], amount: string): string[][] {
  const re = new RegExp(
    `(\\d\\d:\\d\\d:\\d\\d) (S-\\d{8}-[0-9A-Z]{6}) (${kinds.join('|')}) .*?(${amount})`,
    'g',
  );
  return [...squash(text).matchAll(re)].map((m) => m.slice(1, 5));
}
const IT_AMOUNT = '-?\\d{1,3}(?:\\.\\d{3})*,\\d\\d €';
const EN_AMOUNT = '-?€\\d{1,3}(?:,\\d{3})*\\.\\d\\d';

const LONG_DESCRIPTION =
  'Caffè speciale della casa con brioche alla crema, spremuta d’arancia\ne acqua frizzante al tavolo';
/** A reason as long as the till takes, with accents and a euro sign. */
const REASON = 'Tazza scheggiata sul bordo: il cliente è stato rimborsato di € 23,45 con il responsabile. '
  .repeat(6)
  .slice(0, MAX_TEXT_LENGTH)
  .trim();

/** A day in Rome (CEST): seven movements, one an hour from 10:00 local time. */
function buildDay(book: Book) {
  const j = book.journal;
  book.clock.set('2026-05-04T08:00:00.000Z');
  const { sale, charge } = chargedSale(j, 123456, 'DONE', 'CHARGEABLE', LONG_DESCRIPTION);
  book.clock.set('2026-05-04T09:00:00.000Z');
  const failed = chargedSale(j, 999, 'FAILED').sale;
  book.clock.set('2026-05-04T10:00:00.000Z');
  const unknown = chargedSale(j, 4321, 'unknown').sale;
  book.clock.set('2026-05-04T11:00:00.000Z');
  const booked = chargedSale(j, 500, 'ACCOUNTED', 'BOOKED').sale;
  book.clock.set('2026-05-04T12:00:00.000Z');
  const paid = chargedSale(j, 2000, 'DONE');
  book.clock.set('2026-05-04T13:00:00.000Z');
  const refund = j.recordRefundIntent(charge.id, 2345, REASON);
  j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'CHR-A' });
  book.clock.set('2026-05-04T14:00:00.000Z');
  const refused = j.recordRefundIntent(paid.charge.id, 100, 'Errore di cassa');
  j.recordRefundOutcome(refused.id, { status: 'FAILED', error: 'DropPay failed it' });
  return { sale, failed, unknown, booked, paid: paid.sale };
}

describe('the PDF lists the day’s movements', () => {
  it('in Italian: each charge and refund in time order, in words, amounts as the PDF writes them, a reason whole', async () => {
    const book = openBook();
    const { sale, failed, unknown, booked, paid } = buildDay(book);
    const { text, size, rightmost } = await pdfText(exportPdf(book.journal, DAY, { lang: 'it', now: NOW }));
    const m = from(text, 'Movimenti: 7');
    expect(m).toContain('Ora Vendita Tipo Descrizione Stato Importo');
    // The description is cut to its column with an ellipsis; the accent and the apostrophe print.
    const cut = `Caffè speciale della casa con brioche[^…€]*…`;
    const expected = [
      `10:00:00 ${sale.merchantRef} addebito ${cut} eseguito 1\\.234,56 €`,
      `11:00:00 ${failed.merchantRef} addebito Vendita 999 non riuscito 9,99 €`,
      `12:00:00 ${unknown.merchantRef} addebito Vendita 4321 esito sconosciuto 43,21 €`,
      `13:00:00 ${booked.merchantRef} addebito Vendita 500 contabilizzato 5,00 €`,
      `14:00:00 ${paid.merchantRef} addebito Vendita 2000 eseguito 20,00 €`,
      // A refund takes money out: negative, its reason whole on the lines under it.
      `15:00:00 ${sale.merchantRef} rimborso ${cut} eseguito -23,45 € Motivo: ${escape(squash(REASON))}`,
      `16:00:00 ${paid.merchantRef} rimborso Vendita 2000 non riuscito -1,00 € Motivo: Errore di cassa`,
    ];
    const at = expected.map((e) => m.search(new RegExp(e)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(movementLines(m, ['addebito', 'rimborso'], IT_AMOUNT)).toHaveLength(7);
    expect(m).not.toContain(LONG_DESCRIPTION.replace('\n', ' '));
    expect(m.match(/Motivo:/g)).toHaveLength(2);
    // Words, never the codes the journal stores.
    expect(m).not.toMatch(/\b(DONE|FAILED|ACCOUNTED|unknown|charge|refund)\b/);
    // Nothing runs past the right margin, the longest reason included.
    expect(rightmost).toBeLessThanOrEqual(size.width - 50 + 0.5);
  });

  it('in English, with the English words and money', async () => {
    const book = openBook();
    const { sale, failed, booked } = buildDay(book);
    const { text } = await pdfText(exportPdf(book.journal, DAY, { lang: 'en', now: NOW }));
    const m = from(text, 'Movements: 7');
    expect(m).toContain('Time Sale Type Description Status Amount');
    expect(m).toMatch(
      new RegExp(`10:00:00 ${sale.merchantRef} charge Caffè speciale[^…]*… completed €1,234\\.56`),
    );
    expect(m).toContain(`11:00:00 ${failed.merchantRef} charge Vendita 999 failed €9.99`);
    expect(m).toContain('outcome unknown €43.21');
    expect(m).toContain(`13:00:00 ${booked.merchantRef} charge Vendita 500 accounted €5.00`);
    expect(m).toContain(`completed -€23.45 Reason: ${squash(REASON)}`);
    expect(m).toContain('failed -€1.00 Reason: Errore di cassa');
    expect(m).not.toMatch(/Motivo|addebito|rimborso|eseguito/);
  });

  it('prints the lines the CSV prints, open and closed: a failed earlier attempt in, a refund after the close out', async () => {
    const book = openBook();
    const j = book.journal;
    book.clock.set('2026-05-04T08:00:00.000Z');
    const { charge } = chargedSale(j, 5000, 'DONE');
    book.clock.set('2026-05-04T09:00:00.000Z');
    const first = j.recordRefundIntent(charge.id, 2000, 'Primo');
    j.recordRefundOutcome(first.id, { status: 'FAILED', droppayId: 'CHR-F1', error: 'DropPay failed it' });
    book.clock.set('2026-05-04T09:30:00.000Z');
    const again = j.recordRefundIntent(charge.id, 1500, 'Secondo');
    j.recordRefundOutcome(again.id, { status: 'DONE', droppayId: 'CHR-OK' });
    book.clock.set('2026-05-04T10:00:00.000Z');
    const other = chargedSale(j, 700, 'DONE').charge;

    /** The CSV's lines as the PDF shows them: [time, ref, kind, signed amount]. */
    const csv = (): string[][] =>
      exportCsv(j, DAY)
        .slice(1)
        .split('\r\n')
        .filter((l) => l.startsWith('charge,') || l.startsWith('refund,'))
        .map((l) => l.split(','))
        .map((c) => [
          (c[1] ?? '').slice(11),
          c[2] ?? '',
          c[0] ?? '',
          `${c[0] === 'refund' ? '-' : ''}€${c[7] ?? ''}`,
        ]);
    const pdf = async (): Promise<string[][]> =>
      movementLines(
        from((await pdfText(exportPdf(j, DAY, { lang: 'en' }))).text, 'Movements:'),
        ['charge', 'refund'],
        EN_AMOUNT,
      );

    const open = csv();
    expect(open.map((l) => l[3])).toEqual(['€50.00', '-€20.00', '-€15.00', '€7.00']);
    expect(await pdf()).toEqual(open);

    markDayChecked(book.path, DAY);
    closeDay(j, DAY, { now: () => new Date('2026-05-04T16:00:00.000Z') });
    book.clock.set('2026-05-04T17:00:00.000Z');
    const late = j.recordRefundIntent(other.id, 300, 'Dopo la chiusura');
    j.recordRefundOutcome(late.id, { status: 'DONE', droppayId: 'CHR-LATE' });
    // The closed day's lines as they stood at its close, so they add up to its totals.
    expect(csv()).toEqual(open);
    expect(await pdf()).toEqual(open);
  });

  it('runs over pages: 300 movements, each exactly once and in order, the heading and columns on every page', async () => {
    const book = openBook();
    const j = book.journal;
    const expected: string[][] = [];
    const done = [];
    // Three lines each: a refund and its reason are kept on one page, never split by a break.
    const reasonOf = (k: number): string => `Reso numero ${k}: ${'merce difettosa '.repeat(15)}`.trim();
    for (let i = 0; i < 240; i += 1) {
      book.clock.set(new Date(Date.parse('2026-05-04T06:00:00.000Z') + i * 50_000).toISOString());
      const { sale, charge } = chargedSale(j, 100 + i, i % 9 === 0 ? 'FAILED' : 'DONE');
      expected.push([sale.merchantRef, 'addebito']);
      if (charge.status === 'DONE') done.push({ sale, charge });
    }
    for (let k = 0; k < 60; k += 1) {
      const paid = done[k];
      if (!paid) throw new Error('not enough paid sales');
      book.clock.set(new Date(Date.parse('2026-05-04T12:00:00.000Z') + k * 30_000).toISOString());
      const refund = j.recordRefundIntent(paid.charge.id, 50, reasonOf(k));
      j.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: `CHR-${k}` });
      expected.push([paid.sale.merchantRef, 'rimborso']);
    }
    const { pages, pageTexts, baselines } = await pdfText(exportPdf(j, DAY, { lang: 'it', now: NOW }));
    expect(pages).toBeGreaterThanOrEqual(5);

    const perPage = pageTexts.map((t) => movementLines(t, ['addebito', 'rimborso'], IT_AMOUNT));
    const lines = perPage.flat();
    // Every movement once, none split across a page break, in time order.
    expect(lines.map(([, ref, kind]) => [ref, kind])).toEqual(expected);
    const times = lines.map(([time]) => time ?? '');
    expect(times).toEqual([...times].sort());
    const first = perPage.findIndex((p) => p.length > 0);
    expect(squash(pageTexts[first] ?? '')).toContain(
      'Movimenti: 300 Ora Vendita Tipo Descrizione Stato Importo',
    );
    // Nothing printed between the last line a page holds and its footer (at 30 pt).
    for (const ys of baselines) expect(ys.filter((y) => y !== 30 && y < 60)).toEqual([]);
    pageTexts.forEach((t, i) => {
      const page = squash(t);
      expect(page).toContain(`Pagina ${i + 1} di ${pages}`);
      if (i > first && i < pages - 1) {
        // A full page: 65 lines of charges, or a quarter as many refunds, each with its reason.
        expect(perPage[i]?.length).toBeGreaterThanOrEqual(16);
      }
      if (i > first) {
        expect(page.startsWith('Movimenti (segue) Ora Vendita Tipo Descrizione Stato Importo ')).toBe(true);
      }
    });
    // Each refund's reason whole on its page, under its own line.
    for (let k = 0; k < 60; k += 1) {
      const on = pageTexts.filter((t) => squash(t).includes(`-0,50 € Motivo: ${reasonOf(k)} `));
      expect(on).toHaveLength(1);
    }
  });

  it('on the day the clocks go back, tells the two 02:30 apart by their UTC offset; any other day prints the time alone', async () => {
    const book = openBook();
    // 25 October 2026 in Rome: 02:30 summer time (00:30Z), 02:30 winter time (01:30Z), 09:00.
    book.clock.set('2026-10-25T00:30:00.000Z');
    const summer = chargedSale(book.journal, 300, 'DONE').sale;
    book.clock.set('2026-10-25T01:30:00.000Z');
    const winter = chargedSale(book.journal, 400, 'DONE').sale;
    book.clock.set('2026-10-25T08:00:00.000Z');
    const morning = chargedSale(book.journal, 500, 'DONE').sale;
    const now = () => new Date('2026-10-25T20:00:00.000Z');
    const text = squash((await pdfText(exportPdf(book.journal, '2026-10-25', { now }))).text);
    expect(text).toMatch(
      new RegExp(
        `02:30:00 \\+02:00 ${summer.merchantRef} addebito .*02:30:00 \\+01:00 ${winter.merchantRef} addebito ` +
          `.*09:00:00 \\+01:00 ${morning.merchantRef} addebito`,
      ),
    );

    const plain = openBook();
    buildDay(plain);
    const may = from((await pdfText(exportPdf(plain.journal, DAY, { now: NOW }))).text, 'Movimenti: 7');
    expect(movementLines(may, ['addebito', 'rimborso'], IT_AMOUNT).map(([time]) => time)).toHaveLength(7);
    expect(may).not.toMatch(/\d\d:\d\d:\d\d [+-]\d\d:\d\d/);
  });

  it('says so on a day with no movement, and prints a damaged time as it is stored', async () => {
    const book = openBook();
    const empty = from((await pdfText(exportPdf(book.journal, DAY))).text, 'Movimenti');
    expect(empty).toContain('Movimenti Nessun addebito o rimborso in questa giornata.');

    book.clock.set('2026-05-04T08:00:00.000Z');
    grantedSale(book.journal, 100);
    const { sale, charge } = chargedSale(book.journal, 1250, 'DONE');
    // Month 05 becomes 15: the pattern holds, the date does not exist.
    const stored = damageRowDate(
      book.path,
      'charges',
      charge.id,
      'created_at',
      (iso) => `${iso.slice(0, 5)}15${iso.slice(7)}`,
    );
    const m = from((await pdfText(exportPdf(book.journal, DAY))).text, 'Movimenti: 1');
    expect(m).toContain(
      `--:--:-- ${sale.merchantRef} addebito Vendita 1250 eseguito 12,50 € ora come registrata: ${stored}`,
    );
  });
});
