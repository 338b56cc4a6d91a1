/**
 * The authorization side of a sale: creating it (intent first), applying what DropPay says
 * about it, and cancelling it. One sale at a time is live-sale.ts; a creation whose answer was
 * lost, lost-creation.ts.
 */
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import { isDropPayError, type Authorization } from '../droppay';
import type { Sale } from '../journal';
import { captureDeadline, type SaleView, type StartSaleInput } from '../../../shared/sales';
import { chargeSale } from './charge-flow';
import { adoptCharges } from './charge-adoption';
import { record, recordIntent, type Ctx } from './context';
import { errorText, isInDoubt, notFound, PaymentsError } from './errors';
import { mustBeOnlySale, pastWaitingTime } from './live-sale';
import { waitingExpiresAt } from './views';

function shareUrl(auth: Authorization): string {
  // DropPay's documented production form, should a response ever come without `sharing`.
  return auth.sharing ?? `https://dp.link/u/10/${auth.id}`;
}

/**
 * Records a created authorization, shows its link, and starts watching it. `asCreated`: the
 * status it had when created (WAITING), not the one read now, and no link shown; for an
 * authorization found after it ended with charges the journal lacks (applyAuthorization then
 * adopts them before recording how it ended, so the sale is paid, never ended unpaid first).
 */
export function recordCreated(ctx: Ctx, saleId: string, auth: Authorization, asCreated = false): Sale {
  const sale = record(ctx, saleId, () =>
    ctx.journal.recordAuthorizationCreated(saleId, {
      authorizationId: auth.id,
      sharingUrl: shareUrl(auth),
      status: asCreated ? 'WAITING' : auth.status,
    }),
  );
  if (!asCreated && sale.sharingUrl !== null && sale.state === 'waiting') {
    ctx.emit({
      type: 'sale.sharing',
      saleId,
      amount: sale.amount,
      sharingUrl: sale.sharingUrl,
      waitingExpiresAt: waitingExpiresAt(sale, ctx.waitingSeconds),
    });
  }
  ctx.watch(saleId);
  return sale;
}

/**
 * A waiting sale whose authorization DropPay answers 404 for (a sandbox reset, a journal moved
 * to another account). With a CHARGEABLE or BOOKED policy it cannot have moved money: every
 * charge and capture is the till's own, and the journal has none. So it ends: `cancelled` when
 * the cashier asks, `expired` once past its waiting time and the grace (until then a 404 may be
 * DropPay catching up). A CHARGED one, which DropPay charges by itself on approval, is never
 * concluded from a 404. True when the sale was ended. Lock held. A BOOKED one cancelled so
 * while DropPay is catching up could still be approved there: the payer's funds stay held until
 * DropPay lets the pre-authorization go, and nothing is ever captured on it.
 */
export function endUnknownToDropPay(
  ctx: Ctx,
  saleId: string,
  err: unknown,
  how: 'cancelled' | 'expired',
): boolean {
  if (!isDropPayError(err, 'NOT_FOUND')) return false;
  const sale = ctx.journal.getSale(saleId);
  if (sale === null || sale.state !== 'waiting' || sale.policy === 'CHARGED') return false;
  if ((ctx.journal.getSaleDetail(saleId)?.charges.length ?? 0) > 0) return false;
  if (how === 'expired' && !pastWaitingTime(ctx, sale)) return false;
  // After DropPay answered (the DELETE or the read): a journal that cannot write this says so.
  record(ctx, saleId, () =>
    ctx.journal.recordSaleState(saleId, how, {
      note:
        how === 'cancelled' ? JOURNAL_TEXTS.cancelledUnknownToDropPay : JOURNAL_TEXTS.expiredUnknownToDropPay,
    }),
  );
  return true;
}

