/** The one error reconciliation throws, with a closed code the IPC layer can map. */
import type { UnsettledItem } from './types';

export type ReconciliationErrorCode =
  | 'INVALID_DAY' // not a YYYY-MM-DD calendar date
  | 'FUTURE_DAY' // the business day has not begun
  | 'ALREADY_CLOSED' // a closed day is final
  | 'UNSETTLED' // outcomes still unknown and no forced reason given
  | 'CHAIN_BROKEN' // the journal's event chain does not verify and no forced reason given
  | 'MISMATCHED' // the day's check with DropPay found differences and no forced reason given
  | 'UNREAD' // the day's last check could not read items from DropPay and no forced reason given
  | 'UNCHECKED' // the day has sales, charges or refunds, was never checked (or changed after its check), and no forced reason given
  | 'INVALID_REASON' // a forced close needs a written reason
  | 'READ_ONLY' // opened without write access
  | 'CANNOT_OPEN'
  | 'NOT_A_JOURNAL'
  | 'TOO_NEW'
  | 'INVALID_OPTIONS';

export class ReconciliationError extends Error {
  override readonly name = 'ReconciliationError';
  constructor(
    readonly code: ReconciliationErrorCode,
    message: string,
    /** UNSETTLED: what keeps the day open. */
    readonly unsettled: UnsettledItem[] = [],
    /**
     * MISMATCHED: how many differences the day's check found; UNREAD: how many items it could
     * not read; UNCHECKED: how many changed after the check (0: never checked).
     */
    readonly mismatched = 0,
  ) {
    super(message);
  }
}
