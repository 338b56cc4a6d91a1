import { expect, test, type Locator, type Page } from '@playwright/test';
import { sharedItalianApp } from './fixtures/app';
import {
  CASHIER_VIEWPORT,
  expectResult,
  openCashier,
  shot,
  SMALL_TILL_VIEWPORT,
  startSale,
  typeAmount,
} from './fixtures/pages';

// The till's smallest screen, 1024×768 (QA C32): with everything the sale screen can show at
// once (today's day already closed, an outcome in doubt in the banner, a large amount's
// second look) the tabs, the banner and the confirm buttons stay on screen; what does not fit
// scrolls inside the content area, never the page, and never sideways.

const app = sharedItalianApp();

/** Wholly inside the viewport (1024×768 unless the test set another). */
async function expectOnScreen(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const box = await locator.boundingBox();
  if (!box) throw new Error('no box');
  const viewport = locator.page().viewportSize() ?? CASHIER_VIEWPORT;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
}

/** Nothing drawn over it: the point at its middle belongs to it (once the screen settles). */
async function expectUncovered(locator: Locator): Promise<void> {
  const mine = (): Promise<boolean> =>
    locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return hit !== null && el.contains(hit);
    });
  await expect.poll(mine).toBe(true);
}

/** A finger's width: every button on screen at least 44 px both ways. */
async function expectTouchTargets(page: Page): Promise<void> {
  const small = await page.locator('button:visible').evaluateAll((buttons) =>
    buttons
      .map((b) => ({
        id: b.getAttribute('data-testid') ?? b.textContent?.trim(),
        r: b.getBoundingClientRect(),
      }))
      .filter(({ r }) => r.width > 0 && (r.width < 44 || r.height < 44))
      .map(({ id, r }) => `${id} ${Math.round(r.width)}×${Math.round(r.height)}`),
  );
  expect(small).toEqual([]);
}

/** The page itself neither scrolls down nor sideways: the content area does. */
async function expectNoPageScroll(page: Page): Promise<void> {
  const sizes = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    scrollHeight: document.documentElement.scrollHeight,
    clientHeight: document.documentElement.clientHeight,
  }));
  expect(sizes.scrollWidth).toBeLessThanOrEqual(sizes.clientWidth);
  expect(sizes.scrollHeight).toBeLessThanOrEqual(sizes.clientHeight);
}

async function expectShell(page: Page): Promise<void> {
  for (const tab of ['sale', 'history', 'preauth', 'day', 'settings']) {
    await expectOnScreen(page.getByTestId(`nav-${tab}`));
  }
  await expectOnScreen(page.getByTestId('pending-banner'));
  await expectNoPageScroll(page);
}

/** DropPay creates the authorization, then the answer is lost: an outcome nobody knows. */
async function outcomeInDoubt(): Promise<void> {
  await app().sim.faults({ drop_after_commit_rate: 1 });
  const lost = await app().call('sale:start', { amount: 420, description: 'Rete instabile' });
  expect(lost.state).toBe('unknown');
  await app().sim.faults({});
}

test('day closed, an outcome in doubt and a large amount all fit at 1024×768', async ({ page }) => {
  // An empty day closes without a check: today is closed before anything happens.
  const today = await app().call('day:report', {});
  await app().call('day:close', { day: today.day });
  await outcomeInDoubt();

  await openCashier(page, app());
  await expect(page.getByTestId('pending-banner')).toBeVisible();
  await expect(page.getByTestId('sale-day-closed')).toBeVisible();
  // The worst case: the banner's list unfolded as well.
  await page.getByTestId('pending-unfold').click();
  await expect(page.getByTestId('pending-item')).toHaveCount(1);
  await page.getByTestId('description').fill('Divano');
  await typeAmount(page, '1250,00');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('confirm-large')).toBeVisible();
  await shot(page, 'layout-sale-worst-it');

  await expectShell(page);
  await expectOnScreen(page.getByTestId('confirm-edit'));
  await expectOnScreen(page.getByTestId('confirm-charge'));
  await expectOnScreen(page.getByTestId('sale-day-closed'));
  // The note and the question are drawn over by nothing (the banner growing as the outcome is
  // read back makes the question cover the lines above it, not the other way round).
  await expectUncovered(page.getByTestId('sale-day-closed'));
  await expectUncovered(page.getByTestId('confirm-edit'));
  await expectUncovered(page.getByTestId('confirm-charge'));
  await expectTouchTargets(page);

  // Folded again, as the banner starts on the sale screen, the same holds.
  await page.getByTestId('pending-unfold').click();
  await expectShell(page);
  await expectOnScreen(page.getByTestId('confirm-charge'));

  // "Change amount": the keypad and Charge are back, on screen too.
  await page.getByTestId('confirm-edit').click();
  await expectOnScreen(page.getByTestId('charge'));
  await expectShell(page);
});

