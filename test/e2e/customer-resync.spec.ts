import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { openCashier, shot } from './fixtures/pages';

// A window over the bridge misses the events pushed while its event stream is down (a
// restarted core, a dropped loopback connection). When the stream comes back it re-reads what
// to show, so neither the customer nor the cashier stares at a stale screen.

let app: TestApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app.close();
});

test('the customer display catches up when its event stream comes back', async ({ browser }) => {
  const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await customer.route('**/events', (route) => route.abort());
  await customer.goto(app.bridge.customerUrl);
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-mode', 'idle');

  // A sale starts while the display hears nothing: it cannot know.
  const sale = await app.call('sale:start', { amount: 730, description: 'Panino' });
  await customer.waitForTimeout(1_000);
  await expect(display).toHaveAttribute('data-mode', 'idle');

  // The stream reconnects (the page retries with a backoff): the display re-reads its state.
  await customer.unroute('**/events');
  await expect(display).toHaveAttribute('data-mode', 'pay', { timeout: 20_000 });
  await expect(customer.getByTestId('customer-amount')).toHaveAttribute('data-cents', '730');
  await shot(customer, 'customer-resynced-it');

  // And from then on it follows events again.
  await app.call('sale:cancel', { saleId: sale.id });
  await expect(display).toHaveAttribute('data-mode', 'result');
  await expect(display).toHaveAttribute('data-outcome', 'cancelled');
  await customer.close();
});

test('the cashier window catches up when its event stream comes back', async ({ page }) => {
  await page.route('**/events', (route) => route.abort());
  // The status bar does not say "connected" while nothing reaches the window.
  await openCashier(page, app, 'core_lost');
  const link = page.getByTestId('connection');
  await expect(link).toHaveText('Cassa non raggiungibile');
  // And what to do if it lasts: a restarted core has a new address.
  await expect(page.getByTestId('core-lost-banner')).toContainText('riapri la pagina dall’indirizzo');
  // One sale at least, so the list has a known length to grow from (read on opening it).
  await app.paidSale(300, 'Caffè');
  const rows = page.getByTestId('history-row');
  await page.getByTestId('nav-history').click();
  await expect(rows.first()).toBeVisible();
  const before = Number(await page.getByTestId('history-total').getAttribute('data-total'));
  await expect(rows).toHaveCount(before);
  const preauthCount = page.getByTestId('nav-preauth').locator('.count');
  await expect(preauthCount).toHaveCount(0);

  // A pre-authorization approved while the window hears nothing: it cannot know.
  const sale = await app.call('sale:start', { amount: 2500, description: 'Noleggio', policy: 'BOOKED' });
  await app.sim.grant(sale.authorizationId ?? '');
  await expect
    .poll(async () => (await app.call('sale:get', { saleId: sale.id })).state, { timeout: 10_000 })
    .toBe('granted');
  await page.waitForTimeout(1_000);
  await expect(rows).toHaveCount(before);
  await expect(preauthCount).toHaveCount(0);

  // The stream reconnects: the history and the open pre-authorizations are read again.
  await page.unroute('**/events');
  await expect(rows).toHaveCount(before + 1, { timeout: 20_000 });
  await expect(link).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('core-lost-banner')).toHaveCount(0);
  await expect(preauthCount).toHaveText('1');
  await expect(page.getByTestId('history-row').first()).toContainText('Noleggio');
});
