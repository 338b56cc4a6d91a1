/**
 * The day's report as an A4 PDF: heading, totals, the by-policy table, the hourly chart as
 * bars, what is still open, the check with DropPay (mismatches with what to do), adjustments,
 * the closure and journal-integrity facts an accountant may ask for, and last the day's
 * movements, every charge and refund (movements.ts). The lists of the summary are cut with
 * "and N more"; the movements are never cut.
 */
import { adjustmentLines, OPEN_STATUSES, stepInWords } from '../../../../shared/adjustment-lines';
import type { BookSource } from '../book';
import { reportWithLines } from '../day-lines';
import { localTimeFormatter } from '../day-window';
import type { Finding } from '../hints';
import type { ItemTuple } from '../queries';
import type { ReportOptions } from '../report';
import type { AdjustmentsSection, DayReport } from '../types';
import { Flow, MARGIN, RIGHT } from './flow';
import { dayFirst, formatMoney, inWords, LABELS, type Lang, type Labels } from './labels';
import { movements } from './movements';
import { PdfDocument } from './writer';

const MAX_LIST = 15;
const BAR: readonly [number, number, number] = [0.16, 0.42, 0.75];

function header(f: Flow, r: DayReport, l: Labels): void {
  const formatted = localTimeFormatter(r.timeZone);
  const local = (iso: string): string => dayFirst(formatted(iso));
  f.page.text(MARGIN, f.y, l.title, 'bold', 18);
  f.y -= 24;
  if (r.storeName) f.row(`${l.store}: ${r.storeName}`, 11, 'bold');
  if (r.posId) f.row(`${l.pos}: ${r.posId}`);
  f.row(`${l.day}: ${dayFirst(r.day)}`, 11, 'bold');
  f.row(`${l.window}: ${local(r.window.start)} – ${local(r.window.end)} (${r.window.hours} h)`);
  f.row(`${l.zone}: ${r.timeZone}, ${String(r.cutoffHour).padStart(2, '0')}:00`);
  f.row(`${l.generated}: ${local(r.generatedAt)}`);
  if (r.closure) {
    f.row(`${l.closed} (${l.number} ${r.closure.seq}): ${local(r.closure.createdAt)}`, 10, 'bold');
    if (r.closure.forcedReason) f.wrapped(`${l.forced}: ${r.closure.forcedReason}`, 8);
  } else f.row(l.notClosed, 10, 'bold');
}

function totals(f: Flow, r: DayReport, l: Labels, lang: Lang): void {
  f.heading(l.totals);
  const rights = [380, RIGHT];
  const m = (c: number): string => formatMoney(c, lang);
  f.cells(['', l.count, '€'], rights, 'bold');
  f.cells([l.charged, String(r.charges.done.count), m(r.totals.chargedCents)], rights);
  f.cells([l.refunded, String(r.refunds.done.count), m(r.totals.refundedCents)], rights);
  f.cells([l.net, '', m(r.totals.netCents)], rights, 'bold');
  f.cells([l.failedCharges, String(r.charges.failed.count), m(r.charges.failed.cents)], rights);
  // Each failed attempt of a refund asked again counts as one (refund-attempts.ts
  // earlierFailedAttempts).
  f.cells([l.failedRefunds, String(r.refunds.failed.count), m(r.refunds.failed.cents)], rights);
  f.cells([l.unsettled, String(r.unsettled.length), ''], rights);
  if (r.adjustments.items.length > 0) {
    const lines = adjustmentLines(r.adjustments.items).length;
    f.cells([l.adjustments, String(lines), m(r.adjustments.netCents)], rights);
  }
}

function byPolicy(f: Flow, r: DayReport, l: Labels, lang: Lang): void {
  f.heading(l.byPolicy);
  const rights = [230, 290, 380, 460, RIGHT];
  const m = (c: number): string => formatMoney(c, lang);
  f.cells([l.policy, l.sales, l.count, l.charged, l.refunded, l.net], rights, 'bold');
  for (const p of r.byPolicy) {
    f.cells(
      [
        l.policies[p.policy],
        String(p.sales),
        String(p.charged.count),
        m(p.charged.cents),
        m(p.refunded.cents),
        m(p.netCents),
      ],
      rights,
    );
  }
}

