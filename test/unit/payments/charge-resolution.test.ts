/**
 * The read-back rules for a charge whose answer was lost, with DropPay answers the sandbox
 * never gives (no `charges` list at all). The DropPay client is faked; the journal is real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DropPayError,
  type Authorization,
  type Charge as RemoteCharge,
  type DropPayClient,
} from '../../../electron/main/droppay/index';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { adoptCharges } from '../../../electron/main/payments/charge-adoption';
import { resolveCharge } from '../../../electron/main/payments/charge-resolution';
import { answeredByDropPay, inDoubtExtra, payKeyDigest } from '../../../electron/main/payments/in-transit';
import { auth, grantedSale, remoteCharge, testCtx, token } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A real journal in a temp folder, removed after the test. */
function tempJournal(): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-resolve-'));
  const journal = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return journal;
}

interface Window {
  /** The service's inTransitMs. Default 0: the first read-back is final. */
  inTransitMs?: number;
  /** The pay token the POST carried (kept in the intent as a digest). */
  sentToken?: string;
  /** The outcome the flow recorded after the POST: unknown (default), DropPay's own 5xx, or none (a crash). */
  after?: 'unknown' | 'answered' | 'crash';
}

/** A granted sale with one charge intent whose baseline saw `seen` successful charges. */
function setup(
  answers: { auth: () => Authorization; charges?: Record<string, RemoteCharge> },
  seen = 0,
  window: Window = {},
) {
  const journal = tempJournal();
  const client = {
    authorizations: { get: () => Promise.resolve(answers.auth()) },
    charges: {
      get: (id: string) => {
        const c = answers.charges?.[id];
        return c ? Promise.resolve(c) : Promise.reject(new DropPayError('NOT_FOUND'));
      },
    },
  } as unknown as DropPayClient;
  // offsetMs: time passing (both clocks); jumpMs: the wall clock alone set forward.
  const clock = { offsetMs: 0, jumpMs: 0 };
  const ctx = testCtx(journal, client, {
    inTransitMs: window.inTransitMs ?? 0,
    now: () => new Date(Date.now() + clock.offsetMs + clock.jumpMs),
    monotonic: () => Date.now() + clock.offsetMs,
  });
  const saleId = grantedSale(journal);
  const charge = journal.recordChargeIntent(saleId, 1000, {
    seen_success_count: seen,
    seen_charges: null,
    ...(window.sentToken === undefined ? {} : { pay_key_digest: payKeyDigest(window.sentToken) }),
  });
  const after = window.after ?? 'unknown';
  if (after !== 'crash') {
    const answered = new DropPayError('OUTCOME_UNKNOWN', { status: 503 });
    journal.recordChargeOutcome(charge.id, {
      status: 'unknown',
      error: 'timeout',
      extra: after === 'answered' ? inDoubtExtra(answered) : {},
    });
  }
  return { journal, ctx, clock, saleId, chargeId: charge.id };
}

