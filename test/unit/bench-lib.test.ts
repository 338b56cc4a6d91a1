import { describe, expect, it } from 'vitest';
import { atLeast, atMost, renderTable } from '../../bench/lib/report';
import { median, percentile } from '../../bench/lib/timing';

describe('benchmark helpers', () => {
  it('computes nearest-rank percentiles without reordering the input', () => {
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(percentile(values, 95)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(() => percentile([], 50)).toThrow(/empty/);
  });

  it('judges goals in both directions, including the boundary', () => {
    expect(atMost('r', 1.3, 'ratio', 1.3).met).toBe(true);
    expect(atMost('r', 1.31, 'ratio', 1.3).met).toBe(false);
    expect(atLeast('t', 2000, 'req/s', 2000).met).toBe(true);
    expect(atLeast('t', 1999, 'req/s', 2000).met).toBe(false);
  });

  it('renders an aligned table that flags a missed goal', () => {
    const table = renderTable([
      atMost('fast', 1.1, 'ratio', 1.3),
      atLeast('throughput', 1500, 'req/s', 2000),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^benchmark\s+value\s+unit\s+goal\s+met/);
    expect(lines[2]).toMatch(/^fast\s+1\.1\s+ratio\s+≤ 1\.3\s+yes/);
    expect(lines[3]).toMatch(/^throughput\s+1,500\s+req\/s\s+≥ 2000\s+NO/);
  });
});
