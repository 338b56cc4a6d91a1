import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Runs the real Electron app where an Electron binary exists: both windows, real IPC through
// the preload, the embedded sandbox, the real keychain (the private test keyring). On machines
// that install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 there is none, and it is skipped with the
// reason (browser mode covers the same screens in ../sale.spec.ts).

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

/** The window showing one view of the renderer (`#cashier` or `#customer`). */
async function windowFor(app: ElectronApplication, view: 'cashier' | 'customer'): Promise<Page> {
  const until = Date.now() + 20_000;
  for (;;) {
    const found = app.windows().find((w) => w.url().endsWith(`#${view}`));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no ${view} window`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a full sale in the desktop app: Charge, QR on the customer window, approved, paid on both', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-electron-'));
  const app = await electron.launch({
    executablePath: binary ?? undefined,
    args: ['out/main/index.js'],
    env: { ...process.env, DROPPAY_DATA_DIR: dataDir, DROPPAY_ENV: 'sandbox', NODE_ENV: 'test' },
  });
  try {
    const cashier = await windowFor(app, 'cashier');
    const customer = await windowFor(app, 'customer');

    // A shop already set up: skip the first-run wizard, poll fast.
    const setup = await cashier.evaluate(() =>
      window.cashier?.settingsUpdate({ completeFirstRun: true, pollIntervalMs: 250 }),
    );
    expect(setup?.ok).toBe(true);
    await cashier.reload();
    await expect(cashier.getByTestId('connection')).toHaveAttribute('data-state', 'connected', {
      timeout: 20_000,
    });

    // The customer window reaches its display state and nothing else.
    expect(await customer.evaluate(() => window.cashier?.displayState())).toMatchObject({ ok: true });
    expect(await customer.evaluate(() => window.cashier?.settingsGet())).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    const display = customer.getByTestId('customer-display');
    await expect(display).toHaveAttribute('data-mode', 'idle');

    // Charge 1,20 € for a coffee.
    await cashier.getByTestId('description').fill('Caffè');
    await cashier.getByTestId('amount-display').click();
    for (const key of ['1', ',', '2', '0']) await cashier.keyboard.press(key);
    await expect(cashier.getByTestId('amount-display')).toHaveAttribute('data-cents', '120');
    await cashier.getByTestId('charge').click();
    const live = cashier.getByTestId('sale-live');
    await expect(live).toHaveAttribute('data-state', 'waiting');
    const saleId = (await live.getAttribute('data-sale-id')) ?? '';

    // The QR of the sharing link, on the customer's window.
    await expect(display).toHaveAttribute('data-mode', 'pay');
    await expect(customer.getByTestId('customer-amount')).toHaveText('1,20 €');
    const sharingUrl = (await customer.getByTestId('qr-box').getAttribute('data-sharing-url')) ?? '';
    expect(sharingUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    await cashier.screenshot({ path: 'test-results/screens/electron-cashier-waiting.png' });
    await customer.screenshot({ path: 'test-results/screens/electron-customer-pay.png' });

    // The payer approves (the sandbox's control endpoint stands in for the phone).
    const sale = await cashier.evaluate((id) => window.cashier?.saleGet({ saleId: id }), saleId);
    const authorizationId = sale?.ok ? sale.value.authorizationId : null;
    expect(authorizationId).toBeTruthy();
    const granted = await fetch(
      `${new URL(sharingUrl).origin}/_sim/authorization/${authorizationId ?? ''}/grant`,
      { method: 'POST' },
    );
    expect(granted.ok).toBe(true);

    // Paid, on both windows.
    await expect(cashier.getByTestId('sale-result')).toHaveAttribute('data-state', 'paid');
    await expect(display).toHaveAttribute('data-mode', 'result');
    await expect(display).toHaveAttribute('data-outcome', 'approved');
    await cashier.screenshot({ path: 'test-results/screens/electron-cashier-paid.png' });
    await customer.screenshot({ path: 'test-results/screens/electron-customer-approved.png' });

    // End of day through IPC: the report, the check with DropPay, closing the day.
    await cashier.getByTestId('nav-day').click();
    await expect(cashier.getByTestId('day-net')).toHaveText('1,20 €');
    await cashier.getByTestId('day-check-run').click();
    await expect(cashier.getByTestId('day-check-summary')).toHaveAttribute('data-mismatches', '0');
    await cashier.getByTestId('day-close-start').click();
    await cashier.getByTestId('day-close-confirm').click();
    await expect(cashier.getByTestId('day-closure')).toHaveAttribute('data-seq', '1');
    await cashier.screenshot({ path: 'test-results/screens/electron-day-closed.png' });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
