/**
 * What the Electron shell lets a window save. The only downloads the app makes are the
 * end-of-day exports, which the renderer builds as blob: URLs of files main produced; anything
 * else (a link to a remote file, a data: URL) is refused. Plain Node, so it is tested as such.
 */
import { basename, extname, join } from 'node:path';

export interface SaveChoice {
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
}

const KINDS: Record<string, string> = { '.csv': 'CSV', '.pdf': 'PDF', '.json': 'JSON' };

/** The save dialog for a download, or null when the app does not save such a thing. */
export function saveChoice(url: string, suggestedName: string, downloadsDir: string): SaveChoice | null {
  if (!url.startsWith('blob:')) return null;
  const name = basename(suggestedName);
  const ext = extname(name).toLowerCase();
  const kind = KINDS[ext];
  if (!kind || !/^[\w.-]+$/.test(name)) return null;
  return { defaultPath: join(downloadsDir, name), filters: [{ name: kind, extensions: [ext.slice(1)] }] };
}
