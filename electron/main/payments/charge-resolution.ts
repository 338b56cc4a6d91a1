/**
 * Finding out what became of a charge whose answer was lost (timeout, 5xx, dropped connection,
 * crash), by reading DropPay back. The rules, in order:
 *
 * 1. A charge whose DropPay id is known is read directly.
 * 2. Otherwise the authorization is read. A charge it lists that the till does not know, and
 *    that carries this charge's local id as merchant_custom_label (or, without a label, the same
 *    amount), is this charge: its id and status are recorded.
 * 3. If none is listed but charge_success_count rose above what the till saw before the POST
 *    (the baseline kept in the intent), the charge happened: DONE with no DropPay id, the id to
 *    be found at reconciliation. This is also the rule when DropPay does not list charges. But
 *    when it lists a charge that is not this one as asked (another amount, another label), that
 *    charge may be what the count shows: this one stays in doubt naming it, for the day's check,
 *    rather than being put on file DONE for an amount DropPay does not show.
 * 4. If nothing is listed and the count did not move, it has not happened so far. It never will
 *    once the POST can no longer take effect (in-transit.ts): DropPay answered it itself, it
 *    left longer than `inTransitMs` ago, or the pay token it carried can no longer charge (the
 *    authorization is no longer GRANTED, has no charge left, or shows a newer token; only the
 *    newest token charges). Then it is recorded FAILED ("not charged") and a later attempt,
 *    with a fresh read of the token, is safe. Before that it stays `unknown`, to be read again
 *    when the window closes: a POST still on its way would otherwise land on a sale the journal
 *    calls failed.
 * 5. If DropPay cannot be read, the charge stays `unknown` for the background resolver.
 */
import { JOURNAL_PATTERNS, JOURNAL_TEXTS } from '../../../shared/core-texts';
import {
  DropPayError,
  type Authorization,
  type Charge as RemoteCharge,
  type ChargeStatus as RemoteChargeStatus,
} from '../droppay';
import type { Charge, ChargeOutcomeStatus, SaleDetail } from '../journal';
import { answerHeld, mismatchedAnswer } from './answer-check';
import { record, type Ctx } from './context';
import { errorText, notFound, PaymentsError } from './errors';
import { inTransitUntil, payKeyDigest, waitingNote } from './in-transit';

/** What a charge turned out to be. */
export type ChargeResolution = 'charged' | 'pending' | 'failed' | 'not-charged' | 'unknown';

export const IN_DOUBT = new Set(['intent', 'pending', 'unknown']);

export function localChargeStatus(status: RemoteChargeStatus): ChargeOutcomeStatus {
  return status === 'PENDING' ? 'pending' : status;
}

function resolutionOf(status: Charge['status']): ChargeResolution {
  switch (status) {
    case 'DONE':
    case 'ACCOUNTED':
      return 'charged';
    case 'FAILED':
      return 'failed';
    case 'pending':
      return 'pending';
    case 'intent':
    case 'unknown':
      return 'unknown';
  }
}

/** A charge as DropPay describes it: what recordRemoteCharge needs. */
export type RemoteChargeTerms = Pick<RemoteCharge, 'id' | 'status' | 'amount' | 'authorizationId'>;

/**
 * Records what DropPay says about the charge `local` is, and keeps following it if unsettled.
 * An answer for another amount or another authorization is not this charge's outcome: it is
 * held back (answer-check.ts), in doubt for the day's check, which no read-back settles.
 */
export function recordRemoteCharge(
  ctx: Ctx,
  local: Charge,
  remote: RemoteChargeTerms,
  note?: string,
): ChargeResolution {
  const authorizationId = ctx.journal.getSale(local.saleId)?.authorizationId ?? null;
  const held = answerHeld(
    ctx,
    'charge',
    local,
    remote.id,
    [remote.amount, remote.authorizationId],
    [local.amount, authorizationId],
    (outcome) => ctx.journal.recordChargeOutcome(local.id, outcome),
  );
  if (held) return 'unknown';
  const outcome = record(ctx, local.saleId, () =>
    ctx.journal.recordChargeOutcome(local.id, {
      status: localChargeStatus(remote.status),
      droppayId: remote.id,
      ...(note === undefined ? {} : { extra: { note } }),
    }),
  );
  if (outcome.charge.status === 'pending') ctx.follow('charge', local.id);
  return resolutionOf(outcome.charge.status);
}

