/**
 * Crash tests: a child process runs the real payments core and is SIGKILLed at each named
 * crash point (the child kills itself there), and also between DropPay committing a charge or
 * a refund and its answer arriving (the sandbox's latency fault holds the answer back after
 * the commit; the test kills the child the moment the ledger shows the money moved). Then the
 * till restarts on the same journal file, recovers, and settles. Each row checks what the
 * crash left on disk, then that DropPay's ledger and the journal agree to the cent, that the
 * chain verifies and SQLite finds the file sound.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeytarCredentialStore } from '../../../../electron/main/credentials';
import { CRASH_POINTS, type CrashPointName } from '../../../../electron/main/payments';
import type { SaleView } from '../../../../shared/sales';
import { ledgerAgreement } from '../../../support/agreement';
import { childBundle, disposeChildBundle, type ChildProgram } from '../../../support/child-bundle';
import { TortureChild } from '../../../support/child-driver';
import { integrityCheck } from '../../../support/journal-file';
import { forgetKeychain, provisionKeychain } from '../../../support/keychain';
import { openTill, type RecoveredTill } from '../../../support/recovery';
import { startTestSandbox, type Ledger, type TestSandbox } from '../../../support/sandbox';
import { removeTemps, tempJournalPath } from '../../../support/temp';
import { CHILD_ENV } from '../../../support/torture-protocol';

let sandbox: TestSandbox;
let store: KeytarCredentialStore;
let bundle: ChildProgram;
const started = Date.now();

beforeAll(async () => {
  sandbox = await startTestSandbox({ refundSettleSeconds: 0 });
  store = await provisionKeychain(sandbox.baseUrl, sandbox.credentials);
  bundle = await childBundle(sandbox.baseUrl);
}, 120_000);
beforeEach(async () => {
  await sandbox.reset();
});
afterAll(async () => {
  await forgetKeychain(store);
  await sandbox.dispose();
  await disposeChildBundle();
  removeTemps();
  console.log(`crash-points: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

interface Scene {
  journalPath: string;
  child: TortureChild;
  /** The sale the row is about, once known. */
  saleId: string | null;
  chargeId: string | null;
}

