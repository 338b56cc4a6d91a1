/**
 * Shared set-up for the payments integration tests: the real sandbox over HTTP, the real
 * DropPay client, a real journal file in a temp folder, and the real service with short
 * intervals. Every rig is torn down after each test, and its journal's hash chain must verify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { JournalReadError, openJournal, type Journal } from '../../../electron/main/journal/index';
import {
  createPaymentsService,
  type PaymentsService,
  type PaymentsServiceOptions,
} from '../../../electron/main/payments/index';
import type { DropPayClientOptions } from '../../../electron/main/droppay/index';
import type { SaleView } from '../../../shared/sales';
import type { SaleEvent } from '../../../shared/sale-events';
import { ledger, openSandbox, openTill, setFaults, sim, type Sandbox, type Till } from '../droppay/harness';

export { advance, ledger, setFaults, sim } from '../droppay/harness';

type Cleanup = () => Promise<void> | void;
const cleanups: Cleanup[] = [];
const journals: Journal[] = [];

afterEach(async () => {
  for (const j of journals.splice(0)) {
    try {
      // The hash chain must hold after whatever the test did.
      expect(j.verifyChain()).toMatchObject({ ok: true });
    } catch (err) {
      // A handle a restart closed: the newer handle on the same file is checked instead.
      if (!(err instanceof JournalReadError && err.failure === 'CLOSED')) throw err;
    }
  }
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A settable clock for the terminal (the sandbox has its own, moved with /_sim/clock/advance). */
export interface Clock {
  now: () => Date;
  /** Real time that only goes forward (the service's `monotonic`). */
  mono: () => number;
  /** Time passes: both clocks move. */
  shift(seconds: number): void;
  /** The wall clock alone is set forward or back (NTP, a person): real time does not move. */
  jump(seconds: number): void;
}

export function terminalClock(): Clock {
  let passed = 0;
  let jumped = 0;
  return {
    now: () => new Date(Date.now() + passed + jumped),
    mono: () => performance.now() + passed,
    shift: (s) => (passed += s * 1000),
    jump: (s) => (jumped += s * 1000),
  };
}

export interface Rig {
  sandbox: Sandbox;
  till: Till;
  dir: string;
  journalPath: string;
  journal: Journal;
  service: PaymentsService;
  events: SaleEvent[];
  clock: Clock;
  /** A new service (and journal handle) on the same file and sandbox: a restart. */
  restart(options?: Partial<PaymentsServiceOptions>): Promise<void>;
  /** The sale's sale.updated states in order, with repeats collapsed. */
  statesOf(saleId: string): string[];
  postCount(path: string): number;
}

/**
 * The journal's history (its timeline's kinds, in order) of a CHARGEABLE sale the payer
 * approved and the till charged once.
 */
export const CHARGEABLE_HISTORY: readonly string[] = [
  'sale.started',
  'authorization.create.intent',
  'authorization.created',
  'authorization.status',
  'charge.intent',
  'charge.done',
];

/** Short timings; a lost POST may still land for 300 ms (the service's inTransitMs). */
export const FAST = { pollIntervalMs: 20, resolveIntervalMs: 40, inTransitMs: 300 } as const;

export async function openRig(
  options: Partial<PaymentsServiceOptions> & {
    recover?: boolean;
    readOnly?: boolean;
    /** The DropPay client's options, e.g. a short timeout or a network that holds requests. */
    clientOptions?: Partial<DropPayClientOptions>;
  } = {},
): Promise<Rig> {
  const sandbox = await openSandbox();
  cleanups.push(() => sandbox.dispose());
  const { recover = true, readOnly, clientOptions, ...serviceOptions } = options;
  const till = await openTill(sandbox, clientOptions);
  const dir = mkdtempSync(join(tmpdir(), 'droppay-payments-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const journalPath = join(dir, 'journal.sqlite');
  const clock = terminalClock();

  const build = (extra: Partial<PaymentsServiceOptions>) => {
    const journal = openJournal({ path: journalPath, now: clock.now, ...(readOnly ? { readOnly } : {}) });
    journals.push(journal);
    const service = createPaymentsService({
      journal,
      client: till.client,
      now: clock.now,
      monotonic: clock.mono,
      ...FAST,
      ...serviceOptions,
      ...extra,
    });
    cleanups.push(async () => {
      await service.close();
      journal.close();
    });
    return { journal, service };
  };

  const events: SaleEvent[] = [];
  const rig: Rig = {
    sandbox,
    till,
    dir,
    journalPath,
    clock,
    events,
    ...build({}),
    async restart(extra = {}) {
      await rig.service.close();
      rig.journal.close();
      Object.assign(rig, build(extra));
      rig.service.onEvent((e) => events.push(e));
    },
    statesOf(saleId) {
      const states = events.flatMap((e) =>
        e.type === 'sale.updated' && e.sale.id === saleId ? [e.sale.state] : [],
      );
      return states.filter((s, i) => i === 0 || states[i - 1] !== s);
    },
    postCount: (path) => till.counter.count('POST', path),
  };
  rig.service.onEvent((e) => events.push(e));
  if (recover) await rig.service.recover();
  return rig;
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  what: string,
  timeoutMs = 5_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function waitForState(rig: Rig, saleId: string, state: SaleView['state'], timeoutMs?: number) {
  return waitFor(
    () => {
      const sale = rig.service.getSale(saleId);
      return sale.state === state ? sale : null;
    },
    `sale ${saleId} to be ${state} (is ${rig.service.getSale(saleId).state})`,
    timeoutMs,
  );
}

export const grant = (rig: Rig, id: string) => sim(rig.sandbox, 'POST', `/_sim/authorization/${id}/grant`);
export const refuse = (rig: Rig, id: string) => sim(rig.sandbox, 'POST', `/_sim/authorization/${id}/refuse`);
export const revoke = (rig: Rig, id: string) => sim(rig.sandbox, 'POST', `/_sim/authorization/${id}/revoke`);

/** Starts a sale and has the payer approve it; returns the sale once it reaches `state`. */
export async function paidSale(rig: Rig, amount = 1250, description = 'Due caffè e una brioche') {
  const started = await rig.service.startSale({ amount, description });
  await grant(rig, started.authorizationId ?? '');
  return waitForState(rig, started.id, 'paid');
}

/**
 * Runs `before` ahead of the next call of `target[method]` only (e.g. arming a sandbox fault
 * for exactly one POST), and `after` once it settles. The call itself goes to the real client.
 */
export function aroundNextCall<T extends object, K extends keyof T>(
  target: T,
  method: K,
  before: () => Promise<unknown>,
  after: () => Promise<unknown> = () => Promise.resolve(),
): void {
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  let armed = true;
  target[method] = (async (...args: unknown[]) => {
    if (!armed) return original(...args);
    armed = false;
    await before();
    try {
      return await original(...args);
    } finally {
      await after();
    }
  }) as T[K];
}

/** Arms a sandbox fault for the next call of `target[method]` and clears it after. */
export function faultNextCall<T extends object, K extends keyof T>(
  rig: Rig,
  target: T,
  method: K,
  fault: { error_rate?: number; drop_after_commit_rate?: number },
): void {
  aroundNextCall(
    target,
    method,
    () => setFaults(rig.sandbox, fault),
    () => setFaults(rig.sandbox, { error_rate: 0, drop_after_commit_rate: 0 }),
  );
}

export async function ledgerCharges(rig: Rig) {
  return (await ledger(rig.sandbox)).charges;
}
