/**
 * Refunds: once per charge, up to its amount, intent first, then DropPay's status followed
 * (ENQUEUED → DONE | FAILED → ACCOUNTED). A refund is money leaving the shop on a cashier's
 * say-so, so the till never re-sends one by itself: a refund proven not to have happened is
 * recorded FAILED and the cashier may ask again.
 */
import { JOURNAL_PATTERNS, JOURNAL_TEXTS } from '../../../shared/core-texts';
import { DropPayError, isDropPayError, type Refund as RemoteRefund } from '../droppay';
import type { Charge, Refund, RefundOutcomeStatus } from '../journal';
import { centsToDecimalString } from '../../../shared/money';
import type { RefundInput, SaleView } from '../../../shared/sales';
import { answerHeld, mismatchedAnswer } from './answer-check';
import { record, recordIntent, type Ctx } from './context';
import { errorText, isInDoubt, notFound, PaymentsError } from './errors';
import { inDoubtExtra, inTransitUntil, waitingNote } from './in-transit';

export type RefundResolution = 'done' | 'pending' | 'failed' | 'not-refunded' | 'unknown';

const IN_DOUBT = new Set(['intent', 'ENQUEUED', 'unknown']);

function localRefundStatus(status: RemoteRefund['status']): RefundOutcomeStatus {
  return status === 'PENDING' ? 'ENQUEUED' : status;
}

function resolutionOf(status: Refund['status']): RefundResolution {
  switch (status) {
    case 'DONE':
    case 'ACCOUNTED':
      return 'done';
    case 'FAILED':
      return 'failed';
    case 'ENQUEUED':
      return 'pending';
    case 'intent':
    case 'unknown':
      return 'unknown';
  }
}

/**
 * Records what DropPay says about the refund `local` is. An answer for another amount or on
 * another charge is not this refund's outcome: it is held back (answer-check.ts), in doubt for
 * the day's check, which no read-back settles.
 */
function recordRemote(ctx: Ctx, local: Refund, remote: RemoteRefund, note?: string): RefundResolution {
  const chargeDroppayId = ctx.journal.getCharge(local.chargeId)?.droppayId ?? null;
  const held = answerHeld(
    ctx,
    'refund',
    local,
    remote.id,
    [remote.amount, remote.chargeId],
    [local.amount, chargeDroppayId],
    (outcome) => ctx.journal.recordRefundOutcome(local.id, outcome),
  );
  if (held) return 'unknown';
  const saved = record(ctx, local.saleId, () =>
    ctx.journal.recordRefundOutcome(local.id, {
      status: localRefundStatus(remote.status),
      droppayId: remote.id,
      ...(note === undefined ? {} : { extra: { note } }),
    }),
  );
  if (saved.status === 'ENQUEUED' || saved.status === 'DONE') ctx.follow('refund', saved.id);
  return resolutionOf(saved.status);
}

/** The DropPay ids earlier attempts of this refund had (it has none of its own yet). */
function earlierAttemptIds(ctx: Ctx, refund: Refund): Set<string> {
  const ids = new Set<string>();
  for (const e of ctx.journal.saleTimeline(refund.saleId)) {
    const id = e.entityId === refund.id ? (e.payload as { droppay_id?: unknown }).droppay_id : undefined;
    if (typeof id === 'string') ids.add(id);
  }
  return ids;
}

/**
 * What became of a refund: read directly when its DropPay id is known; otherwise through its
 * charge, which shows the refund made on it. A refund there with the same amount is this one;
 * one of another amount means this one never can be (DropPay allows one per charge). None
 * means it has not happened so far, and that it never will once the POST can no longer take
 * effect (in-transit.ts); until then it stays `unknown` and is read again. Call with the
 * sale's lock held.
 */
export async function resolveRefund(ctx: Ctx, refundId: string): Promise<RefundResolution> {
  const refund = ctx.journal.getRefund(refundId);
  if (refund === null) throw notFound('refund', refundId);
  if (refund.droppayId !== null) {
    if (refund.status === 'FAILED' || refund.status === 'ACCOUNTED') return resolutionOf(refund.status);
    try {
      return recordRemote(ctx, refund, await ctx.client.refunds.get(refund.droppayId));
    } catch (err) {
      if (err instanceof DropPayError) return 'unknown';
      throw err;
    }
  }
  if (!IN_DOUBT.has(refund.status)) return resolutionOf(refund.status);
  // Answered for other terms: no read-back settles it (see answer-check.ts).
  if (mismatchedAnswer(ctx.journal, refund.saleId, 'refund', refund.id) !== null) return 'unknown';
  const charge = ctx.journal.getCharge(refund.chargeId);
  const chargeDroppayId = charge?.droppayId ?? null;
  if (chargeDroppayId === null) return 'unknown';
  let remote: RemoteRefund | undefined;
  try {
    remote = (await ctx.client.charges.get(chargeDroppayId)).refund;
  } catch (err) {
    if (!(err instanceof DropPayError)) throw err;
    record(ctx, refund.saleId, () =>
      ctx.journal.recordRefundOutcome(refund.id, { status: 'unknown', error: errorText(err) }),
    );
    return 'unknown';
  }
  // The charge may still show an earlier attempt of this refund, one DropPay marked FAILED: that
  // one is not this attempt, whatever its amount.
  if (remote !== undefined && earlierAttemptIds(ctx, refund).has(remote.id)) remote = undefined;
  if (remote !== undefined && remote.amount === refund.amount) {
    return recordRemote(ctx, refund, remote, JOURNAL_TEXTS.foundByReadingCharge);
  }
  const until = remote === undefined ? inTransitUntil(ctx, refund.saleId, 'refund', refund.id) : null;
  if (until !== null) {
    if (refund.status === 'intent') {
      record(ctx, refund.saleId, () =>
        ctx.journal.recordRefundOutcome(refund.id, {
          status: 'unknown',
          error: waitingNote('refund', until, ctx.now().getTime()),
        }),
      );
    }
    return 'unknown';
  }
  record(ctx, refund.saleId, () =>
    ctx.journal.recordRefundOutcome(refund.id, {
      status: 'FAILED',
      error:
        remote === undefined ? JOURNAL_TEXTS.noSuchRefund : JOURNAL_PATTERNS.otherRefund.write(remote.id),
    }),
  );
  return 'not-refunded';
}

