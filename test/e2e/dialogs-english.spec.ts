import { expect, test, type Locator, type Page } from '@playwright/test';
import { en } from '../../renderer/src/i18n/en';
import { it as italian } from '../../renderer/src/i18n/it';
import { startApp, type TestApp } from './fixtures/app';
import { openCashier, shot, typeAmount } from './fixtures/pages';

// Every dialog the cashier meets, with the till in English: its words are the English ones,
// and no Italian sentence is left in it (the other specs go through them in Italian). Its own
// till: the Production question switches the environment, and a PIN is set.

let app: TestApp;

test.beforeAll(async () => {
  app = await startApp();
  await app.call('settings:update', { language: 'en', storeName: 'Corner Café' });
});

test.afterAll(async () => {
  await app.close();
});

/**
 * The Italian texts a dialog in English must not show: each Italian string that differs from
 * the English one, cut at its parameters, in pieces long enough to be a sentence of its own
 * and found in no English string.
 */
const ITALIAN_ONLY: string[] = (() => {
  const english = Object.values(en);
  const pieces = new Set<string>();
  for (const [key, value] of Object.entries(italian)) {
    if (en[key as keyof typeof en] === value) continue;
    for (const piece of value.split(/\{[^}]+\}/)) {
      const words = piece.trim();
      if (words.length >= 10 && !english.some((e) => e.includes(words))) pieces.add(words);
    }
  }
  return [...pieces];
})();

async function expectEnglish(dialog: Locator): Promise<void> {
  await expect(dialog).toBeVisible();
  const text = await dialog.innerText();
  expect(ITALIAN_ONLY.filter((piece) => text.includes(piece))).toEqual([]);
  // Neither a message key left untranslated ("refund.title").
  expect(text).not.toMatch(/\b[a-z]+\.[a-z]+[A-Z]?[a-zA-Z]*\b/);
}

const say = (key: keyof typeof en, values: Record<string, string> = {}): string =>
  Object.entries(values).reduce((text, [name, value]) => text.replace(`{${name}}`, value), en[key]);

async function openHistorySale(page: Page, description: string): Promise<void> {
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-search').fill(description);
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await page.getByTestId('history-row').getByTestId('history-open').click();
  await expect(page.getByTestId('sale-detail')).toBeVisible();
}

test('the large amount, refund, Production, leaving-settings and unlock dialogs speak English only', async ({
  page,
}) => {
  expect(ITALIAN_ONLY.length).toBeGreaterThan(100);
  await openCashier(page, app);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // A large amount is asked once more.
  await page.getByTestId('description').fill('Two pizzas');
  await typeAmount(page, '1250');
  await page.keyboard.press('Enter');
  const large = page.getByTestId('confirm-large');
  await expectEnglish(large);
  await expect(large).toContainText(say('sale.confirmTitle'));
  await expect(page.getByTestId('confirm-amount')).toHaveText('€1,250.00');
  await expect(page.getByTestId('confirm-charge')).toHaveText(
    say('sale.confirmCharge', { amount: '€1,250.00' }),
  );
  await shot(page, 'dialog-confirm-large-en');
  await page.getByTestId('confirm-edit').click();
  await expect(large).toHaveCount(0);

  // The refund dialog, with a refusal worded in English too.
  await app.paidSale(2000, 'Lunch for two');
  await openHistorySale(page, 'Lunch for two');
  await page.getByTestId('refund-open').click();
  const refund = page.getByTestId('refund-dialog');
  await expectEnglish(refund);
  await expect(refund).toContainText(say('refund.title'));
  await expect(refund.getByTestId('refund-remaining')).toHaveText('€20.00');
  await expect(refund.getByTestId('refund-submit')).toHaveText(say('refund.submit', { amount: '€20.00' }));
  await refund.getByTestId('refund-submit').click();
  await expect(refund).toContainText(say('refund.reasonRequired'));
  await expectEnglish(refund);
  await shot(page, 'dialog-refund-en');
  await page.keyboard.press('Escape');
  await expect(refund).toHaveCount(0);

  // Production: real money from then on, asked first.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('env-production').check();
  await page.getByTestId('save-environment').click();
  const production = page.getByTestId('production-confirm');
  await expectEnglish(production);
  await expect(production).toContainText(say('prod.title'));
  await shot(page, 'dialog-production-en');
  await page.getByTestId('production-cancel').click();
  await expect(production).toHaveCount(0);
  expect((await app.call('settings:get')).environment).toBe('sandbox');
  await page.getByTestId('env-sandbox').check();

  // Leaving the settings with an edit not saved.
  await page.getByTestId('settings-store-name').fill('Corner Café & Bar');
  await page.getByTestId('nav-sale').click();
  const leave = page.getByTestId('leave-dialog');
  await expectEnglish(leave);
  await expect(leave).toContainText(say('leave.title'));
  await shot(page, 'dialog-leave-settings-en');
  await leave.getByTestId('leave-discard').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();

  // With a manager PIN, the guarded settings ask for it; a wrong one is said in English.
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('pin-new').fill('2580');
  await page.getByTestId('pin-confirm').fill('2580');
  await page.getByTestId('pin-save').click();
  await expect(page.getByTestId('pin-saved')).toBeVisible();
  await page.getByTestId('nav-sale').click();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-lock')).toHaveAttribute('data-locked', 'true');
  await page.getByTestId('settings-lock-toggle').click();
  const unlock = page.getByTestId('unlock-dialog');
  await expectEnglish(unlock);
  await expect(unlock).toContainText(say('lock.title'));
  await unlock.getByTestId('unlock-pin').fill('1111');
  await unlock.getByTestId('unlock-pin').press('Enter');
  await expect(unlock.getByTestId('unlock-error')).toHaveAttribute('data-code', 'PIN_WRONG');
  await expectEnglish(unlock);
  await expect(unlock.getByTestId('unlock-error')).toContainText('4 tries left');
  await shot(page, 'dialog-unlock-wrong-en');
});
