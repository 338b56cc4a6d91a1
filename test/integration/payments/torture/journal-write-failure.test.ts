/**
 * Journal first: when the journal cannot take the intent, nothing reaches DropPay. The storage
 * failures are real SQLite ones on a real file: a journal opened read-only, and a full one
 * (SQLite's own page cap, as good as a full disk and deterministic). The client is the real
 * one with the real keychain; DropPay's ledger is the judge of "nothing was sent".
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeytarCredentialStore } from '../../../../electron/main/credentials';
import { JournalWriteError, openJournal, type Journal } from '../../../../electron/main/journal';
import { openJournalDatabase } from '../../../../electron/main/journal/connection';
import { createJournal } from '../../../../electron/main/journal/journal';
import { PaymentsError } from '../../../../electron/main/payments';
import type { SaleView } from '../../../../shared/sales';
import { ledgerAgreement } from '../../../support/agreement';
import { integrityCheck } from '../../../support/journal-file';
import { forgetKeychain, provisionKeychain } from '../../../support/keychain';
import { openTill, type RecoveredTill } from '../../../support/recovery';
import { startTestSandbox, type Ledger, type TestSandbox } from '../../../support/sandbox';
import { removeTemps, tempJournalPath } from '../../../support/temp';

let sandbox: TestSandbox;
let store: KeytarCredentialStore;

beforeAll(async () => {
  sandbox = await startTestSandbox({ refundSettleSeconds: 0 });
  store = await provisionKeychain(sandbox.baseUrl, sandbox.credentials);
});
beforeEach(async () => {
  await sandbox.reset();
});
afterAll(async () => {
  await forgetKeychain(store);
  await sandbox.dispose();
  removeTemps();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function paidSale(till: RecoveredTill, amount: number): Promise<SaleView> {
  const sale = await till.service.startSale({ amount, description: 'Spesa' });
  await sandbox.grant(sale.authorizationId ?? '');
  till.service.notify(sale.authorizationId ?? '');
  await until('paid', () => till.service.getSale(sale.id).state === 'paid');
  return till.service.getSale(sale.id);
}

/** The failure a call ended with; fails the test if it succeeded. */
async function failure(p: Promise<unknown>): Promise<PaymentsError> {
  const outcome = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome, 'the call should have failed').toBeInstanceOf(PaymentsError);
  return outcome as PaymentsError;
}

/** A clear, typed storage error that says nothing was sent, caused by the journal's own error. */
function expectStorage(error: PaymentsError, failure: 'READONLY' | 'FULL'): void {
  expect(error.code).toBe('STORAGE');
  expect(error.message).toMatch(/nothing was sent to DropPay/i);
  expect(error.cause).toBeInstanceOf(JournalWriteError);
  expect((error.cause as JournalWriteError).failure).toBe(failure);
}

/**
 * A journal whose file may grow by only a few pages more: filled with settings until SQLite
 * answers SQLITE_FULL at every size, so any further event or row finds no room.
 */
/** A long refund reason (the limit is 512). */
const REASON = 'Reso: merce difettosa, scontrino presentato dal cliente. '.repeat(8);

/** Runs `write` until the journal says it is full. */
function untilFull(write: () => void): void {
  for (;;) {
    try {
      write();
    } catch (e) {
      if (e instanceof JournalWriteError && e.failure === 'FULL') return;
      throw e;
    }
  }
}

/**
 * Fills the journal to its cap. Settings fill the event log and the settings table; then filler
 * sales (ended at once, no DropPay call) fill what the sales tables still had free; last, the
 * event log is packed on its own. Otherwise a new sale or refund could still fit in free space
 * of its own tables, depending on where earlier rows happened to fall.
 */
function fill(journal: Journal, raise: (pages: number) => void): void {
  raise(8);
  let n = 0;
  for (const size of [4000, 2000, 1000, 400, 100, 20, 1]) {
    untilFull(() => journal.setSetting(`filler_${n++}`, 'x'.repeat(size)));
  }
  untilFull(() =>
    journal.batch(() => {
      const filler = journal.createSale({ amount: 1, description: 'f' });
      journal.recordSaleState(filler.id, 'failed', { error: 'filler' });
    }),
  );
  // Last, the event log alone: the same setting toggled between two values of one length is
  // rewritten in place, so only its event needs room.
  let flips = 0;
  untilFull(() => journal.setSetting('filler_toggle', flips++ % 2 === 0 ? 'a' : 'b'));
}

function cappedJournal(path: string): {
  journal: Journal;
  cap: (extraPages: number) => void;
  uncap: () => void;
} {
  const db = openJournalDatabase({ path });
  const journal = createJournal(db);
  return {
    journal,
    cap: (extra) => {
      const pages = db.pragma('page_count', { simple: true }) as number;
      db.pragma(`max_page_count = ${pages + extra}`);
    },
    uncap: () => {
      db.pragma('max_page_count = 1073741823');
    },
  };
}

