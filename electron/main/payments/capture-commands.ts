/**
 * The two commands that charge an authorization the customer already granted, from the till
 * rather than from the flow that saw the grant: capturing a BOOKED pre-authorization (any amount
 * up to the booked one) and charging a CHARGEABLE sale again after DropPay refused its charge.
 * Each checks the sale's state first and refuses with INVALID_STATE what cannot be done now.
 */
import { chargeSale } from './charge-flow';
import type { Ctx } from './context';
import { notFound, PaymentsError } from './errors';
import { mustBeOnlySale } from './live-sale';
import type { SaleView } from '../../../shared/sales';

/** BOOKED and granted (or granted after a failed capture): charges `amount` of it. */
export function captureBooked(ctx: Ctx, saleId: string, amount: number): Promise<SaleView> {
  return ctx.withSale(saleId, async () => {
    const sale = ctx.journal.getSale(saleId);
    if (sale === null) throw notFound('sale', saleId);
    if (sale.policy !== 'BOOKED') {
      throw new PaymentsError('INVALID_STATE', 'Only a BOOKED sale is captured.', {
        saleId,
        detail: { key: 'sale.captureNotBooked' },
      });
    }
    const capturable =
      sale.state === 'granted' || (sale.state === 'failed' && sale.authorizationStatus === 'GRANTED');
    if (!capturable) {
      throw new PaymentsError('INVALID_STATE', `A ${sale.state} sale cannot be captured.`, {
        saleId,
        detail: { key: 'sale.cannotCapture', params: { state: sale.state } },
      });
    }
    if (amount > sale.amount) {
      throw new PaymentsError('VALIDATION', 'The capture is above the booked amount.', {
        saleId,
        detail: { key: 'sale.captureAboveBooked' },
      });
    }
    await chargeSale(ctx, saleId, amount, 'capture');
    return ctx.view(saleId);
  });
}

/**
 * CHARGEABLE, failed, authorization still granted and nothing charged: charges it again, so the
 * customer need not scan a new code.
 */
export function chargeAgain(ctx: Ctx, saleId: string): Promise<SaleView> {
  // Another sale at the customer (started after this one failed, maybe for the same customer):
  // charging this one again could take their money twice.
  mustBeOnlySale(ctx, saleId);
  return ctx.withSale(saleId, async () => {
    const view = ctx.view(saleId);
    const retryable =
      view.policy === 'CHARGEABLE' &&
      view.state === 'failed' &&
      view.authorizationStatus === 'GRANTED' &&
      view.charges.every((c) => c.status === 'FAILED');
    if (!retryable) {
      throw new PaymentsError(
        'INVALID_STATE',
        `This sale cannot be charged again (${view.state}, authorization ${view.authorizationStatus ?? 'none'}).`,
        { saleId, detail: { key: 'sale.cannotChargeAgain', params: { state: view.state } } },
      );
    }
    await chargeSale(ctx, saleId, view.amount, 'charge');
    return ctx.view(saleId);
  });
}
