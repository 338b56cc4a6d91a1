import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { openCustomer, shot } from './fixtures/pages';
import { startStallingProxy, type StallingProxy } from './fixtures/stalling-proxy';

// A window over the bridge whose event stream goes silent without closing (a half-open
// connection: a laptop woken from sleep, a route that dropped) hears nothing and is never told.
// The bridge sends a heartbeat and names its interval when the stream opens; a page that hears
// no line for three of them drops the stream, opens another and re-reads what it shows.

const HEARTBEAT_MS = 300;
let app: TestApp;
let proxy: StallingProxy;
test.beforeAll(async () => {
  app = await startApp({ heartbeatMs: HEARTBEAT_MS });
  proxy = await startStallingProxy(app.bridge.origin);
});
test.afterAll(async () => {
  await proxy.close();
  await app.close();
});

test('a silent event stream is dropped and opened again, and the customer display catches up', async ({
  browser,
}) => {
  const url = new URL(app.bridge.customerUrl);
  const customer = await openCustomer(browser, `${proxy.origin}${url.pathname}${url.search}${url.hash}`);
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-mode', 'idle');
  await expect.poll(() => proxy.streams()).toBe(1);
  // Heartbeats keep a quiet stream alive: no new one while nothing happens.
  await customer.waitForTimeout(HEARTBEAT_MS * 6);
  expect(proxy.streams()).toBe(1);

  // The stream goes silent, its connection still open; a sale starts meanwhile.
  proxy.stallStreams();
  const sale = await app.call('sale:start', { amount: 1990, description: 'Pizza' });
  // Three heartbeats of silence later the page opens a new stream and re-reads its state.
  await expect.poll(() => proxy.streams(), { timeout: 10_000 }).toBe(2);
  await expect(display).toHaveAttribute('data-mode', 'pay', { timeout: 10_000 });
  await expect(customer.getByTestId('customer-amount')).toHaveAttribute('data-cents', '1990');
  await shot(customer, 'customer-after-silent-stream-it');

  // And it follows events on the new stream.
  await app.call('sale:cancel', { saleId: sale.id });
  await expect(display).toHaveAttribute('data-outcome', 'cancelled');
  await customer.close();
});
