/**
 * DropPay's brands (the merchant and store names for the status bar, the customer display and
 * the reports), read in the background. A till often starts before the shop's router: a read
 * that fails is tried again, backing off, until one succeeds, instead of leaving the customer
 * display without the shop's name all day. A till with no credentials yet is not retried: it
 * is read again once they are saved.
 */
import type { DisplayTimers } from './customer-display-contract';

export const IDENTITY_RETRY_MS = 15_000;
export const IDENTITY_RETRY_MAX_MS = 10 * 60_000;

export interface IdentityLoaderDeps {
  /** Reads the brands and hands them on (Session.refreshIdentity). */
  refresh: () => Promise<unknown>;
  /** True for a failure no retry can mend (no credentials yet). */
  final: (error: unknown) => boolean;
  /** Called with each failure, before the retry is scheduled. */
  failed: (error: unknown) => void;
  retryMs?: number;
  maxRetryMs?: number;
  timers?: DisplayTimers;
}

export interface IdentityLoader {
  /** Reads now (a retry waiting is replaced by this read). */
  load(): void;
  /** No more reads or retries. */
  stop(): void;
}

const defaultTimers: DisplayTimers = {
  set: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createIdentityLoader(deps: IdentityLoaderDeps): IdentityLoader {
  const timers = deps.timers ?? defaultTimers;
  const first = deps.retryMs ?? IDENTITY_RETRY_MS;
  const max = deps.maxRetryMs ?? IDENTITY_RETRY_MAX_MS;
  let failures = 0;
  let timer: unknown = null;
  let stopped = false;
  /** Counts reads, so only the latest one's answer schedules anything. */
  let generation = 0;

  const clear = (): void => {
    if (timer !== null) timers.clear(timer);
    timer = null;
  };

  const load = (): void => {
    if (stopped) return;
    clear();
    const mine = ++generation;
    deps.refresh().then(
      () => {
        if (mine === generation) failures = 0;
      },
      (error: unknown) => {
        if (stopped || mine !== generation) return;
        deps.failed(error);
        if (deps.final(error)) return;
        failures += 1;
        timer = timers.set(
          () => {
            timer = null;
            load();
          },
          Math.min(first * 2 ** (failures - 1), max),
        );
      },
    );
  };

  return {
    load,
    stop() {
      stopped = true;
      clear();
    },
  };
}
