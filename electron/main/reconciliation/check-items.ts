/**
 * One charge or one refund against DropPay. A row with a DropPay id is read directly; one
 * without is placed through its authorization (charges) or its charge (refunds). "It did not
 * happen" is only concluded for rows quiet for `settleAfterMs`, so a POST still in flight from
 * the till is never declared failed under the payments core's feet.
 */
import {
  DropPayError,
  type Authorization,
  type Charge as RemoteCharge,
  type Refund as RemoteRefund,
} from '../droppay';
import { JOURNAL_PATTERNS, JOURNAL_TEXTS } from '../../../shared/core-texts';
import type { Charge, Refund } from '../journal';
import { mismatchedAnswer } from '../payments/answer-check';
import type { SaleCheckContext, ItemOutcome } from './check-sale';
import { compare, chargeOutcomeOf, refundOutcomeOf, localClass } from './compare';
import { finding, type FindingCode, type ItemKind } from './hints';

export interface Ctx extends SaleCheckContext {
  auth: Authorization | null;
  /** DropPay charge ids already placed on a journal row during this sale's check. */
  claimed: Set<string>;
}

const isGone = (error: unknown): boolean =>
  error instanceof DropPayError && (error.kind === 'NOT_FOUND' || error.kind === 'FORBIDDEN_RESOURCE');

function quietLongEnough(ctx: Ctx, row: Charge | Refund): boolean {
  return ctx.now().getTime() - Date.parse(row.updatedAt) >= ctx.settleAfterMs;
}

function make(
  kind: ItemKind,
  row: Charge | Refund,
  merchantRef: string,
  remote: { id: string; status: string; amount: number } | null,
) {
  return (code: FindingCode, recorded: string | null = null) =>
    finding(code, kind, {
      journalId: row.id,
      saleId: row.saleId,
      merchantRef,
      droppayId: remote?.id ?? row.droppayId,
      journalStatus: row.status,
      droppayStatus: remote?.status ?? null,
      journalAmount: row.amount,
      droppayAmount: remote?.amount ?? null,
      recorded,
    });
}

function outcome(
  kind: ItemKind,
  row: Charge | Refund,
  remote: { status: string; amount: number } | null,
): ItemOutcome {
  return {
    kind,
    id: row.id,
    result: 'match',
    droppayStatus: remote?.status ?? null,
    droppayAmount: remote?.amount ?? null,
    findings: [],
  };
}

/** Records DropPay's status (or, for an unchanged status, just its id); returns the event kind. */
function record(
  ctx: Ctx,
  kind: ItemKind,
  row: Charge | Refund,
  remote: RemoteCharge | RemoteRefund,
  settling: boolean,
): string {
  const extra = {
    note: settling
      ? JOURNAL_PATTERNS.settledAtCheck.write(ctx.day)
      : JOURNAL_PATTERNS.placedAtCheck.write(ctx.day),
  };
  if (kind === 'charge') {
    const status = settling ? chargeOutcomeOf((remote as RemoteCharge).status) : (row as Charge).status;
    if (status === 'intent') return 'none';
    ctx.journal.recordChargeOutcome(row.id, { status, droppayId: remote.id, extra });
    return `charge.${status.toLowerCase()}`;
  }
  const status = settling ? refundOutcomeOf((remote as RemoteRefund).status) : (row as Refund).status;
  if (status === 'intent') return 'none';
  ctx.journal.recordRefundOutcome(row.id, { status, droppayId: remote.id, extra });
  return 'refund.status';
}

/** Compares a row with DropPay's copy and records an outcome the journal did not know. */
function judge(
  ctx: Ctx,
  kind: ItemKind,
  row: Charge | Refund,
  merchantRef: string,
  remote: RemoteCharge | RemoteRefund,
): ItemOutcome {
  const out = outcome(kind, row, remote);
  const f = make(kind, row, merchantRef, remote);
  const verdict = compare(row, remote);
  switch (verdict.kind) {
    case 'match':
    case 'pending':
      // A row placed through its authorization or charge learns its DropPay id here.
      if (row.droppayId === null) record(ctx, kind, row, remote, localClass(row.status) === 'open');
      return verdict.kind === 'match' ? out : { ...out, result: 'pending' };
    case 'settle':
      return { ...out, result: 'settled', findings: [f('SETTLED', record(ctx, kind, row, remote, true))] };
    case 'status-differs':
      return { ...out, result: 'mismatch', findings: [f('STATUS_DIFFERS')] };
    case 'amount-differs':
      return { ...out, result: 'mismatch', findings: [f('AMOUNT_DIFFERS')] };
  }
}