/** What the till knew of the authorization just before the POST (kept in the charge intent). */
interface Baseline {
  count: number;
  ids: Set<string>;
  /** Digest of the pay token the POST carried (payKeyDigest), when the intent kept it. */
  payKey: string | null;
}

function baselineOf(ctx: Ctx, charge: Charge, detail: SaleDetail): Baseline {
  const intent = ctx.journal
    .saleTimeline(charge.saleId)
    .find((e) => e.kind === 'charge.intent' && e.entityId === charge.id);
  const extra = intent?.payload.extra;
  const count = extra?.seen_success_count;
  const ids = extra?.seen_charges;
  const payKey = typeof extra?.pay_key_digest === 'string' ? extra.pay_key_digest : null;
  if (typeof count === 'number') {
    return {
      count,
      ids: new Set(Array.isArray(ids) ? ids.filter((v): v is string => typeof v === 'string') : []),
      payKey,
    };
  }
  // An intent written without a baseline: what the journal itself knows is the next best thing.
  const others = detail.charges.filter((c) => c.id !== charge.id);
  return {
    count: others.filter((c) => c.status === 'DONE' || c.status === 'ACCOUNTED').length,
    ids: new Set(others.flatMap((c) => (c.droppayId === null ? [] : [c.droppayId]))),
    payKey,
  };
}

/** Whether the pay token the POST carried could still charge, as far as this read shows. */
function tokenMayStillCharge(auth: Authorization, payKey: string | null): boolean {
  if (auth.status !== 'GRANTED') return false;
  const token = auth.payToken;
  if (token === undefined) return true;
  if (token.chargeAvailable === 0) return false;
  return payKey === null || payKeyDigest(token.val) === payKey;
}

function markUnknown(ctx: Ctx, charge: Charge, error: unknown): ChargeResolution {
  if (charge.droppayId === null) {
    record(ctx, charge.saleId, () =>
      ctx.journal.recordChargeOutcome(charge.id, { status: 'unknown', error: errorText(error) }),
    );
  }
  return 'unknown';
}

/** Resolves one charge in doubt (intent, pending or unknown). Call with the sale's lock held. */
export async function resolveCharge(ctx: Ctx, chargeId: string): Promise<ChargeResolution> {
  const charge = ctx.journal.getCharge(chargeId);
  if (charge === null) throw notFound('charge', chargeId);
  if (!IN_DOUBT.has(charge.status)) return resolutionOf(charge.status);
  if (charge.droppayId !== null) {
    try {
      const remote = await ctx.client.charges.get(charge.droppayId);
      return recordRemoteCharge(ctx, charge, remote);
    } catch (err) {
      if (err instanceof PaymentsError) throw err;
      return 'unknown';
    }
  }
  // Answered for other terms: no read-back settles it (see answer-check.ts).
  if (mismatchedAnswer(ctx.journal, charge.saleId, 'charge', charge.id) !== null) return 'unknown';
  const sale = ctx.journal.getSale(charge.saleId);
  const authorizationId = sale?.authorizationId ?? null;
  if (authorizationId === null) return markUnknown(ctx, charge, new Error('no authorization'));
  let auth: Authorization;
  try {
    auth = await ctx.client.authorizations.get(authorizationId);
  } catch (err) {
    if (!(err instanceof DropPayError)) throw err;
    return markUnknown(ctx, charge, err);
  }
  return attribute(ctx, charge, auth);
}

