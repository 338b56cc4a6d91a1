/**
 * Whether DropPay's answer is about what the till asked for. A charge or refund answered for
 * another amount, or on another authorization or charge (a DropPay fault, a proxy, a custom
 * server), is not recorded as this one's outcome: the money it names is not the money asked.
 */
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';
import { centsToDecimalString } from '../../../shared/money';

/** An amount in cents and the DropPay entity it is on (an authorization or a charge). */
export type Terms = readonly [amount: number, on: string | null];

function wording([amount, on]: Terms): [string, string] {
  return [centsToDecimalString(amount), on ?? '?'];
}

/** The journal text for an answer `remoteId` whose terms differ from those asked; null when they match. */
export function answerMismatch(remoteId: string, got: Terms, asked: Terms): string | null {
  if (got[0] === asked[0] && got[1] === asked[1]) return null;
  return JOURNAL_PATTERNS.answerMismatch.write(remoteId, wording(got), wording(asked));
}