describe('resolveCharge', () => {
  it('no charges listed, success count went up: DONE with no DropPay id (found at reconciliation)', async () => {
    const t = setup({ auth: () => auth({ chargeSuccessCount: 1, status: 'EXPIRED' }) });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('charged');
    expect(t.journal.getCharge(t.chargeId)).toMatchObject({ status: 'DONE', droppayId: null });
    expect(t.journal.getSale(t.saleId)?.state).toBe('paid');
    expect(t.journal.saleTimeline(t.saleId).at(-1)?.payload.extra?.note).toMatch(/reconciliation/);
  });

  it('no charges listed, count unchanged: proven not charged; the approval still charges, so the sale is granted again', async () => {
    const t = setup({ auth: () => auth({ chargeSuccessCount: 0 }) });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
    expect(t.journal.getCharge(t.chargeId)).toMatchObject({ status: 'FAILED', droppayId: null });
    expect(t.journal.getSale(t.saleId)?.state).toBe('granted');
    // In one commit with the FAILED: no moment (no crash) leaves it failed with the approval unused.
    const [failed, regranted] = t.journal.saleTimeline(t.saleId).slice(-2);
    expect([failed?.kind, regranted?.kind]).toEqual(['charge.failed', 'sale.state']);
    expect(failed?.seq).toBe((regranted?.seq ?? 0) - 1);
  });

  it.each([
    ['the authorization is no longer granted', { status: 'EXPIRED' as const, chargeSuccessCount: 0 }],
    ['it has no charge left', { chargeSuccessCount: 1, chargeMaxCount: 1 }],
  ])('proven not charged, but %s: the sale stays failed', async (_, over) => {
    const t = setup({ auth: () => auth(over) }, over.chargeSuccessCount ?? 0);
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
    expect(t.journal.getSale(t.saleId)?.state).toBe('failed');
  });

  it('the count is compared with the baseline in the intent, not with zero', async () => {
    const t = setup({ auth: () => auth({ chargeSuccessCount: 1, chargeMaxCount: 3 }) }, 1);
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
  });

  it('a listed charge carrying our id as its label is ours, whatever its status', async () => {
    const t = setup({
      auth: () => auth({ chargeSuccessCount: 0, charges: [{ id: 'CHA9', amount: 1000, status: 'FAILED' }] }),
      charges: {},
    });
    const ours = remoteCharge({ id: 'CHA9', status: 'FAILED', merchantCustomLabel: t.chargeId });
    (t.ctx.client.charges as { get: (id: string) => Promise<RemoteCharge> }).get = () =>
      Promise.resolve(ours);
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('failed');
    expect(t.journal.getCharge(t.chargeId)).toMatchObject({ status: 'FAILED', droppayId: 'CHA9' });
  });

  it('a listed charge with somebody else’s label is not taken for ours', async () => {
    const t = setup({
      auth: () => auth({ chargeSuccessCount: 0, charges: [{ id: 'CHA7', amount: 1000, status: 'FAILED' }] }),
      charges: { CHA7: remoteCharge({ id: 'CHA7', status: 'FAILED', merchantCustomLabel: 'other' }) },
    });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
    expect(t.journal.getCharge(t.chargeId)?.droppayId).toBeNull();
  });

  it('the count rose but the charge listed is for another amount, unlabelled: held in doubt naming it, not DONE for ours', async () => {
    const t = setup(
      {
        auth: () => auth({ chargeSuccessCount: 1, charges: [{ id: 'CHA5', amount: 500, status: 'DONE' }] }),
        charges: { CHA5: remoteCharge({ id: 'CHA5', amount: 500 }) },
      },
      0,
      { after: 'crash' },
    );
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    const charge = t.journal.getCharge(t.chargeId);
    expect(charge).toMatchObject({ status: 'unknown', droppayId: null });
    expect(charge?.lastError).toMatch(/CHA5.*5\.00 € on CHT1 instead of 10\.00 € on CHT1/);
    expect(t.journal.getSale(t.saleId)?.state).not.toBe('paid');
    // No later read settles it by the count: a person decides, from the day's check.
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('unknown');
  });

  it('the count rose but the charge listed carries another label: held in doubt naming it', async () => {
    const t = setup(
      {
        auth: () => auth({ chargeSuccessCount: 1, charges: [{ id: 'CHA6', amount: 1000, status: 'DONE' }] }),
        charges: { CHA6: remoteCharge({ id: 'CHA6', merchantCustomLabel: 'another-till' }) },
      },
      0,
      { after: 'crash' },
    );
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)?.lastError).toMatch(/CHA6, labelled another-till, not this one/);
    expect(t.journal.getSale(t.saleId)?.state).toBe('unknown');
  });

  it('DropPay unreachable: stays unknown, nothing decided', async () => {
    const t = setup({
      auth: () => {
        throw new DropPayError('NETWORK');
      },
    });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('unknown');
    expect(t.journal.getSale(t.saleId)?.state).toBe('unknown');
  });

  it('a charge recorded without its id learns it later instead of being counted twice', async () => {
    let current = auth({ chargeSuccessCount: 1, status: 'EXPIRED' });
    const t = setup({ auth: () => current, charges: {} });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('charged');
    // Later DropPay lists the charge (say, after an outage of that part of its API).
    current = auth({
      chargeSuccessCount: 1,
      status: 'EXPIRED',
      charges: [{ id: 'CHA5', amount: 1000, status: 'DONE' }],
    });
    const found = remoteCharge({ id: 'CHA5', status: 'ACCOUNTED', merchantCustomLabel: t.chargeId });
    (t.ctx.client.charges as { get: (id: string) => Promise<RemoteCharge> }).get = () =>
      Promise.resolve(found);
    await adoptCharges(t.ctx, t.saleId, current);
    const detail = t.journal.getSaleDetail(t.saleId);
    expect(detail?.charges).toHaveLength(1);
    expect(detail?.charges[0]).toMatchObject({ droppayId: 'CHA5', status: 'ACCOUNTED' });
  });
});

