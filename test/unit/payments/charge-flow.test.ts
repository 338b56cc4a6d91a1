/**
 * Which pay token a charge carries: the one of the read that showed the grant while that read
 * is fresh, otherwise (and on every retry) the one of a new read. The DropPay client is faked;
 * the journal is real.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DropPayError,
  type Authorization,
  type CreateChargeInput,
  type DropPayClient,
} from '../../../electron/main/droppay/index';
import { openJournal } from '../../../electron/main/journal/index';
import { chargeSale, FRESH_READ_MS } from '../../../electron/main/payments/charge-flow';
import { auth, grantedSale, remoteCharge, testCtx, token } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A granted CHARGEABLE sale, and a client whose GETs hand out `reads` in turn. */
function setup(reads: Authorization[], refuseFirstCharge = false) {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-charge-flow-'));
  const journal = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const gets: string[] = [];
  const posts: CreateChargeInput[] = [];
  const client = {
    authorizations: {
      get: (id: string) => {
        gets.push(id);
        const next = reads.shift();
        return next ? Promise.resolve(next) : Promise.reject(new Error('no more reads scripted'));
      },
    },
    charges: {
      create: (input: CreateChargeInput) => {
        posts.push(input);
        if (refuseFirstCharge && posts.length === 1) {
          return Promise.reject(new DropPayError('PAY_TOKEN_EXPIRED', { status: 410 }));
        }
        return Promise.resolve(remoteCharge({ id: `CHA${posts.length}`, payTokenVal: input.payTokenVal }));
      },
    },
  } as unknown as DropPayClient;
  const ctx = testCtx(journal, client);
  const saleId = grantedSale(journal);
  return { journal, ctx, saleId, gets, posts };
}

const granted = (val: string) => auth({ payToken: token(val) });

describe('chargeSale and the read before it', () => {
  it('a fresh read that showed the grant is used as is: no second GET, its token charges', async () => {
    const t = setup([]);
    const result = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-seen'),
      at: performance.now(),
    });
    expect(result).toBe('charged');
    expect(t.gets).toEqual([]);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-seen']);
    expect(t.journal.getSale(t.saleId)?.state).toBe('paid');
  });

  it(`a read older than ${FRESH_READ_MS} ms is not trusted: read again and charge with the new token`, async () => {
    const t = setup([granted('tok-new')]);
    const result = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-old'),
      at: performance.now() - FRESH_READ_MS - 1,
    });
    expect(result).toBe('charged');
    expect(t.gets).toEqual(['CHT1']);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-new']);
  });

  it('no read given (a capture, recovery): reads first', async () => {
    const t = setup([granted('tok-read')]);
    expect(await chargeSale(t.ctx, t.saleId, 1000, 'charge')).toBe('charged');
    expect(t.gets).toEqual(['CHT1']);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-read']);
  });

  it('the seen token refused (410): the retry reads again and charges once with the new token', async () => {
    const t = setup([granted('tok-renewed')], true);
    const result = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-seen'),
      at: performance.now(),
    });
    expect(result).toBe('charged');
    expect(t.gets).toEqual(['CHT1']);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-seen', 'tok-renewed']);
    const charges = t.journal.getSaleDetail(t.saleId)?.charges ?? [];
    expect(charges.map((c) => c.status)).toEqual(['FAILED', 'DONE']);
  });

  it('a read of another authorization is never used for this one', async () => {
    const t = setup([granted('tok-mine')]);
    await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: auth({ id: 'CHT2', payToken: token('tok-other') }),
      at: performance.now(),
    });
    expect(t.gets).toEqual(['CHT1']);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-mine']);
  });
});