function chart(f: Flow, r: DayReport, l: Labels, lang: Lang): void {
  f.heading(l.byHour);
  const height = 110;
  f.need(height + 40);
  const top = f.y;
  const base = top - height;
  const max = Math.max(1, ...r.byHour.map((h) => h.charged.cents));
  const slot = (RIGHT - MARGIN - 40) / Math.max(r.byHour.length, 1);
  f.page.text(MARGIN, top - 8, formatMoney(max, lang), 'mono', 7);
  f.page.line(MARGIN + 40, base, RIGHT, base);
  r.byHour.forEach((h, i) => {
    const x = MARGIN + 40 + i * slot;
    const barHeight = (h.charged.cents / max) * (height - 14);
    if (barHeight > 0) f.page.rect(x + 1.5, base, slot - 3, Math.max(barHeight, 0.8), BAR);
    // Every other label, and both of a repeated hour so the clock change is visible.
    const repeated = r.byHour.some((o) => o.index !== h.index && o.label === h.label);
    if (i % 2 === 0 || repeated) f.page.text(x + 1, base - 9, h.label.slice(0, 2), 'mono', 6);
  });
  f.y = base - 20;
  f.row(l.hourNote, 7);
}

function findings(f: Flow, list: Finding[], lang: Lang, l: Labels): void {
  const money = (cents: number | null): string => (cents === null ? '' : ` ${formatMoney(cents, lang)}`);
  const word = (status: string | null): string => {
    if (status === null) return '–';
    // What DropPay counts when it gives no list of the charges it made.
    const count = /^charge_success_count (\d+)$/.exec(status);
    return count ? `${count[1]} ${l.chargesMade}` : statusWord(l, status);
  };
  for (const x of list.slice(0, MAX_LIST)) {
    f.row(
      `${l.findingCodes[x.code]}: ${l.itemKinds[x.itemKind]} ${x.merchantRef} ${x.droppayId ?? ''}`,
      8,
      'bold',
    );
    f.row(
      `${l.till}: ${word(x.journalStatus)}${money(x.journalAmount)} / DropPay: ${word(x.droppayStatus)}${money(x.droppayAmount)}`,
      8,
    );
    f.wrapped(x.hint[lang], 7.5, 10);
  }
  if (list.length > MAX_LIST) f.row(`… ${list.length - MAX_LIST} ${l.more}`, 8);
}

/** A charge's, refund's or authorization's status in the reader's words; an unknown one as written. */
function statusWord(l: Labels, status: string): string {
  return inWords(l.statuses, status);
}

/** One line per charge or refund (its steps merged: shared/adjustment-lines.ts), in words. */
function adjustments(f: Flow, title: string, s: AdjustmentsSection, lang: Lang, l: Labels): void {
  if (s.items.length === 0) return;
  f.heading(`${title}: ${formatMoney(s.netCents, lang)}`);
  const lines = adjustmentLines(s.items);
  const word = (status: string): string => statusWord(l, status);
  for (const a of lines.slice(0, MAX_LIST)) {
    f.row(
      `${dayFirst(a.day)} ${l.itemKinds[a.itemKind]} ${a.merchantRef} ${stepInWords(a.from, a.to, word, l.step)}, ${formatMoney(a.netDeltaCents, lang)}` +
        (OPEN_STATUSES.has(a.to)
          ? ` ${l.step.atStake.replace('{amount}', formatMoney(a.amountCents, lang))}`
          : ''),
      8,
      'mono',
    );
  }
  if (lines.length > MAX_LIST) f.row(`… ${lines.length - MAX_LIST} ${l.more}`, 8);
}

function openItems(f: Flow, r: DayReport, l: Labels, lang: Lang): void {
  if (r.openPreauthorizations.length > 0) {
    f.heading(l.preauth);
    for (const p of r.openPreauthorizations.slice(0, MAX_LIST)) {
      f.row(`${p.merchantRef} ${p.authorizationId ?? ''} ${formatMoney(p.amount, lang)}`, 8, 'mono');
    }
    if (r.openPreauthorizations.length > MAX_LIST)
      f.row(`… ${r.openPreauthorizations.length - MAX_LIST} ${l.more}`, 8);
  }
  if (r.unsettled.length > 0) {
    f.heading(l.unsettledList);
    for (const u of r.unsettled.slice(0, MAX_LIST)) {
      f.wrapped(
        `${l.itemKinds[u.kind]} ${u.merchantRef} ${statusWord(l, u.status)} ${formatMoney(u.amount, lang)}`,
        8,
      );
      // Why it is in doubt (the amounts DropPay answered with, say): whole, under its line.
      if (u.lastError) f.wrapped(u.lastError, 7.5, 10);
    }
    if (r.unsettled.length > MAX_LIST) f.row(`… ${r.unsettled.length - MAX_LIST} ${l.more}`, 8);
  }
}

