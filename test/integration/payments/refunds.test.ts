/** Refunds against the real sandbox: once per charge, followed to the end, PIN-guarded. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createFilePinStore } from '../../../electron/main/payments/index';
import { advance, faultNextCall, ledger, openRig, paidSale, sim, waitFor, type Rig } from './harness';

const REFUND = '/shop/v1/pos/refund';

/** A PIN file in a temp folder removed after the test, whatever happens. */
function tempPinPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-pin-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'manager-guard.json');
}

/** Moves DropPay's clock on (refunds settle on it) and waits for the sale's refund to reach `status`. */
async function refundReaches(rig: Rig, saleId: string, status: string) {
  await advance(rig.sandbox, 3);
  return waitFor(() => {
    const s = rig.service.getSale(saleId);
    return refundOf(s)?.status === status ? s : null;
  }, `refund ${status}`);
}

function refundOf(sale: { charges: { refund: unknown }[] }) {
  return sale.charges[0]?.refund as { status: string; droppayId: string | null; amount: number } | null;
}

describe('refunds', () => {
  it('partial refund, followed ENQUEUED → DONE → ACCOUNTED; a second one is refused and not sent', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 1000);
    const chargeId = paid.charges[0]?.id ?? '';
    const after = await rig.service.refund({ chargeId, amount: 400, reason: 'Prodotto difettoso' });
    expect(refundOf(after)).toMatchObject({ status: 'ENQUEUED', amount: 400 });
    expect(refundOf(after)?.droppayId).toMatch(/^CHR/);
    expect(after).toMatchObject({ refunded: 0, refundable: 0 });

    const done = await refundReaches(rig, paid.id, 'DONE');
    expect(done).toMatchObject({ charged: 1000, refunded: 400, refundable: 0, state: 'paid' });
    await advance(rig.sandbox, 61);
    await waitFor(
      () => refundOf(rig.service.getSale(paid.id))?.status === 'ACCOUNTED',
      'refund ACCOUNTED',
      8_000,
    );

    await expect(rig.service.refund({ chargeId, amount: 100, reason: 'Ancora' })).rejects.toMatchObject({
      code: 'ALREADY_REFUNDED',
      appCode: 'ALREADY_REFUNDED',
      saleId: paid.id,
      message: expect.stringMatching(/already has its refund \(ACCOUNTED\)/),
    });
    // Above the charge too: that it was refunded already is what the cashier needs to know.
    await expect(rig.service.refund({ chargeId, amount: 5000, reason: 'Ancora' })).rejects.toMatchObject({
      code: 'ALREADY_REFUNDED',
    });
    expect(rig.postCount(REFUND)).toBe(1);
    expect((await ledger(rig.sandbox)).refunds).toMatchObject([{ amount: 4, status: 'ACCOUNTED' }]);
    expect(
      rig.service
        .timeline(paid.id)
        .filter((e) => e.kind.startsWith('refund.'))
        .map((e) => e.status),
    ).toEqual([null, 'ENQUEUED', 'DONE', 'ACCOUNTED']);
  });

  it('refunds above the charge, of unknown charges, or with a bad reason are refused up front', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 500);
    const chargeId = paid.charges[0]?.id ?? '';
    await expect(rig.service.refund({ chargeId, amount: 501, reason: 'x' })).rejects.toMatchObject({
      code: 'REFUND_TOO_LARGE',
      appCode: 'REFUND_TOO_LARGE',
      message: 'The refund (5.01 €) is above the charge (5.00 €).',
    });
    await expect(rig.service.refund({ chargeId: 'nope', amount: 1, reason: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No charge nope on this till.',
      detail: { key: 'charge.notFound', params: { id: 'nope' } },
    });
    await expect(rig.service.refund({ chargeId, amount: 1, reason: 'r'.repeat(513) })).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    expect(rig.postCount(REFUND)).toBe(0);
    expect(rig.service.getSale(paid.id).charges[0]?.refund).toBeNull();
  });

  it('a charge refunded outside this till: DropPay’s refusal arrives as ALREADY_REFUNDED', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 900);
    const charge = paid.charges[0];
    await rig.till.client.refunds.create({
      chargeId: charge?.droppayId ?? '',
      amount: 100,
      reason: 'Da un’altra cassa',
    });
    await expect(
      rig.service.refund({ chargeId: charge?.id ?? '', amount: 200, reason: 'Reso' }),
    ).rejects.toMatchObject({ code: 'ALREADY_REFUNDED', appCode: 'ALREADY_REFUNDED', saleId: paid.id });
    // Recorded as not done here (the refund DropPay holds is another one), and none added there.
    expect(refundOf(rig.service.getSale(paid.id))).toMatchObject({ status: 'FAILED', droppayId: null });
    expect((await ledger(rig.sandbox)).refunds).toMatchObject([{ amount: 1 }]);
  });

  it('an earlier refund still in doubt: a new one is refused as OUTCOME_UNKNOWN, nothing sent', async () => {
    // A resolver slow enough not to settle the earlier refund while the test looks at it.
    const rig = await openRig({ resolveIntervalMs: 60_000 });
    const paid = await paidSale(rig, 700);
    const chargeId = paid.charges[0]?.id ?? '';
    // The till stopped right after recording an intent: DropPay's answer was never read.
    rig.journal.recordRefundIntent(chargeId, 300, 'Reso');
    await expect(rig.service.refund({ chargeId, amount: 300, reason: 'Reso' })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      appCode: 'OUTCOME_UNKNOWN',
      message: expect.stringMatching(/do not repeat it/),
    });
    expect(rig.postCount(REFUND)).toBe(0);
  });

  it('refund FAILED at DropPay is recorded as FAILED and gives nothing back', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 800);
    await sim(rig.sandbox, 'POST', '/_sim/refund/next-fails');
    await rig.service.refund({ chargeId: paid.charges[0]?.id ?? '', amount: 800, reason: 'Reso' });
    const failed = await refundReaches(rig, paid.id, 'FAILED');
    expect(failed).toMatchObject({ refunded: 0, charged: 800 });
    expect((await ledger(rig.sandbox)).refunds).toMatchObject([{ status: 'FAILED' }]);
  });

  it('a refund DropPay marked FAILED moved no money: the charge can be refunded again', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 800);
    const chargeId = paid.charges[0]?.id ?? '';
    await sim(rig.sandbox, 'POST', '/_sim/refund/next-fails');
    await rig.service.refund({ chargeId, amount: 800, reason: 'Reso' });
    const failed = await refundReaches(rig, paid.id, 'FAILED');
    expect(refundOf(failed)?.droppayId).toMatch(/^CHR/);
    expect(failed.refundable).toBe(800);

    // DropPay answers the second attempt with its own 503. The charge still shows the first
    // refund, FAILED and of the same amount: that is not this attempt, which did not happen.
    faultNextCall(rig, rig.till.client.refunds, 'create', { error_rate: 1 });
    const second = await rig.service.refund({ chargeId, amount: 800, reason: 'Reso' });
    expect(refundOf(second)).toMatchObject({ status: 'FAILED', droppayId: null });

    const third = await rig.service.refund({ chargeId, amount: 500, reason: 'Reso parziale' });
    expect(refundOf(third)).toMatchObject({ status: 'ENQUEUED', amount: 500 });
    const done = await refundReaches(rig, paid.id, 'DONE');
    expect(done).toMatchObject({ refunded: 500, refundable: 0 });
    const remote = (await ledger(rig.sandbox)).refunds.map((r) => [r.amount, r.status]);
    expect(remote).toEqual([
      [8, 'FAILED'],
      [5, 'DONE'],
    ]);
    expect(rig.journal.verifyChain()).toMatchObject({ ok: true });
  });

  it('lost refund response: found by reading the charge back, never sent twice', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 600);
    faultNextCall(rig, rig.till.client.refunds, 'create', { drop_after_commit_rate: 1 });
    const after = await rig.service.refund({
      chargeId: paid.charges[0]?.id ?? '',
      amount: 600,
      reason: 'Reso',
    });
    const refunds = (await ledger(rig.sandbox)).refunds;
    expect(refunds).toHaveLength(1);
    expect(refundOf(after)).toMatchObject({ status: 'ENQUEUED', droppayId: refunds[0]?.id });
    expect(rig.postCount(REFUND)).toBe(1);
    expect(
      rig.service
        .timeline(paid.id)
        .map((e) => e.kind)
        .slice(-3),
    ).toEqual(['refund.intent', 'refund.unknown', 'refund.status']);
  });

  it('503 on the refund POST: read back, recorded as not refunded; the cashier may try again', async () => {
    const rig = await openRig();
    const paid = await paidSale(rig, 600);
    const chargeId = paid.charges[0]?.id ?? '';
    faultNextCall(rig, rig.till.client.refunds, 'create', { error_rate: 1 });
    const first = await rig.service.refund({ chargeId, amount: 600, reason: 'Reso' });
    expect(refundOf(first)).toMatchObject({ status: 'FAILED', droppayId: null });
    expect(first.refundable).toBe(600);
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(0);
    expect(rig.postCount(REFUND)).toBe(1); // not re-sent by the till on its own
    const second = await rig.service.refund({ chargeId, amount: 600, reason: 'Reso' });
    expect(refundOf(second)).toMatchObject({ status: 'ENQUEUED' });
    expect((await ledger(rig.sandbox)).refunds).toHaveLength(1);
  });

  it('manager PIN: required, wrong ones refused with nothing recorded or sent, never stored in clear', async () => {
    const pinPath = tempPinPath();
    const managerPin = createFilePinStore(pinPath);
    const PIN = '90817263';
    await managerPin.set(PIN);
    const rig = await openRig({ managerPin });
    const paid = await paidSale(rig, 700);
    const chargeId = paid.charges[0]?.id ?? '';
    const eventsBefore = rig.journal.readEvents(0, 10_000).length;

    await expect(rig.service.refund({ chargeId, amount: 700, reason: 'Reso' })).rejects.toMatchObject({
      code: 'PIN_REQUIRED',
      appCode: 'PIN_REQUIRED',
    });
    await expect(
      rig.service.refund({ chargeId, amount: 700, reason: 'Reso', managerPin: '11112222' }),
    ).rejects.toMatchObject({ code: 'PIN_INVALID', appCode: 'PIN_WRONG' });
    expect(rig.journal.readEvents(0, 10_000)).toHaveLength(eventsBefore);
    expect(rig.postCount(REFUND)).toBe(0);

    const ok = await rig.service.refund({ chargeId, amount: 700, reason: 'Reso', managerPin: PIN });
    expect(refundOf(ok)?.status).toBe('ENQUEUED');

    // Neither the journal (with its WAL) nor the PIN file holds the PIN.
    const files = readdirSync(rig.dir).map((f) => join(rig.dir, f));
    for (const file of [...files, pinPath]) {
      expect(readFileSync(file).includes(Buffer.from(PIN)), file).toBe(false);
    }
    expect(JSON.parse(readFileSync(pinPath, 'utf8'))).toMatchObject({ alg: 'scrypt' });
  });

  it('five wrong PINs lock the guard, even for the right PIN: each wrong one says the tries left, the fifth the lock', async () => {
    const pinPath = tempPinPath();
    const clock = { ms: Date.now() };
    const managerPin = createFilePinStore(pinPath, () => clock.ms);
    await managerPin.set('2468');
    const rig = await openRig({ managerPin });
    const paid = await paidSale(rig, 700);
    const input = { chargeId: paid.charges[0]?.id ?? '', amount: 700, reason: 'Reso' };
    const wrongThenLocked = async (lockedSeconds: number): Promise<void> => {
      for (const triesLeft of [4, 3, 2, 1]) {
        await expect(rig.service.refund({ ...input, managerPin: '0000' })).rejects.toMatchObject({
          code: 'PIN_INVALID',
          appCode: 'PIN_WRONG',
          detail: { key: 'pin.wrong', params: { triesLeft } },
          message: expect.stringContaining(`${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`),
        });
      }
      // The wrong PIN that reaches the limit is answered with the lock it starts.
      await expect(rig.service.refund({ ...input, managerPin: '0000' })).rejects.toMatchObject({
        code: 'PIN_LOCKED',
        appCode: 'PIN_LOCKED',
        detail: { key: 'pin.locked', params: { seconds: lockedSeconds } },
        message: expect.stringMatching(new RegExp(`wait ${lockedSeconds} s`)),
      });
      await expect(rig.service.refund({ ...input, managerPin: '2468' })).rejects.toMatchObject({
        code: 'PIN_LOCKED',
        appCode: 'PIN_LOCKED',
        // The wait left, for the details line under the translated text.
        detail: { key: 'pin.locked', params: { seconds: lockedSeconds } },
      });
    };
    await wrongThenLocked(30);
    // Once it is over, five more wrong ones in a row lock it twice as long.
    clock.ms += 30_000;
    await wrongThenLocked(60);
    expect(rig.postCount(REFUND)).toBe(0);
  });
});