export async function startSale(ctx: Ctx, input: StartSaleInput): Promise<SaleView> {
  let sale: Sale;
  try {
    // Checked and recorded with no await between: two starts (two windows) cannot both pass.
    mustBeOnlySale(ctx);
    // The sale and its authorization intent in one commit (one fsync): both are on disk before
    // anything is sent, or neither is and nothing is sent.
    sale = ctx.journal.batch(() => {
      const created = ctx.journal.createSale({
        amount: input.amount,
        description: input.description,
        ...(input.policy === undefined ? {} : { policy: input.policy }),
      });
      return ctx.journal.recordAuthorizationIntent(created.id);
    });
  } catch (err) {
    throw PaymentsError.from(err);
  }
  // Marked live before anything can yield, so the resolver never takes it for a lost creation.
  ctx.live.add(sale.id);
  ctx.publish(sale.id);
  return ctx.withSale(sale.id, async () => {
    try {
      ctx.crash('authorization.after-intent');
      let auth: Authorization;
      try {
        auth = await ctx.client.authorizations.create({
          description: sale.description,
          amount: sale.amount,
          policy: sale.policy,
          merchantCustomId: sale.merchantRef,
          // A reservation with an end: DropPay releases the money then if nothing was captured.
          ...(sale.policy === 'BOOKED' ? { chargeDateEnd: captureDeadline(sale.createdAt) } : {}),
          ...(ctx.webhookUrl === undefined ? {} : { webhooks: { ALL: ctx.webhookUrl } }),
        });
      } catch (err) {
        if (isInDoubt(err)) {
          // May exist at DropPay, but there is no way to search for it: see resolveSaleInDoubt.
          record(ctx, sale.id, () => ctx.journal.recordAuthorizationUnknown(sale.id, errorText(err)));
          return ctx.view(sale.id);
        }
        record(ctx, sale.id, () => ctx.journal.recordAuthorizationFailed(sale.id, errorText(err)));
        throw PaymentsError.from(err, sale.id);
      }
      ctx.crash('authorization.after-response');
      recordCreated(ctx, sale.id, auth);
      return ctx.view(sale.id);
    } finally {
      ctx.live.delete(sale.id);
    }
  });
}

/** Once the cashier asked to cancel, the till never charges that sale by itself. */
export function cancelRequested(ctx: Ctx, saleId: string): boolean {
  return ctx.journal.saleHasEvent(saleId, 'authorization.cancel.intent');
}

/**
 * Applies a fresh read of the sale's authorization: records its status, adopts any charge
 * DropPay made that the journal lacks, and on a grant carries the sale on (charges a
 * CHARGEABLE one; a BOOKED one waits for captureSale). Call with the sale's lock held. True
 * when a charge DropPay made that does not fit the sale holds it (see adoptCharges).
 */
export async function applyAuthorization(ctx: Ctx, saleId: string, auth: Authorization): Promise<boolean> {
  const readAt = performance.now();
  const before = relink(ctx, saleId, auth);
  if (before !== null && grantToChargeAtOnce(ctx, before, auth)) {
    // The usual approval: nothing to adopt, nothing to decide; the grant is recorded with
    // the charge intent, in one commit.
    await chargeSale(ctx, saleId, before.amount, 'charge', { auth, at: readAt, unrecordedGrant: true });
    return false;
  }
  // An authorization that has ended (EXPIRED once its charge used the count up: a CHARGED one at
  // once) with charges the journal lacks: those are adopted before the status goes on record.
  // That money is the sale's payment, not an expiry the screens would show first; and a sale
  // held by a charge that does not fit it keeps the hold (unknown) rather than take the status.
  // A grant goes on record first, as a grant is what a failed CHARGED payment ends.
  const late = auth.status !== 'GRANTED' && lacksListedCharge(ctx, saleId, auth);
  if (!late) record(ctx, saleId, () => ctx.journal.recordAuthorizationStatus(saleId, auth.status));
  if (await adoptCharges(ctx, saleId, auth)) return true;
  if (late) record(ctx, saleId, () => ctx.journal.recordAuthorizationStatus(saleId, auth.status));
  const sale = ctx.journal.getSale(saleId);
  if (sale === null) return false;
  if (auth.status !== 'GRANTED' || sale.state !== 'granted' || sale.policy !== 'CHARGEABLE') return false;
  if (cancelRequested(ctx, saleId)) {
    // The payer approved while the cashier was cancelling: the cashier's word wins, and
    // since a CHARGEABLE grant moves no money by itself, nothing needs giving back.
    recordIntent(ctx, saleId, () =>
      ctx.journal.recordSaleState(saleId, 'cancelled', {
        note: JOURNAL_TEXTS.cancelledAfterApproval,
      }),
    );
    return false;
  }
  // The read that showed the grant carries the pay token: charge with it while it is fresh.
  await chargeSale(ctx, saleId, sale.amount, 'charge', { auth, at: readAt });
  return false;
}