test('history, pre-authorizations and the day fit at 1024×768', async ({ page }) => {
  await outcomeInDoubt();
  await openCashier(page, app());
  for (const screen of ['history', 'preauth', 'day'] as const) {
    await page.getByTestId(`nav-${screen}`).click();
    await expect(page.getByTestId(`${screen}-screen`)).toBeVisible();
    await expectShell(page);
    await expectTouchTargets(page);
    await shot(page, `layout-${screen}-it`);
  }
});

// A small touch till, 800×600: every screen fits its width (what is too wide wraps or narrows,
// never scrolls sideways), the tabs stay in sight on one row, and the keypad and Charge are
// there to tap.

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'sep', '0', 'back', 'clear'].map(
  (k) => `key-${k}`,
);

/**
 * Nothing reaches past the window's sides: not the page, not the content area (which would
 * clip it, and scroll sideways to a control given the focus), not an open dialog, and no box
 * drawn anywhere.
 */
async function expectNoSideways(page: Page): Promise<void> {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const found: string[] = [];
    for (const el of [document.documentElement, ...document.querySelectorAll('main, dialog[open]')]) {
      if (el.scrollWidth > el.clientWidth) found.push(`${el.tagName} ${el.scrollWidth} > ${el.clientWidth}`);
    }
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.visually-hidden')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < -0.5 || r.right > width + 0.5) {
        const id = el.getAttribute('data-testid') ?? el.className;
        found.push(`${el.tagName}[${id}] ${Math.round(r.left)}..${Math.round(r.right)}`);
      }
    }
    return found;
  });
  expect(wide).toEqual([]);
}

/** The tabs in sight on one row, and the page scrolling neither way. */
async function expectSmallShell(page: Page): Promise<void> {
  const tops = new Set<number>();
  for (const tab of ['sale', 'history', 'preauth', 'day', 'settings']) {
    const tabButton = page.getByTestId(`nav-${tab}`);
    await expectOnScreen(tabButton);
    tops.add(Math.round((await tabButton.boundingBox())?.y ?? -1));
  }
  expect(tops.size).toBe(1);
  await expectNoPageScroll(page);
  await expectNoSideways(page);
}

/** Scrolled into sight if need be: then wholly inside the content area, on screen, uncovered. */
async function expectReachable(locator: Locator): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  await expectOnScreen(locator);
  const area = await locator.page().locator('main').boundingBox();
  const box = await locator.boundingBox();
  if (!area || !box) throw new Error('no box');
  expect(box.y).toBeGreaterThanOrEqual(area.y);
  expect(box.y + box.height).toBeLessThanOrEqual(area.y + area.height + 0.5);
  await expectUncovered(locator);
}

/** The outcomes in doubt called off (no link was ever shown): no banner for what comes next. */
async function callOffInDoubt(): Promise<void> {
  for (const sale of (await app().call('sale:list', { state: ['unknown'] })).sales) {
    await app().call('sale:cancel', { saleId: sale.id });
  }
}

test('at 800×600 the sale screen keeps the keypad and Charge in sight and never scrolls sideways', async ({
  page,
}) => {
  await callOffInDoubt();
  await openCashier(page, app(), 'connected', SMALL_TILL_VIEWPORT);
  await expect(page.getByTestId('pending-banner')).toHaveCount(0);
  await page.getByTestId('description').fill('Cornetto e cappuccino');
  await typeAmount(page, '1250,00');
  // Under the tabs alone, the content area unscrolled: every key and Charge at once.
  await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
  for (const key of KEYS) {
    await expectOnScreen(page.getByTestId(key));
    await expectUncovered(page.getByTestId(key));
  }
  await expectOnScreen(page.getByTestId('charge'));
  await expectUncovered(page.getByTestId('charge'));
  await expect(page.getByTestId('charge')).toBeEnabled();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await shot(page, 'layout-800-sale-it');

  // The large amount's second look, brought into sight: down, never sideways.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('confirm-large')).toBeVisible();
  await expectReachable(page.getByTestId('confirm-edit'));
  await expectReachable(page.getByTestId('confirm-charge'));
  await expectSmallShell(page);
  await shot(page, 'layout-800-sale-confirm-it');
  await page.getByTestId('confirm-edit').click();
  await expectReachable(page.getByTestId('charge'));

  // An outcome in doubt above it: the banner takes room, the keys scroll into sight, Charge stays.
  await outcomeInDoubt();
  await expect(page.getByTestId('pending-banner')).toBeVisible();
  await expectOnScreen(page.getByTestId('pending-banner'));
  await expectSmallShell(page);
  for (const key of KEYS) await expectReachable(page.getByTestId(key));
  await expectReachable(page.getByTestId('charge'));
  await expectTouchTargets(page);
  await shot(page, 'layout-800-sale-banner-it');
  await callOffInDoubt();
  await expect(page.getByTestId('pending-banner')).toHaveCount(0);
});

