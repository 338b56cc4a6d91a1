/**
 * DropPay's answer to a charge or refund POST must be about what the till asked: the same
 * amount, on the same authorization or charge. One that is not is never recorded as the
 * outcome: the operation stays in doubt, saying why, in the cashier's language too. The
 * DropPay client is faked; the journal is real. Also: a refund DropPay answered "already
 * refunded" is settled from that answer, not waited for as if its POST were still travelling.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DropPayError,
  type CreateChargeInput,
  type CreateRefundInput,
  type DropPayClient,
  type Refund as RemoteRefund,
} from '../../../electron/main/droppay/index';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { chargeSale } from '../../../electron/main/payments/charge-flow';
import { refundCharge, resolveRefund } from '../../../electron/main/payments/refund-flow';
import { resolveCharge } from '../../../electron/main/payments/charge-resolution';
import { checkDay } from '../../../electron/main/reconciliation';
import { JOURNAL_PATTERNS, parseCoreText } from '../../../shared/core-texts';
import { coreText } from '../../../renderer/src/i18n/details';
import { auth, grantedSale, remoteCharge, testCtx, token } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function journalAt(): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-answer-check-'));
  const journal = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return journal;
}

/** A sale of 10.00 on CHT1, paid by charge CHA1. */
function paidSale(journal: Journal) {
  const saleId = grantedSale(journal);
  const intent = journal.recordChargeIntent(saleId, 1000);
  journal.recordChargeOutcome(intent.id, { status: 'DONE', droppayId: 'CHA1' });
  return { saleId, intent };
}

function remoteRefund(over: Partial<RemoteRefund>): RemoteRefund {
  return {
    id: 'RFD1',
    chargeId: 'CHA1',
    amount: 400,
    reason: undefined,
    status: 'PENDING',
    rawStatus: 'ENQUEUED',
    createdAt: undefined,
    updatedAt: undefined,
    ...over,
  };
}

/** A granted sale of 10.00 on CHT1, and a client whose charge POST answers `answer`. */
async function chargeAnsweredWith(answer: Partial<ReturnType<typeof remoteCharge>>) {
  const journal = journalAt();
  const posts: CreateChargeInput[] = [];
  const client = {
    authorizations: { get: () => Promise.resolve(auth({ payToken: token('T1') })) },
    charges: {
      create: (input: CreateChargeInput) => {
        posts.push(input);
        return Promise.resolve(remoteCharge(answer));
      },
    },
  } as unknown as DropPayClient;
  const ctx = testCtx(journal, client);
  const saleId = grantedSale(journal);
  const result = await chargeSale(ctx, saleId, 1000, 'charge');
  const charges = journal.getSaleDetail(saleId)?.charges ?? [];
  return { result, charges, posts, sale: journal.getSale(saleId) };
}

describe('a charge answer that is not about the charge asked', () => {
  it('matching: recorded as DropPay says (the control)', async () => {
    const { result, charges } = await chargeAnsweredWith({
      id: 'CHA1',
      amount: 1000,
      authorizationId: 'CHT1',
    });
    expect(result).toBe('charged');
    expect(charges).toEqual([expect.objectContaining({ status: 'DONE', droppayId: 'CHA1', amount: 1000 })]);
  });

  it('another amount: in doubt, no DropPay id taken, sent once, and the reason says both amounts', async () => {
    const { result, charges, posts, sale } = await chargeAnsweredWith({ id: 'CHA1', amount: 100 });
    expect(result).toBe('unknown');
    expect(posts).toHaveLength(1);
    expect(charges).toEqual([expect.objectContaining({ status: 'unknown', droppayId: null, amount: 1000 })]);
    expect(charges[0]?.lastError).toBe(
      JOURNAL_PATTERNS.answerMismatch.write('CHA1', ['1.00', 'CHT1'], ['10.00', 'CHT1']),
    );
    expect(sale?.state).not.toBe('paid');
  });

  it('another authorization: in doubt as well', async () => {
    const { result, charges } = await chargeAnsweredWith({ id: 'CHA7', authorizationId: 'CHT9' });
    expect(result).toBe('unknown');
    expect(charges[0]).toEqual(expect.objectContaining({ status: 'unknown', droppayId: null }));
    expect(charges[0]?.lastError).toContain('10.00 € on CHT9 instead of 10.00 € on CHT1');
  });
});

/** A paid sale (10.00, charge CHA1) and a client whose refund POST answers `answer`. */
async function refundAnsweredWith(answer: Partial<RemoteRefund>) {
  const journal = journalAt();
  const posts: CreateRefundInput[] = [];
  const client = {
    refunds: {
      create: (input: CreateRefundInput) => {
        posts.push(input);
        return Promise.resolve(remoteRefund(answer));
      },
    },
  } as unknown as DropPayClient;
  const ctx = testCtx(journal, client);
  const { saleId, intent } = paidSale(journal);
  const view = await refundCharge(ctx, { chargeId: intent.id, amount: 400, reason: 'Reso' });
  return { view, refund: journal.getSaleDetail(saleId)?.refunds[0], posts };
}

describe('a refund answer that is not about the refund asked', () => {
  it('matching: recorded as DropPay says (the control)', async () => {
    const { refund } = await refundAnsweredWith({});
    expect(refund).toEqual(expect.objectContaining({ status: 'ENQUEUED', droppayId: 'RFD1', amount: 400 }));
  });

  it('another amount: in doubt, no DropPay id taken, sent once, nothing counted as refunded', async () => {
    const { view, refund, posts } = await refundAnsweredWith({ amount: 40 });
    expect(posts).toHaveLength(1);
    expect(refund).toEqual(expect.objectContaining({ status: 'unknown', droppayId: null, amount: 400 }));
    expect(refund?.lastError).toBe(
      JOURNAL_PATTERNS.answerMismatch.write('RFD1', ['0.40', 'CHA1'], ['4.00', 'CHA1']),
    );
    expect(view.refunded).toBe(0);
  });

  it('another charge: in doubt as well', async () => {
    const { refund } = await refundAnsweredWith({ chargeId: 'CHA5' });
    expect(refund).toEqual(expect.objectContaining({ status: 'unknown', droppayId: null }));
    expect(refund?.lastError).toContain('4.00 € on CHA5 instead of 4.00 € on CHA1');
  });
});

