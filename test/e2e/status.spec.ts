import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { openCashier, shot } from './fixtures/pages';

// The real Svelte UI (built renderer) in Debian's Chromium, talking through the loopback bridge
// to the real core: embedded sandbox over HTTP, the real keychain.

let app: TestApp;

test.beforeAll(async () => {
  // DropPay is asked again every 300 ms once it stops answering (15 s in the shop).
  app = await startApp({ reachProbeMs: 300 });
});

test.afterAll(async () => {
  await app.close();
});

test('the cashier sees the terminal connected to the embedded sandbox, in Italian then English', async ({
  page,
}) => {
  await openCashier(page, app);
  const connection = page.getByTestId('connection');
  await expect(connection).toHaveText('Connessa');
  await expect(page.getByTestId('environment')).toHaveAttribute('data-env', 'sandbox');
  await expect(page.getByTestId('status')).toContainText('Bar Sandbox');
  await expect(page.getByTestId('status')).toContainText(app.runtime.sandbox?.credentials.posId ?? 'missing');
  await shot(page, 'status-it');

  await page.getByTestId('language').selectOption('en');
  await expect(connection).toHaveText('Connected');
  await expect(page.getByTestId('nav-settings')).toHaveText('Settings');
  // The names are labelled where a cashier sees them: the account, then the POS.
  await expect(page.getByTestId('status-merchant')).toHaveText('Bar Sandbox');
  const merchantLabel = page.getByTestId('status-merchant').locator('xpath=preceding-sibling::dt');
  await expect(merchantLabel).toHaveText('Merchant');
  // Seen, not only read out: the box of a visually hidden label is 1 px wide.
  expect((await merchantLabel.boundingBox())?.width).toBeGreaterThan(20);
  await expect(page.getByTestId('status-pos').locator('xpath=preceding-sibling::dt')).toHaveText('POS ID');
  await shot(page, 'status-en');
  await page.getByTestId('language').selectOption('it');
  await expect(connection).toHaveText('Connessa');
});

test('a long shop name gives way in the status bar, DropPay’s account name stays whole', async ({ page }) => {
  const before = (await app.call('settings:get')).storeName;
  await app.call('settings:update', {
    storeName: 'Caffetteria Pasticceria Sant’Ambrogio di Porta Vercellina',
  });
  try {
    await openCashier(page, app);
    const merchant = page.getByTestId('status-merchant');
    await expect(merchant).toHaveText('Bar Sandbox');
    const cut = (el: HTMLElement) => el.scrollWidth > el.clientWidth + 1;
    expect(await merchant.evaluate(cut)).toBe(false);
    expect(await merchant.locator('xpath=preceding-sibling::dt').evaluate(cut)).toBe(false);
    // The shop's name is cut, but still says which shop.
    const store = page.getByTestId('status-store');
    expect(await store.evaluate(cut)).toBe(true);
    expect((await store.boundingBox())?.width).toBeGreaterThan(120);
    await shot(page, 'status-long-store-it');
  } finally {
    // A shop never named (the tests' default) cannot be unnamed again: the long name stays.
    if (before) await app.call('settings:update', { storeName: before });
  }
});

test('the status bar says when DropPay stops answering, and when it answers again', async ({ page }) => {
  await openCashier(page, app);
  const link = page.getByTestId('connection');
  await expect(link).toHaveAttribute('data-state', 'connected');
  await expect(link).not.toHaveAttribute('title');
  // Every call to DropPay meets a 503 from now on; the till's next call finds out.
  await app.sim.faults({ error_rate: 1 });
  try {
    await app.call('app:check-connection').catch(() => undefined);
    await expect(link).toHaveAttribute('data-state', 'not_answering');
    // Since when is said in the bar, under the state, for a touch screen that cannot hover.
    await expect(link).toHaveText(/^DropPay non risponde\s*dalle \d{2}:\d{2}:\d{2}$/);
    await expect(page.getByTestId('connection-since')).toHaveText(/^dalle \d{2}:\d{2}:\d{2}$/);
    await expect(link).toHaveAttribute(
      'title',
      /^DropPay non risponde dalle \d{2}:\d{2}:\d{2}: la cassa riprova/,
    );
    await shot(page, 'status-droppay-not-answering-it');
    // The window's own check fails the same way: the status bar says it, not a box as well
    // (it would push the sale screen down).
    const checked = page.waitForResponse((r) => r.url().includes('/ipc/app:check-connection'));
    await page.reload();
    await checked;
    await expect(link).toHaveAttribute('data-state', 'not_answering');
    await expect(page.getByTestId('status-error')).toHaveCount(0);
  } finally {
    await app.sim.faults({});
  }
  // No sale, no click: the till asks again by itself and the bar clears.
  await expect(link).toHaveAttribute('data-state', 'connected', { timeout: 10_000 });
  await expect(link).toHaveText('Connessa');
});

test('the window loads everything it asks for, its icon too: nothing answers 404', async ({ page }) => {
  const missing: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) missing.push(`${response.status()} ${new URL(response.url()).pathname}`);
  });
  await openCashier(page, app);
  const icon = await page.locator('link[rel="icon"]').getAttribute('href');
  expect(icon).toMatch(/\.svg$/);
  const res = await page.request.get(new URL(icon ?? '', page.url()).href);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toBe('image/svg+xml');
  // Nor did anything the page loaded (its scripts, styles, the browser's own icon request).
  expect(missing).toEqual([]);
});

test('the bridge secret leaves the address bar, and the page never holds a DropPay secret', async ({
  page,
}) => {
  await openCashier(page, app);
  expect(page.url()).not.toContain('bridge=');
  const html = await page.content();
  const creds = app.runtime.sandbox?.credentials;
  expect(creds).toBeDefined();
  for (const secret of [creds?.applicationSecret, creds?.connectionCode]) {
    expect(html).not.toContain(secret);
  }
});

test('a page opened without the secret gets no data from the core', async ({ page }) => {
  await page.goto(`${app.bridge.origin}/#cashier`);
  await expect(page.getByTestId('core-error')).toBeVisible();
  // Said as what it is, not as missing DropPay credentials.
  await expect(page.getByTestId('core-error')).toContainText(
    'Questa pagina non è autorizzata a usare la cassa',
  );
  await expect(page.getByTestId('core-error')).not.toContainText('Credenziali DropPay');
  // The detail line in Italian too, not the bridge's English.
  await expect(page.getByTestId('core-error')).toContainText('riaprila dal link di avvio');
  await expect(page.getByTestId('core-error')).not.toContainText('Bridge secret refused');
  await expect(page.getByTestId('status')).toHaveCount(0);
  await shot(page, 'no-secret-it');
});

test('the customer display’s secret opens the display and nothing else', async ({ page }) => {
  await page.goto(app.bridge.customerUrl);
  await expect(page.getByTestId('customer-display')).toHaveAttribute('data-mode', 'idle');
  // Its secret does not open the cashier's channels.
  const refused = await page.evaluate(async () => {
    const secret = sessionStorage.getItem('cashier-bridge') ?? '';
    const res = await fetch('/ipc/sale:list', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cashier-bridge': secret },
      body: JSON.stringify({ input: {} }),
    });
    return res.status;
  });
  expect(refused).toBe(403);
});
