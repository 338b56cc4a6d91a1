import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the real Electron app where an Electron binary exists. On machines that install with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 there is none, and these specs are skipped with the reason.

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const skipReason = 'no Electron binary on this machine (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1)';
if (!binary) console.log(`Electron specs skipped: ${skipReason}`);

test.skip(!binary, skipReason);

test('the app starts on the embedded sandbox and reports the connection', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['out/main/index.js'],
    env: { ...process.env, DROPPAY_DATA_DIR: dataDir, NODE_ENV: 'test' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByTestId('connection')).toHaveAttribute('data-state', 'connected', {
      timeout: 20_000,
    });
    await window.screenshot({ path: 'test-results/screens/electron-status.png' });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
