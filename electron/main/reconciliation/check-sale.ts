/**
 * Checking one sale's share of a day with DropPay: each of the day's charges and refunds read
 * back by DropPay id, the authorization read to place charges the journal has no id for and to
 * find charges DropPay made that the journal lacks. What DropPay now knows about an unknown
 * outcome is recorded through the journal's own record* calls, so the event chain stays the
 * one source of truth. The rules mirror the payments core's recovery (charge-resolution.ts,
 * charge-adoption.ts).
 */
import { JOURNAL_PATTERNS } from '../../../shared/core-texts';
import { DropPayError, type Authorization, type DropPayClient } from '../droppay';
import { JournalError, type Charge, type Journal, type Refund, type SaleDetail } from '../journal';
import type { BusinessDay } from '../journal/business-day';
import type { CheckItemKind, CheckResult } from './check-store';
import { checkCharge, checkRefund, type Ctx } from './check-items';
import { finding, type Finding } from './hints';

export interface ItemOutcome {
  kind: CheckItemKind;
  id: string;
  result: CheckResult;
  droppayStatus: string | null;
  droppayAmount: number | null;
  findings: Finding[];
}

export interface SaleCheckContext {
  journal: Journal;
  client: DropPayClient;
  day: BusinessDay;
  now: () => Date;
  /** Only settle "it did not happen" for items quiet for this long (their POST cannot still land). */
  settleAfterMs: number;
}

/** The items of `detail` that belong to `day`, in the order they are checked. */
export function itemsOf(
  detail: SaleDetail,
  day: BusinessDay,
): { kind: CheckItemKind; id: string; seq: number }[] {
  const items: { kind: CheckItemKind; id: string; seq: number }[] = [];
  if (detail.sale.authorizationId !== null) {
    items.push({ kind: 'authorization', id: detail.sale.id, seq: detail.sale.lastEventSeq });
  }
  for (const c of detail.charges)
    if (c.businessDay === day) items.push({ kind: 'charge', id: c.id, seq: c.lastEventSeq });
  for (const r of detail.refunds)
    if (r.businessDay === day) items.push({ kind: 'refund', id: r.id, seq: r.lastEventSeq });
  return items;
}

export function isExpected(error: unknown): error is DropPayError | JournalError {
  return error instanceof DropPayError || error instanceof JournalError;
}

const errorOutcome = (kind: CheckItemKind, id: string): ItemOutcome => ({
  kind,
  id,
  result: 'error',
  droppayStatus: null,
  droppayAmount: null,
  findings: [],
});

/** Charges DropPay lists on the authorization that no journal charge of the sale carries. */
function strangers(auth: Authorization, detail: SaleDetail): string[] {
  const listed = new Set((auth.charges ?? []).map((c) => c.id));
  if (auth.chargeId !== undefined) listed.add(auth.chargeId);
  return [...listed].filter((id) => !detail.charges.some((c) => c.droppayId === id));
}

const paid = (c: Charge): boolean => c.status === 'DONE' || c.status === 'ACCOUNTED';
const inDoubt = (c: Charge): boolean =>
  c.status === 'intent' || c.status === 'pending' || c.status === 'unknown';

