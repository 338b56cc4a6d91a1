import { describe, expect, it } from 'vitest';
import type { Charge, Refund, Sale, SaleDetail } from '../../../electron/main/journal/index';
import { isRealInstant, saleDamage } from '../../../electron/main/payments/damage';
import { toSaleView } from '../../../electron/main/payments/views';

const AT = '2026-03-14T09:26:53.589Z';

function detail(
  edit: { sale?: Partial<Sale>; charge?: Partial<Charge>; refund?: Partial<Refund> } = {},
): SaleDetail {
  const dated = { businessDay: '2026-03-14', createdAt: AT, updatedAt: AT, lastError: null, lastEventSeq: 1 };
  return {
    sale: {
      id: 'sale-1',
      merchantRef: 'S-20260314-ABC123',
      amount: 1250,
      description: 'Caffè',
      policy: 'CHARGEABLE',
      state: 'paid',
      authorizationId: 'CHT1',
      authorizationStatus: 'GRANTED',
      sharingUrl: 'https://dp.link/u/1',
      ...dated,
      ...edit.sale,
    },
    charges: [
      {
        id: 'charge-1',
        saleId: 'sale-1',
        droppayId: 'CHA1',
        amount: 1250,
        status: 'DONE',
        origin: 'terminal',
        ...dated,
        ...edit.charge,
      },
    ],
    refunds: [
      {
        id: 'refund-1',
        chargeId: 'charge-1',
        saleId: 'sale-1',
        droppayId: 'REF1',
        amount: 500,
        reason: 'Reso',
        status: 'DONE',
        attempt: 1,
        askedAt: AT,
        ...dated,
        ...edit.refund,
      },
    ],
  };
}

describe('isRealInstant', () => {
  it('takes what toISOString writes and nothing that names no real time', () => {
    expect(isRealInstant(AT)).toBe(true);
    expect(isRealInstant('2028-02-29T23:59:59.999Z')).toBe(true);
    for (const bad of [
      '2026-13-14T09:26:53.589Z',
      '2026-02-30T09:26:53.589Z',
      '2027-02-29T09:26:53.589Z',
      '2026-03-14T25:26:53.589Z',
      '2026-03-14T09:66:53.589Z',
      '2026-03-14T09:26:53Z',
      '',
    ]) {
      expect(isRealInstant(bad), bad).toBe(false);
    }
  });
});

describe('saleDamage', () => {
  it('is null for a sound sale, and names the first date that does not exist', () => {
    expect(saleDamage(detail())).toBeNull();
    expect(saleDamage(detail({ sale: { createdAt: '2026-13-14T09:26:53.589Z' } }))).toEqual({
      field: 'sale.createdAt',
      value: '2026-13-14T09:26:53.589Z',
    });
    expect(saleDamage(detail({ sale: { businessDay: '2026-02-31' } }))).toEqual({
      field: 'sale.businessDay',
      value: '2026-02-31',
    });
    expect(saleDamage(detail({ charge: { updatedAt: '2026-03-14T24:26:53.589Z' } }))).toEqual({
      field: 'charge.updatedAt',
      value: '2026-03-14T24:26:53.589Z',
    });
    expect(saleDamage(detail({ refund: { createdAt: '2026-04-31T09:26:53.589Z' } }))).toEqual({
      field: 'refund.createdAt',
      value: '2026-04-31T09:26:53.589Z',
    });
  });

  it('makes the view a clear error instead of a RangeError', () => {
    expect(toSaleView(detail(), 120).waitingExpiresAt).toBe('2026-03-14T09:28:53.589Z');
    expect(() => toSaleView(detail({ sale: { createdAt: '2026-13-14T09:26:53.589Z' } }), 120)).toThrow(
      /sale S-20260314-ABC123 is damaged: its sale\.createdAt "2026-13-14T09:26:53\.589Z" is not a real date/,
    );
  });
});
