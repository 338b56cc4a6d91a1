import { expect, test, type Page } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { expectResult, openCashier, payOnPhone, shot, startSale } from './fixtures/pages';

// QA D5: each DropPay has its own journal. After a switch the sale screen, its tab's news, the
// banner and the lists are the new environment's: a practice payment is never shown as
// "Pagato" under the Production badge. Its own till: the switch restarts the embedded sandbox.

let app: TestApp;

test.beforeAll(async () => {
  app = await startApp();
});

test.afterAll(async () => {
  await app.close();
});

async function switchTo(page: Page, env: 'production' | 'sandbox'): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId(`env-${env}`).check();
  await page.getByTestId('save-environment').click();
  if (env === 'production') await page.getByTestId('production-ok').click();
  await expect(page.getByTestId('environment')).toHaveAttribute('data-env', env);
}

test('switching environment leaves the other one’s last sale behind: a new sale on the sale screen', async ({
  page,
  browser,
}) => {
  await openCashier(page, app);
  const { sharingUrl, saleId } = await startSale(page, { amount: '2,30', description: 'Cornetto' });
  await payOnPhone(browser, sharingUrl, 'approve');
  await expectResult(page, 'paid');

  await switchTo(page, 'production');
  await page.getByTestId('nav-sale').click();
  const screen = page.getByTestId('sale-screen');
  await expect(screen).toHaveAttribute('data-phase', 'entry');
  await expect(page.getByTestId('sale-result')).toHaveCount(0);
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-cents', '');
  await expect(page.getByText('Cornetto')).toHaveCount(0);
  await shot(page, 'environment-switch-production-sale-it');
  await page.getByTestId('nav-history').click();
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`)).toHaveCount(0);

  // Back on the sandbox, the practice sale is in its history, and the sale screen is new.
  await switchTo(page, 'sandbox');
  await page.getByTestId('nav-history').click();
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${saleId}"]`)).toHaveCount(1);
  await page.getByTestId('nav-sale').click();
  await expect(screen).toHaveAttribute('data-phase', 'entry');
});
