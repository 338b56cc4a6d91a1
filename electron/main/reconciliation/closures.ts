/**
 * Day closures as stored: read, chained and verified. Each closure hashes its predecessor's
 * hash with its own fields (the report snapshot included), like the event log, and names the
 * event log's head at that moment; so a closure cannot be edited, dropped or reordered, nor
 * the log cut back behind it, without the report showing it.
 */
import type Database from 'better-sqlite3';
import type { BusinessDay } from '../journal/business-day';
import { canonicalJson, sha256Hex } from '../journal/canonical-json';
import { GENESIS_HASH } from '../journal/hash-chain';
import type { ClosureInfo, DayReport } from './types';

export interface ClosureRow {
  seq: number;
  business_day: string;
  time_zone: string;
  cutoff_hour: number;
  charges_done_count: number;
  charged_cents: number;
  charges_failed_count: number;
  refunds_done_count: number;
  refunded_cents: number;
  net_cents: number;
  adjustments_count: number;
  adjustments_net_cents: number;
  unsettled_count: number;
  chain_head_seq: number;
  chain_head_hash: string;
  report_json: string;
  created_at: string;
  forced_reason: string | null;
  prev_hash: string;
  hash: string;
}

export function closureHash(row: Omit<ClosureRow, 'hash'>): string {
  const { prev_hash: prev, ...fields } = row;
  return sha256Hex(prev + canonicalJson(fields));
}

export function closureOf(db: Database.Database, day: BusinessDay): ClosureRow | null {
  return (
    db.prepare<[string], ClosureRow>('SELECT * FROM day_closures WHERE business_day = ?').get(day) ?? null
  );
}

/** Every closed day and the event seq its closure covered, oldest first. */
export function closureHeads(db: Database.Database): { day: BusinessDay; headSeq: number }[] {
  return db
    .prepare<[], { day: string; headSeq: number }>(
      'SELECT business_day AS day, chain_head_seq AS headSeq FROM day_closures ORDER BY seq',
    )
    .all();
}

export function lastClosure(db: Database.Database): { seq: number; hash: string } | null {
  return (
    db
      .prepare<[], { seq: number; hash: string }>(
        'SELECT seq, hash FROM day_closures ORDER BY seq DESC LIMIT 1',
      )
      .get() ?? null
  );
}

/** Builds the row that closes `report`'s day, linked after the last closure. */
export function newClosureRow(
  db: Database.Database,
  report: DayReport,
  head: { seq: number; hash: string },
  createdAt: string,
  forcedReason: string | null,
): ClosureRow {
  const last = lastClosure(db);
  const unhashed: Omit<ClosureRow, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    business_day: report.day,
    time_zone: report.timeZone,
    cutoff_hour: report.cutoffHour,
    charges_done_count: report.charges.done.count,
    charged_cents: report.totals.chargedCents,
    charges_failed_count: report.charges.failed.count,
    refunds_done_count: report.refunds.done.count,
    refunded_cents: report.totals.refundedCents,
    net_cents: report.totals.netCents,
    adjustments_count: report.adjustments.items.length,
    adjustments_net_cents: report.adjustments.netCents,
    unsettled_count: report.unsettled.length,
    chain_head_seq: head.seq,
    chain_head_hash: head.hash,
    report_json: JSON.stringify(report),
    created_at: createdAt,
    forced_reason: forcedReason,
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  return { ...unhashed, hash: closureHash(unhashed) };
}

export function insertClosure(db: Database.Database, row: ClosureRow): void {
  db.prepare<[ClosureRow], unknown>(
    `INSERT INTO day_closures (seq, business_day, time_zone, cutoff_hour, charges_done_count, charged_cents,
       charges_failed_count, refunds_done_count, refunded_cents, net_cents, adjustments_count,
       adjustments_net_cents, unsettled_count, chain_head_seq, chain_head_hash, report_json, created_at,
       forced_reason, prev_hash, hash)
     VALUES (@seq, @business_day, @time_zone, @cutoff_hour, @charges_done_count, @charged_cents,
       @charges_failed_count, @refunds_done_count, @refunded_cents, @net_cents, @adjustments_count,
       @adjustments_net_cents, @unsettled_count, @chain_head_seq, @chain_head_hash, @report_json, @created_at,
       @forced_reason, @prev_hash, @hash)`,
  ).run(row);
}

export type ClosureChainVerdict =
  { ok: true; count: number } | { ok: false; count: number; brokenAtSeq: number };

/** Re-hashes every closure in order; the first one that does not hold is reported. */
export function verifyClosures(db: Database.Database): ClosureChainVerdict {
  let prev = GENESIS_HASH;
  let count = 0;
  for (const row of db.prepare<[], ClosureRow>('SELECT * FROM day_closures ORDER BY seq').iterate()) {
    const { hash, ...unhashed } = row;
    if (row.seq !== count + 1 || row.prev_hash !== prev || closureHash(unhashed) !== hash) {
      return { ok: false, count, brokenAtSeq: row.seq };
    }
    prev = hash;
    count += 1;
  }
  return { ok: true, count };
}

export function closureInfo(
  row: ClosureRow,
  headHashNow: string | undefined,
  closuresIntact: boolean,
): ClosureInfo {
  return {
    seq: row.seq,
    day: row.business_day,
    createdAt: row.created_at,
    chainHeadSeq: row.chain_head_seq,
    chainHeadHash: row.chain_head_hash,
    forcedReason: row.forced_reason,
    hash: row.hash,
    anchorIntact:
      row.chain_head_seq === 0 ? row.chain_head_hash === GENESIS_HASH : headHashNow === row.chain_head_hash,
    closuresIntact,
  };
}

/** A closed day as the list of closures shows it. */
export interface ClosedDaySummary {
  seq: number;
  day: BusinessDay;
  createdAt: string;
  chargedCents: number;
  refundedCents: number;
  netCents: number;
  chargesCount: number;
  refundsCount: number;
  /** What changed after earlier closed days, carried by this day's report (signed cents). */
  adjustmentsCents: number;
  adjustmentsCount: number;
  forced: boolean;
}

/** The closed days, newest first (by closing order, which is the closures' chain order). */
export function listClosures(db: Database.Database, limit = 366): ClosedDaySummary[] {
  return db
    .prepare<[number], Omit<ClosedDaySummary, 'forced'> & { forced: number }>(
      `SELECT seq, business_day AS day, created_at AS createdAt, charged_cents AS chargedCents,
              refunded_cents AS refundedCents, net_cents AS netCents,
              charges_done_count AS chargesCount, refunds_done_count AS refundsCount,
              adjustments_net_cents AS adjustmentsCents, adjustments_count AS adjustmentsCount,
              forced_reason IS NOT NULL AS forced
       FROM day_closures ORDER BY seq DESC LIMIT ?`,
    )
    .all(limit)
    .map((row) => ({ ...row, forced: row.forced === 1 }));
}