function spawnChild(journalPath: string, crashAt: CrashPointName | null): TortureChild {
  return new TortureChild(bundle, {
    [CHILD_ENV.journal]: journalPath,
    [CHILD_ENV.baseUrl]: sandbox.baseUrl,
    [CHILD_ENV.crashAt]: crashAt ?? '',
    [CHILD_ENV.pollMs]: '5',
    [CHILD_ENV.resolveMs]: '25',
    [CHILD_ENV.timeoutMs]: '8000',
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function saleIn(child: TortureChild, saleId: string, states: string[]): Promise<SaleView> {
  return until(`sale ${saleId} in ${states.join('|')}`, async () => {
    const sale = (await child.call('getSale', [saleId])) as SaleView;
    return states.includes(sale.state) ? sale : null;
  });
}

/** Starts a sale in the child and returns it once its authorization is waiting. */
async function waitingSale(scene: Scene, amount: number, policy = 'CHARGEABLE'): Promise<SaleView> {
  const sale = (await scene.child.call('startSale', [{ amount, description: 'Torta', policy }])) as SaleView;
  expect(sale.state).toBe('waiting');
  scene.saleId = sale.id;
  return sale;
}

/** A sale paid with no crash on the way; returns it with its charge. */
async function paidSale(scene: Scene, amount: number): Promise<SaleView> {
  const sale = await waitingSale(scene, amount);
  await sandbox.grant(sale.authorizationId ?? '');
  await scene.child.call('notify', [sale.authorizationId]);
  const paid = await saleIn(scene.child, sale.id, ['paid']);
  scene.chargeId = paid.charges[0]?.id ?? null;
  return paid;
}

/** Waits for the child to report the crash point and die of SIGKILL. */
async function crashedAt(child: TortureChild, point: CrashPointName): Promise<void> {
  await child.waitFor((r) => r.t === 'crash' && r.point === point, 15_000, `crash at ${point}`);
  const exit = await child.exited;
  expect(exit.signal).toBe('SIGKILL');
}

/** Holds DropPay's answers back (after the commit), and kills the child as soon as `moved` shows in the ledger. */
async function killOnceCommitted(child: TortureChild, moved: (l: Ledger) => boolean): Promise<Ledger> {
  const ledger = await until(
    'DropPay to commit',
    async () => {
      const l = await sandbox.ledger();
      return moved(l) ? l : null;
    },
    20_000,
  );
  const exit = await child.kill();
  expect(exit.signal).toBe('SIGKILL');
  await sandbox.clearFaults();
  return ledger;
}

interface Row {
  name: string;
  crashAt: CrashPointName | null;
  /** Drives the child until it is dead. */
  act(scene: Scene): Promise<void>;
  /** What the crash must have left in the journal, before any recovery. */
  onDisk(till: RecoveredTill, scene: Scene): void;
  /** The cashier's steps after recovery, if any (capture again, refund again). */
  after?(till: RecoveredTill, scene: Scene): Promise<void>;
  /** Lost authorization requests only end when the waiting time is over. */
  expire?: boolean;
  expected: { state: string; charged: number[]; refunded: number[] };
  /** The charge rows (status:amount:origin) and refund rows (status:amount:attempt n) at the end. */
  journal: { charges: string[]; refunds: string[] };
}

const ROWS: Row[] = [
  {
    name: 'authorization.after-intent: the POST never left',
    crashAt: 'authorization.after-intent',
    async act(scene) {
      void scene.child.call('startSale', [{ amount: 1234, description: 'Caffè' }]).catch(() => undefined);
      await crashedAt(scene.child, 'authorization.after-intent');
    },
    onDisk(till, scene) {
      const [sale] = till.details();
      expect(sale?.sale).toMatchObject({ state: 'authorizing', authorizationId: null, amount: 1234 });
      scene.saleId = sale?.sale.id ?? null;
    },
    expire: true,
    expected: { state: 'expired', charged: [], refunded: [] },
    journal: { charges: [], refunds: [] },
  },
  {
    name: 'authorization.after-response: DropPay created it, the journal never heard',
    crashAt: 'authorization.after-response',
    async act(scene) {
      void scene.child.call('startSale', [{ amount: 2500, description: 'Pranzo' }]).catch(() => undefined);
      await crashedAt(scene.child, 'authorization.after-response');
    },
    onDisk(till, scene) {
      const [sale] = till.details();
      expect(sale?.sale).toMatchObject({ state: 'authorizing', authorizationId: null });
      scene.saleId = sale?.sale.id ?? null;
    },
    expire: true,
    expected: { state: 'expired', charged: [], refunded: [] },
    journal: { charges: [], refunds: [] },
  },
  {
    name: 'charge.after-intent: granted, charge intent on disk, POST never left',
    crashAt: 'charge.after-intent',
    async act(scene) {
      const sale = await waitingSale(scene, 1999);
      await sandbox.grant(sale.authorizationId ?? '');
      await crashedAt(scene.child, 'charge.after-intent');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.sale.state).toBe('charging');
      expect(d?.charges.map((c) => c.status)).toEqual(['intent']);
    },
    expected: { state: 'paid', charged: [1999], refunded: [] },
    journal: { charges: ['FAILED:1999:terminal', 'DONE:1999:terminal'], refunds: [] },
  },
  {
    name: 'charge.after-response: DropPay charged, the outcome never reached the journal',
    crashAt: 'charge.after-response',
    async act(scene) {
      const sale = await waitingSale(scene, 4550);
      await sandbox.grant(sale.authorizationId ?? '');
      await crashedAt(scene.child, 'charge.after-response');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.charges.map((c) => [c.status, c.droppayId])).toEqual([['intent', null]]);
    },
    expected: { state: 'paid', charged: [4550], refunded: [] },
    journal: { charges: ['DONE:4550:terminal'], refunds: [] },
  },
  {
    name: 'refund.after-intent: refund intent on disk, POST never left; the cashier refunds again',
    crashAt: 'refund.after-intent',
    async act(scene) {
      const paid = await paidSale(scene, 3000);
      void scene.child
        .call('refund', [{ chargeId: paid.charges[0]?.id, amount: 1200, reason: 'Reso' }])
        .catch(() => undefined);
      await crashedAt(scene.child, 'refund.after-intent');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.refunds.map((r) => [r.status, r.amount])).toEqual([['intent', 1200]]);
    },
    async after(till, scene) {
      // Recovery proved it never happened (FAILED, no DropPay id): a second request is allowed.
      const [d] = till.details();
      expect(d?.refunds.map((r) => [r.status, r.droppayId])).toEqual([['FAILED', null]]);
      await till.service.refund({ chargeId: scene.chargeId ?? '', amount: 1200, reason: 'Reso' });
    },
    expected: { state: 'paid', charged: [3000], refunded: [1200] },
    journal: { charges: ['DONE:3000:terminal'], refunds: ['DONE:1200:attempt 2'] },
  },
  {
    name: 'refund.after-response: DropPay refunded, the outcome never reached the journal',
    crashAt: 'refund.after-response',
    async act(scene) {
      const paid = await paidSale(scene, 880);
      void scene.child
        .call('refund', [{ chargeId: paid.charges[0]?.id, amount: 880, reason: 'Reso' }])
        .catch(() => undefined);
      await crashedAt(scene.child, 'refund.after-response');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.refunds.map((r) => [r.status, r.droppayId])).toEqual([['intent', null]]);
    },
    async after(till, scene) {
      // DropPay holds the refund now: a second one must be refused, and nothing more moves.
      await expect(
        till.service.refund({ chargeId: scene.chargeId ?? '', amount: 880, reason: 'Reso' }),
      ).rejects.toMatchObject({ code: 'ALREADY_REFUNDED', appCode: 'ALREADY_REFUNDED' });
    },
    expected: { state: 'paid', charged: [880], refunded: [880] },
    journal: { charges: ['DONE:880:terminal'], refunds: ['DONE:880:attempt 1'] },
  },
  {
    name: 'capture.after-intent: BOOKED capture intent on disk, POST never left; the cashier captures again',
    crashAt: 'capture.after-intent',
    async act(scene) {
      const sale = await waitingSale(scene, 5000, 'BOOKED');
      await sandbox.grant(sale.authorizationId ?? '');
      await scene.child.call('notify', [sale.authorizationId]);
      await saleIn(scene.child, sale.id, ['granted']);
      void scene.child.call('captureSale', [{ saleId: sale.id, amount: 4200 }]).catch(() => undefined);
      await crashedAt(scene.child, 'capture.after-intent');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.charges.map((c) => [c.status, c.amount])).toEqual([['intent', 4200]]);
    },
    async after(till, scene) {
      const sale = till.service.getSale(scene.saleId ?? '');
      expect(sale.charged).toBe(0);
      await till.service.captureSale({ saleId: sale.id, amount: 4200 });
    },
    expected: { state: 'paid', charged: [4200], refunded: [] },
    journal: { charges: ['FAILED:4200:terminal', 'DONE:4200:terminal'], refunds: [] },
  },
  {
    name: 'capture.after-response: DropPay captured, the outcome never reached the journal',
    crashAt: 'capture.after-response',
    async act(scene) {
      const sale = await waitingSale(scene, 5000, 'BOOKED');
      await sandbox.grant(sale.authorizationId ?? '');
      await scene.child.call('notify', [sale.authorizationId]);
      await saleIn(scene.child, sale.id, ['granted']);
      void scene.child.call('captureSale', [{ saleId: sale.id, amount: 3100 }]).catch(() => undefined);
      await crashedAt(scene.child, 'capture.after-response');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.charges.map((c) => [c.status, c.droppayId])).toEqual([['intent', null]]);
    },
    expected: { state: 'paid', charged: [3100], refunded: [] },
    journal: { charges: ['DONE:3100:terminal'], refunds: [] },
  },
  {
    name: 'cancel.after-intent: cancel intent on disk, DELETE never left',
    crashAt: 'cancel.after-intent',
    async act(scene) {
      const sale = await waitingSale(scene, 700);
      void scene.child.call('cancelSale', [sale.id]).catch(() => undefined);
      await crashedAt(scene.child, 'cancel.after-intent');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.sale.state).toBe('waiting');
    },
    expected: { state: 'cancelled', charged: [], refunded: [] },
    journal: { charges: [], refunds: [] },
  },
  {
    name: 'cancel.after-intent, and the payer approves while the till is down: still nothing charged',
    crashAt: 'cancel.after-intent',
    async act(scene) {
      const sale = await waitingSale(scene, 650);
      void scene.child.call('cancelSale', [sale.id]).catch(() => undefined);
      await crashedAt(scene.child, 'cancel.after-intent');
      await sandbox.grant(sale.authorizationId ?? '');
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.sale.state).toBe('waiting');
    },
    expected: { state: 'cancelled', charged: [], refunded: [] },
    journal: { charges: [], refunds: [] },
  },
  {
    name: 'charge committed at DropPay, killed before the answer arrived',
    crashAt: null,
    async act(scene) {
      const sale = await waitingSale(scene, 6789);
      await sandbox.faults({ latency_ms: 1500 });
      await sandbox.grant(sale.authorizationId ?? '');
      const ledger = await killOnceCommitted(scene.child, (l) => l.charges.length > 0);
      expect(ledger.charges.map((c) => [c.authorizationId, c.amount])).toEqual([
        [sale.authorizationId, 6789],
      ]);
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.charges.map((c) => [c.status, c.droppayId])).toEqual([['intent', null]]);
    },
    expected: { state: 'paid', charged: [6789], refunded: [] },
    journal: { charges: ['DONE:6789:terminal'], refunds: [] },
  },
  {
    name: 'refund committed at DropPay, killed before the answer arrived',
    crashAt: null,
    async act(scene) {
      const paid = await paidSale(scene, 2222);
      await sandbox.faults({ latency_ms: 1500 });
      void scene.child
        .call('refund', [{ chargeId: paid.charges[0]?.id, amount: 2000, reason: 'Reso' }])
        .catch(() => undefined);
      const ledger = await killOnceCommitted(scene.child, (l) => l.refunds.length > 0);
      expect(ledger.refunds.map((r) => r.amount)).toEqual([2000]);
    },
    onDisk(till) {
      const [d] = till.details();
      expect(d?.refunds.map((r) => [r.status, r.droppayId])).toEqual([['intent', null]]);
    },
    expected: { state: 'paid', charged: [2222], refunded: [2000] },
    journal: { charges: ['DONE:2222:terminal'], refunds: ['DONE:2000:attempt 1'] },
  },
];

