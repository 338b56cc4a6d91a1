/** Temporary folders for journals, removed by `removeTemps` (call it in afterAll). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dirs: string[] = [];

export function tempDir(prefix = 'droppay-torture-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function tempJournalPath(): string {
  return join(tempDir(), 'journal.sqlite');
}

export function removeTemps(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
