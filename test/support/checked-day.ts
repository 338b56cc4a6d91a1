/**
 * A business day marked as checked with DropPay, nothing found, for tests about closing that
 * build their days in the journal alone (no sandbox behind them): closing an unchecked day
 * needs a written reason, which is not what those tests are about. The check itself, against
 * the real sandbox, is tested in test/integration/reconciliation/check.test.ts.
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
  } finally {
    db.close();
  }
}
