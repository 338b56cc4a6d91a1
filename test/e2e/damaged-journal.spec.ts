import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { damageRowDate } from '../support/journal-file';
import { sharedItalianApp } from './fixtures/app';
import { openCashier, shot } from './fixtures/pages';

// A journal whose record of one sale names a date that does not exist (a flipped digit that
// keeps the column's pattern): the history names that sale and still lists every other one.

const shared = sharedItalianApp();

test('the history names a sale whose stored date does not exist, and shows the others', async ({ page }) => {
  const app = shared();
  const damaged = await app.paidSale(1250, 'Colazione');
  const sound = await app.paidSale(700, 'Spremuta');
  const value = damageRowDate(
    join(app.dataDir, 'sandbox', 'journal.sqlite'),
    'sales',
    damaged.id,
    'created_at',
    (iso) => `${iso.slice(0, 5)}13${iso.slice(7)}`,
  );

  await openCashier(page, app);
  await page.getByTestId('nav-history').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sale-id', sound.id);
  await expect(page.getByTestId('history-total')).toHaveAttribute('data-total', '2');
  const warning = page.getByTestId('history-damaged-sale');
  await expect(warning).toHaveCount(1);
  await expect(warning).toHaveAttribute('data-sale-id', damaged.id);
  await expect(warning).toContainText(`La vendita ${damaged.merchantRef} non si può mostrare`);
  await expect(warning).toContainText(`«${value}»`);
  await expect(page.getByTestId('history-error')).toBeHidden();
  await shot(page, 'history-damaged-sale-it');

  // A search that leaves it out shows no warning.
  await page.getByTestId('history-search').fill(sound.merchantRef);
  await expect(warning).toHaveCount(0);
  await expect(rows).toHaveCount(1);

  await page.getByTestId('history-search').fill('');
  await expect(warning).toHaveCount(1);
  await page.getByTestId('language').selectOption('en');
  await expect(warning).toContainText(`Sale ${damaged.merchantRef} cannot be shown`);
  await expect(warning).toContainText(`“${value}”`);
});
