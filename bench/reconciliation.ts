import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../electron/main/journal';
import {
  buildDayReport,
  dayWindow,
  exportCsv,
  exportPdf,
  openDayBookFile,
  type DayBook,
} from '../electron/main/reconciliation';
import { atMost, type BenchRow } from './lib/report';
import { median } from './lib/timing';

/**
 * The end-of-day report, the CSV export and the PDF over a journal of 1,000,000 sales: a year of about
 * 2,700 sales a day, and one very busy day of 10,000 (a sale every 9 seconds round the clock). The report and
 * the CSV are each measured against the equivalent hand-written SQL (the aggregate, or a plain
 * dump of the same rows) in the same run; the PDF, which reads what the CSV reads, has an upper
 * bound only. The journal is built with raw INSERTs in one transaction: the rows are real rows of
 * the real schema (triggers and indexes included), but they all point at one real event, so
 * the hash chain is valid yet short: chain verification costs nothing here and is measured
 * on its own elsewhere (it grows with the whole log, not with the day).
 */

const TOTAL = 1_000_000;
const BUSY = 10_000;
const DAYS = 365;
const BUSY_DAY = '2026-05-04';
const TYPICAL_DAY = '2026-03-10';
const ZONE = 'Europe/Rome';

/** Every day of the bench's year with its number of sales, in calendar order. */
function days(): { day: string; sales: number }[] {
  const out: { day: string; sales: number }[] = [];
  const quiet = DAYS - 1;
  const each = Math.floor((TOTAL - BUSY) / quiet);
  let extra = TOTAL - BUSY - each * quiet;
  for (let i = 0; i < DAYS; i += 1) {
    const day = new Date(Date.UTC(2025, 10, 1 + i)).toISOString().slice(0, 10);
    const sales = day === BUSY_DAY ? BUSY : each + (extra > 0 ? 1 : 0);
    if (day !== BUSY_DAY && extra > 0) extra -= 1;
    out.push({ day, sales });
  }
  return out;
}

