import { describe, expect, it } from 'vitest';
import { createIdentityLoader } from '../../../electron/main/app/identity-loader';

/** Timers the test fires by hand, remembering each delay asked for. */
function handTimers() {
  const pending = new Map<number, () => void>();
  const delays: number[] = [];
  let next = 1;
  return {
    delays,
    pending,
    set(callback: () => void, ms: number): unknown {
      delays.push(ms);
      const id = next++;
      pending.set(id, callback);
      return id;
    },
    clear(handle: unknown): void {
      pending.delete(handle as number);
    },
    fire(): void {
      const [id, callback] = [...pending.entries()][0] ?? [];
      if (id === undefined || !callback) throw new Error('no timer is waiting');
      pending.delete(id);
      callback();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the brands read in the background', () => {
  it('tries again after a failure, backing off up to a ceiling, until a read succeeds', async () => {
    const timers = handTimers();
    const answers = [false, false, false, false, true];
    let reads = 0;
    const failures: unknown[] = [];
    const loader = createIdentityLoader({
      refresh: () => (answers[reads++] ? Promise.resolve() : Promise.reject(new Error('unreachable'))),
      final: () => false,
      failed: (e) => failures.push(e),
      retryMs: 100,
      maxRetryMs: 500,
      timers,
    });
    loader.load();
    for (let i = 0; i < 4; i++) {
      await settle();
      timers.fire();
    }
    await settle();
    expect(reads).toBe(5);
    expect(failures).toHaveLength(4);
    expect(timers.delays).toEqual([100, 200, 400, 500]);
    // Read: nothing more is scheduled.
    expect(timers.pending.size).toBe(0);
  });

  it('does not retry a till with no credentials, and a new load replaces a retry waiting', async () => {
    const timers = handTimers();
    let reads = 0;
    let configured = false;
    const loader = createIdentityLoader({
      refresh: () => {
        reads += 1;
        return Promise.reject(new Error(configured ? 'unreachable' : 'not configured'));
      },
      final: (e) => (e as Error).message === 'not configured',
      failed: () => undefined,
      retryMs: 100,
      timers,
    });
    loader.load();
    await settle();
    expect(timers.pending.size).toBe(0);
    configured = true;
    loader.load(); // credentials saved
    await settle();
    expect(timers.pending.size).toBe(1);
    loader.load();
    await settle();
    expect(timers.pending.size).toBe(1);
    expect(reads).toBe(3);
    loader.stop();
    expect(timers.pending.size).toBe(0);
    loader.load();
    expect(reads).toBe(3);
  });
});