describe('resolveCharge while the POST may still land', () => {
  const WINDOW = 60_000;
  const granted =
    (val: string, over: Partial<Authorization> = {}) =>
    () =>
      auth({ chargeSuccessCount: 0, charges: [], payToken: token(val), ...over });

  it('nothing yet, same pay token, inside the window: stays unknown, nothing recorded', async () => {
    const t = setup({ auth: granted('tok-1') }, 0, { inTransitMs: WINDOW, sentToken: 'tok-1' });
    const before = t.journal.saleTimeline(t.saleId).length;
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('unknown');
    expect(t.journal.getSale(t.saleId)?.state).toBe('unknown');
    // Read again and again by the resolver: the journal does not grow with each read.
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.saleTimeline(t.saleId)).toHaveLength(before);
  });

  it('the same read once the window is over: proven not charged', async () => {
    const t = setup({ auth: granted('tok-1') }, 0, { inTransitMs: WINDOW, sentToken: 'tok-1' });
    t.clock.offsetMs = WINDOW;
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('FAILED');
  });

  it('the wall clock set far forward, real time not: the window is still open, then closes in real time', async () => {
    const t = setup({ auth: granted('tok-1') }, 0, { inTransitMs: WINDOW, sentToken: 'tok-1' });
    t.clock.jumpMs = 10 * WINDOW;
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('unknown');
    t.clock.offsetMs = WINDOW;
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
  });

  it('DropPay showing a newer pay token: the one sent can never charge, not charged at once', async () => {
    const t = setup({ auth: granted('tok-2') }, 0, { inTransitMs: WINDOW, sentToken: 'tok-1' });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
  });

  it('an authorization no longer GRANTED, or with no charge left: not charged at once', async () => {
    const revoked = setup({ auth: granted('tok-1', { status: 'REVOKED' }) }, 0, {
      inTransitMs: WINDOW,
      sentToken: 'tok-1',
    });
    expect(await resolveCharge(revoked.ctx, revoked.chargeId)).toBe('not-charged');
    const usedUp = setup({ auth: granted('tok-1', { payToken: token('tok-1', 0) }) }, 0, {
      inTransitMs: WINDOW,
      sentToken: 'tok-1',
    });
    expect(await resolveCharge(usedUp.ctx, usedUp.chargeId)).toBe('not-charged');
  });

  it('DropPay answered the POST itself (503): it is done with it, not charged at once', async () => {
    const t = setup({ auth: granted('tok-1') }, 0, {
      inTransitMs: WINDOW,
      sentToken: 'tok-1',
      after: 'answered',
    });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
  });

  it('an intent a crash left, inside the window: becomes unknown with a note, not FAILED', async () => {
    const t = setup({ auth: granted('tok-1') }, 0, {
      inTransitMs: WINDOW,
      sentToken: 'tok-1',
      after: 'crash',
    });
    expect(t.journal.getCharge(t.chargeId)?.status).toBe('intent');
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    expect(t.journal.getCharge(t.chargeId)).toMatchObject({ status: 'unknown' });
    expect(t.journal.getCharge(t.chargeId)?.lastError).toMatch(/may still reach it: read back again in 60 s/);
  });

  it('an intent without a token digest (an older journal) waits for the window alone', async () => {
    const t = setup({ auth: granted('tok-2') }, 0, { inTransitMs: WINDOW });
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('unknown');
    t.clock.offsetMs = WINDOW + 1;
    expect(await resolveCharge(t.ctx, t.chargeId)).toBe('not-charged');
  });

  it('the pay token never reaches the journal, only its digest', () => {
    const t = setup({ auth: granted('a-secret-token-val') }, 0, {
      inTransitMs: WINDOW,
      sentToken: 'a-secret-token-val',
    });
    const text = JSON.stringify(t.journal.saleTimeline(t.saleId));
    expect(text).not.toContain('a-secret-token-val');
    expect(text).toContain(payKeyDigest('a-secret-token-val'));
  });
});

