/**
 * Does the journal tell the same story as DropPay's ledger? Every check returns a list of
 * problems in words (empty when all agree), so a failing test says exactly which sale, charge
 * or refund disagrees and how, instead of "expected false to be true".
 */
import type { Journal, SaleDetail } from '../../electron/main/journal';
import { JOURNAL_TEXTS } from '../../shared/core-texts';
import type { Ledger } from './sandbox';

const SETTLED = new Set(['DONE', 'ACCOUNTED']);
/** Sale states nothing further happens to (failed: DropPay said no, nothing moved). */
export const SETTLED_SALE_STATES = new Set(['paid', 'refused', 'expired', 'cancelled', 'revoked', 'failed']);

/** Every sale on file with its charges and refunds, oldest first. */
export function allSaleDetails(journal: Journal): SaleDetail[] {
  const out: SaleDetail[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = journal.listSales({ limit: 500, offset });
    for (const sale of page.sales) {
      const detail = journal.getSaleDetail(sale.id);
      if (detail) out.push(detail);
    }
    if (offset + 500 >= page.total) break;
  }
  return out.reverse();
}

/**
 * Money agreement: exactly one settled charge per paid sale and none for any other, same
 * amounts in cents, every DropPay charge and refund known to the journal under its DropPay id,
 * and the same totals on both sides.
 */
export function ledgerAgreement(ledger: Ledger, details: readonly SaleDetail[]): string[] {
  const problems: string[] = [];
  const saleByAuthorization = new Map<string, SaleDetail>();
  const journalCharge = new Map<string, { detail: SaleDetail; charge: SaleDetail['charges'][number] }>();
  const journalRefund = new Map<string, { detail: SaleDetail; refund: SaleDetail['refunds'][number] }>();
  for (const d of details) {
    if (d.sale.authorizationId !== null) saleByAuthorization.set(d.sale.authorizationId, d);
    for (const c of d.charges)
      if (c.droppayId !== null) journalCharge.set(c.droppayId, { detail: d, charge: c });
    for (const r of d.refunds)
      if (r.droppayId !== null) journalRefund.set(r.droppayId, { detail: d, refund: r });
  }

  const settledByAuthorization = new Map<string, number>();
  for (const l of ledger.charges) {
    const settled = SETTLED.has(l.status);
    if (settled)
      settledByAuthorization.set(l.authorizationId, (settledByAuthorization.get(l.authorizationId) ?? 0) + 1);
    const j = journalCharge.get(l.id);
    if (!saleByAuthorization.has(l.authorizationId)) {
      problems.push(
        `DropPay charge ${l.id} (${l.status}, ${l.amount}c) is on authorization ${l.authorizationId}, which no sale in the journal has`,
      );
      continue;
    }
    if (!j) {
      if (settled)
        problems.push(`DropPay charge ${l.id} (${l.status}, ${l.amount}c) is missing from the journal`);
      continue;
    }
    if (j.detail.sale.authorizationId !== l.authorizationId)
      problems.push(
        `charge ${l.id}: journal sale ${j.detail.sale.id} has authorization ${j.detail.sale.authorizationId}, DropPay says ${l.authorizationId}`,
      );
    if (j.charge.amount !== l.amount)
      problems.push(`charge ${l.id}: journal ${j.charge.amount}c, DropPay ${l.amount}c`);
    if (SETTLED.has(j.charge.status) !== settled)
      problems.push(`charge ${l.id}: journal status ${j.charge.status}, DropPay ${l.status}`);
  }
  const ledgerChargeIds = new Set(ledger.charges.map((c) => c.id));
  for (const d of details) {
    const n = d.sale.authorizationId === null ? 0 : (settledByAuthorization.get(d.sale.authorizationId) ?? 0);
    const expected = d.sale.state === 'paid' ? 1 : 0;
    if (n !== expected)
      problems.push(
        `sale ${d.sale.id} (${d.sale.state}, ${d.sale.amount}c): ${n} settled DropPay charge(s), expected ${expected}`,
      );
    for (const c of d.charges) {
      if (!SETTLED.has(c.status)) continue;
      if (c.droppayId === null) problems.push(`sale ${d.sale.id}: settled charge ${c.id} has no DropPay id`);
      else if (!ledgerChargeIds.has(c.droppayId))
        problems.push(
          `sale ${d.sale.id}: journal charge ${c.droppayId} (${c.status}) is not in DropPay's ledger`,
        );
    }
  }

  const refundedCharges = new Map<string, number>();
  for (const l of ledger.refunds) {
    const j = journalRefund.get(l.id);
    const live = l.status !== 'FAILED';
    if (live) refundedCharges.set(l.chargeId, (refundedCharges.get(l.chargeId) ?? 0) + 1);
    if (!j) {
      if (live)
        problems.push(
          `DropPay refund ${l.id} (${l.status}, ${l.amount}c) of charge ${l.chargeId} is missing from the journal`,
        );
      continue;
    }
    const charge = j.detail.charges.find((c) => c.id === j.refund.chargeId);
    if (charge?.droppayId !== l.chargeId)
      problems.push(
        `refund ${l.id}: journal refunds charge ${charge?.droppayId ?? '?'}, DropPay ${l.chargeId}`,
      );
    if (j.refund.amount !== l.amount)
      problems.push(`refund ${l.id}: journal ${j.refund.amount}c, DropPay ${l.amount}c`);
    if (SETTLED.has(j.refund.status) !== SETTLED.has(l.status))
      problems.push(`refund ${l.id}: journal status ${j.refund.status}, DropPay ${l.status}`);
  }
  for (const [chargeId, n] of refundedCharges)
    if (n > 1) problems.push(`DropPay charge ${chargeId} has ${n} refunds that did not fail`);
  const ledgerRefundIds = new Set(ledger.refunds.map((r) => r.id));
  for (const d of details)
    for (const r of d.refunds)
      if (SETTLED.has(r.status) && (r.droppayId === null || !ledgerRefundIds.has(r.droppayId)))
        problems.push(
          `sale ${d.sale.id}: journal refund ${r.id} (${r.status}, ${r.droppayId ?? 'no id'}) is not in DropPay's ledger`,
        );

  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const ledgerCharged = sum(ledger.charges.filter((c) => SETTLED.has(c.status)).map((c) => c.amount));
  const journalCharged = sum(
    details.flatMap((d) => d.charges.filter((c) => SETTLED.has(c.status)).map((c) => c.amount)),
  );
  const ledgerRefunded = sum(ledger.refunds.filter((r) => SETTLED.has(r.status)).map((r) => r.amount));
  const journalRefunded = sum(
    details.flatMap((d) => d.refunds.filter((r) => SETTLED.has(r.status)).map((r) => r.amount)),
  );
  if (ledgerCharged !== journalCharged)
    problems.push(`charged: DropPay ${ledgerCharged}c, journal ${journalCharged}c`);
  if (ledgerRefunded !== journalRefunded)
    problems.push(`refunded: DropPay ${ledgerRefunded}c, journal ${journalRefunded}c`);
  return problems;
}

