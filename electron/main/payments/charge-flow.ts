/**
 * Charging a granted authorization: the automatic charge of a CHARGEABLE sale and the capture
 * of a BOOKED one. Every POST is preceded by its intent in the journal (with what DropPay
 * showed just before, the baseline recovery compares against) and followed by its outcome.
 */
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import { isDropPayError, type Authorization } from '../droppay';
import { record, recordIntent, type Ctx } from './context';
import { adoptCharges } from './charge-adoption';
import { recordRemoteCharge, resolveCharge, type ChargeResolution } from './charge-resolution';
import { errorText, isInDoubt, notFound, PaymentsError } from './errors';
import { inDoubtExtra, payKeyDigest } from './in-transit';

export type ChargeKind = 'charge' | 'capture';

/** The outcome of a charge run; `not-granted` means DropPay no longer allows charging. */
export type ChargeRunResult = ChargeResolution | 'not-granted';

/**
 * Two POSTs at most per run: the second only when the first provably did not charge (410 on
 * an expired or superseded pay token, or a read-back showing nothing happened once the first
 * could no longer take effect, see in-transit.ts).
 */
const MAX_ATTEMPTS = 2;

/**
 * How old a read of the authorization may be and still serve as the read right before charging.
 * The poll that sees the grant has just read it, pay token included; reading it a second time
 * would cost the customer one more round trip to DropPay for a token a few milliseconds
 * fresher. Anything older (a slow adoption of charges in between) is read again.
 */
export const FRESH_READ_MS = 2000;

/** A read of the authorization and when it was made (performance.now()). */
export interface FreshRead {
  auth: Authorization;
  at: number;
  /**
   * The read shows a grant the journal has not recorded yet (the sale is still `waiting`).
   * It is recorded in the same commit as the charge intent: one fsync less between the
   * customer's approval and the charge, and no moment where the journal says granted but
   * not charging.
   */
  unrecordedGrant?: boolean;
}

/**
 * Charges `amount` on a granted sale. Call with the sale's lock held. `seen` is a read of the
 * authorization just made; the first attempt charges with its pay token when it is still
 * fresh (FRESH_READ_MS) instead of reading again. A retry always reads again. `again`: a charge
 * of this sale was just proven not to have happened (the resolver charging it once more), so
 * even the first attempt is a retry: one that cannot start leaves the sale granted and polled,
 * to be charged once DropPay answers (resumeGranted).
 */
export async function chargeSale(
  ctx: Ctx,
  saleId: string,
  amount: number,
  kind: ChargeKind,
  seen?: FreshRead,
  again = false,
): Promise<ChargeRunResult> {
  return ctx.retrying(saleId, async () => {
    const fresh = seen !== undefined && performance.now() - seen.at <= FRESH_READ_MS;
    if (seen?.unrecordedGrant === true && !fresh) {
      // Too old to charge with: the grant goes on record alone, and the charge reads again.
      record(ctx, saleId, () => ctx.journal.recordAuthorizationStatus(saleId, seen.auth.status));
    }
    let result: ChargeRunResult = 'not-charged';
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const reuse = attempt === 1 && fresh;
      const charges = chargeCount(ctx, saleId);
      try {
        result = await chargeOnce(ctx, saleId, amount, kind, attempt, reuse ? seen : undefined);
      } catch (err) {
        // The first attempt provably charged nothing and the second never started (DropPay could
        // not be read before it): nothing is in flight, nothing was refused. Back to granted, so
        // the approval is charged once DropPay answers instead of resting in `failed`.
        if ((attempt > 1 || again) && chargeCount(ctx, saleId) === charges) resumeGranted(ctx, saleId, kind);
        throw err;
      }
      if (result !== 'not-charged') return result;
    }
    // Every attempt this run was proven not to charge: the sale ends failed, with the approval
    // on file for the cashier's "charge again". (A proven miss puts a CHARGEABLE sale back to
    // granted, so that a crash between attempts leaves it to be charged; left granted here, the
    // poller would charge it again and again.)
    endNotCharged(ctx, saleId);
    return result;
  });
}

/** After the last attempt of a run, proven not charged: a sale still granted is ended failed. */
function endNotCharged(ctx: Ctx, saleId: string): void {
  if (ctx.journal.getSale(saleId)?.state !== 'granted') return;
  record(ctx, saleId, () =>
    ctx.journal.recordSaleState(saleId, 'failed', { error: JOURNAL_TEXTS.notChargedTwice }),
  );
}

function chargeCount(ctx: Ctx, saleId: string): number {
  return ctx.journal.getSaleDetail(saleId)?.charges.length ?? 0;
}

/** A sale whose retry could not start: granted again, and (a charge) polled to try again. */
function resumeGranted(ctx: Ctx, saleId: string, kind: ChargeKind): void {
  try {
    recordIntent(ctx, saleId, () =>
      ctx.journal.recordSaleState(saleId, 'granted', {
        note: kind === 'charge' ? JOURNAL_TEXTS.notChargedRetryCharge : JOURNAL_TEXTS.notChargedRetryCapture,
      }),
    );
    if (kind === 'charge') ctx.watch(saleId);
  } catch (err) {
    // The sale stays failed, with the customer's approval on file for a retry by hand.
    ctx.log(`payments: ${saleId}: could not put the sale back to granted: ${errorText(err)}`);
  }
}

