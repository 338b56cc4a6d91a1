import { expect, test, type Page } from '@playwright/test';
import { MAX_CENTS } from '../../shared/money';
import { sharedItalianApp } from './fixtures/app';
import { openCashier, openCustomer, shot, startSale } from './fixtures/pages';

// What the customer display must never do: show an amount other than the one to pay, keep a
// QR up that nobody should approve any more (a cancel under way, the payer's time up).

const shared = sharedItalianApp();

/**
 * The amount's box ends left of the QR's and shows all of its text, once the layout has settled
 * after a resize (the amount's size is fitted to the space on the frame after it).
 */
async function expectAmountBesideQr(customer: Page): Promise<void> {
  const amount = customer.getByTestId('customer-amount');
  await expect
    .poll(async () => {
      const a = await amount.boundingBox();
      const q = await customer.getByTestId('qr-box').boundingBox();
      if (!a || !q) return 'the amount or the QR is not on screen';
      if (a.x + a.width > q.x) return `the amount ends at ${a.x + a.width}, the QR starts at ${q.x}`;
      const clipped = await amount.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      return clipped ? 'the amount is clipped' : 'fits';
    })
    .toBe('fits');
}

test('the largest amount fits beside the QR, on a full screen and on the fallback window', async ({
  browser,
}) => {
  const app = shared();
  const sale = await app.call('sale:start', { amount: MAX_CENTS, description: 'Auto usata' });
  const customer = await openCustomer(browser, app);
  await expect(customer.getByTestId('customer-amount')).toHaveText('1.000.000,00 €');
  for (const viewport of [
    { width: 1024, height: 768 },
    { width: 800, height: 600 },
    { width: 1920, height: 1080 },
  ]) {
    await customer.setViewportSize(viewport);
    await expectAmountBesideQr(customer);
  }
  await shot(customer, 'customer-largest-amount-800x600-it');
  await app.call('sale:cancel', { saleId: sale.id });
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-outcome', 'cancelled');
  // Called off at the till: the customer is told nothing was taken, not sent to ask.
  await expect(customer.getByTestId('customer-outcome-sub')).toHaveText('Nessun importo è stato addebitato.');
  await customer.close();
});

