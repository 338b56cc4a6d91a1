/**
 * A waiting sale past its time whose authorization DropPay answers 404 for ends expired, with
 * nothing charged; a 404 met anywhere else on the way (a charge the authorization lists, not
 * found) ends nothing. A fake DropPay client over a real journal file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DropPayError, type Authorization, type DropPayClient } from '../../../electron/main/droppay/index';
import { openJournal, type Journal } from '../../../electron/main/journal/index';
import { createWatchers } from '../../../electron/main/payments/watchers';
import { JOURNAL_TEXTS } from '../../../shared/core-texts';
import { auth, testCtx } from './fixtures';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** A CHARGEABLE sale of 10.00 waiting for the payer on CHT1. */
function waitingSale(): { journal: Journal; saleId: string } {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-unknown-'));
  const journal = openJournal({ path: join(dir, 'j.sqlite') });
  cleanups.push(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const sale = journal.createSale({ amount: 1000, description: 'x' });
  journal.recordAuthorizationIntent(sale.id);
  journal.recordAuthorizationCreated(sale.id, {
    authorizationId: 'CHT1',
    sharingUrl: 'https://dp.link/u/10/CHT1',
  });
  return { journal, saleId: sale.id };
}

const notFound = (what: string) => new DropPayError('NOT_FOUND', { status: 404, code: '100', message: what });
/** Ten minutes on: past the sale's 300 s and the 30 s grace. */
const later = () => new Date(Date.now() + 10 * 60_000);

/**
 * One poll of the sale, ten minutes on, against a DropPay whose authorization read is `read`
 * (and whose charge reads are `chargeRead`); returns how many times the authorization was read.
 */
async function pollOnce(
  journal: Journal,
  saleId: string,
  read: () => Promise<Authorization>,
  chargeRead?: () => Promise<never>,
): Promise<number> {
  let reads = 0;
  const client = {
    authorizations: {
      get: () => {
        reads += 1;
        return read();
      },
    },
    ...(chargeRead ? { charges: { get: chargeRead } } : {}),
  } as unknown as DropPayClient;
  const ctx = testCtx(journal, client, { now: later });
  createWatchers(ctx).watch(saleId, 0);
  for (let i = 0; i < 100 && reads === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  ctx.unschedule(`poll:${saleId}`);
  return reads;
}

describe('a waiting sale past its time, and a 404', () => {
  it('from the read of its authorization: it ends expired, saying no money moved', async () => {
    const { journal, saleId } = waitingSale();
    await pollOnce(journal, saleId, () => Promise.reject(notFound('authorization CHT1')));
    expect(journal.getSale(saleId)?.state).toBe('expired');
    expect(journal.saleTimeline(saleId).at(-1)?.payload).toMatchObject({
      note: JOURNAL_TEXTS.expiredUnknownToDropPay,
    });
  });

  it('from reading a charge its authorization lists: nothing is ended, the charge may be real', async () => {
    const { journal, saleId } = waitingSale();
    // Ended, with a charge of 10.00 the journal does not have (made while it was restored, say).
    const ended = auth({
      status: 'EXPIRED',
      chargeSuccessCount: 1,
      charges: [{ id: 'CHA9', amount: 1000, status: 'DONE' }],
    });
    const reads = await pollOnce(
      journal,
      saleId,
      () => Promise.resolve(ended),
      () => Promise.reject(notFound('charge CHA9')),
    );
    expect(reads).toBeGreaterThan(0);
    const sale = journal.getSale(saleId);
    expect(sale?.state).not.toBe('expired');
    expect(journal.saleTimeline(saleId).map((e) => (e.payload as { note?: string }).note)).not.toContain(
      JOURNAL_TEXTS.expiredUnknownToDropPay,
    );
  });
});