test('at 800×600 a waiting sale and its outcomes fit the width', async ({ page }) => {
  await openCashier(page, app(), 'connected', SMALL_TILL_VIEWPORT);
  await startSale(page, { amount: '3,20', description: 'Cappuccino' });
  await expectSmallShell(page);
  await expectReachable(page.getByTestId('cashier-qr-box'));
  await expectReachable(page.getByTestId('cancel-sale'));
  await shot(page, 'layout-800-waiting-it');
  await page.getByTestId('cancel-sale').click();
  await expectResult(page, 'cancelled');
  await expectSmallShell(page);
  await expectReachable(page.getByTestId('new-sale'));
  await shot(page, 'layout-800-cancelled-it');

  await page.getByTestId('new-sale').click();
  const paid = await startSale(page, { amount: '2,20', description: 'Brioche' });
  const { authorizationId } = await app().call('sale:get', { saleId: paid.saleId });
  await app().sim.grant(authorizationId ?? '');
  await expectResult(page, 'paid');
  await expectSmallShell(page);
  await expectReachable(page.getByTestId('result-print-receipt'));
  await expectReachable(page.getByTestId('new-sale'));
  await shot(page, 'layout-800-paid-it');

  // The answer to creating it lost: the outcome in doubt, and the way to sell again.
  await page.getByTestId('new-sale').click();
  await app().sim.faults({ drop_after_commit_rate: 1 });
  try {
    await typeAmount(page, '4,20');
    await page.keyboard.press('Enter');
    await expectResult(page, 'unknown');
  } finally {
    await app().sim.faults({});
  }
  await expectSmallShell(page);
  await expectReachable(page.getByTestId('retry-sale'));
  await expectReachable(page.getByTestId('new-sale'));
  await shot(page, 'layout-800-unknown-it');
  await callOffInDoubt();
});

test('at 800×600 the history, a sale, its refund, the pre-authorizations, the day and the settings fit the width', async ({
  page,
}) => {
  await app().paidSale(123456, 'Divano letto matrimoniale con contenitore e materasso in memory foam');
  const held = await app().call('sale:start', {
    amount: 8000,
    description: 'Noleggio bici',
    policy: 'BOOKED',
  });
  await app().sim.grant(held.authorizationId ?? '');
  // Approved, it waits for its capture on the list and no longer holds the till.
  await expect
    .poll(async () => (await app().call('sale:get', { saleId: held.id })).state, { timeout: 10_000 })
    .toBe('granted');
  // The banner's list unfolded above each of them: the worst case.
  await outcomeInDoubt();
  await openCashier(page, app(), 'connected', SMALL_TILL_VIEWPORT);

  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-screen')).toBeVisible();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await shot(page, 'layout-800-history-it');
  await page.getByTestId('history-search').fill('divano letto');
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await expect(page.getByTestId('history-row')).toContainText('Divano letto');
  await page.getByTestId('history-open').click();
  await expect(page.getByTestId('sale-detail')).toBeVisible();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await expectReachable(page.getByTestId('refund-open'));
  await shot(page, 'layout-800-sale-detail-it');

  await page.getByTestId('refund-open').click();
  const dialog = page.getByTestId('refund-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('refund-amount').fill('100');
  await expect(dialog.getByTestId('refund-left-over')).toBeVisible();
  await expectNoSideways(page);
  await expectOnScreen(dialog);
  await expectOnScreen(dialog.getByTestId('refund-submit'));
  await expectOnScreen(dialog.getByTestId('refund-cancel'));
  await shot(page, 'layout-800-refund-it');
  await dialog.getByTestId('refund-cancel').click();
  await expect(dialog).toBeHidden();

  await page.getByTestId('nav-preauth').click();
  await expect(page.locator(`[data-testid="preauth-row"][data-sale-id="${held.id}"]`)).toBeVisible();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await shot(page, 'layout-800-preauth-it');

  await page.getByTestId('nav-day').click();
  await expect(page.getByTestId('day-totals')).toBeVisible();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await shot(page, 'layout-800-day-it');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  await expectSmallShell(page);
  await expectTouchTargets(page);
  await shot(page, 'layout-800-settings-it');
  await callOffInDoubt();
});

test('a screen opened from its tab starts at its top, not where the screen before was left (QA E3)', async ({
  page,
}) => {
  for (const [amount, what] of [
    [990, 'Sciarpa'],
    [2450, 'Guanti'],
    [1800, 'Cappello'],
  ] as const) {
    await app().paidSale(amount, what);
  }
  await openCashier(page, app());
  const content = page.getByTestId('content');
  const scrollTop = (): Promise<number> => content.evaluate((el) => el.scrollTop);
  await page.getByTestId('nav-day').click();
  await expect(page.locator('#day-title')).toBeVisible();
  // Down to the day's exports, as an accountant does.
  await content.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect.poll(scrollTop).toBeGreaterThan(200);
  await expect(page.locator('#day-title')).not.toBeInViewport();

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  await expect.poll(scrollTop).toBe(0);
  await expectOnScreen(page.locator('#set-store'));

  // And back: the day opens at its heading and totals, not at the exports.
  await content.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect.poll(scrollTop).toBeGreaterThan(0);
  await page.getByTestId('nav-day').click();
  await expect.poll(scrollTop).toBe(0);
  await expectOnScreen(page.locator('#day-title'));
});