describe('answeredByDropPay', () => {
  it('a 5xx from DropPay ends the POST; a gateway 502/504, a timeout or a dropped line does not', () => {
    expect(answeredByDropPay(new DropPayError('OUTCOME_UNKNOWN', { status: 503 }))).toBe(true);
    expect(answeredByDropPay(new DropPayError('OUTCOME_UNKNOWN', { status: 500 }))).toBe(true);
    expect(answeredByDropPay(new DropPayError('OUTCOME_UNKNOWN', { status: 502 }))).toBe(false);
    expect(answeredByDropPay(new DropPayError('OUTCOME_UNKNOWN', { status: 504 }))).toBe(false);
    expect(answeredByDropPay(new DropPayError('OUTCOME_UNKNOWN', { reason: 'TIMEOUT' }))).toBe(false);
    expect(answeredByDropPay(new DropPayError('NETWORK'))).toBe(false);
    expect(answeredByDropPay(new Error('boom'))).toBe(false);
  });
});

describe('adoptCharges: a charge DropPay made by itself must fit the sale', () => {
  /** A CHARGED sale of 10.00 € granted on CHT1, with DropPay listing `listed` on it. */
  function chargedSale(listed: RemoteCharge, policy: 'CHARGED' | 'BOOKED' = 'CHARGED') {
    const journal = tempJournal();
    const client = {
      charges: {
        get: (id: string) =>
          id === listed.id ? Promise.resolve(listed) : Promise.reject(new DropPayError('NOT_FOUND')),
      },
    } as unknown as DropPayClient;
    const ctx = testCtx(journal, client);
    const sale = journal.createSale({ amount: 1000, description: 'x', policy });
    journal.recordAuthorizationIntent(sale.id);
    journal.recordAuthorizationCreated(sale.id, {
      authorizationId: 'CHT1',
      sharingUrl: 'https://dp.link/u/10/CHT1',
    });
    journal.recordAuthorizationStatus(sale.id, 'GRANTED');
    const read = auth({
      policy,
      chargeSuccessCount: 1,
      charges: [{ id: listed.id, amount: listed.amount, status: 'DONE' }],
    });
    return { journal, ctx, saleId: sale.id, read };
  }

  it.each([
    [
      'for less than the sale',
      remoteCharge({ id: 'CHA1', amount: 500 }),
      /5\.00 € on CHT1 instead of 10\.00 € on CHT1/,
    ],
    [
      'for more than the sale',
      remoteCharge({ id: 'CHA1', amount: 2000 }),
      /20\.00 € on CHT1 instead of 10\.00 €/,
    ],
    [
      'on another authorization',
      remoteCharge({ id: 'CHA1', authorizationId: 'CHT9' }),
      /10\.00 € on CHT9 instead of 10\.00 € on CHT1/,
    ],
  ])(
    '%s: not put on file as its payment; the sale is left unknown naming it, once',
    async (_, listed, wording) => {
      const t = chargedSale(listed);
      expect(await adoptCharges(t.ctx, t.saleId, t.read)).toBe(true);
      const detail = t.journal.getSaleDetail(t.saleId);
      expect(detail?.charges).toEqual([]);
      expect(detail?.sale.state).toBe('unknown');
      expect(detail?.sale.lastError).toMatch(wording);
      // Read again (the resolver, the next poll): still held, and the journal does not grow.
      const events = t.journal.saleTimeline(t.saleId).length;
      expect(await adoptCharges(t.ctx, t.saleId, t.read)).toBe(true);
      expect(t.journal.saleTimeline(t.saleId)).toHaveLength(events);
    },
  );

  it('the charge as asked is recorded: the sale is paid', async () => {
    const t = chargedSale(remoteCharge({ id: 'CHA1', amount: 1000 }));
    expect(await adoptCharges(t.ctx, t.saleId, t.read)).toBe(false);
    expect(t.journal.getSale(t.saleId)?.state).toBe('paid');
    expect(t.journal.getSaleDetail(t.saleId)?.charges).toMatchObject([{ droppayId: 'CHA1', amount: 1000 }]);
  });

  it('a BOOKED capture made elsewhere for less than the booking fits it', async () => {
    const t = chargedSale(remoteCharge({ id: 'CHA1', amount: 600 }), 'BOOKED');
    expect(await adoptCharges(t.ctx, t.saleId, t.read)).toBe(false);
    expect(t.journal.getSaleDetail(t.saleId)?.charges).toMatchObject([{ droppayId: 'CHA1', amount: 600 }]);
  });
});
