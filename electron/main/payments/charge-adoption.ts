/**
 * Adopting the charges DropPay made that the journal does not hold: money that moved must show,
 * whether DropPay charged by itself (a CHARGED authorization at grant) or a crashed run never
 * recorded it. The read-back of the till's own charges in doubt is charge-resolution.ts.
 */
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import type { Authorization, Charge as RemoteCharge } from '../droppay';
import { FINAL_SALE_STATES, type SaleDetail } from '../journal';
import { answerMismatch, MISMATCHED } from './answer-check';
import { IN_DOUBT, localChargeStatus, recordRemoteCharge, resolveCharge } from './charge-resolution';
import { record, type Ctx } from './context';

/**
 * Whether a charge DropPay made by itself fits the sale: on its authorization, and for its
 * amount (a BOOKED one: at most the amount booked). The journal text saying how it does not,
 * or null.
 */
function strangerMisfit(sale: SaleDetail['sale'], remote: RemoteCharge): string | null {
  const asked: [number, string | null] = [sale.amount, sale.authorizationId];
  const onIt = remote.authorizationId === undefined || remote.authorizationId === sale.authorizationId;
  const amountFits = sale.policy === 'BOOKED' ? remote.amount <= sale.amount : remote.amount === sale.amount;
  if (onIt && amountFits) return null;
  return answerMismatch(remote.id, [remote.amount, remote.authorizationId ?? sale.authorizationId], asked);
}

/**
 * Money that moved must show: any charge DropPay lists on the authorization that the journal
 * does not hold is resolved into the charge in doubt it belongs to, or recorded as observed
 * (the charge a CHARGED authorization makes at grant, or one a crashed run never recorded).
 * One that does not fit the sale (another amount, another authorization) is not put on file as
 * its payment: the sale is left `unknown`, naming it, for the day's check, and nothing more is
 * charged on it. True when such a charge held the sale.
 */
export async function adoptCharges(ctx: Ctx, saleId: string, auth: Authorization): Promise<boolean> {
  const listed = new Set((auth.charges ?? []).map((c) => c.id));
  if (auth.chargeId !== undefined) listed.add(auth.chargeId);
  const strangers = (detail: SaleDetail): string[] =>
    [...listed].filter((id) => !detail.charges.some((c) => c.droppayId === id));
  let detail = ctx.journal.getSaleDetail(saleId);
  if (detail === null || strangers(detail).length === 0) return false;
  // A charge of ours still in doubt may be one of them: settle those first, and while any stays
  // in doubt record nothing else, or the same money could be counted twice.
  for (const c of detail.charges) {
    if (c.droppayId === null && IN_DOUBT.has(c.status)) await resolveCharge(ctx, c.id);
  }
  detail = ctx.journal.getSaleDetail(saleId);
  if (detail === null || detail.charges.some((c) => c.droppayId === null && IN_DOUBT.has(c.status)))
    return false;
  const policy = detail.sale.policy;
  let held = false;
  for (const id of strangers(detail)) {
    const remote = await ctx.client.charges.get(id);
    // A failed charge moved no money; it ends the sale only where DropPay charges by itself.
    if (remote.status === 'FAILED' && policy !== 'CHARGED') continue;
    const misfit = strangerMisfit(detail.sale, remote);
    if (misfit !== null) {
      held = true;
      const sale = ctx.journal.getSale(saleId);
      // Already held (or in doubt for another reason): nothing more to write or say.
      if (sale === null || sale.lastError === misfit || sale.state === 'unknown') continue;
      ctx.log(`payments: sale ${saleId}: ${misfit}`);
      // A sale already final (paid by a charge of its own) keeps its state: the check lists it.
      if (FINAL_SALE_STATES.has(sale.state)) continue;
      record(ctx, saleId, () =>
        ctx.journal.recordSaleState(saleId, 'unknown', { error: misfit, extra: { [MISMATCHED]: remote.id } }),
      );
      continue;
    }
    // A charge already recorded DONE without its id (rule 3 of charge-resolution.ts) learns it
    // now, instead of the same money being recorded a second time.
    const anonymous = ctx.journal
      .getSaleDetail(saleId)
      ?.charges.find(
        (c) =>
          c.droppayId === null &&
          (c.status === 'DONE' || c.status === 'ACCOUNTED') &&
          c.amount === remote.amount &&
          (remote.merchantCustomLabel === undefined || remote.merchantCustomLabel === c.id),
      );
    if (anonymous !== undefined && (remote.status === 'DONE' || remote.status === 'ACCOUNTED')) {
      recordRemoteCharge(ctx, anonymous, remote, JOURNAL_TEXTS.idFoundOnAuthorization);
      continue;
    }
    const outcome = record(ctx, saleId, () =>
      ctx.journal.recordChargeObserved(saleId, {
        droppayId: remote.id,
        amount: remote.amount,
        status: localChargeStatus(remote.status),
        ...(remote.createdAt === undefined ? {} : { takenAt: remote.createdAt }),
        extra: {
          note: policy === 'CHARGED' ? JOURNAL_TEXTS.chargedAtGrant : JOURNAL_TEXTS.foundOnAuthorization,
        },
      }),
    );
    if (outcome.charge.status === 'pending') ctx.follow('charge', outcome.charge.id);
  }
  return held;
}