describe('crash torture: SIGKILL at every crash point, then recovery', () => {
  it('covers every crash point the payments core declares', () => {
    const covered = new Set(ROWS.flatMap((r) => (r.crashAt === null ? [] : [r.crashAt])));
    expect([...covered].sort()).toEqual([...CRASH_POINTS].sort());
  });

  it.each(ROWS)('$name', { timeout: 60_000 }, async (row) => {
    const journalPath = tempJournalPath();
    const scene: Scene = {
      journalPath,
      child: spawnChild(journalPath, row.crashAt),
      saleId: null,
      chargeId: null,
    };
    try {
      await scene.child.waitFor((r) => r.t === 'ready', 15_000, 'ready');
      await row.act(scene);
    } finally {
      await scene.child.kill();
    }
    expect(integrityCheck(journalPath)).toEqual(['ok']);

    const till = openTill({ journalPath, sandbox, store });
    try {
      row.onDisk(till, scene);
      await till.service.recover();
      if (row.expire === true) {
        // Until the waiting time is over the sale is explicitly unknown, never silently lost.
        expect(till.details().map((d) => d.sale.state)).toEqual(['unknown']);
      }
      await till.settle({ expire: row.expire === true });
      await row.after?.(till, scene);
      const details = await till.settle();

      expect(details).toHaveLength(1);
      const [d] = details;
      expect(d?.sale.state).toBe(row.expected.state);
      // The journal's own story: a lost answer is attributed to the intent it belongs to (no
      // stray "observed" charge), a POST that never left is FAILED and made again once.
      expect(d?.charges.map((c) => `${c.status}:${c.amount}:${c.origin}`)).toEqual(row.journal.charges);
      expect(d?.refunds.map((r) => `${r.status}:${r.amount}:attempt ${r.attempt}`)).toEqual(
        row.journal.refunds,
      );
      const ledger = await sandbox.ledger();
      const settled = (s: string): boolean => s === 'DONE' || s === 'ACCOUNTED';
      expect(ledger.charges.filter((c) => settled(c.status)).map((c) => c.amount)).toEqual(
        row.expected.charged,
      );
      expect(ledger.refunds.filter((r) => settled(r.status)).map((r) => r.amount)).toEqual(
        row.expected.refunded,
      );
      expect(ledgerAgreement(ledger, details)).toEqual([]);
      expect(till.journal.verifyChain()).toMatchObject({ ok: true });
    } finally {
      await till.close();
    }
    expect(integrityCheck(journalPath)).toEqual(['ok']);
  });
});
