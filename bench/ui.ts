import { chromium, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dispatch } from '../electron/main/app/dispatch';
import { createHandlers } from '../electron/main/app/handlers';
import { createRuntime } from '../electron/main/app/runtime';
import { startBridge } from '../electron/main/bridge/server';
import {
  MemoryCredentialStore,
  type CredentialEnvironment,
  type CredentialStore,
} from '../electron/main/credentials';
import { atMost, type BenchRow } from './lib/report';
import { median, percentile } from './lib/timing';

const SALES = 30;
const WARMUP = 3;
/** Raw create-authorization calls per sale, interleaved with the sales. */
const RAW_PER_SALE = 5;
const BUNDLE_GOAL_KB = 150;
const RENDERER = resolve('out/renderer');

/** The same flags as playwright.config.ts: Debian's Chromium, no network reach. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

declare global {
  interface Window {
    benchClickAt?: number;
    benchQrAt?: number;
  }
}

function ensureRenderer(): void {
  if (existsSync(join(RENDERER, 'index.html'))) return;
  const built = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`electron-vite build failed (${built.status ?? 'signal'})`);
}

/** Wall-clock time with sub-millisecond precision, comparable across the two pages. */
function installProbes(cashier: Page, customer: Page): Promise<unknown> {
  return Promise.all([
    cashier.evaluate(() => {
      document.addEventListener(
        'click',
        (event) => {
          if ((event.target as Element | null)?.closest('[data-testid="charge"]')) {
            window.benchClickAt = performance.timeOrigin + performance.now();
          }
        },
        true,
      );
    }),
    // A string, not a function: tsx's keep-names helper (__name) does not exist in the page.
    customer.evaluate(`(() => {
      const check = () => {
        if (window.benchQrAt !== 0) return;
        const img = document.querySelector('img[data-testid="qr"]');
        if (img && img.getBoundingClientRect().width > 0) {
          window.benchQrAt = performance.timeOrigin + performance.now();
        }
      };
      new MutationObserver(check).observe(document.body, { childList: true, subtree: true, attributes: true });
    })()`),
  ]);
}

function bundleRow(): BenchRow {
  const dir = join(RENDERER, 'assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    const data = readFileSync(join(dir, f));
    raw += data.length;
    gz += gzipSync(data, { level: 9 }).length;
  }
  return atMost(
    'renderer bundle (gzip -9, js + css)',
    Math.round((gz / 1024) * 10) / 10,
    'KB',
    BUNDLE_GOAL_KB,
    `${files.length} files, ${(raw / 1024).toFixed(1)} KB before gzip`,
  );
}

/**
 * Charge click to QR on the customer display: the real core (runtime in sandbox mode on a temp
 * data folder, the embedded sandbox, the real journal) behind the loopback bridge, the cashier
 * and the customer display in two Debian Chromium pages. The click and the QR's appearance are
 * time-stamped inside the pages (no automation round trips in the figure). Baseline: a bare
 * fetch POST of the create-authorization call to the same embedded sandbox, in the same run.
 */