export function buildBenchJournal(path: string): void {
  const j = openJournal({ path });
  j.setSetting('store.name', 'Bench'); // event 1: every row below points at it
  j.close();
  const db = new Database(path);
  // A throw-away file: no rollback journal, no fsync, a big cache; WAL again at the end.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  // Indexes are dropped for the load and built again after it, which is much faster.
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL
         AND tbl_name IN ('sales', 'charges', 'refunds')`,
    )
    .all();
  for (const { name } of indexes) db.exec(`DROP INDEX ${name}`);
  const sale = db.prepare(
    `INSERT INTO sales (id, merchant_ref, amount, description, policy, state, authorization_id, authorization_status,
       sharing_url, business_day, created_at, updated_at, last_error, last_event_seq)
     VALUES (?, ?, ?, 'Bench', ?, ?, ?, 'GRANTED', 'x', ?, ?, ?, NULL, 1)`,
  );
  const charge = db.prepare(
    `INSERT INTO charges (id, sale_id, droppay_id, amount, status, origin, business_day, created_at, updated_at,
       last_error, last_event_seq) VALUES (?, ?, ?, ?, ?, 'terminal', ?, ?, ?, NULL, 1)`,
  );
  const refund = db.prepare(
    `INSERT INTO refunds (id, charge_id, droppay_id, amount, reason, status, attempt, business_day, created_at,
       updated_at, last_error, last_event_seq) VALUES (?, ?, ?, ?, 'Reso', 'DONE', 1, ?, ?, ?, NULL, 1)`,
  );
  // Chronological, as a till writes them: a day's rows sit together in the file.
  db.transaction(() => {
    let i = 0;
    for (const { day, sales } of days()) {
      const start = dayWindow(day, ZONE, 0).startMs;
      const step = Math.floor(82_800_000 / sales);
      for (let k = 0; k < sales; k += 1, i += 1) {
        const t = start + 1_800_000 + k * step;
        const at = new Date(t).toISOString();
        const amount = 100 + ((i * 37) % 10_000);
        const policy = i % 10 === 0 ? 'BOOKED' : i % 17 === 0 ? 'CHARGED' : 'CHARGEABLE';
        const status =
          i % 50 === 0 ? 'FAILED' : i % 333 === 0 ? 'unknown' : i % 2 === 0 ? 'DONE' : 'ACCOUNTED';
        const state = status === 'FAILED' ? 'failed' : status === 'unknown' ? 'unknown' : 'paid';
        // Zero-padded ids keep every index append-only, as time-ordered ids would.
        const n = String(i).padStart(7, '0');
        sale.run(`s${n}`, `S-${n}`, amount, policy, state, `CHT${n}`, day, at, at);
        const cAt = new Date(t + 1000).toISOString();
        charge.run(`c${n}`, `s${n}`, status === 'unknown' ? null : `CHA${n}`, amount, status, day, cAt, cAt);
        if (i % 20 === 1 && state === 'paid') {
          const rAt = new Date(t + 60_000).toISOString();
          refund.run(`r${n}`, `c${n}`, `CHR${n}`, Math.floor(amount / 2), day, rAt, rAt);
        }
      }
    }
  })();
  for (const { sql } of indexes) db.exec(sql);
  db.pragma('journal_mode = WAL');
  db.pragma('optimize');
  db.close();
}

/** The same numbers the report gives, as one would write them by hand against the schema. */
function rawAggregate(db: Database.Database): (day: string) => unknown {
  const charges = db.prepare(
    `SELECT c.status, s.policy, substr(c.created_at, 1, 16) AS minute, count(*) AS n, sum(c.amount) AS cents
       FROM charges c JOIN sales s ON s.id = c.sale_id WHERE c.business_day = ? GROUP BY 1, 2, 3`,
  );
  const refunds = db.prepare(
    `SELECT r.status, s.policy, substr(r.created_at, 1, 16) AS minute, count(*) AS n, sum(r.amount) AS cents
       FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id
      WHERE r.business_day = ? GROUP BY 1, 2, 3`,
  );
  const sales = db.prepare('SELECT policy, state, count(*) FROM sales WHERE business_day = ? GROUP BY 1, 2');
  const openSales = db.prepare(
    `SELECT * FROM sales WHERE business_day = ? AND state IN ('authorizing', 'unknown')`,
  );
  const openCharges = db.prepare(
    `SELECT * FROM charges WHERE business_day = ? AND status IN ('intent', 'pending', 'unknown')`,
  );
  const openRefunds = db.prepare(
    `SELECT * FROM refunds WHERE business_day = ? AND status IN ('intent', 'ENQUEUED', 'unknown')`,
  );
  const preauth = db.prepare(
    `SELECT * FROM sales WHERE business_day = ? AND policy = 'BOOKED' AND authorization_status = 'GRANTED' AND state <> 'paid'`,
  );
  return (day) => [
    charges.all(day),
    refunds.all(day),
    sales.all(day),
    openSales.all(day),
    openCharges.all(day),
    openRefunds.all(day),
    preauth.all(day),
  ];
}

/** The same lines the CSV has, fetched and joined with no formatting at all (the totals lines come from the aggregate). */
function rawDump(db: Database.Database): (day: string) => string {
  const rows = db
    .prepare(
      `SELECT 'charge', c.created_at, s.merchant_ref, s.policy, c.id, c.droppay_id, c.status, c.amount, c.amount, s.description,
              NULL, c.created_at
         FROM charges c JOIN sales s ON s.id = c.sale_id WHERE c.business_day = @day
       UNION ALL
       SELECT 'refund', r.created_at, s.merchant_ref, s.policy, r.id, r.droppay_id, r.status, r.amount, r.amount, s.description,
              r.reason, r.created_at
         FROM refunds r JOIN charges c ON c.id = r.charge_id JOIN sales s ON s.id = c.sale_id WHERE r.business_day = @day
       ORDER BY 2, 1`,
    )
    .raw();
  return (day) => (rows.all({ day }) as unknown[][]).map((r) => r.join(',')).join('\r\n');
}

/**
 * Medians of `a` and `b` over `runs` rounds, the two taking turns within each round, so drift
 * (GC, page cache, CPU frequency, another process) falls on both alike.
 */
function timePair(runs: number, a: () => unknown, b: () => unknown): [number, number] {
  a(); // warm the page cache and the statement cache
  b();
  const ta: number[] = [];
  const tb: number[] = [];
  const once = (fn: () => unknown, into: number[]): void => {
    const start = performance.now();
    fn();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < runs; i += 1) {
    if (i % 2 === 0) {
      once(a, ta);
      once(b, tb);
    } else {
      once(b, tb);
      once(a, ta);
    }
  }
  return [median(ta), median(tb)];
}

function measure(
  book: DayBook,
  raw: Database.Database,
  day: string,
  label: string,
  runs: number,
): BenchRow[] {
  const aggregate = rawAggregate(raw);
  const dump = rawDump(raw);
  const [report, sql] = timePair(
    runs,
    () => buildDayReport(book, day),
    () => aggregate(day),
  );
  const [csv, rows] = timePair(
    Math.max(5, Math.floor(runs / 2)),
    () => exportCsv(book, day, { separator: 'semicolon' }),
    () => [dump(day), aggregate(day)],
  );
  // The PDF lists every movement of the day (about 150 pages on the busiest): no SQL to hold it
  // against, since the reads are the CSV's; an upper bound for an export asked for by hand.
  exportPdf(book, day);
  const pdf: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const start = performance.now();
    exportPdf(book, day);
    pdf.push(performance.now() - start);
  }
  const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;
  return [
    atMost(`report, ${label}`, Number(report.toFixed(1)), 'ms', 200),
    atMost(
      `report / raw SQL aggregate, ${label}`,
      Number((report / sql).toFixed(2)),
      'ratio',
      1.5,
      `${fmt(report)} vs ${fmt(sql)}`,
    ),
    atMost(`CSV export, ${label}`, Number(csv.toFixed(1)), 'ms', 5000),
    atMost(
      `CSV / raw row dump + aggregate, ${label}`,
      Number((csv / rows).toFixed(2)),
      'ratio',
      1.5,
      `${fmt(csv)} vs ${fmt(rows)}`,
    ),
    atMost(`PDF export with its movements, ${label}`, Number(median(pdf).toFixed(1)), 'ms', 5000),
  ];
}

function runBenches(): BenchRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-bench-recon-'));
  try {
    const path = join(dir, 'journal.sqlite');
    const started = performance.now();
    buildBenchJournal(path);
    process.stderr.write(
      `  built a journal of ${TOTAL.toLocaleString('en-US')} sales in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    const book = openDayBookFile({ path, readOnly: true });
    const raw = new Database(path, { readonly: true });
    try {
      const typical = buildDayReport(book, TYPICAL_DAY).sales.count;
      const busy = buildDayReport(book, BUSY_DAY).sales.count;
      return [
        ...measure(book, raw, TYPICAL_DAY, `typical day (${typical.toLocaleString('en-US')} sales)`, 30),
        ...measure(book, raw, BUSY_DAY, `busiest day (${busy.toLocaleString('en-US')} sales)`, 9),
      ];
    } finally {
      raw.close();
      book.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The suite for bench/run.ts (synchronous inside: better-sqlite3 is). */
export function reconciliationBenches(): Promise<BenchRow[]> {
  return new Promise((resolve) => resolve(runBenches()));
}
