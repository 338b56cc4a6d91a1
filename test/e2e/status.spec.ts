import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHandlers } from '../../electron/main/app/handlers';
import { createRuntime, type Runtime } from '../../electron/main/app/runtime';
import { startBridge, type RunningBridge } from '../../electron/main/bridge/server';

// The real Svelte UI (built renderer) in Debian's Chromium, talking through the loopback bridge
// to the real core: embedded sandbox over HTTP, the real keychain.

let runtime: Runtime;
let bridge: RunningBridge;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'droppay-e2e-'));
  runtime = await createRuntime({ dataDir, env: { DROPPAY_ENV: 'sandbox' } });
  bridge = await startBridge({ handlers: createHandlers(runtime), rendererDir: resolve('out/renderer') });
});

test.afterAll(async () => {
  await bridge.close();
  await runtime.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the cashier sees the terminal connected to the embedded sandbox, in Italian then English', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(bridge.url);
  const connection = page.getByTestId('connection');
  await expect(connection).toHaveAttribute('data-state', 'connected');
  await expect(connection).toHaveText('Connessa');
  await expect(page.getByTestId('status')).toContainText('Bar Sandbox');
  await expect(page.getByTestId('status')).toContainText(runtime.sandbox?.credentials.posId ?? 'missing');
  await page.screenshot({ path: 'test-results/screens/status-it.png' });

  await page.getByTestId('language').selectOption('en');
  await expect(connection).toHaveText('Connected');
  await expect(page.getByRole('button')).toHaveText('Check connection');
  await page.screenshot({ path: 'test-results/screens/status-en.png' });
});

test('the bridge secret leaves the address bar, and the page never holds a DropPay secret', async ({
  page,
}) => {
  await page.goto(bridge.url);
  await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'connected');
  expect(page.url()).not.toContain('bridge=');
  const html = await page.content();
  const creds = runtime.sandbox?.credentials;
  expect(creds).toBeDefined();
  for (const secret of [creds?.applicationSecret, creds?.connectionCode]) {
    expect(html).not.toContain(secret);
  }
});

test('a page opened without the secret gets no data from the core', async ({ page }) => {
  await page.goto(`${bridge.origin}/#cashier`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('status')).toHaveCount(0);
});