test('a long description leaves the steps and the time left on the screen', async ({ browser }) => {
  const app = shared();
  const description = `Menu degustazione ${'con abbinamento vini e dessert della casa '.repeat(12)}`.slice(
    0,
    500,
  );
  const sale = await app.call('sale:start', { amount: 8900, description });
  const customer = await openCustomer(browser, app);
  await expect(customer.getByTestId('qr-box')).toBeVisible();
  const timer = customer.getByRole('timer');
  await expect(timer).toBeVisible();
  const box = await timer.boundingBox();
  expect(box && box.y + box.height).toBeLessThanOrEqual(800);
  // Nothing below the screen's edge to scroll to.
  expect(await customer.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(800);
  await shot(customer, 'customer-long-description-it');
  await app.call('sale:cancel', { saleId: sale.id });
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-outcome', 'cancelled');
  await customer.close();
});

test('in an 800×600 window, a pre-authorization with a long description and shop name keeps the time left on screen (QA D8)', async ({
  browser,
}) => {
  const app = shared();
  const before = (await app.call('settings:get')).storeName;
  await app.call('settings:update', { storeName: 'Trattoria e Pizzeria Da Gennaro al Porto Vecchio' });
  const description =
    'Pranzo di nozze per 250 invitati, menu completo con antipasti, primi, secondi, dolci e vini della casa — saldo finale';
  const customer = await browser.newPage({ viewport: { width: 800, height: 600 } });
  try {
    await customer.goto(app.bridge.customerUrl);
    const sale = await app.call('sale:start', { amount: 99_999_999, description, policy: 'BOOKED' });
    await expect(customer.getByTestId('qr-box')).toBeVisible();
    await expect(customer.getByTestId('customer-reserve-note')).toBeVisible();
    const timer = customer.getByRole('timer');
    await expect(timer).toBeVisible();
    // The description gives way, line by line, until nothing is below the screen's edge.
    await expect
      .poll(() => customer.evaluate(() => document.documentElement.scrollHeight))
      .toBeLessThanOrEqual(600);
    const box = await timer.boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(600);
    await shot(customer, 'customer-800x600-booked-long-it');
    // On a full screen the same sale shows the description again.
    await customer.setViewportSize({ width: 1280, height: 800 });
    await expect(customer.getByTestId('customer-description')).toBeVisible();
    expect(await customer.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(800);
    await app.call('sale:cancel', { saleId: sale.id });
    await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-outcome', 'cancelled');
  } finally {
    await customer.close();
    if (before) await app.call('settings:update', { storeName: before });
  }
});

test('the QR goes when the payer’s time is up, even before the till hears it from DropPay', async ({
  browser,
}) => {
  const app = shared();
  const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await customer.clock.install();
  await customer.goto(app.bridge.customerUrl);
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-mode', 'idle');
  const sale = await app.call('sale:start', { amount: 1890, description: 'Pranzo' });
  await expect(customer.getByTestId('qr-box')).toBeVisible();
  // Past the waiting time on the customer's clock; DropPay (the sandbox's clock) has not moved.
  await customer.clock.fastForward(Date.parse(sale.waitingExpiresAt) - Date.now() + 1_000);
  await expect(customer.getByTestId('customer-time-up')).toBeVisible();
  await expect(customer.getByTestId('qr-box')).toHaveCount(0);
  await expect(customer.getByTestId('customer-time-up')).toContainText('Tempo scaduto');
  await shot(customer, 'customer-time-up-it');
  await app.call('sale:cancel', { saleId: sale.id });
  await customer.close();
});

test('the QR goes as soon as the cashier cancels, while DropPay is still answering', async ({
  page,
  browser,
}) => {
  const app = shared();
  await openCashier(page, app);
  const customer = await openCustomer(browser, app);
  await startSale(page, { amount: '7,50', description: 'Cornetto' });
  await expect(customer.getByTestId('qr-box')).toBeVisible();
  // DropPay is slow: the cancel's DELETE takes a while to be answered.
  await app.sim.faults({ latency_ms: 1_500 });
  try {
    await page.getByTestId('cancel-sale').click();
    await expect(customer.getByTestId('customer-cancelling')).toBeVisible();
    await expect(customer.getByTestId('qr-box')).toHaveCount(0);
    await expect(customer.getByTestId('customer-cancelling')).toContainText('Annullamento del pagamento');
    // The till's own copy of the QR goes too, and its screen no longer says to scan it.
    await expect(page.getByTestId('cashier-qr')).toHaveCount(0);
    await expect(page.getByTestId('live-status')).toContainText('il QR è ritirato');
    await shot(customer, 'customer-cancelling-it');
    await shot(page, 'cashier-cancelling-it');
    await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-outcome', 'cancelled', {
      timeout: 10_000,
    });
  } finally {
    await app.sim.faults({});
  }
  // No "thank you" for a payment that did not happen: back to idle.
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-mode', 'idle', {
    timeout: 10_000,
  });
  await customer.close();
});

test('with its event stream down, the display stops vouching for a QR, and comes back with the stream', async ({
  browser,
}) => {
  const app = shared();
  const sale = await app.call('sale:start', { amount: 640, description: 'Tramezzino' });
  const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await customer.route('**/events', (route) => route.abort());
  await customer.goto(app.bridge.customerUrl);
  const display = customer.getByTestId('customer-display');
  // Read once on opening; nothing pushed can reach it now.
  await expect(customer.getByTestId('qr-box')).toBeVisible();
  await expect(display).toHaveAttribute('data-mode', 'offline', { timeout: 15_000 });
  await expect(customer.getByTestId('qr-box')).toHaveCount(0);
  await expect(display).toContainText('Display in attesa della cassa');
  await customer.unroute('**/events');
  await expect(display).toHaveAttribute('data-mode', 'pay', { timeout: 20_000 });
  await app.call('sale:cancel', { saleId: sale.id });
  await expect(display).toHaveAttribute('data-outcome', 'cancelled');
  await customer.close();
});

test('a display whose secret the bridge refuses (a core restarted) stops vouching for its QR', async ({
  browser,
}) => {
  const app = shared();
  const sale = await app.call('sale:start', { amount: 350, description: 'Succo' });
  const customer = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await customer.route('**/events', (route) => route.fulfill({ status: 403, body: 'refused' }));
  await customer.goto(app.bridge.customerUrl);
  await expect(customer.getByTestId('qr-box')).toBeVisible();
  await expect(customer.getByTestId('customer-display')).toHaveAttribute('data-mode', 'offline', {
    timeout: 15_000,
  });
  await expect(customer.getByTestId('qr-box')).toHaveCount(0);
  await app.call('sale:cancel', { saleId: sale.id });
  await customer.close();
});
