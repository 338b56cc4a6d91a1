#!/usr/bin/env node
// `npm start`: builds the app and starts it on the embedded DropPay sandbox (unless production
// credentials are configured). With an Electron binary it opens the desktop app; without one
// (machines that install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it runs the same core and UI in
// browser mode and prints the address to open.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const run = (cmd, args, env = process.env) => spawn(cmd, args, { stdio: 'inherit', cwd: root, env });

const build = spawnSync(bin('electron-vite'), ['build'], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

function findElectron() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

// npm's allowScripts keeps Electron's download out of `npm ci` (so installing never fails on a
// machine without internet); the binary is fetched here, on the first start, where possible.
let electronPath = findElectron();
if (!electronPath && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !process.argv.includes('--browser')) {
  console.log('Fetching the Electron binary (first start)…');
  const fetched = spawnSync(process.execPath, [join(root, 'node_modules/electron/install.js')], {
    stdio: 'ignore',
    cwd: root,
    timeout: 10 * 60_000,
  });
  electronPath = fetched.status === 0 ? findElectron() : null;
}

if (electronPath && !process.argv.includes('--browser')) {
  const child = run(electronPath, ['.']);
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!electronPath)
    console.log('No Electron binary here (it could not be downloaded): starting in browser mode.');
  const cli = [
    bin('tsx'),
    join(root, 'electron/main/bridge/cli.ts'),
    ...process.argv.slice(2).filter((a) => a !== '--browser'),
  ];
  // Without a desktop session there is no Secret Service to keep the credentials in: use a
  // private, temporary keyring for this run (the sandbox re-provisions its credentials).
  const needsKeyring = process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS;
  if (needsKeyring) {
    console.log('No desktop keychain (D-Bus session) found: using a temporary keyring for this run.');
    // The keyring wrapper swaps HOME, so fix the data folder first (Linux rule of
    // electron/main/app/data-dir.ts).
    const configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
    const dataDir = process.env.DROPPAY_DATA_DIR || join(configHome, 'DropPay Cashier', 'data');
    const env = { ...process.env, DROPPAY_DATA_DIR: dataDir };
    const child = run('dbus-run-session', ['--', join(root, 'scripts/with-keyring.sh'), ...cli], env);
    child.on('exit', (code) => process.exit(code ?? 0));
  } else {
    const child = run(cli[0], cli.slice(1));
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}
