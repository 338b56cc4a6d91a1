import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../electron/main/sandbox/faults';

function sequence(seed: number, n: number) {
  const f = new FaultInjector();
  f.configure({ latency_ms: 0, error_rate: 0.3, drop_after_commit_rate: 0.2, seed, methods: [] });
  return Array.from({ length: n }, () => f.draw('GET'));
}

describe('fault injector', () => {
  it('is reproducible for a seed and different across seeds', () => {
    expect(sequence(42, 50)).toEqual(sequence(42, 50));
    expect(sequence(42, 50)).not.toEqual(sequence(43, 50));
  });

  it('hits roughly the configured rates', () => {
    const draws = sequence(1, 5000);
    const errors = draws.filter((d) => d.error).length / draws.length;
    const drops = draws.filter((d) => d.drop).length / draws.length;
    expect(errors).toBeGreaterThan(0.27);
    expect(errors).toBeLessThan(0.33);
    expect(drops).toBeGreaterThan(0.17);
    expect(drops).toBeLessThan(0.23);
  });

  it('never faults with rates of zero', () => {
    const f = new FaultInjector();
    expect(Array.from({ length: 100 }, () => f.draw('POST')).some((d) => d.error || d.drop)).toBe(false);
  });

  it('applies to the methods named only, and those alone draw from the sequence', () => {
    const f = new FaultInjector();
    f.configure({
      latency_ms: 40,
      error_rate: 0.3,
      drop_after_commit_rate: 0.2,
      seed: 42,
      methods: ['POST'],
    });
    const draws = Array.from({ length: 50 }, (_, i) => [
      f.draw('GET'),
      f.draw(i % 2 === 0 ? 'post' : 'POST'),
    ]);
    expect(draws.map(([get]) => get)).toEqual(draws.map(() => ({ latencyMs: 0, error: false, drop: false })));
    // The POSTs meet the same faults as the first 50 draws of the seed on every method.
    expect(draws.map(([, post]) => post)).toEqual(sequence(42, 50).map((d) => ({ ...d, latencyMs: 40 })));
  });
});
