/**
 * What every flow module shares: the journal, the DropPay client, the options, and the
 * machinery around them (per-sale locks, timers, in-flight tracking, events). The service
 * builds one Ctx; the flows are plain functions of it, so each can be read on its own.
 */
import type { DropPayClient } from '../droppay';
import { JournalReadError, JournalWriteError, type Journal, type SaleDetail } from '../journal';
import type { SaleView } from '../../../shared/sales';
import type { SaleEvent } from '../../../shared/sale-events';
import type { CrashPoint, CrashPointName } from './crash-points';
import { notFound, PaymentsError } from './errors';
import { damagedSaleError, saleDamage } from './damage';
import { toSaleView, versionOf } from './views';

export interface Ctx {
  readonly journal: Journal;
  readonly client: DropPayClient;
  readonly pollIntervalMs: number;
  readonly waitingSeconds: number;
  readonly resolveIntervalMs: number;
  /** Where DropPay sends events about the authorizations this run creates, if anywhere. */
  readonly webhookUrl: string | undefined;
  /** How long after it left a POST whose answer was lost may still take effect (in-transit.ts). */
  readonly inTransitMs: number;
  /** The terminal's clock, for business rules (has the waiting time passed?). */
  readonly now: () => Date;
  /** When this run of the service began (epoch ms, `now`): any earlier run had ended by then. */
  readonly startedAt: number;
  /** Real time that only goes forward (ms), for in-transit windows (in-transit.ts). */
  readonly monotonic: () => number;
  /** `monotonic()` when this run began. */
  readonly startedMono: number;
  /**
   * `monotonic()` when this run last gave up on a charge's or refund's POST (by its id): the
   * moment its in-transit window opens, on a clock no wall-clock change can move.
   */
  readonly gaveUp: Map<string, number>;
  /** Ids (sale, charge, refund) with an operation running in this process right now. */
  readonly live: Set<string>;
  crash(name: CrashPointName): void;
  /** Runs `fn` with the sale to itself: a poll, a charge and a cancel never interleave. */
  withSale<T>(saleId: string, fn: () => Promise<T>): Promise<T>;
  /** Emits sale.updated if the sale (or a charge or refund of it) changed since last told. */
  publish(saleId: string): void;
  /**
   * Runs `fn` while a `failed` picture of the sale is not pushed: a charge proven not to have
   * happened, with the next attempt about to follow, must not show "failed" to the customer
   * for a moment. Whatever the sale is when `fn` ends is pushed then.
   */
  retrying<T>(saleId: string, fn: () => Promise<T>): Promise<T>;
  emit(event: SaleEvent): void;
  /** Runs `fn` after `ms`, replacing any timer under the same key. No-op once closed. */
  schedule(key: string, ms: number, fn: () => Promise<void>): void;
  unschedule(key: string): void;
  /** Keeps `promise` on the list close() waits for. */
  track<T>(promise: Promise<T>): Promise<T>;
  isClosed(): boolean;
  /** Starts (or hurries) the poller of a sale waiting for, or granted by, the payer. */
  watch(saleId: string, delayMs?: number): void;
  /** Starts following a charge or refund DropPay has not settled yet. */
  follow(what: 'charge' | 'refund', id: string, delayMs?: number): void;
  view(saleId: string): SaleView;
  log(message: string): void;
}

export interface CtxOptions {
  journal: Journal;
  client: DropPayClient;
  pollIntervalMs: number;
  waitingSeconds: number;
  resolveIntervalMs: number;
  inTransitMs: number;
  now: () => Date;
  monotonic: () => number;
  crashPoint: CrashPoint | undefined;
  log: (message: string) => void;
  webhookUrl?: string | undefined;
}

export interface CtxControl {
  ctx: Ctx;
  listeners: Set<(event: SaleEvent) => void>;
  /** Stops timers and refuses new work. */
  halt(): void;
  /** Waits until nothing tracked is running. */
  drain(): Promise<void>;
  setWatch(fn: (saleId: string, delayMs?: number) => void): void;
  setFollow(fn: (what: 'charge' | 'refund', id: string, delayMs?: number) => void): void;
}

export function detailOrThrow(journal: Journal, saleId: string): SaleDetail {
  const detail = journal.getSaleDetail(saleId);
  if (detail === null) throw notFound('sale', saleId);
  return detail;
}

