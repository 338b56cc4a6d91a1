import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDayReport, type DayReport } from '../../../electron/main/reconciliation';
import { openJournal, type Journal } from '../../../electron/main/journal';
import { markDayChecked } from '../../support/checked-day';
import { editEventPayload } from '../../support/journal-file';
import { chargedSale, clock, tempDir, type Clock } from './harness';
import { pdfText } from './pdf-text';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'electron/main/reconciliation/cli.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** Runs the command line; DROPPAY_ENV and DROPPAY_DATA_DIR only as the test gives them. */
function report(args: string[], env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base['DROPPAY_ENV'];
  delete base['DROPPAY_DATA_DIR'];
  const r = spawnSync(TSX, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'buffer',
    timeout: 60_000,
    env: { ...base, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** The report of `day` read straight from a journal file (not through the command line). */
function reportOf(path: string, day: string): DayReport {
  const j = openJournal({ path, cutoffHour: 4 });
  try {
    return buildDayReport(j, day);
  } finally {
    j.close();
  }
}

/**
 * The folder's files and their hashes. A read-only SQLite connection to a WAL journal may leave
 * an empty -wal and a -shm index behind (SQLite's own bookkeeping, rebuilt on the next open);
 * the journal file itself must not change by a byte, and the -wal must hold nothing.
 */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir).filter((f) => !f.endsWith('-shm'));
  return Object.fromEntries(
    files
      .filter((f) => !(f.endsWith('-wal') && statSync(join(dir, f)).size === 0))
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

/**
 * A journal file that says: store `storeName`, cut-off 04:00; on business day 2026-05-04 two
 * DONE charges (12.34 + 1.00) and a FAILED one, and (unless `checked` is false) a check with
 * DropPay that found nothing; then `more` writes further rows.
 */
function writeJournal(
  path: string,
  storeName = 'Bar Centrale',
  more: (j: Journal, c: Clock) => void = () => undefined,
  checked = true,
): void {
  const c = clock('2026-05-04T10:00:00.000Z');
  const j = openJournal({ path, now: c.now });
  j.setSetting('store.name', storeName);
  j.setSetting('business.cutoff_hour', '4');
  j.close();
  const k = openJournal({ path, now: c.now, cutoffHour: 4 });
  chargedSale(k, 1234, 'DONE');
  c.set('2026-05-05T01:30:00.000Z'); // 03:30 on the 5th: still business day 4 with cut-off 04:00
  chargedSale(k, 100, 'DONE');
  chargedSale(k, 55, 'FAILED');
  more(k, c);
  k.close();
  if (checked) markDayChecked(path, '2026-05-04', '2026-05-05T02:00:00.000Z');
}

/** A data folder with that production journal (`<dir>/journal.sqlite`). */
function dataDir(more?: (j: Journal, c: Clock) => void): string {
  const dir = tempDir();
  writeJournal(join(dir, 'journal.sqlite'), 'Bar Centrale', more);
  return dir;
}

/** A charge on 2026-05-05 whose outcome never came back. */
function unknownOnThe5th(j: Journal, c: Clock): void {
  c.set('2026-05-05T10:00:00.000Z');
  chargedSale(j, 777, 'unknown');
}

/** An amount in a stored event of 2026-05-04 changed behind the journal's back. */
function alteredEvent(dir: string): number {
  const path = join(dir, 'journal.sqlite');
  const db = new Database(path, { readonly: true });
  const seq = db.prepare(`SELECT min(seq) FROM events WHERE kind = 'charge.intent'`).pluck().get() as number;
  db.close();
  editEventPayload(path, seq, (p) => JSON.stringify({ ...(JSON.parse(p) as object), amount: 1 }));
  return seq;
}

describe('npm run report (the command line)', () => {
  it('prints the JSON report, with the cut-off and store name from the journal, and never writes', () => {
    const dir = dataDir();
    const before = snapshot(dir);
    const r = report(['--day', '2026-05-04', '--format', 'json', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout.toString('utf8')) as DayReport;
    expect(json).toMatchObject({ day: '2026-05-04', cutoffHour: 4, storeName: 'Bar Centrale' });
    expect(json.totals).toEqual({ chargedCents: 1334, refundedCents: 0, netCents: 1334 });
    expect(snapshot(dir)).toEqual(before);
    const j = openJournal({ path: join(dir, 'journal.sqlite'), cutoffHour: 4 });
    try {
      const direct = buildDayReport(j, '2026-05-04');
      expect({ ...json, generatedAt: '' }).toEqual({ ...direct, generatedAt: '' });
    } finally {
      j.close();
    }
  });

  it('writes CSV with semicolons and decimal commas, and a PDF, to --out', async () => {
    const dir = dataDir();
    const out = tempDir();
    const csv = report([
      '--day',
      '2026-05-04',
      '--format',
      'csv',
      '--separator',
      'semicolon',
      '--out',
      join(out, 'g.csv'),
      '--data-dir',
      dir,
    ]);
    expect([csv.status, csv.stderr]).toEqual([0, '']);
    const text = readFileSync(join(out, 'g.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('tipo;ora_locale');
    expect(text).toContain(';12,34;12,34;');
    expect(text).toContain('2026-05-05 03:30:00');
    const pdf = report([
      '--day',
      '2026-05-04',
      '--format',
      'pdf',
      '--out',
      join(out, 'g.pdf'),
      '--data-dir',
      dir,
    ]);
    expect([pdf.status, pdf.stderr]).toEqual([0, '']);
    const read = await pdfText(readFileSync(join(out, 'g.pdf')));
    expect(read.text).toContain('13,34 €');
    expect(read.text).toContain('Bar Centrale');
    // With its movements, the one after midnight (the day ends at 04:00) last, in Rome's time.
    const movements = read.text.replace(/\s+/g, ' ');
    expect(movements).toMatch(
      /Movimenti: 3 Ora Vendita Tipo Descrizione Stato Importo 12:00:00 S-\d{8}-\w{6} addebito Vendita 1234 eseguito 12,34 € 03:30:00 S-\d{8}-\w{6} addebito Vendita 100 eseguito 1,00 €/,
    );
  });

  it('explains wrong usage (exit 2) and a missing journal (exit 1)', () => {
    const dir = dataDir();
    expect(report(['--day', '2026-05-04', '--format', 'xml', '--data-dir', dir])).toMatchObject({
      status: 2,
    });
    const bad = report(['--day', '04/05/2026', '--data-dir', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_DAY/);
    expect(report(['--bogus'])).toMatchObject({ status: 2 });
    const missing = report(['--day', '2026-05-04', '--data-dir', join(dir, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/CANNOT_OPEN/);
    expect(missing.stderr).toContain(join(dir, 'nope', 'journal.sqlite'));
    expect(missing.stderr).not.toContain('--env sandbox)'); // no sandbox journal there either
    const file = join(dir, 'other.sqlite');
    const named = report(['--list-closed', '--journal', file]);
    expect([named.status, named.stdout.toString('utf8')]).toEqual([1, '']);
    expect(named.stderr).toContain(`no journal at ${file}`);
    expect(existsSync(file)).toBe(false); // never created by the attempt
  }, 120_000);
});

describe('npm run report -- --close (closing a day from the command line)', () => {
  it('closes the day, as buildDayReport then shows; a second close is refused', () => {
    const dir = dataDir();
    const journal = join(dir, 'journal.sqlite');
    expect(reportOf(journal, '2026-05-04').closure).toBeNull();
    const out = join(tempDir(), 'closed.json');
    const r = report(['--close', '--day', '2026-05-04', '--data-dir', dir, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const summary = r.stdout.toString('utf8');
    expect(summary).toContain('closed business day 2026-05-04: closure 1');
    expect(summary).toContain(`journal   ${journal}`);
    expect(summary).toMatch(/charged +13\.34 EUR \(2 charges\)/);
    expect(summary).toMatch(/refunded +0\.00 EUR \(0 refunds\)/);
    expect(summary).toMatch(/net +13\.34 EUR/);
    expect(summary).not.toContain('forced');

    const direct = reportOf(journal, '2026-05-04');
    expect(direct.closure).toMatchObject({ seq: 1, day: '2026-05-04', forcedReason: null });
    expect(direct.totals).toEqual({ chargedCents: 1334, refundedCents: 0, netCents: 1334 });
    expect(summary).toContain(`chain head: event ${direct.closure?.chainHeadSeq}`);
    // --out: the report of the day as closed.
    const written = JSON.parse(readFileSync(out, 'utf8')) as DayReport;
    expect(written.closure).toMatchObject({ seq: 1, hash: direct.closure?.hash });

    const before = snapshot(dir);
    const again = report(['--close', '--day', '2026-05-04', '--data-dir', dir]);
    expect(again.status).toBe(1);
    expect(again.stdout.toString('utf8')).toBe('');
    expect(again.stderr).toMatch(/ALREADY_CLOSED: business day 2026-05-04 is already closed/);
    expect(snapshot(dir)).toEqual(before); // the refusal wrote nothing
  }, 120_000);

  it('refuses a day never checked with DropPay, saying how; closes it with --reason, which says so', () => {
    const dir = tempDir();
    const journal = join(dir, 'journal.sqlite');
    writeJournal(journal, 'Bar Centrale', undefined, false);
    const before = snapshot(dir);
    const refused = report(['--close', '--day', '2026-05-04', '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stdout.toString('utf8')).toBe('');
    expect(refused.stderr).toContain(
      'close refused: UNCHECKED: 2026-05-04 has not been checked with DropPay',
    );
    expect(refused.stderr).toContain('--reason');
    expect(snapshot(dir)).toEqual(before);

    const reason = 'DropPay irraggiungibile a fine giornata';
    const forced = report(['--close', '--day', '2026-05-04', '--data-dir', dir, '--reason', reason]);
    expect([forced.status, forced.stderr]).toEqual([0, '']);
    expect(forced.stdout.toString('utf8')).toContain(`forced: ${reason} (never checked with DropPay)`);
    expect(reportOf(journal, '2026-05-04').closure).toMatchObject({ forcedReason: reason });
  }, 120_000);

  it('refuses a day with an unknown outcome, listing it; closes it with --reason, which is stored', () => {
    const dir = dataDir(unknownOnThe5th);
    const journal = join(dir, 'journal.sqlite');
    const open = reportOf(journal, '2026-05-05');
    expect(open.unsettled).toHaveLength(1);
    const ref = open.unsettled[0]?.merchantRef ?? 'missing';

    const before = snapshot(dir);
    const refused = report(['--close', '--day', '2026-05-05', '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stdout.toString('utf8')).toBe('');
    expect(refused.stderr).toContain('UNSETTLED');
    expect(refused.stderr).toMatch(new RegExp(`charge +${ref} +7\\.77 EUR +status unknown`));
    expect(refused.stderr).toContain('--reason');
    expect(snapshot(dir)).toEqual(before);
    expect(reportOf(journal, '2026-05-05').closure).toBeNull();

    const empty = report(['--close', '--day', '2026-05-05', '--data-dir', dir, '--reason', '  ']);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('INVALID_REASON');
    expect(reportOf(journal, '2026-05-05').closure).toBeNull();

    const reason = 'Terminale spento: esito verificato domani con DropPay';
    const forced = report(['--close', '--day', '2026-05-05', '--data-dir', dir, '--reason', reason]);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout.toString('utf8')).toContain(
      `forced: ${reason} (1 outcome(s) still unknown; never checked with DropPay)`,
    );
    const closed = reportOf(journal, '2026-05-05');
    expect(closed.closure).toMatchObject({ seq: 1, day: '2026-05-05', forcedReason: reason });
    expect(closed.unsettled).toHaveLength(1);
  }, 120_000);

  it('reaches the sandbox journal with --env sandbox or DROPPAY_ENV=sandbox, and hints at it', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sandbox'));
    const sandbox = join(dir, 'sandbox', 'journal.sqlite');
    writeJournal(sandbox, 'Bar Prova');

    const noProduction = report(['--close', '--day', '2026-05-04', '--data-dir', dir]);
    expect(noProduction.status).toBe(1);
    expect(noProduction.stderr).toContain(`no journal at ${join(dir, 'journal.sqlite')}`);
    expect(noProduction.stderr).toContain(`the sandbox journal is at ${sandbox}: add --env sandbox`);
    expect(existsSync(join(dir, 'journal.sqlite'))).toBe(false);

    const json = report(['--env', 'sandbox', '--day', '2026-05-04', '--data-dir', dir]);
    expect([json.status, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout.toString('utf8'))).toMatchObject({
      storeName: 'Bar Prova',
      totals: { chargedCents: 1334, refundedCents: 0, netCents: 1334 },
    });

    const closed = report(['--close', '--day', '2026-05-04', '--data-dir', dir], { DROPPAY_ENV: 'sandbox' });
    expect([closed.status, closed.stderr]).toEqual([0, '']);
    expect(closed.stdout.toString('utf8')).toContain(`journal   ${sandbox}`);
    expect(reportOf(sandbox, '2026-05-04').closure).toMatchObject({ seq: 1 });
    // --env wins over DROPPAY_ENV; an unknown --env is wrong usage.
    const production = report(['--env', 'production', '--list-closed', '--data-dir', dir], {
      DROPPAY_ENV: 'sandbox',
    });
    expect(production.status).toBe(1);
    expect(production.stderr).toContain(`no journal at ${join(dir, 'journal.sqlite')}`);
    expect(report(['--env', 'staging', '--list-closed', '--data-dir', dir])).toMatchObject({ status: 2 });
  }, 120_000);

  it('closes only the chosen environment’s journal', () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'sandbox'));
    const sandbox = join(dir, 'sandbox', 'journal.sqlite');
    writeJournal(sandbox, 'Bar Prova');
    const r = report(['--close', '--env', 'sandbox', '--day', '2026-05-04', '--data-dir', dir]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(reportOf(sandbox, '2026-05-04').closure).toMatchObject({ seq: 1 });
    expect(reportOf(join(dir, 'journal.sqlite'), '2026-05-04').closure).toBeNull();
  }, 120_000);

  it('lists the closed days, newest first, without writing', () => {
    const dir = dataDir(unknownOnThe5th);
    const none = report(['--list-closed', '--data-dir', dir]);
    expect([none.status, none.stdout.toString('utf8'), none.stderr]).toEqual([0, '', '']);

    expect(report(['--close', '--day', '2026-05-04', '--data-dir', dir]).status).toBe(0);
    const forced = ['--close', '--day', '2026-05-05', '--reason', 'rete assente', '--data-dir', dir];
    expect(report(forced).status).toBe(0);

    const before = snapshot(dir);
    const list = report(['--list-closed', '--journal', join(dir, 'journal.sqlite')]);
    expect(list.stderr).toBe('');
    expect(list.status).toBe(0);
    expect(list.stdout.toString('utf8')).toBe(
      '2  2026-05-05  net 0.00  charges 0  refunds 0  forced\n' +
        '1  2026-05-04  net 13.34  charges 2  refunds 0\n',
    );
    // The same list as CSV for Italian Excel, oldest first, with the total.
    const csv = report(['--list-closed', '--format', 'csv', '--separator', 'semicolon', '--data-dir', dir]);
    expect([csv.status, csv.stderr]).toEqual([0, '']);
    const rows = csv.stdout
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(rows[0]?.split(';')[0]).toBe('chiusura');
    expect(rows.slice(1).map((r) => r.split(';')[1])).toEqual([
      '2026-05-04',
      '2026-05-05',
      '2026-05-04/2026-05-05',
    ]);
    expect(rows[3]?.split(';')[7]).toBe('13,34');
    expect(report(['--list-closed', '--format', 'pdf', '--data-dir', dir])).toMatchObject({ status: 2 });
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('refuses the combinations that mean nothing (exit 2), before touching the journal', () => {
    const dir = dataDir();
    const before = snapshot(dir);
    const cases = [
      { args: ['--close', '--data-dir', dir], says: '--close needs --day' },
      { args: ['--close', '--day', '2026-05-04', '--format', 'pdf', '--data-dir', dir], says: '--out FILE' },
      {
        args: ['--close', '--day', '2026-05-04', '--format', 'xml', '--out', 'x', '--data-dir', dir],
        says: '--format',
      },
      {
        args: ['--day', '2026-05-04', '--reason', 'x', '--data-dir', dir],
        says: '--reason only goes with --close',
      },
      {
        args: ['--list-closed', '--close', '--day', '2026-05-04', '--data-dir', dir],
        says: '--list-closed takes no',
      },
    ];
    for (const c of cases) {
      const r = report(c.args);
      expect({ args: c.args, status: r.status }).toEqual({ args: c.args, status: 2 });
      expect(r.stderr).toContain(c.says);
      expect(r.stderr).toContain('usage: npm run report --');
    }
    expect(snapshot(dir)).toEqual(before);
    expect(reportOf(join(dir, 'journal.sqlite'), '2026-05-04').closure).toBeNull();
    const help = report(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout.toString('utf8')).toContain(
      'npm run report -- --close --day YYYY-MM-DD [--reason TEXT]',
    );
  }, 120_000);

  it('refuses to close a day on a journal whose chain is broken; --reason closes it and says why', () => {
    const dir = dataDir();
    const journal = join(dir, 'journal.sqlite');
    const seq = alteredEvent(dir);
    const refused = report(['--close', '--day', '2026-05-04', '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('CHAIN_BROKEN');
    expect(refused.stderr).toContain(`broken at event ${seq}`);
    expect(refused.stderr).toContain('--reason');
    expect(reportOf(journal, '2026-05-04').closure).toBeNull();

    const reason = 'Registro ripristinato dal tecnico';
    const forced = report(['--close', '--day', '2026-05-04', '--data-dir', dir, '--reason', reason]);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout.toString('utf8')).toContain(
      `forced: ${reason} (journal chain broken at event ${seq})`,
    );
  }, 60_000);
});
