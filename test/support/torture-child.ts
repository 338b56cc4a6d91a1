/**
 * The process the torture tests kill. It runs the real payments core (openPayments: the real
 * journal file, the real DropPay client over HTTP to the sandbox the test started, the real
 * keychain) and does what the test asks: single service calls, or an endless stream of sales
 * with the test's process acting as nobody but the killer. It reports every event it knows is
 * committed, by reading the journal file back through a second, read-only connection (which
 * only ever sees committed transactions), so the test can check that no reported row is lost.
 *
 * At the crash point named in its environment it reports `crash` and SIGKILLs itself: no
 * finally block, no exit handler, no flush runs, as in a power cut of the process.
 *
 * Bundled by child-bundle.ts; stdout carries only protocol lines (torture-protocol.ts).
 */
import Database from 'better-sqlite3';
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { openPayments, type CrashPointName, type OpenPayments } from '../../electron/main/payments';
import type { CaptureInput, RefundInput, SaleFilter, StartSaleInput } from '../../shared/sales';
import { keychainFor } from './keychain';
import { failureOf, streamSales } from './torture-stream';
import {
  CHILD_ENV,
  CHILD_METHODS,
  type ChildCommand,
  type ChildMethod,
  type ChildReport,
} from './torture-protocol';

/** Short, as in every test, so lost POSTs are settled within a test's patience. */
const IN_TRANSIT_MS = 300;

function report(r: ChildReport): void {
  // Synchronous: the line is in the pipe before the next statement runs.
  writeSync(1, `${JSON.stringify(r)}\n`);
}

function env(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') throw new Error(`the torture child needs ${name}`);
  return v;
}

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10);
}

// Read from the environment when main() starts.
let journalPath = '';
let baseUrl = '';
let crashAt = '';
let crashNth = 1;
let crashSeen = 0;

function crashPoint(name: CrashPointName): void {
  if (name !== crashAt) return;
  crashSeen += 1;
  if (crashSeen !== crashNth) return;
  report({ t: 'crash', point: name });
  process.kill(process.pid, 'SIGKILL');
}

/** Reports every committed event not reported yet, read through its own connection. */
let reader: Database.Database | null = null;
let lastReported = 0;
function reportCommitted(): void {
  if (reader === null) return;
  const rows = reader
    .prepare<[number], [number, string]>('SELECT seq, hash FROM events WHERE seq > ? ORDER BY seq')
    .raw()
    .all(lastReported);
  if (rows.length === 0) return;
  lastReported = rows[rows.length - 1]?.[0] ?? lastReported;
  report({ t: 'seqs', rows });
}

/**
 * One service call from the test. Arguments arrive as parsed JSON; the service validates them
 * itself (that is part of what runs here), so they are passed on as the types it declares.
 */
function call(p: OpenPayments, method: ChildMethod, args: unknown[]): unknown {
  const { service } = p;
  const [a] = args;
  switch (method) {
    case 'startSale':
      return service.startSale(a as StartSaleInput);
    case 'cancelSale':
      return service.cancelSale(a as string);
    case 'captureSale':
      return service.captureSale(a as CaptureInput);
    case 'refund':
      return service.refund(a as RefundInput);
    case 'getSale':
      return service.getSale(a as string);
    case 'listSales':
      return service.listSales(a as SaleFilter | undefined);
    case 'pending':
      return service.pending();
    case 'notify':
      return service.notify(a as string);
    case 'recover':
      return service.recover();
  }
}

async function main(): Promise<void> {
  journalPath = process.env[CHILD_ENV.journal] ?? '';
  baseUrl = env(CHILD_ENV.baseUrl);
  crashAt = process.env[CHILD_ENV.crashAt] ?? '';
  crashNth = envInt(CHILD_ENV.crashNth, 1);
  const store = keychainFor(baseUrl);
  // A held child does now what any start does before touching state: load the native modules
  // (better-sqlite3 loads its addon on the first connection), the time-zone data (loaded by the
  // first Intl formatter, ~30 ms) and fetch's HTTP stack (loaded on the first request), so the
  // moments that count are spent on the journal and DropPay.
  await import('keytar');
  new Database(':memory:').close();
  new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Rome', hour: '2-digit' }).format(new Date());
  await fetch(`${baseUrl}/_sim/clock`).then(
    (res) => res.arrayBuffer(),
    () => null,
  );
  report({ t: 'booted', ms: performance.now() });

  const commands = createInterface({ input: process.stdin });
  const queue: ChildCommand[] = [];
  let wake: (() => void) | null = null;
  commands.on('line', (line) => {
    queue.push(JSON.parse(line) as ChildCommand);
    wake?.();
  });
  commands.on('close', () => process.exit(0));
  const next = async (): Promise<ChildCommand> => {
    for (;;) {
      const c = queue.shift();
      if (c) return c;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  };

  if (process.env[CHILD_ENV.hold] === '1') {
    for (;;) {
      const c = await next();
      if (c.op !== 'go') continue;
      if (c.journal !== undefined) journalPath = c.journal;
      break;
    }
  }
  if (journalPath === '') throw new Error(`the torture child needs ${CHILD_ENV.journal} or a journal in go`);

  const poll = envInt(CHILD_ENV.pollMs, 5);
  const opening = performance.now();
  const payments = openPayments({
    journalPath,
    baseUrl,
    store,
    pollIntervalMs: poll,
    resolveIntervalMs: envInt(CHILD_ENV.resolveMs, 25),
    inTransitMs: envInt(CHILD_ENV.inTransitMs, IN_TRANSIT_MS),
    crashPoint,
    ...(process.env.TORTURE_TRACE === '1'
      ? { log: (line: string) => process.stderr.write(`${performance.now().toFixed(0)} ${line}\n`) }
      : {}),
    client: {
      timeoutMs: envInt(CHILD_ENV.timeoutMs, 5000),
      retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 },
    },
  });
  reader = new Database(journalPath, { readonly: true, fileMustExist: true });
  reportCommitted();
  payments.service.onEvent(() => reportCommitted());
  setInterval(reportCommitted, 20).unref();

  const recovering = performance.now();
  await payments.service.recover();
  reportCommitted();
  const now = performance.now();
  report({ t: 'ready', ms: now, openMs: recovering - opening, recoverMs: now - recovering });

  for (;;) {
    const command = await next();
    if (command.op === 'stream') {
      void streamSales(payments.service, command.options, {
        baseUrl,
        note: (what, saleId, detail) =>
          report({ t: 'stream', what, saleId, ...(detail === undefined ? {} : { detail }) }),
      }).catch((err: unknown) => report({ t: 'fatal', error: failureOf(err) }));
      continue;
    }
    if (command.op !== 'call') continue;
    const { id, method, args } = command;
    if (!CHILD_METHODS.includes(method)) {
      report({
        t: 'reply',
        id,
        ok: false,
        error: { name: 'Error', code: null, message: `no method ${method}` },
      });
      continue;
    }
    // Each call runs on its own, so a test can ask for a sale while another is in flight.
    void (async () => {
      try {
        const value: unknown = await call(payments, method, args);
        reportCommitted();
        report({ t: 'reply', id, ok: true, value: value ?? null });
      } catch (err) {
        reportCommitted();
        report({ t: 'reply', id, ok: false, error: failureOf(err) });
      }
    })();
  }
}

function start(): void {
  main().catch((err: unknown) => {
    report({ t: 'fatal', error: failureOf(err) });
    process.exit(1);
  });
}

start();