/**
 * The sale, with the link DropPay gives now on record when the payer has yet to answer: the
 * QR on the screens follows it (the sale's update carries it). Lock held.
 */
function relink(ctx: Ctx, saleId: string, auth: Authorization): Sale | null {
  const sale = ctx.journal.getSale(saleId);
  const link = auth.sharing;
  if (sale?.state !== 'waiting' || auth.status !== 'WAITING' || link === undefined) return sale;
  if (link === sale.sharingUrl) return sale;
  return record(ctx, saleId, () => ctx.journal.recordAuthorizationLink(saleId, link));
}

/** Whether the authorization lists a charge (or a charge_id) the journal has no record of. */
function lacksListedCharge(ctx: Ctx, saleId: string, auth: Authorization): boolean {
  const listed = [
    ...(auth.charges ?? []).map((c) => c.id),
    ...(auth.chargeId === undefined ? [] : [auth.chargeId]),
  ];
  if (listed.length === 0) return false;
  const known = new Set(ctx.journal.getSaleDetail(saleId)?.charges.map((c) => c.droppayId) ?? []);
  return listed.some((id) => !known.has(id));
}

/**
 * A first sight of a grant the till charges straight away: a waiting CHARGEABLE sale, a pay
 * token, no charge on DropPay's side to adopt, and no cancel asked for.
 */
function grantToChargeAtOnce(ctx: Ctx, sale: Sale, auth: Authorization): boolean {
  return (
    sale.state === 'waiting' &&
    sale.policy === 'CHARGEABLE' &&
    auth.status === 'GRANTED' &&
    auth.payToken !== undefined &&
    auth.chargeSuccessCount === 0 &&
    (auth.charges ?? []).length === 0 &&
    !cancelRequested(ctx, sale.id)
  );
}

/** DELETEs a waiting authorization (intent first) and applies what DropPay says after. */
export async function cancelWaiting(ctx: Ctx, sale: Sale): Promise<void> {
  const authorizationId = sale.authorizationId;
  if (authorizationId === null) return;
  recordIntent(ctx, sale.id, () => ctx.journal.recordAuthorizationCancelIntent(sale.id));
  ctx.crash('cancel.after-intent');
  let auth: Authorization | undefined;
  try {
    auth = await ctx.client.authorizations.cancel(authorizationId);
  } catch (err) {
    // 403/200: no longer WAITING (the payer was faster); in doubt: read back. Either way the
    // read below says what happened. Anything else is a real refusal.
    const readBack = isInDoubt(err) || isDropPayError(err, 'CHARGE_NOT_ALLOWED');
    if (!readBack) {
      if (endUnknownToDropPay(ctx, sale.id, err, 'cancelled')) return;
      throw PaymentsError.from(err, sale.id);
    }
  }
  try {
    auth = auth ?? (await ctx.client.authorizations.get(authorizationId));
  } catch (err) {
    throw new PaymentsError(
      'OUTCOME_UNKNOWN',
      'DropPay did not confirm the cancellation; the till keeps checking and will not charge this sale.',
      { saleId: sale.id, cause: err, detail: { key: 'cancel.unconfirmed' } },
    );
  }
  await applyAuthorization(ctx, sale.id, auth);
}

export async function cancelSale(ctx: Ctx, saleId: string): Promise<SaleView> {
  return ctx.withSale(saleId, async () => {
    const sale = ctx.journal.getSale(saleId);
    if (sale === null) throw notFound('sale', saleId);
    if (sale.state === 'waiting') {
      await cancelWaiting(ctx, sale);
      return ctx.view(saleId);
    }
    const neverShown =
      sale.authorizationId === null &&
      (sale.state === 'created' || sale.state === 'failed' || sale.state === 'unknown');
    if (!neverShown) {
      throw new PaymentsError('INVALID_STATE', `A ${sale.state} sale cannot be cancelled.`, {
        saleId,
        detail: { key: 'sale.cannotCancel', params: { state: sale.state } },
      });
    }
    // No authorization anyone could have seen: nothing to tell DropPay.
    recordIntent(ctx, saleId, () =>
      ctx.journal.recordSaleState(saleId, 'cancelled', {
        note: JOURNAL_TEXTS.cancelledBeforeLink,
      }),
    );
    return ctx.view(saleId);
  });
}