describe('the reason on screen', () => {
  it('is recognised as the core’s own text and worded in Italian', () => {
    const text = JOURNAL_PATTERNS.answerMismatch.write('RFD1', ['0.40', 'CHA1'], ['4.00', 'CHA1']);
    expect(parseCoreText(text)).toEqual({
      kind: 'pattern',
      name: 'answerMismatch',
      params: { id: 'RFD1', gotAmount: '0.40', gotOn: 'CHA1', askedAmount: '4.00', askedOn: 'CHA1' },
    });
    expect(coreText('it', text)).toBe(
      'DropPay ha risposto con RFD1, che non corrisponde alla richiesta (0,40 € su CHA1 invece di 4,00 € su CHA1): resta in dubbio per la verifica della giornata.',
    );
  });
});

describe('a refund DropPay answers "already refunded"', () => {
  it('with no refund of this amount on the charge: refused at once, not left waiting as if in transit', async () => {
    const journal = journalAt();
    const client = {
      refunds: {
        create: () => Promise.reject(new DropPayError('ALREADY_REFUNDED', { status: 409, code: '409' })),
      },
      charges: { get: () => Promise.resolve(remoteCharge({ id: 'CHA1', refund: undefined })) },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client, { inTransitMs: 60_000 });
    const { saleId, intent } = paidSale(journal);
    await expect(
      refundCharge(ctx, { chargeId: intent.id, amount: 400, reason: 'Reso' }),
    ).rejects.toMatchObject({
      code: 'ALREADY_REFUNDED',
    });
    expect(journal.getSaleDetail(saleId)?.refunds[0]?.status).toBe('FAILED');
  });
});

describe('an item left in doubt by a mismatched answer', () => {
  it('a refund: a read-back of the charge showing that other refund does not settle it FAILED', async () => {
    const journal = journalAt();
    const client = {
      refunds: { create: () => Promise.resolve(remoteRefund({ amount: 40 })) },
      charges: {
        get: () => Promise.resolve(remoteCharge({ id: 'CHA1', refund: remoteRefund({ amount: 40 }) })),
      },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client);
    const { saleId, intent } = paidSale(journal);
    await refundCharge(ctx, { chargeId: intent.id, amount: 400, reason: 'Reso' });
    const refund = journal.getSaleDetail(saleId)?.refunds[0];
    expect(await resolveRefund(ctx, refund?.id ?? '')).toBe('unknown');
    expect(journal.getRefund(refund?.id ?? '')).toEqual(
      expect.objectContaining({ status: 'unknown', droppayId: null }),
    );
  });

  it('a charge: a success count that rose does not settle it DONE', async () => {
    const journal = journalAt();
    const client = {
      authorizations: {
        get: () => Promise.resolve(auth({ payToken: token('T1'), chargeSuccessCount: 1, status: 'GRANTED' })),
      },
      charges: { create: () => Promise.resolve(remoteCharge({ amount: 100 })) },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client);
    const saleId = grantedSale(journal);
    expect(await chargeSale(ctx, saleId, 1000, 'charge')).toBe('unknown');
    const charge = journal.getSaleDetail(saleId)?.charges[0];
    expect(await resolveCharge(ctx, charge?.id ?? '')).toBe('unknown');
    expect(journal.getCharge(charge?.id ?? '')?.status).toBe('unknown');
  });

  it('a refund known by its id, read back for another amount: refused as a contradiction, record kept', async () => {
    const journal = journalAt();
    const client = {
      refunds: {
        get: () => Promise.resolve(remoteRefund({ amount: 40, status: 'DONE', rawStatus: 'DONE' })),
      },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client);
    const { intent } = paidSale(journal);
    const refund = journal.recordRefundIntent(intent.id, 400, 'Reso');
    journal.recordRefundOutcome(refund.id, { status: 'ENQUEUED', droppayId: 'RFD1' });
    await expect(resolveRefund(ctx, refund.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect(journal.getRefund(refund.id)?.status).toBe('ENQUEUED');
  });
});

describe("the day's check of an item left in doubt by a mismatched answer", () => {
  it('is a difference to explain, not settled FAILED', async () => {
    const journal = journalAt();
    const other = remoteRefund({ amount: 40 });
    const client = {
      refunds: { create: () => Promise.resolve(other), get: () => Promise.resolve(other) },
      charges: { get: () => Promise.resolve(remoteCharge({ id: 'CHA1', refund: other })) },
      authorizations: {
        get: () =>
          Promise.resolve(
            auth({ chargeSuccessCount: 1, charges: [{ id: 'CHA1', status: 'DONE', amount: 1000 }] }),
          ),
      },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client);
    const { saleId, intent } = paidSale(journal);
    await refundCharge(ctx, { chargeId: intent.id, amount: 400, reason: 'Reso' });
    const refund = journal.getSaleDetail(saleId)?.refunds[0];
    const section = await checkDay(journal, client, refund?.businessDay ?? '', { settleAfterMs: 0 });
    expect(journal.getRefund(refund?.id ?? '')?.status).toBe('unknown');
    expect(JSON.stringify(section)).toContain('AMOUNT_DIFFERS');
  });
});
