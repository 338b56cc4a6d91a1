/**
 * What a check with DropPay leaves behind (migration 0002's recon_checks and recon_check_runs):
 * one row per item with the journal seq it was checked at, so a re-run skips every item that
 * is unchanged since and had a final answer, and the report can list the findings.
 */
import type Database from 'better-sqlite3';
import type { BusinessDay } from '../journal/business-day';
import type { Finding } from './hints';
import type { CheckSection } from './types';

export type CheckResult = 'match' | 'mismatch' | 'settled' | 'pending' | 'error';
export type CheckItemKind = 'authorization' | 'charge' | 'refund';

export interface CheckRow {
  business_day: string;
  item_kind: CheckItemKind;
  item_id: string;
  sale_id: string;
  journal_seq: number;
  result: CheckResult;
  droppay_status: string | null;
  droppay_amount: number | null;
  findings: string;
  checked_at: string;
}

/** Answers worth keeping: a pending or failed read is asked again next time. */
export function isFinal(result: CheckResult): boolean {
  return result === 'match' || result === 'mismatch' || result === 'settled';
}

export function storedChecks(db: Database.Database, day: BusinessDay): Map<string, CheckRow> {
  const rows = db.prepare<[string], CheckRow>('SELECT * FROM recon_checks WHERE business_day = ?').all(day);
  return new Map(rows.map((r) => [`${r.item_kind}:${r.item_id}`, r]));
}

export function saveCheck(db: Database.Database, row: CheckRow): void {
  db.prepare<[CheckRow], unknown>(
    `INSERT INTO recon_checks (business_day, item_kind, item_id, sale_id, journal_seq, result, droppay_status,
       droppay_amount, findings, checked_at)
     VALUES (@business_day, @item_kind, @item_id, @sale_id, @journal_seq, @result, @droppay_status,
       @droppay_amount, @findings, @checked_at)
     ON CONFLICT (business_day, item_kind, item_id) DO UPDATE SET sale_id = excluded.sale_id,
       journal_seq = excluded.journal_seq, result = excluded.result, droppay_status = excluded.droppay_status,
       droppay_amount = excluded.droppay_amount, findings = excluded.findings, checked_at = excluded.checked_at`,
  ).run(row);
}

export interface RunCounts {
  total: number;
  checked: number;
  skipped: number;
  errors: number;
}

export function startRun(db: Database.Database, day: BusinessDay, at: string, total: number): void {
  db.prepare(
    `INSERT INTO recon_check_runs (business_day, started_at, finished_at, total, checked, skipped, errors)
     VALUES (?, ?, NULL, ?, 0, 0, 0)
     ON CONFLICT (business_day) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL,
       total = excluded.total, checked = 0, skipped = 0, errors = 0`,
  ).run(day, at, total);
}

export function updateRun(
  db: Database.Database,
  day: BusinessDay,
  counts: RunCounts,
  finishedAt: string | null,
): void {
  db.prepare(
    `UPDATE recon_check_runs SET total = ?, checked = ?, skipped = ?, errors = ?, finished_at = ?
     WHERE business_day = ?`,
  ).run(counts.total, counts.checked, counts.skipped, counts.errors, finishedAt, day);
}

/** The last check of `day`, with its findings split into open mismatches and settled outcomes. */
export function checkSection(db: Database.Database, day: BusinessDay): CheckSection | null {
  const run = db
    .prepare<
      [string],
      {
        started_at: string;
        finished_at: string | null;
        total: number;
        checked: number;
        skipped: number;
        errors: number;
      }
    >('SELECT * FROM recon_check_runs WHERE business_day = ?')
    .get(day);
  if (run === undefined) return null;
  const mismatches: Finding[] = [];
  const settled: Finding[] = [];
  const rows = db
    .prepare<[string], { findings: string }>(
      `SELECT findings FROM recon_checks WHERE business_day = ? AND findings <> '[]' ORDER BY checked_at, item_id`,
    )
    .all(day);
  for (const r of rows) {
    for (const f of JSON.parse(r.findings) as Finding[])
      (f.code === 'SETTLED' ? settled : mismatches).push(f);
  }
  return {
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    total: run.total,
    checked: run.checked,
    skipped: run.skipped,
    errors: run.errors,
    changedSince: changedSinceCheck(db, day),
    mismatches,
    settled,
  };
}

/**
 * The day's charges and refunds this check does not cover as they are now: made after it, or
 * changed in the journal since it read them (a refund, a late outcome, a sale after closing).
 * A paid item that went from DONE to ACCOUNTED since is still covered: the money moved before
 * and after, and the check's answer about it stands.
 */
function changedSinceCheck(db: Database.Database, day: BusinessDay): number {
  const stale = (table: 'charges' | 'refunds', kind: CheckItemKind, statusKey: string): string => `
    SELECT count(*) FROM ${table} x LEFT JOIN recon_checks k
      ON k.business_day = @day AND k.item_kind = '${kind}' AND k.item_id = x.id
    WHERE x.business_day = @day AND (k.journal_seq IS NULL OR (k.journal_seq <> x.last_event_seq
      AND NOT (x.status IN ('DONE', 'ACCOUNTED') AND (SELECT json_extract(e.payload, '$.${statusKey}')
        FROM events e WHERE e.seq = k.journal_seq) IN ('DONE', 'ACCOUNTED'))))`;
  return (
    db
      .prepare<[{ day: string }], number>(
        `SELECT (${stale('charges', 'charge', 'charge_status')}) + (${stale('refunds', 'refund', 'refund_status')})`,
      )
      .pluck()
      .get({ day }) ?? 0
  );
}
