import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryCredentialStore } from '../electron/main/credentials';
import { openJournal } from '../electron/main/journal';
import { openPayments } from '../electron/main/payments';
import type { SaleEvent } from '../shared/sale-events';
import { atMost, type BenchRow } from './lib/report';
import { sandboxToken, spawnSandbox } from './lib/sandbox-process';
import { median } from './lib/timing';

const JOURNAL_OPS = 2000;
const JOURNAL_BLOCKS = 10;
const JOURNAL_WARMUP = 100;
const SALES = 200;
const SALE_BLOCKS = 5;
const SALE_WARMUP = 20;
/** The amount of every bench sale, in cents (the service) and in euros (the wire). */
const CENTS = 1250;
const EUROS = 12.5;

/** Times a synchronous `fn` `count` times and returns each duration in milliseconds. */
function timeEachSync(count: number, fn: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * One journal record (createSale: validation, the event row with its hash chain link, the
 * current-state row, one transaction) against a prepared INSERT of an equivalent row into a
 * plain STRICT table. Both files are in the same temp folder with the same durability
 * pragmas (WAL, synchronous=FULL), so each op pays one commit with its fsync either way.
 */
function journalBench(dir: string): { row: BenchRow; journalMs: number } {
  const journal = openJournal({ path: join(dir, 'journal.sqlite') });
  const raw = new Database(join(dir, 'raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(`CREATE TABLE sales (
    id TEXT PRIMARY KEY,
    merchant_ref TEXT NOT NULL,
    amount INTEGER NOT NULL,
    description TEXT NOT NULL,
    policy TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`);
  const insert = raw.prepare(
    `INSERT INTO sales (id, merchant_ref, amount, description, policy, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'CHARGEABLE', 'created', ?, ?)`,
  );
  try {
    const viaJournal = (): void => {
      journal.createSale({ amount: CENTS, description: 'Bench' });
    };
    const viaRaw = (i: number): void => {
      const now = new Date().toISOString();
      insert.run(crypto.randomUUID(), `R${i}`, CENTS, 'Bench', now, now);
    };
    timeEachSync(JOURNAL_WARMUP, viaJournal);
    timeEachSync(JOURNAL_WARMUP, (i) => viaRaw(-1 - i));
    // Interleaved blocks, so drift (GC, page cache, CPU frequency) hits both alike.
    const j: number[] = [];
    const r: number[] = [];
    const per = JOURNAL_OPS / JOURNAL_BLOCKS;
    for (let block = 0; block < JOURNAL_BLOCKS; block++) {
      j.push(...timeEachSync(per, viaJournal));
      r.push(...timeEachSync(per, (i) => viaRaw(block * per + i)));
    }
    const journalMs = median(j);
    const rawMs = median(r);
    return {
      journalMs,
      row: atMost(
        'journal record per op (createSale / raw INSERT)',
        journalMs / rawMs,
        'ratio',
        2,
        `median ${journalMs.toFixed(3)} ms vs ${rawMs.toFixed(3)} ms, ${JOURNAL_OPS} ops each, WAL + synchronous=FULL`,
      ),
    };
  } finally {
    journal.close();
    raw.close();
  }
}

/**
 * The durable writes no sale can do without: an intent before each of its two POSTs (create,
 * charge) and each POST's answer, every one fsynced before the next step (WAL +
 * synchronous=FULL). Made here as bare one-row commits: what the disk alone costs a sale.
 */
const DURABLE_COMMITS = 4;

function durableCommitsMs(dir: string): number {
  const db = new Database(join(dir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE steps (id INTEGER PRIMARY KEY, sale INTEGER NOT NULL, step INTEGER NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO steps (sale, step) VALUES (?, ?)');
  try {
    const sale = (i: number): void => {
      for (let step = 0; step < DURABLE_COMMITS; step++) insert.run(i, step);
    };
    timeEachSync(SALE_WARMUP, (i) => sale(-1 - i));
    return median(timeEachSync(SALES, sale));
  } finally {
    db.close();
  }
}

/**
 * A whole sale through the payments service (startSale, the payer grants on the sandbox, the
 * service learns it at once through notify() and charges, the sale is paid) against the same
 * four HTTP calls made bare to the same sandbox process (token reused): POST authorization,
 * POST grant, GET authorization (for the pay token), POST charge.
 */
async function saleBench(dir: string, journalMs: number): Promise<BenchRow> {
  const sb = await spawnSandbox();
  const store = new MemoryCredentialStore();
  await store.set('applicationKey', sb.applicationKey);
  await store.set('applicationSecret', sb.applicationSecret);
  await store.set('connectionCode', sb.connectionCode);
  await store.set('posId', sb.posId);
  // pollIntervalMs is small, and notify() right after the grant removes the poll wait anyway.
  const payments = openPayments({
    journalPath: join(dir, 'sales.sqlite'),
    baseUrl: sb.baseUrl,
    store,
    posId: sb.posId,
    pollIntervalMs: 5,
  });
  try {
    const { service } = payments;
    await service.recover();
    const paid = new Map<string, () => void>();
    service.onEvent((event: SaleEvent) => {
      if (event.type === 'sale.updated' && event.sale.state === 'paid') paid.get(event.sale.id)?.();
    });
    const grant = async (authorizationId: string): Promise<void> => {
      const res = await fetch(`${sb.baseUrl}/_sim/authorization/${authorizationId}/grant`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new Error(`grant: HTTP ${res.status}`);
      await res.text();
    };

    // Per-phase split of the service's sales: start (to the link), grant, notify to paid.
    const phases: [number[], number[], number[]] = [[], [], []];
    const viaService = async (): Promise<string> => {
      const t0 = performance.now();
      const sale = await service.startSale({ amount: CENTS, description: 'Bench' });
      const t1 = performance.now();
      const authId = sale.authorizationId;
      if (!authId || sale.state !== 'waiting') throw new Error(`sale ${sale.id} is ${sale.state}`);
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sale ${sale.id} not paid in 10 s`)), 10_000);
        paid.set(sale.id, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await grant(authId);
      const t2 = performance.now();
      service.notify(authId);
      await done;
      phases[0].push(t1 - t0);
      phases[1].push(t2 - t1);
      phases[2].push(performance.now() - t2);
      paid.delete(sale.id);
      return sale.id;
    };

    const bearer = await sandboxToken(sb);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${bearer}` };
    const viaRaw = async (): Promise<void> => {
      const created = await fetch(`${sb.baseUrl}/shop/v1/pos/authorization`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ pos_id: sb.posId, description: 'Bench', charge_amount: EUROS }),
      });
      if (created.status !== 201) throw new Error(`create: HTTP ${created.status}`);
      const { id } = (await created.json()) as { id: string };
      await grant(id);
      const got = await fetch(`${sb.baseUrl}/shop/v1/pos/authorization/${id}`, { headers });
      if (got.status !== 200) throw new Error(`get: HTTP ${got.status}`);
      const auth = (await got.json()) as { status: string; pay_token?: { val: string } };
      if (auth.status !== 'GRANTED' || !auth.pay_token)
        throw new Error(`authorization ${id} is ${auth.status}`);
      const charged = await fetch(`${sb.baseUrl}/shop/v1/pos/charge`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ authorization_id: id, pay_token_val: auth.pay_token.val, amount: EUROS }),
      });
      if (charged.status !== 201) throw new Error(`charge: HTTP ${charged.status}: ${await charged.text()}`);
      await charged.json();
    };

    const time = async (fn: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await fn();
      return performance.now() - start;
    };
    for (let i = 0; i < SALE_WARMUP; i++) {
      await viaService();
      await viaRaw();
    }
    for (const phase of phases) phase.length = 0;
    const s: number[] = [];
    const r: number[] = [];
    let lastSale = '';
    for (let block = 0; block < SALE_BLOCKS; block++) {
      for (let i = 0; i < SALES / SALE_BLOCKS; i++) {
        s.push(
          await time(async () => {
            lastSale = await viaService();
          }),
        );
      }
      for (let i = 0; i < SALES / SALE_BLOCKS; i++) r.push(await time(viaRaw));
    }
    const serviceMs = median(s);
    const rawMs = median(r);
    const floorMs = durableCommitsMs(dir);
    // Where the difference goes: the journal's commits, each with an fsync (a sale's events
    // go in fewer commits: the sale with its authorization intent, the grant with the charge
    // intent).
    const events = service.timeline(lastSale).length;
    return atMost(
      'whole sale (service / raw HTTP calls)',
      serviceMs / rawMs,
      'ratio',
      1.3,
      `p50 ${serviceMs.toFixed(2)} ms vs ${rawMs.toFixed(2)} ms, ${SALES} sales each; ` +
        `service p50 start ${median(phases[0]).toFixed(2)} + grant ${median(phases[1]).toFixed(2)} + ` +
        `notify→paid ${median(phases[2]).toFixed(2)} ms; ` +
        `${events} journal events per sale; one createSale commit is ${journalMs.toFixed(2)} ms; ` +
        `floor: the ${DURABLE_COMMITS} fsynced commits a sale must make, bare, take ${floorMs.toFixed(2)} ms, ` +
        `so no journal can do better than ${((rawMs + floorMs) / rawMs).toFixed(2)} here`,
    );
  } finally {
    await payments.close();
    await sb.stop();
  }
}

export async function paymentsBenches(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-bench-payments-'));
  try {
    const { row, journalMs } = journalBench(dir);
    return [row, await saleBench(dir, journalMs)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
