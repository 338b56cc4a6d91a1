/**
 * Random SIGKILLs: a child runs an endless stream of sales (two at a time: authorizations, payer
 * answers, charges, BOOKED captures, cancellations, refunds) on the real core and is SIGKILLed
 * at a random moment; a new child takes over the same journal, recovers, carries on streaming,
 * and is killed in turn. At least 1,000 kills per run (TORTURE_KILLS), spread over
 * TORTURE_STREAMS independent tills (each with its own sandbox, keychain entry and journals) so
 * both cores of a CI machine are used.
 *
 * The moment is drawn three ways, so kills land everywhere whatever the machine's speed:
 * - during start-up: a random time after `go`, within about how long opening and recovery take;
 * - by progress: right after the child's Nth committed event since it became ready (N random),
 *   plus a few random milliseconds, so a kill can fall between any two steps of a sale;
 * - by time: a random time after ready.
 *
 * After every kill, each event the dead child reported as committed is still in the file with
 * the same hash. Every TORTURE_KILLS_PER_JOURNAL kills the journal is closed out: SQLite's
 * integrity check, the hash chain, a last recovery that settles every sale, and DropPay's
 * ledger against the journal (no double charge, nothing missing, same cents). Then a fresh
 * journal and a reset sandbox, so files stay small and each segment stands on its own.
 *
 * A Node start is the unit price: the next child is spawned (and loads its code and native
 * modules) while the current one runs, and opens the journal only once told to, after the
 * previous one is dead.
 */
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeytarCredentialStore } from '../../../../electron/main/credentials';
import { ledgerAgreement } from '../../../support/agreement';
import { childBundle, disposeChildBundle, type ChildProgram } from '../../../support/child-bundle';
import { TortureChild } from '../../../support/child-driver';
import { eventHashes, integrityCheck, rawJournal } from '../../../support/journal-file';
import { forgetKeychain, provisionKeychain } from '../../../support/keychain';
import { openTill } from '../../../support/recovery';
import { startTestSandbox, type TestSandbox } from '../../../support/sandbox';
import { removeTemps, tempJournalPath } from '../../../support/temp';
import { CHILD_ENV, type ChildReport } from '../../../support/torture-protocol';
import { rng } from '../../../support/rng';

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
}

const KILLS = envInt('TORTURE_KILLS', 1000);
const STREAMS = Math.max(1, envInt('TORTURE_STREAMS', 2));
const KILLS_PER_JOURNAL = envInt('TORTURE_KILLS_PER_JOURNAL', 100);
const SEED = envInt('TORTURE_SEED', Math.floor(Math.random() * 0x7fffffff));
const MAX_EVENTS_PER_LIFE = 16;
const MAX_STREAM_MS = 50;

type KillMode = 'startup' | 'events' | 'time';

interface Till {
  sandbox: TestSandbox;
  store: KeytarCredentialStore;
}

const tills: Till[] = [];
let program: ChildProgram;