async function chargeToQrRow(): Promise<BenchRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-bench-ui-'));
  // The bench runs outside the test keyring: an in-memory credential store instead of the OS
  // keychain. A bench measures speed, not the keychain.
  const stores = new Map<CredentialEnvironment, CredentialStore>();
  const storeFor = (env: CredentialEnvironment): CredentialStore => {
    let store = stores.get(env);
    if (!store) stores.set(env, (store = new MemoryCredentialStore()));
    return store;
  };
  const runtime = await createRuntime({
    dataDir,
    env: { DROPPAY_ENV: 'sandbox' },
    storeFor,
    log: () => undefined,
    // Result and thank-you screens pass quickly, so the display is idle before the next sale.
    displayTimers: {
      set: (callback, ms) => setTimeout(callback, ms / 50),
      clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  });
  const handlers = createHandlers(runtime);
  const bridge = await startBridge({ handlers, rendererDir: RENDERER, events: runtime.events });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    const settled = await dispatch(handlers, 'settings:update', { completeFirstRun: true });
    if (!settled.ok) throw new Error(`settings:update: ${settled.error.message}`);
    const sandbox = runtime.sandbox;
    if (!sandbox) throw new Error('the bench runs on the embedded sandbox');

    const tokenRes = await fetch(`${sandbox.baseUrl}/oa2/v1/ac/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: sandbox.credentials.connectionCode,
        client_id: sandbox.credentials.applicationKey,
        client_secret: sandbox.credentials.applicationSecret,
        scope: 'app',
      }),
    });
    if (tokenRes.status !== 200) throw new Error(`token: HTTP ${tokenRes.status}`);
    const bearer = ((await tokenRes.json()) as { access_token: string }).access_token;
    const createBody = JSON.stringify({
      pos_id: sandbox.credentials.posId,
      description: 'Bench',
      charge_amount: 12.5,
    });
    const rawCreate = async (): Promise<number> => {
      const start = performance.now();
      const res = await fetch(`${sandbox.baseUrl}/shop/v1/pos/authorization`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
        body: createBody,
      });
      if (res.status !== 201) throw new Error(`create: HTTP ${res.status}`);
      await res.json();
      return performance.now() - start;
    };

    const cashier = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await customer.goto(bridge.customerUrl);
    await customer.getByTestId('customer-display').waitFor();
    await cashier.goto(bridge.url);
    await cashier.locator('[data-testid="connection"][data-state="connected"]').waitFor({ timeout: 15_000 });
    await installProbes(cashier, customer);

    const oneSale = async (): Promise<{ inPage: number; viaDriver: number }> => {
      await cashier.locator('[data-testid="sale-screen"][data-phase="entry"]').waitFor();
      await customer.getByTestId('qr').waitFor({ state: 'detached' });
      await cashier.getByTestId('amount-display').click();
      for (const key of ['1', '2', ',', '5', '0']) await cashier.keyboard.press(key);
      await cashier.locator('[data-testid="amount-display"][data-cents="1250"]').waitFor();
      await cashier.evaluate(() => (window.benchClickAt = 0));
      await customer.evaluate(() => (window.benchQrAt = 0));
      const start = performance.now();
      await cashier.getByTestId('charge').click();
      await customer.getByTestId('qr').waitFor({ state: 'visible' });
      const viaDriver = performance.now() - start;
      const clickAt = await cashier.evaluate(() => window.benchClickAt ?? 0);
      const qrAt = await customer.evaluate(() => window.benchQrAt ?? 0);
      if (!clickAt || !qrAt) throw new Error('a probe did not fire');
      // End the sale before the next: cancel, then back to a new sale.
      await cashier.getByTestId('cancel-sale').click();
      await cashier.getByTestId('new-sale').click();
      return { inPage: qrAt - clickAt, viaDriver };
    };

    for (let i = 0; i < WARMUP; i++) {
      await oneSale();
      await rawCreate();
    }
    const ui: number[] = [];
    const driver: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < SALES; i++) {
      const { inPage, viaDriver } = await oneSale();
      ui.push(inPage);
      driver.push(viaDriver);
      for (let k = 0; k < RAW_PER_SALE; k++) raw.push(await rawCreate());
    }
    const uiP50 = median(ui);
    const rawP50 = median(raw);
    return atMost(
      'Charge click → QR on customer display (UI / raw create)',
      uiP50 / rawP50,
      'ratio',
      1.5,
      `UI p50 ${uiP50.toFixed(1)} ms, p95 ${percentile(ui, 95).toFixed(1)} ms (in-page stamps; ` +
        `as seen by playwright p50 ${median(driver).toFixed(1)} ms) over ${SALES} sales vs raw create ` +
        `p50 ${rawP50.toFixed(2)} ms, p95 ${percentile(raw, 95).toFixed(2)} ms over ${raw.length} calls`,
    );
  } finally {
    await browser.close();
    await bridge.close();
    await runtime.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function uiBenches(): Promise<BenchRow[]> {
  ensureRenderer();
  const row = await chargeToQrRow();
  return [row, bundleRow()];
}
