/**
 * The background resolver's passes: one at a time, and the banner's "next check" for each kind
 * of item in doubt. The DropPay client is faked; the journal is real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DropPayError, type Authorization, type DropPayClient } from '../../../electron/main/droppay/index';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { createResolver } from '../../../electron/main/payments/recovery';
import { createWatchers } from '../../../electron/main/payments/watchers';
import { applyAuthorization } from '../../../electron/main/payments/sale-flow';
import { auth, grantedSale, remoteCharge, testCtx } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const INTERVAL = 60_000;

function openTestJournal(): Journal {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-resolver-'));
  const journal = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return journal;
}

const down = (): Promise<never> => Promise.reject(new DropPayError('SERVER', { status: 503 }));

/** A client whose every call fails as DropPay answering 503, but for the authorization read given. */
function failingClient(getAuthorization: () => Promise<Authorization> = down): DropPayClient {
  return {
    state: () => 'connected',
    authorizations: { create: down, get: getAuthorization, cancel: down },
    charges: { create: down, get: down },
    refunds: { create: down, get: down },
  } as unknown as DropPayClient;
}

/** A charge whose answer was lost, on a sale granted on CHT1; DropPay's reads of it fail. */
function chargeInDoubt(journal: Journal): string {
  const saleId = grantedSale(journal);
  const charge = journal.recordChargeIntent(saleId, 1000, { seen_success_count: 0, seen_charges: null });
  journal.recordChargeOutcome(charge.id, { status: 'unknown', error: 'timeout', extra: {} });
  return charge.id;
}

describe('the resolver', () => {
  it('a periodic pass that starts while "check now" is reading waits for it, then keeps to the backoff it set', async () => {
    const journal = openTestJournal();
    const chargeId = chargeInDoubt(journal);
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    let reading = 0;
    let mostAtOnce = 0;
    const client = failingClient(async () => {
      reads += 1;
      reading += 1;
      mostAtOnce = Math.max(mostAtOnce, reading);
      try {
        if (reads === 1) await held;
        return await down();
      } finally {
        reading -= 1;
      }
    });
    const resolver = createResolver(testCtx(journal, client, { resolveIntervalMs: INTERVAL }));

    const checkNow = resolver.pass(true);
    while (reads === 0) await new Promise((r) => setTimeout(r, 1));
    const periodic = resolver.pass(false);
    await new Promise((r) => setTimeout(r, 20));
    // The periodic pass has not begun: it would have found the charge due (no backoff yet).
    expect(reads).toBe(1);
    release();
    const [forced, next] = await Promise.all([checkNow, periodic]);
    expect(forced).toMatchObject({ checked: 1, unknown: 1 });
    // Check now read it a moment ago and set its backoff: the periodic pass leaves it be.
    expect(next).toMatchObject({ checked: 0 });
    expect(reads).toBe(1);
    expect(mostAtOnce).toBe(1);
    expect(resolver.checks().get(chargeId)?.problem).toMatchObject({ key: 'droppay.SERVER' });
  });

  it('a failed pass does not stop the next one', async () => {
    const journal = openTestJournal();
    chargeInDoubt(journal);
    let reads = 0;
    const client = failingClient(() => {
      reads += 1;
      return down();
    });
    const resolver = createResolver(testCtx(journal, client, { resolveIntervalMs: INTERVAL }));
    const pendingOperations = journal.pendingOperations.bind(journal);
    let calls = 0;
    journal.pendingOperations = () => {
      calls += 1;
      if (calls === 1) throw new Error('disk I/O error');
      return pendingOperations();
    };
    await expect(resolver.pass(true)).rejects.toThrow(/Unexpected error/);
    await expect(resolver.pass(true)).resolves.toMatchObject({ checked: 1, unknown: 1 });
    expect(reads).toBe(1);
  });

  it('an authorization in doubt is checked again on the next pass, whatever how often it failed', async () => {
    const journal = openTestJournal();
    // An authorization request whose answer never came: settled locally once its window ends.
    const sale = journal.createSale({ amount: 700, description: 'Cornetto' });
    journal.recordAuthorizationIntent(sale.id);
    const client = failingClient();
    const resolver = createResolver(testCtx(journal, client, { resolveIntervalMs: INTERVAL }));
    for (let pass = 1; pass <= 4; pass++) {
      expect(await resolver.pass(false)).toMatchObject({ checked: 1, unknown: 1 });
      const check = resolver.checks().get(sale.id);
      expect(check?.nextAt).toBeDefined();
      expect((check?.nextAt ?? 0) - (check?.checkedAt ?? 0)).toBe(INTERVAL);
    }
  });
});