/** Money DropPay moved that the journal lacks: recorded as observed, and reported. */
async function adoptStrangers(
  ctx: SaleCheckContext,
  saleId: string,
  auth: Authorization,
): Promise<ItemOutcome> {
  const outcome: ItemOutcome = {
    kind: 'authorization',
    id: saleId,
    result: 'match',
    droppayStatus: auth.status,
    droppayAmount: auth.amount,
    findings: [],
  };
  const detail = ctx.journal.getSaleDetail(saleId);
  if (detail === null) return outcome;
  const { sale } = detail;
  // While one of our own charges is still unplaced, a stranger may be it: recording it as
  // observed now could count the same money twice.
  const unplaced = detail.charges.some((c) => c.droppayId === null && inDoubt(c));
  for (const id of strangers(auth, detail)) {
    const remote = await ctx.client.charges.get(id);
    if (remote.status === 'FAILED') continue; // no money moved
    // One of ours settled DONE from the success count, on any day, without its id: this is
    // it. It learns its id; recorded as observed, the same money would count twice.
    const anonymous = ctx.journal
      .getSaleDetail(saleId)
      ?.charges.find(
        (c) =>
          c.droppayId === null &&
          paid(c) &&
          c.amount === remote.amount &&
          (remote.merchantCustomLabel === undefined || remote.merchantCustomLabel === c.id),
      );
    if (anonymous !== undefined && (remote.status === 'DONE' || remote.status === 'ACCOUNTED')) {
      ctx.journal.recordChargeOutcome(anonymous.id, {
        status: anonymous.status === 'ACCOUNTED' ? 'ACCOUNTED' : 'DONE',
        droppayId: remote.id,
        extra: { note: JOURNAL_PATTERNS.idFoundAtCheck.write(ctx.day) },
      });
      continue;
    }
    let recorded: string | null = null;
    if (!unplaced && remote.status !== 'PENDING') {
      try {
        ctx.journal.recordChargeObserved(saleId, {
          droppayId: remote.id,
          amount: remote.amount,
          status: remote.status,
          ...(remote.createdAt === undefined ? {} : { takenAt: remote.createdAt }),
          extra: { note: JOURNAL_PATTERNS.foundAtCheck.write(ctx.day) },
        });
        recorded = 'charge.observed';
      } catch (error) {
        if (!(error instanceof JournalError)) throw error;
      }
    }
    outcome.result = 'mismatch';
    outcome.findings.push(
      finding('MISSING_IN_JOURNAL', 'charge', {
        journalId: null,
        saleId,
        merchantRef: sale.merchantRef,
        droppayId: remote.id,
        journalStatus: null,
        droppayStatus: remote.status,
        journalAmount: null,
        droppayAmount: remote.amount,
        recorded,
      }),
    );
  }
  // Without a list, only the count can tell that DropPay charged more often than we know.
  if (auth.charges === undefined && auth.chargeId === undefined) {
    const known = detail.charges.filter(paid).length;
    if (auth.chargeSuccessCount > known && !unplaced) {
      outcome.result = 'mismatch';
      outcome.findings.push(
        finding('MISSING_IN_JOURNAL', 'charge', {
          journalId: null,
          saleId,
          merchantRef: sale.merchantRef,
          droppayId: null,
          journalStatus: null,
          droppayStatus: `charge_success_count ${auth.chargeSuccessCount}`,
          journalAmount: null,
          droppayAmount: null,
        }),
      );
    }
  }
  return outcome;
}

/** Checks every item of one sale for the day; never throws for DropPay or journal trouble. */
export async function checkSale(ctx: SaleCheckContext, saleId: string): Promise<ItemOutcome[]> {
  const first = ctx.journal.getSaleDetail(saleId);
  if (first === null) return [];
  const items = itemsOf(first, ctx.day);
  let auth: Authorization | null = null;
  let authFailed = false;
  let authGone = false;
  if (first.sale.authorizationId !== null) {
    try {
      auth = await ctx.client.authorizations.get(first.sale.authorizationId);
    } catch (error) {
      if (!isExpected(error)) throw error;
      // Unknown to DropPay: a final answer; the sale's charges carry the findings.
      authGone =
        error instanceof DropPayError && (error.kind === 'NOT_FOUND' || error.kind === 'FORBIDDEN_RESOURCE');
      authFailed = true;
    }
  }
  const c: Ctx = { ...ctx, auth, claimed: new Set<string>() };
  const out: ItemOutcome[] = [];
  for (const item of items) {
    if (item.kind === 'authorization') continue;
    try {
      if (item.kind === 'charge') {
        const charge = ctx.journal.getCharge(item.id);
        if (charge) out.push(await checkCharge(c, charge, first.sale.merchantRef));
      } else {
        const refund: Refund | null = ctx.journal.getRefund(item.id);
        if (refund) out.push(await checkRefund(c, refund, first.sale.merchantRef));
      }
    } catch (error) {
      if (!isExpected(error)) throw error;
      out.push(errorOutcome(item.kind, item.id));
    }
  }
  if (first.sale.authorizationId !== null) {
    if (authGone) out.unshift({ ...errorOutcome('authorization', saleId), result: 'mismatch' });
    else if (auth === null || authFailed) out.unshift(errorOutcome('authorization', saleId));
    else {
      try {
        out.unshift(await adoptStrangers(ctx, saleId, auth));
      } catch (error) {
        if (!isExpected(error)) throw error;
        out.unshift(errorOutcome('authorization', saleId));
      }
    }
  }
  return out;
}
