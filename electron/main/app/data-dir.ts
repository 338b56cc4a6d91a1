import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the app keeps its data when Electron is not there to say (browser mode, command-line
 * tools): the same folder Electron's `userData` points to for "DropPay Cashier", plus `data`.
 * DROPPAY_DATA_DIR overrides it.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const explicit = env['DROPPAY_DATA_DIR'];
  if (explicit) return explicit;
  const home = homedir();
  const base =
    platform === 'win32'
      ? (env['APPDATA'] ?? join(home, 'AppData', 'Roaming'))
      : platform === 'darwin'
        ? join(home, 'Library', 'Application Support')
        : (env['XDG_CONFIG_HOME'] ?? join(home, '.config'));
  return join(base, 'DropPay Cashier', 'data');
}