export function createCtx(options: CtxOptions): CtxControl {
  const listeners = new Set<(event: SaleEvent) => void>();
  const locks = new Map<string, Promise<unknown>>();
  /** Scheduled work by key; each entry cancels its own timer. */
  const timers = new Map<string, () => void>();
  const inflight = new Set<Promise<unknown>>();
  const published = new Map<string, number>();
  const retrying = new Map<string, number>();
  let closed = false;
  let watch: (saleId: string, delayMs?: number) => void = () => undefined;
  let follow: (what: 'charge' | 'refund', id: string, delayMs?: number) => void = () => undefined;

  const halt = (): void => {
    closed = true;
    for (const cancel of timers.values()) cancel();
    timers.clear();
  };

  const emit = (event: SaleEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (err) {
        // A broken listener (a closed window) must not break a payment flow.
        options.log(`payments: event listener failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    const done = (): void => {
      inflight.delete(promise);
    };
    promise.then(done, done);
    return promise;
  };

  const ctx: Ctx = {
    journal: options.journal,
    client: options.client,
    pollIntervalMs: options.pollIntervalMs,
    waitingSeconds: options.waitingSeconds,
    resolveIntervalMs: options.resolveIntervalMs,
    webhookUrl: options.webhookUrl,
    inTransitMs: options.inTransitMs,
    now: options.now,
    startedAt: options.now().getTime(),
    monotonic: options.monotonic,
    startedMono: options.monotonic(),
    gaveUp: new Map(),
    live: new Set(),
    crash(name) {
      try {
        options.crashPoint?.(name);
      } catch (err) {
        // A crash point that throws stands for a crash: stop everything as a dead process would.
        halt();
        throw err;
      }
    },
    withSale(saleId, fn) {
      const previous = locks.get(saleId) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      locks.set(saleId, tail);
      void tail.then(() => {
        if (locks.get(saleId) === tail) locks.delete(saleId);
      });
      return run;
    },
    publish(saleId) {
      const detail = options.journal.getSaleDetail(saleId);
      if (detail === null) return;
      if (detail.sale.state === 'failed' && (retrying.get(saleId) ?? 0) > 0) return;
      const version = versionOf(detail);
      if ((published.get(saleId) ?? 0) >= version) return;
      published.set(saleId, version);
      const damage = saleDamage(detail);
      if (damage !== null) {
        // Never into the flow that recorded the change: its record stands; screens name the sale.
        options.log(`payments: ${saleId}: ${damagedSaleError(detail, damage).message}`);
        return;
      }
      emit({ type: 'sale.updated', sale: toSaleView(detail, options.waitingSeconds) });
    },
    async retrying(saleId, fn) {
      retrying.set(saleId, (retrying.get(saleId) ?? 0) + 1);
      try {
        return await fn();
      } finally {
        const left = (retrying.get(saleId) ?? 1) - 1;
        if (left > 0) retrying.set(saleId, left);
        else retrying.delete(saleId);
        ctx.publish(saleId);
      }
    },
    emit,
    schedule(key, ms, fn) {
      if (closed) return;
      timers.get(key)?.();
      const run = (): void => {
        timers.delete(key);
        if (closed) return;
        void track(
          fn().catch((err: unknown) => {
            options.log(`payments: ${key} failed: ${err instanceof Error ? err.message : String(err)}`);
          }),
        );
      };
      // "Now" (a webhook's hint) runs on the next turn: setTimeout would wait at least 1 ms.
      // Timers alone must not keep a child process (the torture harness) alive.
      if (ms <= 0) {
        const immediate = setImmediate(run).unref();
        timers.set(key, () => clearImmediate(immediate));
      } else {
        const timer = setTimeout(run, ms).unref();
        timers.set(key, () => clearTimeout(timer));
      }
    },
    unschedule(key) {
      timers.get(key)?.();
      timers.delete(key);
    },
    track,
    isClosed: () => closed,
    watch: (saleId, delayMs) => watch(saleId, delayMs),
    follow: (what, id, delayMs) => follow(what, id, delayMs),
    view: (saleId) => toSaleView(detailOrThrow(options.journal, saleId), options.waitingSeconds),
    log: options.log,
  };

  return {
    ctx,
    listeners,
    halt,
    async drain() {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    setWatch(fn) {
      watch = fn;
    },
    setFollow(fn) {
      follow = fn;
    },
  };
}

/**
 * Every journal write of the flows goes through here or recordIntent: a failed write becomes a
 * typed PaymentsError (STORAGE when the disk refused) and the flow stops; a successful one is
 * pushed to the UI at once. This one is for what comes after asking DropPay (an answer, a
 * read-back): when it fails, DropPay may already have acted, so the error says so, and the
 * intent on file has the resolver read it back once the journal writes again.
 */
export function record<T>(ctx: Ctx, saleId: string, write: () => T): T {
  return recordWith(ctx, saleId, write, (err) => {
    if (!(err instanceof JournalWriteError || err instanceof JournalReadError)) {
      return PaymentsError.from(err, saleId);
    }
    return new PaymentsError(
      'STORAGE',
      `The till could not write DropPay's answer to its journal (${err.failure}). DropPay may have ` +
        'acted: do not repeat the operation; the till reads it back once its journal writes again.',
      { cause: err, saleId, detail: { key: 'journal.answerNotWritten' } },
    );
  });
}

/**
 * The intent before a call to DropPay, or a decision the till takes alone (it calls nobody):
 * when it cannot be written, nothing was sent.
 */
export function recordIntent<T>(ctx: Ctx, saleId: string, write: () => T): T {
  return recordWith(ctx, saleId, write, (err) => PaymentsError.from(err, saleId));
}

function recordWith<T>(ctx: Ctx, saleId: string, write: () => T, wrap: (err: unknown) => PaymentsError): T {
  let result: T;
  try {
    result = write();
  } catch (err) {
    throw wrap(err);
  }
  ctx.publish(saleId);
  return result;
}
