/**
 * A business day marked as checked with DropPay, nothing found, for tests about closing that
 * build their days in the journal alone (no sandbox behind them): closing an unchecked day
 * needs a written reason, which is not what those tests are about. The check itself, against
 * the real sandbox, is tested in test/integration/reconciliation/check.test.ts. Call it once the
 * day's items are in: one made after it counts as changed since the check.
 */
import Database from 'better-sqlite3';
import { startRun, updateRun } from '../../electron/main/reconciliation/check-store';
import { assertDay } from '../../electron/main/reconciliation/report';

export function markDayChecked(journalPath: string, day: string, at = new Date().toISOString()): void {
  const db = new Database(journalPath);
  try {
    db.pragma('busy_timeout = 5000');
    const d = assertDay(day);
    startRun(db, d, at, 0);
    updateRun(db, d, { total: 0, checked: 0, skipped: 0, errors: 0 }, at);
    // Each charge and refund of the day read as it stands now, and found matching: what is
    // made or changed after this stays "changed since the check", as after a real one.
    db.prepare(
      `INSERT INTO recon_checks (business_day, item_kind, item_id, sale_id, journal_seq, result, findings, checked_at)
       SELECT business_day, 'charge', id, sale_id, last_event_seq, 'match', '[]', @at FROM charges WHERE business_day = @day
       UNION ALL
       SELECT r.business_day, 'refund', r.id, c.sale_id, r.last_event_seq, 'match', '[]', @at
         FROM refunds r JOIN charges c ON c.id = r.charge_id WHERE r.business_day = @day
       ON CONFLICT (business_day, item_kind, item_id) DO UPDATE SET journal_seq = excluded.journal_seq`,
    ).run({ day: d, at });
  } finally {
    db.close();
  }
}