/** Everything still open: sales not settled, charges and refunds without a final outcome. */
export function unsettled(details: readonly SaleDetail[]): string[] {
  const problems: string[] = [];
  for (const d of details) {
    if (!SETTLED_SALE_STATES.has(d.sale.state)) problems.push(`sale ${d.sale.id} is ${d.sale.state}`);
    // Failed although its only trouble was a charge proven never made, with the payer's
    // approval still able to charge, and not because a run's every attempt missed (which ends
    // it failed for the cashier's "charge again"): a crash between attempts left it so.
    const last = d.charges.at(-1);
    if (
      d.sale.state === 'failed' &&
      d.sale.policy === 'CHARGEABLE' &&
      d.sale.authorizationStatus === 'GRANTED' &&
      last?.status === 'FAILED' &&
      last.droppayId === null &&
      (last.lastError === JOURNAL_TEXTS.noSuchCharge || last.lastError === JOURNAL_TEXTS.payTokenExpired) &&
      d.sale.lastError !== JOURNAL_TEXTS.notChargedTwice
    )
      problems.push(`sale ${d.sale.id} failed with the payer's approval unused`);
    for (const c of d.charges)
      if (!SETTLED.has(c.status) && c.status !== 'FAILED')
        problems.push(`charge ${c.id} of sale ${d.sale.id} is ${c.status}`);
    for (const r of d.refunds)
      if (!SETTLED.has(r.status) && r.status !== 'FAILED')
        problems.push(`refund ${r.id} of sale ${d.sale.id} is ${r.status}`);
  }
  return problems;
}
