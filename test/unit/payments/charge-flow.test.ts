/**
 * Which pay token a charge carries: the one of the read that showed the grant while that read
 * is fresh, otherwise (and on every retry) the one of a new read. The DropPay client is faked;
 * the journal is real.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DropPayError,
  type Authorization,
  type CreateChargeInput,
  type DropPayClient,
} from '../../../electron/main/droppay/index';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { chargeSale, FRESH_READ_MS } from '../../../electron/main/payments/charge-flow';
import { auth, grantedSale, remoteCharge, testCtx, token } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/**
 * A granted CHARGEABLE sale (or, `waiting`, one whose grant the journal has not seen yet), and a
 * client whose GETs hand out `reads` in turn.
 */
function setup(reads: Authorization[], refuseFirstCharge = false, waiting = false) {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-charge-flow-'));
  const path = join(dir, 'j.sqlite');
  const journal = openJournal({ path });
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
  const saleId = waiting ? waitingSale(journal) : grantedSale(journal);
  return { journal, path, ctx, saleId, gets, posts };
}

/** The CHARGEABLE sale of grantedSale, still waiting for the payer as far as the journal knows. */
function waitingSale(journal: Journal): string {
  const sale = journal.createSale({ amount: 1000, description: 'x' });
  journal.recordAuthorizationIntent(sale.id);
  journal.recordAuthorizationCreated(sale.id, {
    authorizationId: 'CHT1',
    sharingUrl: 'https://dp.link/u/10/CHT1',
  });
  return sale.id;
}

/** Commits in the journal's WAL so far: frames whose header carries the database size. */
function walCommits(path: string): number {
  if (!existsSync(`${path}-wal`)) return 0;
  const wal = readFileSync(`${path}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const salt = wal.readBigUInt64BE(16);
  let commits = 0;
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readBigUInt64BE(at + 8) !== salt) break; // frames of an earlier WAL generation
    if (wal.readUInt32BE(at + 4) !== 0) commits += 1;
  }
  return commits;
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

  it('a grant the journal has not seen goes on record with the charge intent, in one commit', async () => {
    const t = setup([], false, true);
    const before = walCommits(t.path);
    const result = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-seen'),
      at: performance.now(),
      unrecordedGrant: true,
    });
    expect(result).toBe('charged');
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-seen']);
    // Two commits: the grant with the charge intent, then the charge's outcome.
    expect(walCommits(t.path) - before).toBe(2);
    const kinds = t.journal.saleTimeline(t.saleId).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['authorization.status', 'charge.intent', 'charge.done']);
    expect(t.journal.getSale(t.saleId)).toMatchObject({ state: 'paid', authorizationStatus: 'GRANTED' });
  });

  it('an unseen grant in a read too old to charge with is recorded alone; the charge reads again', async () => {
    const t = setup([granted('tok-new')], false, true);
    const result = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-old'),
      at: performance.now() - FRESH_READ_MS - 1,
      unrecordedGrant: true,
    });
    expect(result).toBe('charged');
    expect(t.gets).toEqual(['CHT1']);
    expect(t.posts.map((p) => p.payTokenVal)).toEqual(['tok-new']);
    const kinds = t.journal.saleTimeline(t.saleId).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['authorization.status', 'charge.intent', 'charge.done']);
  });

  it('the charge intent refused by the journal: nothing is sent, and the grant still goes on record', async () => {
    const t = setup([], false, true);
    const db = new Database(t.path);
    db.exec(
      `CREATE TRIGGER refuse_charges BEFORE INSERT ON charges BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    );
    db.close();
    const error = await chargeSale(t.ctx, t.saleId, 1000, 'charge', {
      auth: granted('tok-seen'),
      at: performance.now(),
      unrecordedGrant: true,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE' });
    expect(t.posts).toEqual([]);
    expect(t.journal.getSaleDetail(t.saleId)?.charges).toEqual([]);
    // The batch left nothing half-written; the grant alone was recorded after it.
    const kinds = t.journal.saleTimeline(t.saleId).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'authorization.status')).toHaveLength(1);
    expect(t.journal.getSale(t.saleId)?.state).toBe('granted');
  });
});
