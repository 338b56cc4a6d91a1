/**
 * What the customer display can put up: its screens, the outcome a sale's state tells the
 * customer, and the short memory of recent sales that keeps a late event about one from
 * bringing its QR code back. Pure: the state machine that moves between them is
 * customer-display.ts.
 */
import type { DisplayOutcome } from '../../../shared/display';
import type { SaleState } from '../../../shared/sale-states';

export type Screen =
  | { mode: 'idle' }
  | {
      mode: 'pay';
      saleId: string;
      amount: number;
      description: string;
      reserve: boolean;
      sharingUrl: string;
      waitingExpiresAt: string;
    }
  | { mode: 'processing'; saleId: string; amount: number }
  | { mode: 'cancelling'; saleId: string; amount: number }
  | { mode: 'result'; saleId: string; amount: number; outcome: DisplayOutcome }
  | { mode: 'thanks' };

/** What the customer is told for a sale state; null while the sale is still under way. */
export function outcomeOf(state: SaleState): DisplayOutcome | null {
  switch (state) {
    case 'paid':
      return 'approved';
    case 'refused':
    case 'revoked':
      return 'declined';
    case 'expired':
      return 'expired';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return 'failed';
    // Still under way. Unknown is not an outcome either: money may have moved, so the
    // customer is told nothing new until the resolver knows.
    case 'created':
    case 'authorizing':
    case 'waiting':
    case 'granted':
    case 'charging':
    case 'unknown':
      return null;
  }
}

// Sale ids whose outcome was shown: a late or repeated event about them (a refund, a poll
// echo, recovery) must not bring back their QR code.
const FINISHED_MEMORY = 50;

/** Sets `key` as the newest entry of `map`, dropping the oldest past FINISHED_MEMORY. */
export function rememberRecent<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  // Only the last few sales matter; the oldest goes first (Map keeps insertion order).
  if (map.size > FINISHED_MEMORY) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}

/** Outcomes after which the customer has nothing left to do here: "thank you", then idle. */
export const GOOD = new Set<DisplayOutcome>(['approved', 'authorized']);