beforeAll(async () => {
  for (let i = 0; i < STREAMS; i += 1) {
    const sandbox = await startTestSandbox({ refundSettleSeconds: 0 });
    tills.push({ sandbox, store: await provisionKeychain(sandbox.baseUrl, sandbox.credentials) });
  }
  program = await childBundle(tills[0]?.sandbox.baseUrl ?? '');
}, 120_000);
afterAll(async () => {
  for (const { sandbox, store } of tills.splice(0)) {
    await forgetKeychain(store);
    await sandbox.dispose();
  }
  await disposeChildBundle();
  removeTemps();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function heldChild(sandbox: TestSandbox): TortureChild {
  return new TortureChild(program, {
    [CHILD_ENV.baseUrl]: sandbox.baseUrl,
    [CHILD_ENV.hold]: '1',
    [CHILD_ENV.pollMs]: '10',
    [CHILD_ENV.resolveMs]: '25',
    [CHILD_ENV.timeoutMs]: '5000',
  });
}

class Stats {
  kills = 0;
  modes = new Map<KillMode, number>();
  killedBeforeReady = 0;
  progressTimeouts = 0;
  reportedRows = 0;
  committedRows = 0;
  sales = 0;
  refunded = 0;
  stuck = 0;
  segments = 0;
  states = new Map<string, number>();
  errors = new Map<string, number>();
  failed = new Map<string, number>();
  childCpuMs = 0;
  lifeMs: number[] = [];
  readyMs: number[] = [];
  openMs: number[] = [];
  recoverMs: number[] = [];

  bump<K>(map: Map<K, number>, key: K): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  summary(seconds: number, cpuSeconds: number): string {
    const p = (xs: number[], q: number): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))] ?? 0;
    const perKill = (cpuSeconds * 1000 + this.childCpuMs) / this.kills;
    return [
      `random-kills: ${this.kills} SIGKILLs in ${seconds.toFixed(1)} s over ${STREAMS} streams, ${((seconds * 1000) / this.kills).toFixed(0)} ms per kill, seed ${SEED}`,
      `  CPU: test process (sandboxes, driver, checks) ${cpuSeconds.toFixed(1)} s + children ${(this.childCpuMs / 1000).toFixed(1)} s = ${perKill.toFixed(0)} ms per kill`,
      `  kill moments: ${JSON.stringify(Object.fromEntries(this.modes))}; before recovery finished ${this.killedBeforeReady}; progress timeouts ${this.progressTimeouts}`,
      `  life ms p50 ${p(this.lifeMs, 0.5)} p90 ${p(this.lifeMs, 0.9)} max ${p(this.lifeMs, 1)}; go→ready p50 ${median(this.readyMs)} (open journal ${median(this.openMs).toFixed(0)}, recover ${median(this.recoverMs).toFixed(0)})`,
      `  ${this.segments} journals; events committed ${this.committedRows}, reported committed by a child and checked after its kill ${this.reportedRows}`,
      `  sales ${this.sales}: ${JSON.stringify(Object.fromEntries(this.states))}; refunded ${this.refunded}`,
      `  errors the stream saw: ${JSON.stringify(Object.fromEntries(this.errors))}; stuck ${this.stuck}`,
      `  failed sales, by why:`,
      ...[...this.failed].sort((a, b) => b[1] - a[1]).map(([why, n]) => `    ${n} × ${why}`),
    ].join('\n');
  }
}

/** One life: go, stream, and a SIGKILL at a random moment. Returns the events it reported. */
async function life(
  child: TortureChild,
  journalPath: string,
  random: () => number,
  stats: Stats,
): Promise<Map<number, string>> {
  const mine = new Map<number, string>();
  let sinceReady = -1;
  let progressed: (() => void) | null = null;
  let target = Number.POSITIVE_INFINITY;
  child.onReport((r: ChildReport) => {
    if (r.t === 'seqs') {
      for (const [seq, hash] of r.rows) mine.set(seq, hash);
      if (sinceReady >= 0) sinceReady += r.rows.length;
      if (sinceReady >= target) progressed?.();
    } else if (r.t === 'ready') sinceReady = 0;
    else if (r.t === 'stream' && r.what.startsWith('error:')) {
      stats.bump(stats.errors, `${r.what} ${(r.detail ?? '').split(':')[0]}`);
    } else if (r.t === 'stream' && r.what === 'stuck') stats.stuck += 1;
  });

  const lifeStart = Date.now();
  child.send({ op: 'go', journal: journalPath });
  child.send({ op: 'stream', options: { seed: Math.floor(random() * 0x7fffffff), lanes: 2 } });
  const draw = random();
  const mode: KillMode = draw < 0.2 ? 'startup' : draw < 0.75 ? 'events' : 'time';
  stats.bump(stats.modes, mode);
  if (mode === 'startup') {
    await sleep(random() * Math.max(40, median(stats.readyMs)));
  } else {
    const ready = await child.waitFor((r) => r.t === 'ready', 30_000, 'ready');
    if (ready.t === 'ready') {
      stats.readyMs.push(Date.now() - lifeStart);
      stats.openMs.push(ready.openMs);
      stats.recoverMs.push(ready.recoverMs);
    }
    if (mode === 'events') {
      target = 1 + Math.floor(random() * MAX_EVENTS_PER_LIFE);
      const reached = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 3000);
        progressed = () => {
          clearTimeout(timer);
          resolve(true);
        };
        if (sinceReady >= target) progressed();
      });
      if (!reached) stats.progressTimeouts += 1;
      await sleep(random() * 4);
    } else {
      await sleep(random() * MAX_STREAM_MS);
    }
  }

  const fatal = child.reports.find((r) => r.t === 'fatal');
  expect(fatal, `child ${child.pid} failed on its own: ${JSON.stringify(fatal)}`).toBeUndefined();
  expect(child.alive, `child ${child.pid} died on its own: ${child.stderr}`).toBe(true);
  stats.childCpuMs += child.cpuMs() ?? 0;
  const exit = await child.kill();
  expect(exit.signal).toBe('SIGKILL');
  stats.kills += 1;
  stats.lifeMs.push(Date.now() - lifeStart);
  if (!child.reports.some((r) => r.t === 'ready')) stats.killedBeforeReady += 1;
  return mine;
}

