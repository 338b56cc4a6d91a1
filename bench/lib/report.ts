/** One row of the benchmark table. */
export interface BenchRow {
  name: string;
  /** The measured figure, already in `unit`. */
  value: number;
  unit: string;
  /** The goal as text, e.g. "≤ 1.3" or "≥ 2000". */
  goal: string;
  /** Whether the figure meets the goal. */
  met: boolean;
  /** Extra context: the raw figures a ratio was computed from. */
  detail?: string;
}

/** A goal of the form "value must stay at or below `max`". */
export function atMost(name: string, value: number, unit: string, max: number, detail?: string): BenchRow {
  return { name, value, unit, goal: `≤ ${max}`, met: value <= max, ...(detail ? { detail } : {}) };
}

/** A goal of the form "value must reach at least `min`". */
export function atLeast(name: string, value: number, unit: string, min: number, detail?: string): BenchRow {
  return { name, value, unit, goal: `≥ ${min}`, met: value >= min, ...(detail ? { detail } : {}) };
}

function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 3 : 1 });
}

/** Renders rows as a fixed-width text table (what `npm run bench` prints). */
export function renderTable(rows: BenchRow[]): string {
  const header = ['benchmark', 'value', 'unit', 'goal', 'met', 'detail'];
  const body = rows.map((r) => [
    r.name,
    format(r.value),
    r.unit,
    r.goal,
    r.met ? 'yes' : 'NO',
    r.detail ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
