import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../../../electron/main/journal';
import { buildDayReport, type DayReport } from '../../../electron/main/reconciliation';
import { chargedSale, clock, tempDir } from './harness';
import { pdfText } from './pdf-text';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'electron/main/reconciliation/cli.ts');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function report(args: string[]) {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'buffer', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/**
 * The folder's files and their hashes. A read-only SQLite connection to a WAL journal may leave
 * an empty -wal and a -shm index behind (SQLite's own bookkeeping, rebuilt on the next open);
 * the journal file itself must not change by a byte, and the -wal must hold nothing.
 */
function snapshot(dir: string): Record<string, string> {
  const files = readdirSync(dir).filter((f) => !f.endsWith('-shm'));
  return Object.fromEntries(
    files
      .filter((f) => !(f.endsWith('-wal') && statSync(join(dir, f)).size === 0))
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  );
}

/** A data folder whose journal says: store "Bar Centrale", cut-off 04:00. */
function dataDir(): string {
  const dir = tempDir();
  const c = clock('2026-05-04T10:00:00.000Z');
  const j = openJournal({ path: join(dir, 'journal.sqlite'), now: c.now });
  j.setSetting('store.name', 'Bar Centrale');
  j.setSetting('business.cutoff_hour', '4');
  j.close();
  const k = openJournal({ path: join(dir, 'journal.sqlite'), now: c.now, cutoffHour: 4 });
  chargedSale(k, 1234, 'DONE');
  c.set('2026-05-05T01:30:00.000Z'); // 03:30 on the 5th: still business day 4 with cut-off 04:00
  chargedSale(k, 100, 'DONE');
  chargedSale(k, 55, 'FAILED');
  k.close();
  return dir;
}

describe('npm run report (the command line)', () => {
  it('prints the JSON report, with the cut-off and store name from the journal, and never writes', () => {
    const dir = dataDir();
    const before = snapshot(dir);
    const r = report(['--day', '2026-05-04', '--format', 'json', '--data-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout.toString('utf8')) as DayReport;
    expect(json).toMatchObject({ day: '2026-05-04', cutoffHour: 4, storeName: 'Bar Centrale' });
    expect(json.totals).toEqual({ chargedCents: 1334, refundedCents: 0, netCents: 1334 });
    expect(snapshot(dir)).toEqual(before);
    const j = openJournal({ path: join(dir, 'journal.sqlite'), cutoffHour: 4 });
    try {
      const direct = buildDayReport(j, '2026-05-04');
      expect({ ...json, generatedAt: '' }).toEqual({ ...direct, generatedAt: '' });
    } finally {
      j.close();
    }
  });

  it('writes CSV with semicolons and decimal commas, and a PDF, to --out', async () => {
    const dir = dataDir();
    const out = tempDir();
    const csv = report([
      '--day',
      '2026-05-04',
      '--format',
      'csv',
      '--separator',
      'semicolon',
      '--out',
      join(out, 'g.csv'),
      '--data-dir',
      dir,
    ]);
    expect([csv.status, csv.stderr]).toEqual([0, '']);
    const text = readFileSync(join(out, 'g.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('tipo;ora_locale');
    expect(text).toContain(';12,34;12,34;');
    expect(text).toContain('2026-05-05 03:30:00');
    const pdf = report([
      '--day',
      '2026-05-04',
      '--format',
      'pdf',
      '--out',
      join(out, 'g.pdf'),
      '--data-dir',
      dir,
    ]);
    expect([pdf.status, pdf.stderr]).toEqual([0, '']);
    const read = await pdfText(readFileSync(join(out, 'g.pdf')));
    expect(read.text).toContain('13,34 €');
    expect(read.text).toContain('Bar Centrale');
  });

  it('explains wrong usage (exit 2) and a missing journal (exit 1)', () => {
    const dir = dataDir();
    expect(report(['--day', '2026-05-04', '--format', 'xml', '--data-dir', dir])).toMatchObject({
      status: 2,
    });
    const bad = report(['--day', '04/05/2026', '--data-dir', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/INVALID_DAY/);
    expect(report(['--bogus'])).toMatchObject({ status: 2 });
    const missing = report(['--day', '2026-05-04', '--data-dir', join(dir, 'nope')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/CANNOT_OPEN/);
  });
});