/** A DropPay refund on the charge that the journal does not hold. */
function strayRefund(ctx: Ctx, charge: Charge, merchantRef: string, remote: RemoteCharge) {
  const refund = remote.refund;
  if (refund === undefined || refund.status === 'FAILED') return [];
  const detail = ctx.journal.getSaleDetail(charge.saleId);
  if (detail?.refunds.some((r) => r.chargeId === charge.id && r.droppayId === refund.id)) return [];
  if (
    detail?.refunds.some(
      (r) => r.chargeId === charge.id && r.droppayId === null && localClass(r.status) === 'open',
    )
  )
    return []; // our own refund still being placed: its check settles it
  return [
    finding('MISSING_IN_JOURNAL', 'refund', {
      journalId: null,
      saleId: charge.saleId,
      merchantRef,
      droppayId: refund.id,
      journalStatus: null,
      droppayStatus: refund.status,
      journalAmount: null,
      droppayAmount: refund.amount,
    }),
  ];
}

/**
 * A charge or refund DropPay answered for other terms (another amount, authorization or charge;
 * see payments/answer-check.ts): a difference to write a reason for, never settled from here.
 */
async function answeredOtherwise(
  ctx: Ctx,
  kind: ItemKind,
  row: Charge | Refund,
  merchantRef: string,
  droppayId: string,
): Promise<ItemOutcome> {
  let remote: RemoteCharge | RemoteRefund | null = null;
  try {
    remote =
      kind === 'charge' ? await ctx.client.charges.get(droppayId) : await ctx.client.refunds.get(droppayId);
  } catch (error) {
    if (!isGone(error)) throw error;
  }
  return {
    ...outcome(kind, row, remote),
    result: 'mismatch',
    findings: [
      make(kind, row, merchantRef, remote)(remote === null ? 'MISSING_AT_DROPPAY' : 'AMOUNT_DIFFERS'),
    ],
  };
}

export async function checkCharge(ctx: Ctx, charge: Charge, merchantRef: string): Promise<ItemOutcome> {
  if (charge.droppayId !== null) {
    let remote: RemoteCharge;
    try {
      remote = await ctx.client.charges.get(charge.droppayId);
    } catch (error) {
      if (!isGone(error)) throw error;
      return {
        ...outcome('charge', charge, null),
        result: 'mismatch',
        findings: [make('charge', charge, merchantRef, null)('MISSING_AT_DROPPAY')],
      };
    }
    const judged = judge(ctx, 'charge', charge, merchantRef, remote);
    const stray = strayRefund(ctx, charge, merchantRef, remote);
    return stray.length === 0
      ? judged
      : { ...judged, result: 'mismatch', findings: [...judged.findings, ...stray] };
  }
  // Never accepted by DropPay (rejected before it existed): nothing there to compare.
  if (charge.status === 'FAILED') return outcome('charge', charge, null);
  const answered = mismatchedAnswer(ctx.journal, charge.saleId, 'charge', charge.id);
  if (answered !== null) return answeredOtherwise(ctx, 'charge', charge, merchantRef, answered);
  if (ctx.auth === null) return { ...outcome('charge', charge, null), result: 'error' };
  const auth = ctx.auth;
  const detail = ctx.journal.getSaleDetail(charge.saleId);
  const known = new Set(detail?.charges.flatMap((c) => (c.droppayId === null ? [] : [c.droppayId])) ?? []);
  for (const listed of auth.charges ?? []) {
    if (known.has(listed.id) || ctx.claimed.has(listed.id)) continue;
    const remote = await ctx.client.charges.get(listed.id);
    const ours =
      remote.merchantCustomLabel === charge.id ||
      (remote.merchantCustomLabel === undefined && remote.amount === charge.amount);
    if (ours) {
      ctx.claimed.add(remote.id);
      return judge(ctx, 'charge', charge, merchantRef, remote);
    }
  }
  if (localClass(charge.status) === 'paid') return outcome('charge', charge, null); // DONE by count; id unknown
  if (!quietLongEnough(ctx, charge)) return { ...outcome('charge', charge, null), result: 'pending' };
  // Not listed: the success count says whether it happened (only a success moves it).
  const paidKnown =
    detail?.charges.filter((c) => c.id !== charge.id && localClass(c.status) === 'paid').length ?? 0;
  const happened = auth.chargeSuccessCount > paidKnown;
  const extra = {
    note: JOURNAL_PATTERNS.successCountAtCheck.write(ctx.day, auth.chargeSuccessCount, paidKnown),
  };
  ctx.journal.recordChargeOutcome(
    charge.id,
    happened
      ? { status: 'DONE', extra }
      : {
          status: 'FAILED',
          error: JOURNAL_TEXTS.noSuchCharge,
          extra,
        },
  );
  const f = make('charge', charge, merchantRef, null);
  return {
    ...outcome('charge', charge, null),
    result: 'settled',
    findings: [f('SETTLED', happened ? 'charge.done' : 'charge.failed')],
  };
}

