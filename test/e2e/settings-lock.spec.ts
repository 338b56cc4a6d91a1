import { expect, test } from '@playwright/test';
import { sharedItalianApp, startApp } from './fixtures/app';
import { openCashier, shot } from './fixtures/pages';

// QA C28: with a manager PIN set, the settings that decide where the money goes and how the day
// is counted are read-only until unlocked with the PIN, and lock again when Settings is left.

const shared = sharedItalianApp();

test('manager PIN: the guarded settings lock on leaving, unlock with the PIN (a wrong one counted), and lock again', async ({
  page,
}) => {
  const app = shared();
  await openCashier(page, app);
  await page.getByTestId('nav-settings').click();
  // No PIN yet: nothing is locked, and no lock is shown.
  await expect(page.getByTestId('settings-lock')).toHaveCount(0);
  await page.getByTestId('pin-new').fill('2580');
  await page.getByTestId('pin-confirm').fill('2580');
  await page.getByTestId('pin-save').click();
  await expect(page.getByTestId('pin-saved')).toBeVisible();
  // Whoever just chose the PIN goes on unlocked.
  await expect(page.getByTestId('settings-lock')).toHaveAttribute('data-locked', 'false');
  await expect(page.getByTestId('settings-confirm-from')).toBeEditable();

  // Leave and come back: locked.
  await page.getByTestId('nav-sale').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
  await page.getByTestId('nav-settings').click();
  const lock = page.getByTestId('settings-lock');
  await expect(lock).toHaveAttribute('data-locked', 'true');
  await expect(page.getByTestId('settings-lock-state')).toContainText(
    'Bloccate: inserisci il PIN del responsabile',
  );
  const threshold = page.getByTestId('settings-confirm-from');
  await expect(threshold).not.toBeEditable();
  await expect(threshold).toHaveAccessibleDescription(/serve il PIN del responsabile/);
  // It does not look like a field that takes typing, unlike the free store name (QA G6).
  await expect(threshold).toHaveCSS('border-top-style', 'dashed');
  await expect(page.getByTestId('settings-store-name')).not.toHaveCSS('border-top-style', 'dashed');
  await expect(page.getByTestId('settings-time-zone')).toBeDisabled();
  await expect(page.getByTestId('settings-cutoff')).toBeDisabled();
  await expect(page.getByTestId('env-production')).toBeDisabled();
  await expect(page.getByTestId('backup-folder')).not.toBeEditable();
  await expect(page.getByTestId('backup-save-folder')).toBeDisabled();
  // The free ones stay free.
  await expect(page.getByTestId('settings-store-name')).toBeEditable();
  await expect(page.getByTestId('settings-language')).toBeEnabled();
  await expect(page.getByTestId('backup-now')).toBeEnabled();
  expect((await app.call('settings:get')).settingsLocked).toBe(true);
  await shot(page, 'settings-locked-it');

  // A wrong PIN: refused, said with the tries left (refunds' count), the field emptied and focused.
  const toggle = page.getByTestId('settings-lock-toggle');
  await toggle.click();
  const dialog = page.getByTestId('unlock-dialog');
  const pin = dialog.getByTestId('unlock-pin');
  await expect(pin).toBeFocused();
  await pin.fill('1111');
  await pin.press('Enter');
  const error = dialog.getByTestId('unlock-error');
  await expect(error).toHaveAttribute('data-code', 'PIN_WRONG');
  await expect(error).toContainText('ancora 4 tentativi prima del blocco');
  await expect(pin).toHaveValue('');
  await expect(pin).toBeFocused();
  await expect(pin).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'settings-unlock-wrong-it');
  // The right one: the dialog closes, the focus is back on the button, which now locks.
  await pin.fill('2580');
  await dialog.getByTestId('unlock-confirm').click();
  await expect(dialog).toHaveCount(0);
  await expect(lock).toHaveAttribute('data-locked', 'false');
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveText('Blocca ora');

  // The threshold changes now.
  await expect(threshold).toBeEditable();
  await threshold.fill('25,00');
  // The store name (free) is saved with it: this shop had none yet.
  await page.getByTestId('settings-store-name').fill('Bar Chiave');
  await page.getByTestId('settings-save').click();
  await expect(page.getByTestId('store-saved')).toBeVisible();
  expect((await app.call('settings:get')).confirmFromCents).toBe(2_500);

  // Leaving locks again, in the core too.
  await page.getByTestId('nav-sale').click();
  await expect(page.getByTestId('sale-screen')).toBeVisible();
  await expect.poll(async () => (await app.call('settings:get')).settingsLocked).toBe(true);
  await page.getByTestId('nav-settings').click();
  await expect(lock).toHaveAttribute('data-locked', 'true');
  await expect(threshold).not.toBeEditable();
  await expect(threshold).toHaveValue('25,00');
});

test('an unlock that runs out while Settings is open locks the screen by itself', async ({ page }) => {
  const app = await startApp({ settingsUnlockMs: 4_000 });
  try {
    await openCashier(page, app);
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('pin-new').fill('2580');
    await page.getByTestId('pin-confirm').fill('2580');
    await page.getByTestId('pin-save').click();
    await expect(page.getByTestId('pin-saved')).toBeVisible();
    const lock = page.getByTestId('settings-lock');
    await expect(lock).toHaveAttribute('data-locked', 'false');
    await expect(page.getByTestId('settings-confirm-from')).toBeEditable();
    // Nobody touches anything: the core's unlock ends, and the screen says so without a save.
    await expect(lock).toHaveAttribute('data-locked', 'true', { timeout: 10_000 });
    await expect(page.getByTestId('settings-confirm-from')).not.toBeEditable();
    expect((await app.call('settings:get')).settingsLocked).toBe(true);
    // The PIN opens it again, for the same time.
    await page.getByTestId('settings-lock-toggle').click();
    const pin = page.getByTestId('unlock-dialog').getByTestId('unlock-pin');
    await pin.fill('2580');
    await pin.press('Enter');
    await expect(lock).toHaveAttribute('data-locked', 'false');
  } finally {
    await app.close();
  }
});
