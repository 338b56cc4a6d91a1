/**
 * Whether DropPay's answer is about what the till asked for. A charge or refund answered for
 * another amount, or on another authorization or charge (a DropPay fault, a proxy, a custom
 * server), is not recorded as this one's outcome: the money it names is not the money asked.
 */
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';
import { centsToDecimalString } from '../../../shared/money';
import type { Journal, JsonObject } from '../journal';
import { record, type Ctx } from './context';
import { PaymentsError } from './errors';

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

/** A charge or refund of the journal, as answerHeld needs it. */
interface Local {
  id: string;
  saleId: string;
  droppayId: string | null;
}

/**
 * Holds back an answer (`remoteId`, with terms `got`) that is not about what was asked
 * (`asked`). An item DropPay has not placed yet is left in doubt: `unknown` with the reason and
 * the id it named (see mismatchedAnswer). One already known by its id is a contradiction: an
 * INVALID_STATE error, which the followers stop on. True when the answer was held back.
 */
export function answerHeld(
  ctx: Ctx,
  what: 'charge' | 'refund',
  local: Local,
  remoteId: string,
  got: Terms,
  asked: Terms,
  recordUnknown: (outcome: { status: 'unknown'; error: string; extra: JsonObject }) => unknown,
): boolean {
  const mismatch = answerMismatch(remoteId, got, asked);
  if (mismatch === null) return false;
  ctx.log(`payments: ${what} ${local.id}: ${mismatch}`);
  if (local.droppayId !== null) throw new PaymentsError('INVALID_STATE', mismatch, { saleId: local.saleId });
  record(ctx, local.saleId, () =>
    recordUnknown({ status: 'unknown', error: mismatch, extra: { [MISMATCHED]: remoteId } }),
  );
  return true;
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
