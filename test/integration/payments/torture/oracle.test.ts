/**
 * The torture tests are only as good as their judge. This checks the judge (ledgerAgreement
 * and unsettled in test/support/agreement.ts) on hand-made stories: agreeing ones pass, and
 * each kind of disagreement the torture tests exist to catch is reported, in words.
 */
import { describe, expect, it } from 'vitest';
import type { Charge, Refund, Sale, SaleDetail } from '../../../../electron/main/journal';
import { ledgerAgreement, unsettled } from '../../../support/agreement';
import type { Ledger } from '../../../support/sandbox';

const AT = '2026-05-04T10:00:00.000Z';

function sale(id: string, state: Sale['state'], amount: number, authorizationId: string | null): Sale {
  return {
    id,
    merchantRef: `S-${id}`,
    amount,
    description: 'x',
    policy: 'CHARGEABLE',
    state,
    authorizationId,
    authorizationStatus: authorizationId === null ? null : 'GRANTED',
    sharingUrl: null,
    businessDay: '2026-05-04',
    createdAt: AT,
    updatedAt: AT,
    lastError: null,
    lastEventSeq: 1,
  };
}

function charge(
  id: string,
  saleId: string,
  amount: number,
  status: Charge['status'],
  droppayId: string | null,
): Charge {
  return {
    id,
    saleId,
    droppayId,
    amount,
    status,
    origin: 'terminal',
    businessDay: '2026-05-04',
    createdAt: AT,
    updatedAt: AT,
    lastError: null,
    lastEventSeq: 1,
  };
}

function refund(
  id: string,
  c: Charge,
  amount: number,
  status: Refund['status'],
  droppayId: string | null,
): Refund {
  return {
    id,
    chargeId: c.id,
    saleId: c.saleId,
    droppayId,
    amount,
    reason: 'r',
    status,
    attempt: 1,
    businessDay: '2026-05-04',
    createdAt: AT,
    askedAt: AT,
    updatedAt: AT,
    lastError: null,
    lastEventSeq: 1,
  };
}

/** A paid and partly refunded sale, a refused one, and DropPay's matching ledger. */
function story(): { details: SaleDetail[]; ledger: Ledger } {
  const c1 = charge('c1', 's1', 1250, 'DONE', 'CHA1');
  return {
    details: [
      {
        sale: sale('s1', 'paid', 1250, 'CHT1'),
        charges: [c1],
        refunds: [refund('r1', c1, 500, 'DONE', 'CHR1')],
      },
      { sale: sale('s2', 'refused', 300, 'CHT2'), charges: [], refunds: [] },
    ],
    ledger: {
      charges: [{ id: 'CHA1', authorizationId: 'CHT1', amount: 1250, status: 'DONE' }],
      refunds: [{ id: 'CHR1', chargeId: 'CHA1', amount: 500, status: 'DONE' }],
    },
  };
}

describe('the ledger/journal judge', () => {
  it('finds nothing wrong with an agreeing story', () => {
    const { details, ledger } = story();
    expect(ledgerAgreement(ledger, details)).toEqual([]);
    expect(unsettled(details)).toEqual([]);
  });

  const cases: {
    name: string;
    spoil: (s: { details: SaleDetail[]; ledger: Ledger }) => void;
    says: RegExp;
  }[] = [
    {
      name: 'a double charge on one authorization',
      spoil: (s) =>
        s.ledger.charges.push({ id: 'CHA9', authorizationId: 'CHT1', amount: 1250, status: 'DONE' }),
      says: /2 settled DropPay charge\(s\), expected 1/,
    },
    {
      name: 'a charge DropPay made that the journal lacks',
      spoil: (s) =>
        s.ledger.charges.push({ id: 'CHA9', authorizationId: 'CHT2', amount: 300, status: 'DONE' }),
      says: /CHA9.*missing from the journal/,
    },
    {
      name: 'a charge on an authorization no sale has',
      spoil: (s) =>
        s.ledger.charges.push({ id: 'CHA9', authorizationId: 'CHTX', amount: 300, status: 'DONE' }),
      says: /no sale in the journal has/,
    },
    {
      name: 'a paid sale DropPay never charged',
      spoil: (s) => {
        s.ledger.charges = [];
        s.ledger.refunds = [];
      },
      says: /0 settled DropPay charge\(s\), expected 1/,
    },
    {
      name: 'amounts that differ by a cent',
      spoil: (s) => {
        const c = s.ledger.charges[0];
        if (c) c.amount = 1251;
      },
      says: /journal 1250c, DropPay 1251c/,
    },
    {
      name: 'a refund DropPay made that the journal lacks',
      spoil: (s) => s.ledger.refunds.push({ id: 'CHR9', chargeId: 'CHA1', amount: 100, status: 'ENQUEUED' }),
      says: /CHR9.*missing from the journal/,
    },
    {
      name: 'a refund the journal calls done that DropPay failed',
      spoil: (s) => {
        const r = s.ledger.refunds[0];
        if (r) r.status = 'FAILED';
      },
      says: /refund CHR1: journal status DONE, DropPay FAILED/,
    },
    {
      name: 'a settled charge with no DropPay id',
      spoil: (s) => {
        const c = s.details[0]?.charges[0];
        if (c) c.droppayId = null;
      },
      says: /settled charge c1 has no DropPay id/,
    },
  ];

  for (const c of cases) {
    it(`reports ${c.name}`, () => {
      const s = story();
      c.spoil(s);
      const problems = ledgerAgreement(s.ledger, s.details);
      expect(problems.join('\n')).toMatch(c.says);
    });
  }

  it('reports every half-finished sale, charge and refund', () => {
    const c = charge('c1', 's1', 100, 'unknown', null);
    const details: SaleDetail[] = [
      { sale: sale('s1', 'charging', 100, 'CHT1'), charges: [c], refunds: [] },
      { sale: sale('s2', 'unknown', 100, null), charges: [], refunds: [] },
      {
        sale: sale('s3', 'paid', 100, 'CHT3'),
        charges: [charge('c3', 's3', 100, 'DONE', 'CHA3')],
        refunds: [refund('r3', charge('c3', 's3', 100, 'DONE', 'CHA3'), 100, 'intent', null)],
      },
    ];
    expect(unsettled(details)).toEqual([
      'sale s1 is charging',
      'charge c1 of sale s1 is unknown',
      'sale s2 is unknown',
      'refund r3 of sale s3 is intent',
    ]);
  });
});
