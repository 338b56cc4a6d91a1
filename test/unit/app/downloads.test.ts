import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveChoice } from '../../../electron/main/app/downloads';

describe('saveChoice: what the Electron shell lets a window save', () => {
  it('offers a save dialog for the end-of-day exports, in the downloads folder', () => {
    expect(saveChoice('blob:file:///8c1e', 'droppay-day-2026-11-22-it.csv', '/home/a/Downloads')).toEqual({
      defaultPath: join('/home/a/Downloads', 'droppay-day-2026-11-22-it.csv'),
      filters: [{ name: 'CSV', extensions: ['csv'] }],
    });
    expect(saveChoice('blob:null/1', 'droppay-day-2026-11-22-en.pdf', '/d')?.filters).toEqual([
      { name: 'PDF', extensions: ['pdf'] },
    ]);
  });

  it('refuses anything that is not one of our own blob files', () => {
    expect(saveChoice('https://example.com/x.csv', 'x.csv', '/d')).toBeNull();
    expect(saveChoice('data:text/csv,a', 'x.csv', '/d')).toBeNull();
    expect(saveChoice('blob:file:///1', 'run.exe', '/d')).toBeNull();
    expect(saveChoice('blob:file:///1', 'a b.csv', '/d')).toBeNull();
    // A name with a path is cut to its last part, never a path outside the folder.
    expect(saveChoice('blob:file:///1', '../../etc/report.csv', '/d')?.defaultPath).toBe(
      join('/d', 'report.csv'),
    );
  });
});
