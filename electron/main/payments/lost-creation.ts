/**
 * Sales whose authorization request has no answer on record: the ones a stopped run never
 * sent (ended as failed at start-up), the ones DropPay may have created (ended as expired once
 * nobody can have approved them), and the authorization a webhook names that may be one of them.
 */
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import { DropPayError, type Authorization } from '../droppay';
import { record, recordIntent, type Ctx } from './context';
import { LOST_AUTHORIZATION_GRACE_SECONDS } from './live-sale';
import { applyAuthorization, recordCreated } from './sale-flow';

/**
 * Sales left `created` by a run that stopped (or whose journal refused the intent) between
 * recording the sale and recording its authorization intent. DropPay was never asked, so they
 * end as failed with a note. Only at start-up, when no startSale of this process is running.
 */
export function endUnsentSales(ctx: Ctx): number {
  let ended = 0;
  for (;;) {
    const page = ctx.journal.listSales({ state: 'created', limit: 500 });
    const stale = page.sales.filter((s) => !ctx.live.has(s.id));
    if (stale.length === 0) return ended;
    for (const s of stale) {
      recordIntent(ctx, s.id, () =>
        ctx.journal.recordSaleState(s.id, 'failed', {
          error: JOURNAL_TEXTS.stoppedBeforeAsking,
        }),
      );
      ended += 1;
    }
  }
}

/**
 * A sale whose authorization POST has no answer ('authorizing' after a crash, or 'unknown').
 * DropPay has no search by merchant_custom_id, so the authorization cannot be looked up. But
 * nothing can be charged on it either: the only way to pay is through its link, which nobody
 * saw. So once the waiting time (plus a little slack) has passed it can no longer be granted,
 * and the sale is ended as expired with a note saying so: no money moved. A webhook naming
 * the authorization before then revives it (see adoptByWebhook). Lock held.
 */
export async function resolveSaleInDoubt(ctx: Ctx, saleId: string): Promise<'resolved' | 'unknown'> {
  let sale = ctx.journal.getSale(saleId);
  if (sale === null) return 'resolved';
  if (sale.authorizationId !== null) {
    // 'unknown' with an authorization and no charge in flight: read it and follow DropPay.
    if (sale.state !== 'unknown') return 'resolved';
    let auth: Authorization;
    try {
      auth = await ctx.client.authorizations.get(sale.authorizationId);
    } catch (err) {
      if (err instanceof DropPayError) return 'unknown';
      throw err;
    }
    // Held by a charge DropPay made that does not fit the sale: it stays unknown, for a person.
    if (await applyAuthorization(ctx, saleId, auth)) return 'unknown';
    const after = ctx.journal.getSale(saleId);
    if (after?.state === 'unknown' && (auth.status === 'WAITING' || auth.status === 'GRANTED')) {
      const state = auth.status === 'WAITING' ? 'waiting' : 'granted';
      record(ctx, saleId, () => ctx.journal.recordSaleState(saleId, state, { note: JOURNAL_TEXTS.readBack }));
      ctx.watch(saleId, 0);
    }
    return ctx.journal.getSale(saleId)?.state === 'unknown' ? 'unknown' : 'resolved';
  }
  if (sale.state === 'authorizing') {
    sale = record(ctx, saleId, () =>
      ctx.journal.recordAuthorizationUnknown(
        saleId,
        'The till stopped before DropPay answered the authorization request.',
      ),
    );
  }
  if (sale.state !== 'unknown') return 'resolved';
  const intent = ctx.journal.saleTimeline(saleId).findLast((e) => e.kind === 'authorization.create.intent');
  const since = Date.parse(intent?.at ?? sale.createdAt);
  const over = since + (ctx.waitingSeconds + LOST_AUTHORIZATION_GRACE_SECONDS) * 1000;
  if (ctx.now().getTime() < over) return 'unknown';
  recordIntent(ctx, saleId, () =>
    ctx.journal.recordSaleState(saleId, 'expired', {
      note: JOURNAL_TEXTS.neverConfirmed,
    }),
  );
  return 'resolved';
}

/**
 * A webhook named an authorization the journal does not know: perhaps the one whose creation
 * answer was lost. Its merchant_custom_id says which sale it belongs to.
 */
export async function adoptByWebhook(ctx: Ctx, authorizationId: string): Promise<void> {
  const auth = await ctx.client.authorizations.get(authorizationId);
  const ref = auth.merchantCustomId;
  if (ref === undefined) return;
  const sale = ctx.journal
    .listSales({ text: ref, state: ['authorizing', 'unknown'], limit: 10 })
    .sales.find((s) => s.merchantRef === ref && s.authorizationId === null);
  if (sale === undefined) return;
  await ctx.withSale(sale.id, async () => {
    const current = ctx.journal.getSale(sale.id);
    if (current?.authorizationId !== null || current.state !== 'unknown') return;
    const listsCharges = (auth.charges ?? []).length > 0 || auth.chargeId !== undefined;
    recordCreated(ctx, sale.id, auth, auth.status !== 'WAITING' && auth.status !== 'GRANTED' && listsCharges);
    await applyAuthorization(ctx, sale.id, auth);
  });
}
