/**
 * Charges whose answer is lost or refused on the way: the till reads DropPay back and never
 * sends a second charge without proof the first did not happen.
 */
import { describe, expect, it } from 'vitest';
import { DropPayError } from '../../../electron/main/droppay/index';
import {
  advance,
  aroundNextCall,
  FAST,
  faultNextCall,
  grant,
  ledgerCharges,
  openRig,
  setFaults,
  waitForState,
} from './harness';
import { JOURNAL_TEXTS } from '../../../shared/core-texts';

const CHARGE = '/shop/v1/pos/charge';

describe('a charge in doubt', () => {
  it('pay token expired between the read and the charge (410): re-read and charged once', async () => {
    const rig = await openRig();
    // The pay token lives 180 s: move DropPay's clock past it just before the first charge POST.
    aroundNextCall(rig.till.client.charges, 'create', () => advance(rig.sandbox, 200));
    const sale = await rig.service.startSale({ amount: 700, description: 'Panino' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid');

    expect(rig.postCount(CHARGE)).toBe(2);
    const statuses = rig.till.counter.seen.filter((s) => s.path === CHARGE).map((s) => s.status);
    expect(statuses).toEqual([410, 201]);
    expect(paid.charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
    expect(paid.charges[0]?.lastError).toMatch(/410/);
    // The refused first attempt is never pushed as a failed sale: the second follows at once.
    expect(rig.statesOf(sale.id)).not.toContain('failed');
    expect(paid.charged).toBe(700);
    expect(await ledgerCharges(rig)).toMatchObject([{ amount: 7, status: 'DONE' }]);
  });

  it('after a 410 the sale is back to granted before the retry: a crash there leaves the approval to charge', async () => {
    const rig = await openRig();
    aroundNextCall(rig.till.client.charges, 'create', () => advance(rig.sandbox, 200));
    const reads = rig.till.client.authorizations;
    const get = reads.get.bind(reads);
    // What the journal holds at the retry's read: all a crash at that moment would leave.
    const atRetry: { state: string; charges: string[] }[] = [];
    reads.get = async (id: string) => {
      if (rig.till.counter.seen.some((s) => s.path === CHARGE && s.status === 410) && atRetry.length === 0) {
        const detail = rig.journal.getSaleDetail(rig.service.listSales().sales[0]?.id ?? '');
        atRetry.push({
          state: detail?.sale.state ?? '?',
          charges: detail?.charges.map((c) => c.status) ?? [],
        });
      }
      return get(id);
    };
    const sale = await rig.service.startSale({ amount: 450, description: 'Cornetto' });
    await grant(rig, sale.authorizationId ?? '');
    await waitForState(rig, sale.id, 'paid');
    expect(atRetry).toEqual([{ state: 'granted', charges: ['FAILED'] }]);
    const notes = rig.service.timeline(sale.id).map((e) => e.note ?? '');
    expect(notes).toContain(JOURNAL_TEXTS.chargeOnceMore);
    expect(await ledgerCharges(rig)).toMatchObject([{ amount: 4.5, status: 'DONE' }]);
  });

  it('first charge proven not made, DropPay unreadable for the retry: granted again, charged once it answers', async () => {
    const rig = await openRig();
    // The first POST gets DropPay's own 503 (it did not charge); the read before the second
    // attempt then fails once on the network.
    faultNextCall(rig, rig.till.client.charges, 'create', { error_rate: 1 });
    const reads = rig.till.client.authorizations;
    const get = reads.get.bind(reads);
    let posted = false;
    let failNext = true;
    aroundNextCall(rig.till.client.charges, 'create', () => {
      posted = true;
      return Promise.resolve();
    });
    reads.get = async (id: string) => {
      // The read-back right after the 503 works (it proves nothing was charged), the next fails.
      if (
        posted &&
        rig.postCount(CHARGE) === 1 &&
        rig.till.counter.seen.at(-1)?.method === 'GET' &&
        failNext
      ) {
        failNext = false;
        throw new DropPayError('NETWORK', { message: 'connection reset' });
      }
      return get(id);
    };
    const sale = await rig.service.startSale({ amount: 1100, description: 'Tramezzino' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid', 10_000);
    expect(failNext).toBe(false);
    expect(paid.charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
    expect(rig.service.timeline(sale.id).some((e) => /tries again by itself/.test(e.note ?? ''))).toBe(true);
    expect(await ledgerCharges(rig)).toMatchObject([{ amount: 11, status: 'DONE' }]);
  });

  it('lost response (state committed, connection dropped): resolved to DONE with no second charge', async () => {
    const rig = await openRig();
    faultNextCall(rig, rig.till.client.charges, 'create', { drop_after_commit_rate: 1 });
    const sale = await rig.service.startSale({ amount: 1999, description: 'Libro' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid');

    const charges = await ledgerCharges(rig);
    expect(charges).toHaveLength(1);
    expect(rig.postCount(CHARGE)).toBe(1);
    expect(paid.charges).toMatchObject([{ status: 'DONE', droppayId: charges[0]?.id, amount: 1999 }]);
    const kinds = rig.service.timeline(sale.id).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['charge.intent', 'charge.unknown', 'charge.done']);
    expect(rig.statesOf(sale.id)).toContain('unknown');
    expect(rig.service.timeline(sale.id).at(-1)?.note).toMatch(/reading the authorization back/);
  });

  it('503 on the charge POST: not retried blindly; read back, proven not charged, then charged once', async () => {
    const rig = await openRig();
    faultNextCall(rig, rig.till.client.charges, 'create', { error_rate: 1 });
    const sale = await rig.service.startSale({ amount: 450, description: 'Gelato' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid');

    const seen = rig.till.counter.seen.filter(
      (s) => s.method === 'POST' || s.path.includes('authorization/'),
    );
    const first = seen.findIndex((s) => s.path === CHARGE);
    const second = seen.findIndex((s, i) => i > first && s.path === CHARGE);
    expect(seen[first]?.status).toBe(503);
    // Between the two POSTs the authorization was read back.
    expect(seen.slice(first + 1, second).some((s) => s.method === 'GET')).toBe(true);
    expect(rig.postCount(CHARGE)).toBe(2);
    expect(paid.charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
    expect(paid.charges[0]?.lastError).toMatch(/Not charged/);
    expect(paid.charges[0]?.droppayId).toBeNull();
    expect(rig.service.timeline(sale.id).map((e) => e.kind)).toEqual([
      'sale.started',
      'authorization.create.intent',
      'authorization.created',
      'authorization.status',
      'charge.intent',
      'charge.unknown',
      'charge.failed',
      // Back to granted in the same commit: a crash here leaves an approval to charge.
      'sale.state',
      'charge.intent',
      'charge.done',
    ]);
    expect(await ledgerCharges(rig)).toHaveLength(1);
  });

  it('both attempts answered 410: failed for the cashier, and the timeline promises no third charge', async () => {
    const rig = await openRig();
    const charges = rig.till.client.charges;
    const create = charges.create.bind(charges);
    // Every pay token is past its life by the time its POST arrives.
    charges.create = async (input) => {
      await advance(rig.sandbox, 200);
      return create(input);
    };
    const sale = await rig.service.startSale({ amount: 610, description: 'Piadina' });
    await grant(rig, sale.authorizationId ?? '');
    const failed = await waitForState(rig, sale.id, 'failed');
    expect(failed.lastError).toBe(JOURNAL_TEXTS.notChargedTwice);
    expect(failed.charges.map((c) => c.status)).toEqual(['FAILED', 'FAILED']);
    const notes = rig.service.timeline(sale.id).filter((e) => e.note === JOURNAL_TEXTS.chargeOnceMore);
    expect(notes).toHaveLength(1);
    expect(rig.postCount(CHARGE)).toBe(2);
    expect(await ledgerCharges(rig)).toHaveLength(0);
  });

  it('every charge POST answered 503 by DropPay: two attempts, then failed for the cashier, never charged on and on', async () => {
    const rig = await openRig();
    const charges = rig.till.client.charges;
    const create = charges.create.bind(charges);
    charges.create = async (input) => {
      await setFaults(rig.sandbox, { error_rate: 1 });
      try {
        return await create(input);
      } finally {
        await setFaults(rig.sandbox, { error_rate: 0, drop_after_commit_rate: 0 });
      }
    };
    const sale = await rig.service.startSale({ amount: 450, description: 'Gelato' });
    await grant(rig, sale.authorizationId ?? '');
    const failed = await waitForState(rig, sale.id, 'failed');
    expect(failed.lastError).toBe(JOURNAL_TEXTS.notChargedTwice);
    // Many poll intervals later: still failed, still the two POSTs, nothing charged.
    await new Promise((r) => setTimeout(r, 25 * FAST.pollIntervalMs));
    expect(rig.service.getSale(sale.id).state).toBe('failed');
    expect(rig.postCount(CHARGE)).toBe(2);
    expect(await ledgerCharges(rig)).toHaveLength(0);
  });

  it('DropPay unreachable while resolving: stays unknown, reported, then resolved by the background resolver', async () => {
    const rig = await openRig({ resolveIntervalMs: 30 });
    // The POST commits and drops; the read-back right after it and the resolver's first try fail.
    let reads = 0;
    const authorizations = rig.till.client.authorizations;
    const get = authorizations.get.bind(authorizations);
    aroundNextCall(rig.till.client.charges, 'create', () => {
      authorizations.get = async (id) => {
        reads += 1;
        if (reads <= 2)
          throw new DropPayError('NETWORK', { method: 'GET', path: '/shop/v1/pos/authorization' });
        return get(id);
      };
      return Promise.resolve();
    });
    faultNextCall(rig, rig.till.client.charges, 'create', { drop_after_commit_rate: 1 });
    const sale = await rig.service.startSale({ amount: 820, description: 'Vino' });
    await grant(rig, sale.authorizationId ?? '');
    const paid = await waitForState(rig, sale.id, 'paid');
    expect(reads).toBeGreaterThanOrEqual(3);
    expect(rig.statesOf(sale.id)).toContain('unknown');
    expect(rig.events.some((e) => e.type === 'recovery' && e.unknown === 1)).toBe(true);
    expect(rig.events.some((e) => e.type === 'recovery' && e.unknown === 0)).toBe(true);
    expect(paid.charges).toHaveLength(1);
    expect(await ledgerCharges(rig)).toHaveLength(1);
    expect(rig.postCount(CHARGE)).toBe(1);
  });
});