describe('a charge proven not made, charged again by the resolver', () => {
  it('when that charge cannot even read DropPay, the sale goes back to granted, not failed with the approval unused', async () => {
    const journal = openTestJournal();
    const chargeId = chargeInDoubt(journal);
    const saleId = journal.getCharge(chargeId)?.saleId ?? '';
    let reads = 0;
    // The read-back shows nothing charged; the next read (the new charge's) meets DropPay down.
    const client = failingClient(() => {
      reads += 1;
      return reads === 1 ? Promise.resolve(auth({ chargeSuccessCount: 0, charges: [] })) : down();
    });
    const watched: string[] = [];
    const ctx = {
      ...testCtx(journal, client, { resolveIntervalMs: INTERVAL }),
      watch: (id: string) => void watched.push(id),
    };
    await createResolver(ctx).pass(true);
    expect(reads).toBe(2);
    expect(journal.getCharge(chargeId)?.status).toBe('FAILED');
    expect(journal.getSale(saleId)?.state).toBe('granted');
    expect(watched).toEqual([saleId]);
  });
});

describe('a sale held by a charge DropPay made that does not fit it', () => {
  it('stays unknown pass after pass: not put back to granted and held again each time', async () => {
    const journal = openTestJournal();
    const sale = journal.createSale({ amount: 1000, description: 'x', policy: 'CHARGED' });
    journal.recordAuthorizationIntent(sale.id);
    journal.recordAuthorizationCreated(sale.id, {
      authorizationId: 'CHT1',
      sharingUrl: 'https://dp.link/u/10/CHT1',
    });
    const read = auth({
      policy: 'CHARGED',
      chargeSuccessCount: 1,
      charges: [{ id: 'CHA1', amount: 500, status: 'DONE' }],
    });
    const client = {
      ...failingClient(() => Promise.resolve(read)),
      charges: { create: down, get: () => Promise.resolve(remoteCharge({ id: 'CHA1', amount: 500 })) },
    } as unknown as DropPayClient;
    const watched: string[] = [];
    const ctx = {
      ...testCtx(journal, client, { resolveIntervalMs: INTERVAL }),
      watch: (id: string) => void watched.push(id),
    };
    await applyAuthorization(ctx, sale.id, read);
    expect(journal.getSale(sale.id)?.state).toBe('unknown');
    const events = journal.saleTimeline(sale.id).length;
    const resolver = createResolver(ctx);
    for (let pass = 0; pass < 3; pass++) await resolver.pass(true);
    expect(journal.getSale(sale.id)?.state).toBe('unknown');
    expect(journal.saleTimeline(sale.id)).toHaveLength(events);
    expect(journal.getSaleDetail(sale.id)?.charges).toEqual([]);
    expect(watched).toEqual([]);
  });
});

describe('the marks of POSTs given up on', () => {
  it('are kept while the charge is in doubt and dropped once it is settled', async () => {
    const journal = openTestJournal();
    const inDoubt = chargeInDoubt(journal);
    const ctx = testCtx(journal, failingClient(), { resolveIntervalMs: INTERVAL });
    ctx.gaveUp.set(inDoubt, 1);
    ctx.gaveUp.set('charge-settled-long-ago', 2);
    const resolver = createResolver(ctx);
    await resolver.pass(true);
    expect([...ctx.gaveUp.keys()]).toEqual([inDoubt]);

    journal.recordChargeOutcome(inDoubt, { status: 'FAILED', error: 'proven not charged', extra: {} });
    await resolver.pass(true);
    expect(ctx.gaveUp.size).toBe(0);
  });
});

describe('a refund DropPay contradicts', () => {
  it('DONE in the journal, FAILED when read again: kept DONE, asked no more, and said in the log', async () => {
    const journal = openTestJournal();
    const saleId = grantedSale(journal);
    const charge = journal.recordChargeIntent(saleId, 1000);
    journal.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: 'CHA1' });
    const refund = journal.recordRefundIntent(charge.id, 400, 'Reso');
    journal.recordRefundOutcome(refund.id, { status: 'DONE', droppayId: 'RFD1' });
    let reads = 0;
    const failedRefund = {
      id: 'RFD1',
      chargeId: 'CHA1',
      amount: 400,
      reason: undefined,
      status: 'FAILED',
      rawStatus: 'FAILED',
      createdAt: undefined,
      updatedAt: undefined,
    };
    const client = {
      ...failingClient(),
      refunds: {
        create: down,
        get: () => {
          reads += 1;
          return Promise.resolve(failedRefund);
        },
      },
    } as unknown as DropPayClient;
    const logged: string[] = [];
    const ctx = { ...testCtx(journal, client, { resolveIntervalMs: 5 }), log: (m: string) => logged.push(m) };
    createWatchers(ctx).follow('refund', refund.id, 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    ctx.unschedule(`refund:${refund.id}`);
    expect(reads).toBe(1);
    expect(journal.getRefund(refund.id)?.status).toBe('DONE');
    expect(logged.some((m) => m.includes('contradicts the journal'))).toBe(true);
  });
});
