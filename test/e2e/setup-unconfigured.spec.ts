import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { CASHIER_VIEWPORT, shot } from './fixtures/pages';

// A first run that chooses Production and enters no credentials: its own till, because an
// environment switch restarts the embedded sandbox the other specs' fixtures talk to.

let app: TestApp;

test.beforeAll(async () => {
  app = await startApp({ firstRun: true });
});

test.afterAll(async () => {
  await app.close();
});

test('the wizard does not open a till with no DropPay to take payments from, and says what to do', async ({
  page,
}) => {
  await page.setViewportSize(CASHIER_VIEWPORT);
  await page.goto(app.bridge.url);
  const setup = page.getByTestId('setup');
  await page.getByTestId('settings-store-name').fill('Caffè Centrale');
  await page.getByTestId('setup-next').click();
  await expect(setup).toHaveAttribute('data-step', '2');
  await page.getByTestId('env-production').check();
  await page.getByTestId('save-environment').click();
  await expect.poll(async () => (await app.call('app:status')).connection).toBe('not_configured');
  await page.getByTestId('setup-next').click();
  await expect(setup).toHaveAttribute('data-step', '3');
  await page.getByTestId('setup-finish').click();
  await expect(page.getByTestId('setup-not-configured')).toContainText('DropPay non è ancora configurato');
  await expect(setup).toHaveAttribute('data-step', '3');
  await shot(page, 'setup-3-not-configured-it');
  expect((await app.call('settings:get')).firstRun).toBe(true);

  // Back to the sandbox: the till opens.
  await page.getByTestId('setup-back').click();
  await page.getByTestId('env-sandbox').check();
  await page.getByTestId('save-environment').click();
  await expect.poll(async () => (await app.call('app:status')).connection).toBe('connected');
  await page.getByTestId('setup-next').click();
  await page.getByTestId('setup-finish').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
  expect((await app.call('settings:get')).firstRun).toBe(false);
});
