import { expect, test } from '@playwright/test';
import { startSandbox, type RunningSandbox } from '../../electron/main/sandbox';

// The sandbox's payer page is what a customer sees after scanning the QR on a phone: driven
// here in a real Chromium at a phone's viewport, against the real sandbox over HTTP.

let sandbox: RunningSandbox;
let token: string;

test.beforeAll(async () => {
  sandbox = await startSandbox();
  const c = sandbox.credentials;
  const res = await fetch(`${sandbox.baseUrl}/oa2/v1/ac/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      code: c.connectionCode,
      client_id: c.applicationKey,
      client_secret: c.applicationSecret,
      scope: 'app',
    }),
  });
  expect(res.status).toBe(200);
  token = ((await res.json()) as { access_token: string }).access_token;
});

test.afterAll(async () => {
  await sandbox.close();
});

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

async function createAuthorization(
  amount: number,
  description: string,
): Promise<{ id: string; sharing: string }> {
  const res = await fetch(`${sandbox.baseUrl}/shop/v1/pos/authorization`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ pos_id: sandbox.credentials.posId, description, charge_amount: amount }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sharing: string };
}

async function authorizationStatus(id: string): Promise<string> {
  const res = await fetch(`${sandbox.baseUrl}/shop/v1/pos/authorization/${id}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as { status: string }).status;
}

test('the payer approves with a PIN and the authorization is granted', async ({ page }) => {
  const auth = await createAuthorization(12.34, 'Cappuccino e cornetto');
  await page.goto(auth.sharing);
  await expect(page.getByText('Cappuccino e cornetto')).toBeVisible();
  await expect(page.locator('body')).toContainText('12,34');
  await page.screenshot({ path: 'test-results/screens/payer-page-waiting.png' });
  await page.locator('#pin').fill('12345');
  await page.locator('#approve').click();
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'GRANTED');
  await page.screenshot({ path: 'test-results/screens/payer-page-granted.png' });
  expect(await authorizationStatus(auth.id)).toBe('GRANTED');
});

test('a wrong PIN does not grant', async ({ page }) => {
  const auth = await createAuthorization(5, 'Acqua');
  await page.goto(auth.sharing);
  await page.locator('#pin').fill('12');
  await page.locator('#approve').click();
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'WAITING');
  expect(await authorizationStatus(auth.id)).toBe('WAITING');
});

test('the payer declines and the authorization is refused', async ({ page }) => {
  const auth = await createAuthorization(7.5, 'Panino');
  await page.goto(auth.sharing);
  await page.locator('#decline').click();
  await expect(page.locator('#status')).toHaveAttribute('data-status', 'REFUSED');
  expect(await authorizationStatus(auth.id)).toBe('REFUSED');
});

test('text from the merchant is escaped, never run as markup', async ({ page }) => {
  const auth = await createAuthorization(1, '<img src=x onerror="document.title=\'pwned\'">Bibita');
  await page.goto(auth.sharing);
  await expect(page.locator('body')).toContainText('<img src=x');
  expect(await page.title()).not.toBe('pwned');
  expect(await page.locator('img[src="x"]').count()).toBe(0);
});