/** `kills` lives on one till, in segments of KILLS_PER_JOURNAL on a fresh journal each. */
async function killStream(till: Till, kills: number, random: () => number, stats: Stats): Promise<void> {
  const { sandbox, store } = till;
  let next = heldChild(sandbox);
  try {
    for (let done = 0; done < kills;) {
      await sandbox.reset();
      const journalPath = tempJournalPath();
      const reported = new Map<number, string>();
      let reader: Database.Database | null = null;
      const segmentKills = Math.min(KILLS_PER_JOURNAL, kills - done);

      for (let k = 0; k < segmentKills; k += 1) {
        const child = next;
        await child.waitFor((r) => r.t === 'booted', 30_000, 'booted');
        next = heldChild(sandbox);
        const mine = await life(child, journalPath, random, stats);
        done += 1;
        // Every event the dead child saw committed is still there, byte for byte (its hash).
        if (mine.size > 0) {
          reader ??= rawJournal(journalPath, { readonly: true });
          const onDisk = eventHashes(reader, Math.min(...mine.keys()) - 1);
          const lost = [...mine].filter(([seq, hash]) => onDisk.get(seq) !== hash).map(([seq]) => seq);
          expect(lost, `events reported committed, then gone after kill ${stats.kills}`).toEqual([]);
          for (const [seq, hash] of mine) reported.set(seq, hash);
        }
      }
      reader?.close();

      // Close the segment out: the file, the chain, a last recovery, and the money.
      expect(integrityCheck(journalPath)).toEqual(['ok']);
      const recovered = openTill({ journalPath, sandbox, store });
      try {
        expect(recovered.journal.verifyChain()).toMatchObject({ ok: true });
        await recovered.service.recover();
        const details = await recovered.settle({ expire: true, timeoutMs: 60_000 });
        expect(ledgerAgreement(await sandbox.ledger(), details)).toEqual([]);
        const chain = recovered.journal.verifyChain();
        expect(chain).toMatchObject({ ok: true });
        stats.segments += 1;
        stats.committedRows += chain.ok ? chain.count : 0;
        stats.sales += details.length;
        for (const d of details) {
          stats.bump(stats.states, d.sale.state);
          if (d.sale.state === 'failed') {
            const charges = d.charges.map((c) => c.status).join(',');
            const why = `${d.sale.policy} authorization ${d.sale.authorizationStatus ?? 'none'} charges [${charges}]: ${(d.sale.lastError ?? '').slice(0, 70)}`;
            stats.bump(stats.failed, why);
          }
        }
        stats.refunded += details.filter((d) =>
          d.refunds.some((r) => r.status === 'DONE' || r.status === 'ACCOUNTED'),
        ).length;
      } finally {
        await recovered.close();
      }
      const check = rawJournal(journalPath, { readonly: true });
      const all = eventHashes(check);
      check.close();
      const lost = [...reported].filter(([seq, hash]) => all.get(seq) !== hash).map(([seq]) => seq);
      expect(lost, 'events reported committed, then gone after recovery').toEqual([]);
      stats.reportedRows += reported.size;
      expect(integrityCheck(journalPath)).toEqual(['ok']);
    }
  } finally {
    await next.kill();
  }
}

describe('random SIGKILLs during a stream of sales', () => {
  it(
    `survives ${KILLS} SIGKILLs with no committed row lost and DropPay and the journal agreeing`,
    { timeout: 30 * 60_000 },
    async () => {
      const started = Date.now();
      const cpuStart = process.cpuUsage();
      const stats = new Stats();
      await Promise.all(
        tills.map((till, i) => {
          const share = Math.floor(KILLS / STREAMS) + (i < KILLS % STREAMS ? 1 : 0);
          return killStream(till, share, rng(SEED + i), stats);
        }),
      );

      const cpu = process.cpuUsage(cpuStart);
      console.log(stats.summary((Date.now() - started) / 1000, (cpu.user + cpu.system) / 1e6));
      expect(stats.kills).toBeGreaterThanOrEqual(KILLS);
      // The stream made real progress between kills: money moved, and refunds too.
      expect(stats.states.get('paid') ?? 0).toBeGreaterThan(0);
      expect(stats.refunded).toBeGreaterThan(0);
      expect(stats.reportedRows).toBeGreaterThan(stats.kills);
      // A bug surfaces as INTERNAL; everything else a killed stream sees is expected noise.
      expect([...stats.errors.keys()].filter((k) => k.includes('INTERNAL'))).toEqual([]);
    },
  );
});
