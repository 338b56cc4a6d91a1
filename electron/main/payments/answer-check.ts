/**
 * Whether DropPay's answer is about what the till asked for. A charge or refund answered for
 * another amount, or on another authorization or charge (a DropPay fault, a proxy, a custom
 * server), is not recorded as this one's outcome: the money it names is not the money asked.
 */
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';
import { centsToDecimalString } from '../../../shared/money';
import type { Journal } from '../journal';

/** Set on the `unknown` outcome of an answer that did not match: the DropPay id it named. */
export const MISMATCHED = 'answer_mismatch';

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

/**
 * The DropPay id of a mismatched answer this charge or refund was left in doubt with, or null.
 * Such an item is not settled by any read-back (a count that rose, a refund of another amount
 * on the charge): what DropPay did is not what was asked, so a person decides, from the day's
 * check. Only the latest attempt counts (a new intent starts afresh).
 */
export function mismatchedAnswer(
  journal: Journal,
  saleId: string,
  kind: 'charge' | 'refund',
  entityId: string,
): string | null {
  const events = journal.saleTimeline(saleId).filter((e) => e.entityId === entityId);
  const intent = events.findLastIndex((e) => e.kind === `${kind}.intent`);
  for (const e of events.slice(intent + 1)) {
    const id = e.kind === `${kind}.unknown` ? e.payload.extra?.[MISMATCHED] : undefined;
    if (typeof id === 'string') return id;
  }
  return null;
}