async function expectLedgerStill(before: Ledger): Promise<void> {
  expect(await sandbox.ledger()).toEqual(before);
}

describe('a journal that cannot write sends nothing to DropPay', () => {
  it('read-only journal: startSale and refund fail with STORAGE(READONLY); the ledger does not move', async () => {
    const path = tempJournalPath();
    const writable = openTill({ journalPath: path, sandbox, store });
    await writable.service.recover();
    const paid = await paidSale(writable, 1500);
    await writable.close();
    const before = await sandbox.ledger();
    expect(before.charges).toHaveLength(1);

    const till = openTill({ journalPath: openJournal({ path, readOnly: true }), sandbox, store });
    try {
      await till.service.recover();
      expectStorage(await failure(till.service.startSale({ amount: 700, description: 'Pane' })), 'READONLY');
      const chargeId = paid.charges[0]?.id ?? '';
      expectStorage(
        await failure(till.service.refund({ chargeId, amount: 1500, reason: 'Reso' })),
        'READONLY',
      );
      await sleep(100); // long enough for any stray poll or retry to have gone out
      await expectLedgerStill(before);
      expect(till.service.listSales().total).toBe(1);
    } finally {
      await till.close();
    }
    expect(integrityCheck(path)).toEqual(['ok']);
  });

  it('full journal: startSale and refund fail with STORAGE(FULL); the ledger does not move', async () => {
    const path = tempJournalPath();
    const capped = cappedJournal(path);
    const till = openTill({ journalPath: capped.journal, sandbox, store });
    try {
      await till.service.recover();
      const paid = await paidSale(till, 2400);
      const before = await sandbox.ledger();
      const events = capped.journal.verifyChain();
      fill(capped.journal, capped.cap);
      const salesAfterFill = till.service.listSales().total;

      // Texts long enough that each intent's event needs more room than the packed log has left.
      const description = 'Vino rosso della casa, due bottiglie, e un cesto regalo'.repeat(2);
      expectStorage(await failure(till.service.startSale({ amount: 990, description })), 'FULL');
      const chargeId = paid.charges[0]?.id ?? '';
      expectStorage(await failure(till.service.refund({ chargeId, amount: 2400, reason: REASON })), 'FULL');
      await sleep(100);
      await expectLedgerStill(before);
      expect(till.service.listSales().total).toBe(salesAfterFill);
      expect(till.service.getSale(paid.id).charges[0]?.refund).toBeNull();
      // Nothing half-written: the chain holds, with only the fillers added since.
      const after = capped.journal.verifyChain();
      expect(after.ok).toBe(true);
      expect(events.ok && after.ok && after.count > events.count).toBe(true);

      // Room again: the same refund goes through, once.
      capped.uncap();
      await till.service.refund({ chargeId, amount: 2400, reason: REASON });
      const details = await till.settle();
      const ledger = await sandbox.ledger();
      expect(ledger.refunds.map((r) => r.amount)).toEqual([2400]);
      expect(ledgerAgreement(ledger, details)).toEqual([]);
    } finally {
      await till.close();
    }
    expect(integrityCheck(path)).toEqual(['ok']);
  });

  it('journal fills up between the grant and the charge: nothing is charged until it has room, then once', async () => {
    const path = tempJournalPath();
    const capped = cappedJournal(path);
    const till = openTill({ journalPath: capped.journal, sandbox, store });
    try {
      await till.service.recover();
      const sale = await till.service.startSale({ amount: 3300, description: 'Regalo' });
      expect(sale.state).toBe('waiting');
      fill(capped.journal, capped.cap);
      await sandbox.grant(sale.authorizationId ?? '');
      till.service.notify(sale.authorizationId ?? '');
      await sleep(250); // dozens of polls, each unable to record what it saw
      expect((await sandbox.ledger()).charges).toEqual([]);
      // Whatever the poller managed to record (the grant fits in a crumb of space, a charge
      // intent does not), no charge intent means no charge POST.
      expect(till.service.getSale(sale.id).charges).toEqual([]);
      expect(['waiting', 'granted']).toContain(till.service.getSale(sale.id).state);

      capped.uncap();
      till.service.notify(sale.authorizationId ?? '');
      await until('paid', () => till.service.getSale(sale.id).state === 'paid');
      const details = await till.settle();
      const ledger = await sandbox.ledger();
      expect(ledger.charges.map((c) => [c.authorizationId, c.amount])).toEqual([
        [sale.authorizationId, 3300],
      ]);
      expect(ledgerAgreement(ledger, details)).toEqual([]);
      expect(capped.journal.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await till.close();
    }
  });
});
