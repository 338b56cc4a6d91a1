import { expect, test } from '@playwright/test';
import { defaultStoreFor } from '../../electron/main/app/target';
import {
  CredentialStoreError,
  type CredentialKey,
  type CredentialStore,
} from '../../electron/main/credentials';
import { startApp, type TestApp } from './fixtures/app';
import { openCashier, shot } from './fixtures/pages';

// The OS keychain stops answering reads in the middle of the day (its service gone, an unlock
// prompt nobody answers): the settings screen still saves what is not a credential, and says
// the credentials cannot be read instead of calling them missing.

let app: TestApp;
/** While true, every read of the real keychain fails as a vanished Secret Service does. */
let readsFail = false;

/** The real keychain, with its reads switched off on demand. */
function failingReads(store: CredentialStore): CredentialStore {
  const gone = (): Promise<never> =>
    Promise.reject(
      new CredentialStoreError(
        'KEYCHAIN_UNAVAILABLE',
        'The OS keychain is not available (test: reads fail).',
      ),
    );
  return {
    get: (key: CredentialKey) => (readsFail ? gone() : store.get(key)),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
    clear: () => store.clear(),
  };
}

test.use({ locale: 'it-IT' });

test.beforeAll(async () => {
  app = await startApp({ storeFor: (environment) => failingReads(defaultStoreFor(environment)) });
});

test.afterAll(async () => {
  readsFail = false;
  await app.close();
});

test('with the keychain unreadable, the store settings still save, and the credentials read "cannot be read now"', async ({
  page,
}) => {
  await openCashier(page, app);
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('cred-state-applicationKey')).toHaveAttribute('data-configured', 'true');
  await expect(page.getByTestId('cred-unreadable')).toHaveCount(0);

  readsFail = true;
  try {
    await page.getByTestId('settings-store-name').fill('Bar del Porto');
    await page.getByTestId('settings-save').first().click();
    await expect(page.getByTestId('store-saved')).toBeVisible();
    await expect(page.getByTestId('settings-error')).toHaveCount(0);
    await expect(page.getByTestId('cred-unreadable')).toContainText('portachiavi');
    for (const key of ['applicationKey', 'applicationSecret', 'connectionCode', 'posId']) {
      await expect(page.getByTestId(`cred-state-${key}`)).toHaveAttribute('data-configured', 'unknown');
      await expect(page.getByTestId(`cred-state-${key}`)).toHaveText('Non leggibile ora');
    }
    expect((await app.call('settings:get')).storeName).toBe('Bar del Porto');
    await shot(page, 'settings-keychain-unreadable-it');
  } finally {
    readsFail = false;
  }

  // The keychain answers again: opening the settings again shows what is set.
  await page.getByTestId('nav-sale').click();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('cred-unreadable')).toHaveCount(0);
  await expect(page.getByTestId('cred-state-connectionCode')).toHaveAttribute('data-configured', 'true');
});