async function attribute(ctx: Ctx, charge: Charge, auth: Authorization): Promise<ChargeResolution> {
  const detail = ctx.journal.getSaleDetail(charge.saleId);
  if (detail === null) return 'unknown';
  const known = new Set(detail.charges.flatMap((c) => (c.droppayId === null ? [] : [c.droppayId])));
  const baseline = baselineOf(ctx, charge, detail);
  // A charge DropPay lists that is neither known nor this one: it may be what made the count rise.
  let unexplained: RemoteCharge | null = null;
  for (const listed of auth.charges ?? []) {
    if (known.has(listed.id) || baseline.ids.has(listed.id)) continue;
    let remote;
    try {
      remote = await ctx.client.charges.get(listed.id);
    } catch (err) {
      if (!(err instanceof DropPayError)) throw err;
      return markUnknown(ctx, charge, err);
    }
    const ours =
      remote.merchantCustomLabel === charge.id ||
      (remote.merchantCustomLabel === undefined && remote.amount === charge.amount);
    if (ours) {
      return recordRemoteCharge(ctx, charge, remote, JOURNAL_TEXTS.foundByReadBack);
    }
    if (remote.status !== 'FAILED') unexplained ??= remote;
  }
  if (auth.chargeSuccessCount > baseline.count && unexplained !== null) {
    // The count rose, and the charge DropPay lists for it is not this one as asked (another
    // amount, another label): recording this charge DONE for the amount asked would put money
    // on file that DropPay does not show. Held in doubt, naming that charge, for the day's check.
    if (unexplained.amount !== charge.amount) return recordRemoteCharge(ctx, charge, unexplained);
    const error = JOURNAL_PATTERNS.labelledOther.write(
      unexplained.id,
      unexplained.merchantCustomLabel ?? '?',
    );
    record(ctx, charge.saleId, () =>
      ctx.journal.recordChargeOutcome(charge.id, { status: 'unknown', error }),
    );
    return 'unknown';
  }
  if (auth.chargeSuccessCount > baseline.count) {
    const outcome = record(ctx, charge.saleId, () =>
      ctx.journal.recordChargeOutcome(charge.id, {
        status: 'DONE',
        extra: {
          note: JOURNAL_PATTERNS.successCountRose.write(baseline.count, auth.chargeSuccessCount),
        },
      }),
    );
    return resolutionOf(outcome.charge.status);
  }
  const until = tokenMayStillCharge(auth, baseline.payKey)
    ? inTransitUntil(ctx, charge.saleId, 'charge', charge.id)
    : null;
  if (until !== null) {
    // Nothing yet, but the POST may still land: an intent left by a crash becomes `unknown` (the
    // cashier sees it), one already unknown is left as it is until the resolver reads again.
    if (charge.status === 'intent') {
      record(ctx, charge.saleId, () =>
        ctx.journal.recordChargeOutcome(charge.id, {
          status: 'unknown',
          error: waitingNote('charge', until, ctx.now().getTime()),
        }),
      );
    }
    return 'unknown';
  }
  // Proven not charged, while the payer's approval of a CHARGEABLE sale can still charge: the
  // sale goes back to granted in the same commit, so a crash before the next attempt leaves an
  // approval the till charges when it starts again (it follows granted sales), never one
  // resting unused in `failed`. A BOOKED capture stays the cashier's to repeat.
  const chargeLeft =
    auth.status === 'GRANTED' &&
    auth.chargeSuccessCount < auth.chargeMaxCount &&
    (auth.payToken === undefined || auth.payToken.chargeAvailable !== 0);
  const again = chargeLeft && detail.sale.policy === 'CHARGEABLE';
  record(ctx, charge.saleId, () =>
    ctx.journal.batch(() => {
      const failed = ctx.journal.recordChargeOutcome(charge.id, {
        status: 'FAILED',
        error: JOURNAL_TEXTS.noSuchCharge,
        extra: { note: JOURNAL_PATTERNS.successCountStill.write(auth.chargeSuccessCount) },
      });
      if (again) {
        ctx.journal.recordSaleState(charge.saleId, 'granted', { note: JOURNAL_TEXTS.notChargedRetryCharge });
      }
      return failed;
    }),
  );
  return 'not-charged';
}
