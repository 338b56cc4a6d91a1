/** Retry tuning. Attempts count the first try: maxAttempts 4 means at most 3 retries. */
export interface RetryOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4_000 };

/**
 * "Full jitter" backoff: a uniform delay in [0, min(cap, base·2^retry)). Spreads the retries of
 * many tills hitting the same outage instead of having them stampede back in lockstep.
 * `retry` is 0 for the wait after the first failed attempt.
 */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}

export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