/** The DropPay ids the earlier attempts of a refund asked again had (the row has its current one only). */
function earlierAttemptIds(ctx: Ctx, refund: Refund): Set<string> {
  const ids = new Set<string>();
  if (refund.attempt <= 1) return ids;
  for (const e of ctx.journal.saleTimeline(refund.saleId)) {
    const id = e.entityId === refund.id ? (e.payload as { droppay_id?: unknown }).droppay_id : undefined;
    if (typeof id === 'string' && id !== refund.droppayId) ids.add(id);
  }
  return ids;
}

export async function checkRefund(ctx: Ctx, refund: Refund, merchantRef: string): Promise<ItemOutcome> {
  if (refund.droppayId !== null) {
    let remote: RemoteRefund;
    try {
      remote = await ctx.client.refunds.get(refund.droppayId);
    } catch (error) {
      if (!isGone(error)) throw error;
      return {
        ...outcome('refund', refund, null),
        result: 'mismatch',
        findings: [make('refund', refund, merchantRef, null)('MISSING_AT_DROPPAY')],
      };
    }
    return judge(ctx, 'refund', refund, merchantRef, remote);
  }
  if (refund.status === 'FAILED') return outcome('refund', refund, null);
  const answered = mismatchedAnswer(ctx.journal, refund.saleId, 'refund', refund.id);
  if (answered !== null) return answeredOtherwise(ctx, 'refund', refund, merchantRef, answered);
  const charge = ctx.journal.getCharge(refund.chargeId);
  if (charge === null || charge.droppayId === null)
    return { ...outcome('refund', refund, null), result: 'error' };
  const remote = (await ctx.client.charges.get(charge.droppayId)).refund;
  // The charge may still show an earlier attempt of this refund, one DropPay marked FAILED: the
  // journal knows that id (its event log), and it is not this attempt, whatever its amount. Nor
  // does it say this attempt is missing (DropPay may show a charge's first refund, not its
  // latest): this one stays to be found by its own id.
  if (remote !== undefined && earlierAttemptIds(ctx, refund).has(remote.id))
    return { ...outcome('refund', refund, null), result: 'pending' };
  if (remote !== undefined && remote.amount === refund.amount)
    return judge(ctx, 'refund', refund, merchantRef, remote);
  if (!quietLongEnough(ctx, refund)) return { ...outcome('refund', refund, null), result: 'pending' };
  ctx.journal.recordRefundOutcome(refund.id, {
    status: 'FAILED',
    error: remote === undefined ? JOURNAL_TEXTS.noSuchRefund : JOURNAL_PATTERNS.otherRefund.write(remote.id),
    extra: { note: JOURNAL_PATTERNS.settledAtCheck.write(ctx.day) },
  });
  return {
    ...outcome('refund', refund, null),
    result: 'settled',
    findings: [make('refund', refund, merchantRef, remote ?? null)('SETTLED', 'refund.status')],
  };
}