async function chargeOnce(
  ctx: Ctx,
  saleId: string,
  amount: number,
  kind: ChargeKind,
  attempt: number,
  fresh: FreshRead | undefined,
): Promise<ChargeRunResult> {
  const sale = ctx.journal.getSale(saleId);
  const authorizationId = sale?.authorizationId ?? null;
  if (sale === null || authorizationId === null) {
    if (sale === null) throw notFound('sale', saleId);
    throw new PaymentsError('INVALID_STATE', `Sale ${saleId} has no authorization to charge.`, {
      saleId,
      detail: { key: 'sale.cannotChargeAgain', params: { state: sale.state } },
    });
  }
  // Read right before charging: the GET is what hands out a fresh pay token.
  let auth: Authorization;
  const withGrant = fresh?.unrecordedGrant === true && fresh.auth.id === authorizationId;
  if (fresh !== undefined && fresh.auth.id === authorizationId) {
    auth = fresh.auth;
  } else {
    try {
      auth = await ctx.client.authorizations.get(authorizationId);
    } catch (err) {
      throw PaymentsError.from(err, saleId);
    }
  }
  // A charge DropPay made that does not fit the sale holds it: nothing more is charged on it.
  if (await adoptCharges(ctx, saleId, auth)) return 'unknown';
  if (ctx.journal.getSale(saleId)?.state === 'paid') return 'charged';
  if (auth.status !== 'GRANTED' || auth.payToken === undefined) {
    record(ctx, saleId, () => ctx.journal.recordAuthorizationStatus(saleId, auth.status));
    return 'not-granted';
  }
  const payTokenVal = auth.payToken.val;
  const intent = () =>
    ctx.journal.recordChargeIntent(saleId, amount, {
      attempt,
      seen_success_count: auth.chargeSuccessCount,
      seen_charges: auth.charges === undefined ? null : auth.charges.map((c) => c.id),
      // Which pay token this POST carries, so a read-back can tell once it can no longer charge.
      pay_key_digest: payKeyDigest(payTokenVal),
    });
  let charge;
  try {
    charge = recordIntent(ctx, saleId, () =>
      withGrant
        ? ctx.journal.batch(() => {
            ctx.journal.recordAuthorizationStatus(saleId, 'GRANTED');
            return intent();
          })
        : intent(),
    );
  } catch (err) {
    // Nothing of the pair was written and nothing was sent. The grant is DropPay's word and
    // goes on record alone if it can, so the till shows the approval it is waiting to charge.
    if (withGrant) {
      try {
        record(ctx, saleId, () => ctx.journal.recordAuthorizationStatus(saleId, 'GRANTED'));
      } catch {
        // The journal refuses every write: the error below says so.
      }
    }
    throw err;
  }
  ctx.live.add(charge.id);
  try {
    ctx.crash(kind === 'charge' ? 'charge.after-intent' : 'capture.after-intent');
    let created;
    try {
      created = await ctx.client.charges.create({
        authorizationId: auth.id,
        payTokenVal,
        amount,
        description: sale.description,
        merchantCustomId: sale.merchantRef,
        // Our own id travels with the charge, so a lost answer can be matched for certain.
        merchantCustomLabel: charge.id,
      });
    } catch (err) {
      // Where its in-transit window opens, on the clock no wall-clock change moves.
      ctx.gaveUp.set(charge.id, ctx.monotonic());
      if (isDropPayError(err, 'PAY_TOKEN_EXPIRED')) {
        // DropPay refused the token before doing anything: provably not charged. A CHARGEABLE
        // sale goes back to granted in the same commit (as after a read-back proving a miss), so
        // a crash before the retry leaves an approval the till charges when it starts again,
        // never one resting unused in `failed`.
        const again = kind === 'charge' && sale.policy === 'CHARGEABLE';
        record(ctx, saleId, () =>
          ctx.journal.batch(() => {
            const failed = ctx.journal.recordChargeOutcome(charge.id, {
              status: 'FAILED',
              error: JOURNAL_TEXTS.payTokenExpired,
            });
            // The note only where a next attempt follows in this run; after the last one the
            // run ends the sale failed ("took neither attempt"), and a restart before that charges.
            if (again) {
              ctx.journal.recordSaleState(
                saleId,
                'granted',
                attempt < MAX_ATTEMPTS ? { note: JOURNAL_TEXTS.chargeOnceMore } : {},
              );
            }
            return failed;
          }),
        );
        return 'not-charged';
      }
      if (isInDoubt(err)) {
        record(ctx, saleId, () =>
          ctx.journal.recordChargeOutcome(charge.id, {
            status: 'unknown',
            error: errorText(err),
            extra: inDoubtExtra(err),
          }),
        );
        return await resolveCharge(ctx, charge.id);
      }
      record(ctx, saleId, () =>
        ctx.journal.recordChargeOutcome(charge.id, { status: 'FAILED', error: errorText(err) }),
      );
      throw PaymentsError.from(err, saleId);
    }
    ctx.crash(kind === 'charge' ? 'charge.after-response' : 'capture.after-response');
    return recordRemoteCharge(ctx, charge, created);
  } finally {
    ctx.live.delete(charge.id);
  }
}
