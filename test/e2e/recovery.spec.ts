import { expect, test } from '@playwright/test';
import type { Ledger } from './fixtures/ledger';
import { coresOnOneFolder } from './fixtures/core-process';
import { expectResult, openCashier, openCustomer, payOnPhone, shot, startSale } from './fixtures/pages';

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

// The till restarted while the customer had the QR in front of them: the display shows that
// sale again (not the welcome screen, as if it had been dropped), then its outcome (QA E2).
test.describe('a restart in front of the customer', () => {
  const startCore = coresOnOneFolder('droppay-e2e-restart-');

  test('a till killed while the customer has the QR shows that sale on the display again, then its outcome', async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    const first = await startCore();
    await first.call('settings:update', { completeFirstRun: true });
    await openCashier(page, first.url);
    const sale = await startSale(page, { amount: '15,00', description: 'Riavvio a metà' });
    const before = await openCustomer(browser, first.customerUrl);
    await expect(before.getByTestId('qr-box')).toHaveAttribute('data-sharing-url', sale.sharingUrl);
    await before.close();
    await first.kill();

    const second = await startCore();
    await openCashier(page, second.url);
    await expect(page.getByTestId('sale-live')).toHaveAttribute('data-sale-id', sale.saleId);
    const customer = await openCustomer(browser, second.customerUrl);
    const display = customer.getByTestId('customer-display');
    await expect(display).toHaveAttribute('data-mode', 'pay');
    // The embedded sandbox listens on a new port after a restart, and its link says so: the QR
    // follows the link DropPay gives now (the same payment), and the phone pays from it.
    const old = new URL(sale.sharingUrl);
    const renewed = new URL(old.pathname + old.search, second.sandboxUrl).href;
    expect(renewed).not.toBe(sale.sharingUrl);
    await expect(customer.getByTestId('qr-box')).toHaveAttribute('data-sharing-url', renewed);
    await expect(display).toContainText('Riavvio a metà');
    await expect(display).toContainText('15,00 €');
    await shot(customer, 'recovery-customer-resumed-it');
    await payOnPhone(browser, renewed, 'approve');
    await expect(display).toHaveAttribute('data-outcome', 'approved', { timeout: 20_000 });
    await expectResult(page, 'paid');
    await shot(customer, 'recovery-customer-paid-it');
    const ledger = (await (await fetch(`${second.sandboxUrl}/_sim/ledger`)).json()) as Ledger;
    expect(ledger.charges.filter((c) => c.amount === 15)).toHaveLength(1);
    await customer.close();
  });
});
