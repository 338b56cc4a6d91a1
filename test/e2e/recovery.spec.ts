import { expect, test } from '@playwright/test';
import type { Ledger } from './fixtures/ledger';
import { coresOnOneFolder } from './fixtures/core-process';
import { openCashier, payOnPhone, shot, startSale } from './fixtures/pages';

// A power cut mid-sale: the customer approved on the phone, and the till died (SIGKILL) before
// it charged. Started again on the same data folder, it finds the sale, charges it exactly
// once, and the cashier sees it paid.

const startCore = coresOnOneFolder('droppay-e2e-crash-');

test('a till killed after the customer approved charges the sale once when it starts again', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  // Slow polling and no events from the sandbox (as with a real DropPay, which cannot reach the
  // till), so the approval is still unseen when the till dies.
  const first = await startCore({ DROPPAY_SANDBOX_EVENTS: 'off' });
  await first.call('settings:update', { completeFirstRun: true, pollIntervalMs: 10_000 });

  await openCashier(page, first.url);
  const sale = await startSale(page, { amount: '23,45', description: 'Spesa' });
  await payOnPhone(browser, sale.sharingUrl, 'approve');
  await first.kill();
  await shot(page, 'recovery-till-down-it');

  const restartedAt = Date.now();
  const second = await startCore();
  await openCashier(page, second.url);
  await page.getByTestId('nav-history').click();
  const row = page.locator(`[data-testid="history-row"][data-sale-id="${sale.saleId}"]`);
  await expect(row).toHaveAttribute('data-state', 'paid', { timeout: 20_000 });
  await shot(page, 'recovery-history-it');
  await row.getByTestId('history-open').click();
  await expect(page.getByTestId('detail-charged')).toHaveAttribute('data-cents', '2345');
  await shot(page, 'recovery-detail-it');

  // The charge was made by the second run, after the restart: nothing was lost or doubled.
  const timeline = await second.call('sale:timeline', { saleId: sale.saleId });
  const charges = timeline.filter((e) => e.kind === 'charge.intent');
  expect(charges).toHaveLength(1);
  expect(Date.parse(charges[0]?.at ?? '')).toBeGreaterThanOrEqual(restartedAt);

  const ledger = (await (await fetch(`${second.sandboxUrl}/_sim/ledger`)).json()) as Ledger;
  expect(ledger.charges.filter((c) => c.amount === 23.45)).toHaveLength(1);
  expect(await second.call('payments:pending')).toMatchObject({ count: 0 });
});
