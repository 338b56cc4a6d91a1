/** Median of a list of numbers (the list is copied, not sorted in place). */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** Times `fn` `count` times in sequence and returns each duration in milliseconds. */
export async function timeEach(count: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn(i);
    out.push(performance.now() - start);
  }
  return out;
}

/**
 * Runs `fn` from `concurrency` loops for `durationMs` and returns completed calls per second.
 * Any failed call aborts the measurement: a throughput made of errors means nothing.
 */
export async function throughput(
  durationMs: number,
  concurrency: number,
  fn: () => Promise<unknown>,
): Promise<number> {
  let done = 0;
  const deadline = performance.now() + durationMs;
  const start = performance.now();
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await fn();
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return done / ((performance.now() - start) / 1000);
}
