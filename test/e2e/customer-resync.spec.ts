import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { shot } from './fixtures/pages';

// The customer display over the bridge misses the events pushed while its event stream is
// down (a restarted core, a dropped loopback connection). When the stream comes back it
// re-reads what to show, so the customer never stares at a stale screen.

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