/**
 * Names the journal's refusal of a refund intent when it is one a cashier can act on: the
 * charge already had its one refund, or the amount is above the charge. The journal stays the
 * one that refuses (the schema allows one refund per charge); this reads the same records it
 * checked, under the sale's lock, only to say which rule it was. Anything else is left as is.
 */
function refundRefusal(ctx: Ctx, charge: Charge, amount: number, error: unknown): unknown {
  if (!(error instanceof PaymentsError) || error.code !== 'INVALID_STATE') return error;
  const options = { saleId: charge.saleId, cause: error };
  const earlier = ctx.journal.getSaleDetail(charge.saleId)?.refunds.find((r) => r.chargeId === charge.id);
  // The journal's rule: only a refund that FAILED (moved no money) is redone.
  if (earlier !== undefined && earlier.status !== 'FAILED') {
    if (earlier.droppayId === null) {
      // Sent, but DropPay never confirmed it: not known to be refunded, and the resolver is
      // reading it back. Asking again could refund twice.
      return new PaymentsError(
        'OUTCOME_UNKNOWN',
        'An earlier refund of this charge is still being checked with DropPay: do not repeat it.',
        { ...options, detail: { key: 'refund.earlierInDoubt' } },
      );
    }
    return new PaymentsError(
      'ALREADY_REFUNDED',
      `This charge already has its refund (${earlier.status}): DropPay allows one refund per charge.`,
      { ...options, detail: { key: 'refund.already', params: { status: earlier.status } } },
    );
  }
  const refundable = charge.status === 'DONE' || charge.status === 'ACCOUNTED';
  if (refundable && charge.droppayId !== null && amount > charge.amount) {
    return new PaymentsError(
      'REFUND_TOO_LARGE',
      `The refund (${centsToDecimalString(amount)} €) is above the charge (${centsToDecimalString(charge.amount)} €).`,
      {
        ...options,
        detail: { key: 'refund.tooLarge', params: { amountCents: amount, maxCents: charge.amount } },
      },
    );
  }
  return error;
}

/** Refunds a charge. The PIN has been checked by the caller; nothing is recorded before that. */
export async function refundCharge(ctx: Ctx, input: RefundInput): Promise<SaleView> {
  const found = ctx.journal.getCharge(input.chargeId);
  if (found === null) throw notFound('charge', input.chargeId);
  return ctx.withSale(found.saleId, async () => {
    const charge = ctx.journal.getCharge(found.id) ?? found;
    const saleId = charge.saleId;
    let refund: Refund;
    try {
      refund = recordIntent(ctx, saleId, () =>
        ctx.journal.recordRefundIntent(charge.id, input.amount, input.reason),
      );
    } catch (err) {
      throw refundRefusal(ctx, charge, input.amount, err);
    }
    const chargeDroppayId = charge.droppayId;
    // The journal refuses a refund intent for a charge without a DropPay id; this is for tsc.
    if (chargeDroppayId === null) throw PaymentsError.from(new Error('charge has no DropPay id'));
    ctx.live.add(refund.id);
    try {
      ctx.crash('refund.after-intent');
      let created: RemoteRefund;
      try {
        created = await ctx.client.refunds.create({
          chargeId: chargeDroppayId,
          amount: input.amount,
          reason: input.reason,
        });
      } catch (err) {
        // Where its in-transit window opens, on the clock no wall-clock change moves.
        ctx.gaveUp.set(refund.id, ctx.monotonic());
        if (isInDoubt(err)) {
          record(ctx, saleId, () =>
            ctx.journal.recordRefundOutcome(refund.id, {
              status: 'unknown',
              error: errorText(err),
              extra: inDoubtExtra(err),
            }),
          );
          await resolveRefund(ctx, refund.id);
          return ctx.view(saleId);
        }
        if (isDropPayError(err, 'ALREADY_REFUNDED')) {
          // DropPay holds a refund the journal lacks (an earlier answer lost): adopt it if it
          // is this one; if not, resolveRefund records why this one did not happen. DropPay
          // answered this POST itself, so it is not on its way: no waiting for it to land.
          record(ctx, saleId, () =>
            ctx.journal.recordRefundOutcome(refund.id, {
              status: 'unknown',
              error: errorText(err),
              extra: inDoubtExtra(err),
            }),
          );
          if ((await resolveRefund(ctx, refund.id)) !== 'not-refunded') return ctx.view(saleId);
          throw PaymentsError.from(err, saleId);
        }
        record(ctx, saleId, () =>
          ctx.journal.recordRefundOutcome(refund.id, { status: 'FAILED', error: errorText(err) }),
        );
        throw PaymentsError.from(err, saleId);
      }
      ctx.crash('refund.after-response');
      recordRemote(ctx, refund, created);
      return ctx.view(saleId);
    } finally {
      ctx.live.delete(refund.id);
    }
  });
}
