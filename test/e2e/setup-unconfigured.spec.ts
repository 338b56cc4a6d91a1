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
  // On the sandbox the status bar names the DropPay account and the POS, each with its label.
  await expect(page.getByTestId('status-merchant')).toHaveText('Bar Sandbox');
  await page.getByTestId('env-production').check();
  const save = page.getByTestId('save-environment');
  await save.click();
  // Real money from then on: asked first, in the app, saying what becomes of the practice sales.
  const confirm = page.getByTestId('production-confirm');
  await expect(confirm).toContainText('Passare a Produzione?');
  await expect(page.getByTestId('production-money')).toContainText('la cassa incassa denaro vero');
  await expect(page.getByTestId('production-history')).toContainText(
    'restano nel registro di «Sandbox (prova)», non compaiono nello storico né nella chiusura di giornata di Produzione',
  );
  await expect(page.getByTestId('production-cancel')).toBeFocused();
  await shot(page, 'setup-2-production-confirm-it');
  // Escape keeps the sandbox: nothing switched, the focus back on Save.
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(save).toBeFocused();
  expect((await app.call('settings:get')).environment).toBe('sandbox');
  await expect(page.getByTestId('environment')).toHaveAttribute('data-env', 'sandbox');
  await save.click();
  await page.getByTestId('production-ok').click();
  await expect.poll(async () => (await app.call('app:status')).connection).toBe('not_configured');
  // Its Save button gone with the edit, the focus is on the choice in force, not lost to the page.
  await expect(page.getByTestId('env-production')).toBeFocused();
  // Nothing known of the merchant yet: the status bar says so in words, not with a dash.
  const bar = page.getByTestId('status');
  await expect(page.getByTestId('environment')).toHaveAttribute('data-env', 'production');
  await expect(page.getByTestId('status-merchant')).toHaveText('non ancora collegato');
  await expect(page.getByTestId('status-pos')).toHaveText('non impostato');
  await expect(bar).toContainText('Esercente');
  await expect(bar).toContainText('ID POS');
  await expect(bar).not.toContainText('—');
  await shot(page, 'status-production-not-configured-it');
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