function check(f: Flow, r: DayReport, l: Labels, lang: Lang): void {
  f.heading(l.check);
  const c = r.check;
  if (c === null) {
    f.row(l.notChecked);
    return;
  }
  f.row(
    `${l.checked}: ${dayFirst(localTimeFormatter(r.timeZone)(c.finishedAt ?? c.startedAt))} ` +
      `(${c.checked + c.skipped}/${c.total}, ${l.checkErrors} ${c.errors})`,
  );
  // Items DropPay did not answer for were not checked: "no mismatches" covers only the rest.
  if (c.errors > 0) f.row(`${l.incomplete}: ${c.errors}`, 9, 'bold');
  f.row(`${l.mismatches}: ${c.mismatches.length}`, 9, 'bold');
  if (c.mismatches.length === 0) f.row(c.errors > 0 ? l.noMismatchesRead : l.noMismatches, 8);
  if (c.changedSince > 0) f.row(`${l.changedSince}: ${c.changedSince}`, 8, 'bold');
  findings(f, c.mismatches, lang, l);
  if (c.settled.length > 0) {
    f.row(`${l.settled}: ${c.settled.length}`, 9, 'bold');
    findings(f, c.settled, lang, l);
  }
}

function integrity(f: Flow, r: DayReport, l: Labels): void {
  f.heading(l.chain);
  const state = r.chain.ok === true ? l.chainOk : r.chain.ok === false ? l.chainBroken : l.chainSkipped;
  // "verified: 12 events after the last closure's anchor (#135)", not "verified (12, events…)".
  const events = `${r.chain.count} ${r.chain.count === 1 ? l.events.one : l.events.other}`;
  const scope = r.chain.scope === 'since-last-closure' ? ` ${l.sinceClosure} (#${r.chain.fromSeq})` : '';
  f.row(r.chain.scope === 'none' ? state : `${state}: ${events}${scope}`, 9, 'bold');
  if (r.chain.ok === false) f.wrapped(r.chain.message ?? '', 8);
  f.row(`${l.head}: #${r.chain.headSeq} ${r.chain.headHash}`, 7, 'mono');
  if (r.closure) {
    f.row(
      `${l.closure} #${r.closure.seq}: ${l.head} #${r.closure.chainHeadSeq} ${r.closure.chainHeadHash}`,
      7,
      'mono',
    );
    f.row(`${l.closure} hash: ${r.closure.hash}`, 7, 'mono');
    if (!r.closure.anchorIntact) f.row(l.anchorBroken, 8, 'bold');
  }
}

export interface PdfOptions {
  /** The labels' language; default Italian. */
  lang?: Lang;
  /**
   * The day's charge and refund lines for the movements section, as `exportPdf` reads them
   * (for a closed day, as at its close); without them the report has no movements section.
   */
  lines?: readonly ItemTuple[];
}

/** The report as a PDF file (A4). */
export function renderReportPdf(report: DayReport, options: PdfOptions = {}): Buffer {
  const lang = options.lang ?? 'it';
  const l = LABELS[lang];
  const doc = new PdfDocument();
  const f = new Flow(doc);
  header(f, report, l);
  totals(f, report, l, lang);
  byPolicy(f, report, l, lang);
  chart(f, report, l, lang);
  openItems(f, report, l, lang);
  check(f, report, l, lang);
  adjustments(f, l.adjustments, report.adjustments, lang, l);
  adjustments(f, l.later, report.laterAdjustments, lang, l);
  integrity(f, report, l);
  // Last: the summary stays on the first pages, the list runs as long as the day was busy.
  if (options.lines) movements(f, options.lines, report.timeZone, l, lang);
  doc.pages.forEach((page, i) => {
    page.textRight(RIGHT, 30, `${l.page} ${i + 1} ${l.of} ${doc.pages.length}`, 8);
    page.text(MARGIN, 30, `${dayFirst(report.day)} · DropPay Cashier`, 'regular', 8, [0.4, 0.4, 0.4]);
  });
  return doc.toBuffer({ title: `${l.title} ${report.day}`, createdAt: report.generatedAt });
}

/**
 * The day's report with its movements as a PDF: the report and the same lines as
 * `exportCsv`, read in one transaction.
 */
export function exportPdf(
  source: BookSource,
  day: string,
  options: { lang?: Lang } & ReportOptions = {},
): Buffer {
  const { report, lines } = reportWithLines(source, day, options);
  return renderReportPdf(report, { lines, ...(options.lang === undefined ? {} : { lang: options.lang }) });
}
