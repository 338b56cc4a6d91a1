import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { coreText } from '../../renderer/src/i18n/details';
import { startApp, type TestApp } from './fixtures/app';
import {
  expectResult,
  openCashier,
  openCustomer,
  payOnPhone,
  shot,
  startSale,
  typeAmount,
} from './fixtures/pages';

// Every way a sale can end, each with its result screen on the cashier's side and, where the
// customer sees one, on the customer display.

let app: TestApp;

test.beforeAll(async () => {
  app = await startApp();
});

test.afterAll(async () => {
  await app.close();
});

async function authorizationOf(saleId: string): Promise<string> {
  const sale = await app.call('sale:get', { saleId });
  if (!sale.authorizationId) throw new Error(`sale ${saleId} has no authorization`);
  return sale.authorizationId;
}

/** A pre-authorization approved on the phone, then its row on the open pre-authorizations list. */
async function bookedOnList(
  page: Page,
  browser: Browser,
  sale: { amount: string; description: string },
): Promise<{ saleId: string; row: Locator }> {
  await openCashier(page, app);
  const started = await startSale(page, { ...sale, policy: 'BOOKED' });
  await payOnPhone(browser, started.sharingUrl, 'approve');
  await expectResult(page, 'booked');
  await page.getByTestId('new-sale').click();
  await page.getByTestId('nav-preauth').click();
  return {
    saleId: started.saleId,
    row: page.locator(`[data-testid="preauth-row"][data-sale-id="${started.saleId}"]`),
  };
}

async function customerOutcome(customer: Page, outcome: string): Promise<void> {
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-mode', 'result');
  await expect(display).toHaveAttribute('data-outcome', outcome);
}

test('a sale the customer does not confirm in time expires', async ({ page, browser }) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '3,20', description: 'Spremuta' });
  // The simulator's clock runs past DropPay's waiting time.
  await app.sim.advanceClock(301);
  const result = await expectResult(page, 'expired');
  await expect(result).toContainText('Scaduto');
  await shot(page, 'sale-expired-it');
  await customerOutcome(customer, 'expired');
  await shot(customer, 'customer-expired-it');
  expect((await app.call('sale:get', { saleId: sale.saleId })).authorizationStatus).toBe('EXPIRED');
  // No approval to use: New sale is the primary action, the new QR for the same amount beside it.
  await expect(result.locator('button.primary')).toHaveCount(1);
  await expect(page.getByTestId('new-sale')).toHaveClass(/\bprimary\b/);
  await expect(page.getByTestId('retry-sale')).not.toHaveClass(/\bprimary\b/);
  await expect(page.getByTestId('result-again-hint')).toHaveCount(0);

  // A new QR, same amount: a new sale with the same amount and description.
  await page.getByTestId('retry-sale').click();
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-cents', '320');
  await expect(page.getByTestId('description')).toHaveValue('Spremuta');
  // Its button gone, the focus is on Charge, not lost to the page.
  await expect(page.getByTestId('charge')).toBeFocused();
  await customer.close();
});

test('the cashier cancels a waiting sale with Escape', async ({ page, browser }) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '1,10', description: 'Caffè' });
  await page.keyboard.press('Escape');
  await expectResult(page, 'cancelled');
  await shot(page, 'sale-cancelled-it');
  await customerOutcome(customer, 'cancelled');
  await shot(customer, 'customer-cancelled-it');
  expect((await app.call('sale:get', { saleId: sale.saleId })).authorizationStatus).toBe('CANCELLED');
  // Escape on a result screen starts the next sale.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sale-screen')).toHaveAttribute('data-phase', 'entry');
  await customer.close();
});

test('the customer approves a pre-authorization just as the cashier cancels: the screen says it is reserved', async ({
  page,
}) => {
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '30', description: 'Cauzione casco', policy: 'BOOKED' });
  const authorizationId = await authorizationOf(sale.saleId);
  // The approval reaches DropPay while the cancel is on its way.
  await page.route('**/ipc/sale:cancel', async (route) => {
    await app.sim.grant(authorizationId);
    await route.continue();
  });
  await page.getByTestId('cancel-sale').click();
  await expectResult(page, 'booked');
  await expect(page.getByTestId('cancel-too-late')).toContainText('l’importo resta riservato');
  await expect(page.getByTestId('sale-error')).toHaveCount(0);
  await shot(page, 'sale-cancel-too-late-it');
  expect((await app.call('sale:get', { saleId: sale.saleId })).authorizationStatus).toBe('GRANTED');
  await page.unroute('**/ipc/sale:cancel');
  await page.getByTestId('new-sale').click();
  await expect(page.getByTestId('cancel-too-late')).toHaveCount(0);
});

test('the customer declines, and the customer display says so', async ({ page, browser }) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '4,00', description: 'Tramezzino' });
  await payOnPhone(browser, sale.sharingUrl, 'decline');
  await expectResult(page, 'declined');
  await customerOutcome(customer, 'declined');
  await expect(customer.getByTestId('customer-outcome-sub')).toHaveText('Chiedi alla cassa');
  await shot(customer, 'customer-declined-it');
  await customer.close();
});

test('a charge DropPay refuses ends as failed, with the reason and a way to try again', async ({
  page,
  browser,
}) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  await app.sim.chargeNextFails();
  const sale = await startSale(page, { amount: '9,00', description: 'Pranzo' });
  await app.sim.grant(await authorizationOf(sale.saleId));
  const result = await expectResult(page, 'failed');
  await expect(result).toContainText('Non riuscito');
  await shot(page, 'sale-failed-it');
  await customerOutcome(customer, 'failed');
  await shot(customer, 'customer-failed-it');
  await expect(page.getByTestId('retry-sale')).toBeVisible();
  // One primary action, charging the approval again; the other two secondary, each saying
  // what it does, and a line telling the two ways of asking for the money apart.
  await expect(page.getByTestId('retry-charge')).toHaveText('Addebita di nuovo: stessa approvazione');
  await expect(page.getByTestId('retry-sale')).toHaveText('Nuova vendita, stesso importo');
  await expect(result.locator('button.primary')).toHaveCount(1);
  await expect(page.getByTestId('retry-charge')).toHaveClass(/\bprimary\b/);
  await expect(page.getByTestId('result-again-hint')).toContainText('senza un nuovo QR');
  await expect(page.getByTestId('retry-sale')).toHaveAttribute('aria-describedby', 'again-hint');
  // The approval is what comes next, not a new sale: a habitual Enter charges it again, and a
  // digit does not walk away from it.
  await expect(page.getByTestId('retry-charge')).toBeFocused();
  await page.keyboard.press('4');
  await expect(page.getByTestId('sale-screen')).toHaveAttribute('data-phase', 'result');
  await expect(page.getByTestId('retry-charge')).toBeVisible();

  // The customer's approval still stands at DropPay: charge it again, no new QR to scan. While
  // the request is on its way the screen cannot move on to a new sale (its answer would land
  // there): held here on the loopback until checked.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/ipc/sale:retry-charge', async (route) => {
    await held;
    await route.continue();
  });
  await page.getByTestId('retry-charge').click();
  await expect(page.getByTestId('new-sale')).toBeDisabled();
  await expect(page.getByTestId('retry-sale')).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sale-screen')).toHaveAttribute('data-phase', 'result');
  release();
  await expectResult(page, 'paid');
  await page.unroute('**/ipc/sale:retry-charge');
  await expect(page.getByTestId('new-sale')).toBeEnabled();
  // Paid: New sale is the one primary action again.
  await expect(page.getByTestId('new-sale')).toHaveClass(/\bprimary\b/);
  await expect(result.locator('button.primary')).toHaveCount(1);
  await expect(page.getByTestId('retry-charge')).toHaveCount(0);
  await customerOutcome(customer, 'approved');
  const ledger = await app.sim.ledger();
  const authorizationId = await authorizationOf(sale.saleId);
  expect(
    ledger.charges
      .filter((c) => c.authorization_id === authorizationId)
      .map((c) => c.status)
      .sort(),
  ).toEqual(['DONE', 'FAILED']);
  await shot(page, 'sale-charged-again-it');
  await customer.close();
});

test('CHARGED: DropPay charges at the approval by itself', async ({ page, browser }) => {
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '15,00', description: 'Menu del giorno', policy: 'CHARGED' });
  await payOnPhone(browser, sale.sharingUrl, 'approve');
  await expectResult(page, 'paid');
  const view = await app.call('sale:get', { saleId: sale.saleId });
  expect(view.charged).toBe(1500);
  expect(view.charges).toMatchObject([{ origin: 'droppay', amount: 1500 }]);
  await shot(page, 'sale-charged-paid-it');

  // Its timeline: the journal's English note, worded in Italian on an Italian screen.
  await page.getByTestId('nav-history').click();
  await page
    .locator(`[data-testid="history-row"][data-sale-id="${sale.saleId}"]`)
    .getByTestId('history-open')
    .click();
  const observed = page.locator('[data-testid="timeline-entry"][data-kind="charge.observed"]');
  await expect(observed).toContainText('addebitato da DropPay all’approvazione');
  await expect(page.getByTestId('timeline')).not.toContainText('charged by DropPay at grant');
  // DropPay's statuses in words too, not as DropPay spells them, and not beside the state
  // that already says them ("In attesa del cliente", "Pagata").
  const status = (raw: string) => page.locator(`[data-testid="timeline-status"][data-status="${raw}"]`);
  await expect(
    page.locator('[data-testid="timeline-entry"][data-kind="authorization.created"]'),
  ).toContainText('In attesa del cliente');
  await expect(status('WAITING')).toHaveCount(0);
  await expect(status('DONE')).toHaveCount(0);
  // DropPay ends a CHARGED authorization EXPIRED once it charged: not "scaduta" on a paid sale.
  await expect(status('EXPIRED')).toHaveText('conclusa, addebito fatto');
  await expect(page.getByTestId('detail-auth-status')).toHaveText('conclusa, addebito fatto');
  await expect(page.getByTestId('sale-detail')).not.toContainText('scaduta');
  await expect(page.getByTestId('sale-detail')).not.toContainText(/WAITING|EXPIRED|DONE/);
  // Beside the longer text of a charge DropPay made, the refund button keeps its whole label.
  const refundButton = page.getByTestId('refund-open');
  await expect(refundButton).toBeVisible();
  const roomy = await refundButton.evaluate((el) => {
    // Its label plus both paddings fit: a squeezed button eats its padding before it overflows.
    const range = document.createRange();
    range.selectNodeContents(el);
    const style = getComputedStyle(el);
    const needed =
      range.getBoundingClientRect().width + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    return el.clientWidth + 0.5 >= needed;
  });
  expect(roomy).toBe(true);
  await shot(page, 'sale-charged-timeline-it');
});

test('BOOKED: a pre-authorization is captured later for less than was reserved', async ({
  page,
  browser,
}) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  // A pre-authorization takes no money now: the button says what it does.
  await page.getByTestId('policy-BOOKED').check();
  await typeAmount(page, '50');
  await expect(page.getByTestId('charge')).toHaveText('Preautorizza 50,00 €');
  await page.getByTestId('key-clear').click();
  const sale = await startSale(page, { amount: '50', description: 'Cauzione bici', policy: 'BOOKED' });
  // The customer reads that the amount is held, not a total to pay.
  await expect(customer.getByTestId('customer-amount-label')).toHaveText('Importo da autorizzare');
  await expect(customer.getByTestId('customer-reserve-note')).toContainText('solo quanto dovuto');
  await shot(customer, 'customer-reserve-it');
  await payOnPhone(browser, sale.sharingUrl, 'approve');
  await expectResult(page, 'booked');
  await shot(page, 'sale-booked-it');
  // The customer is told the amount is reserved, not left looking at the QR code.
  await customerOutcome(customer, 'authorized');
  await expect(customer.getByTestId('customer-outcome')).toHaveText('Importo autorizzato');
  await shot(customer, 'customer-authorized-it');
  await customer.close();

  // Later, from the open pre-authorizations (the result left on the sale screen).
  await page.getByTestId('nav-preauth').click();
  const row = page.locator(`[data-testid="preauth-row"][data-sale-id="${sale.saleId}"]`);
  await expect(row).toBeVisible();
  // The reservation's end, a week on, which DropPay keeps: after it nothing can be captured.
  const held = await app.call('sale:get', { saleId: sale.saleId });
  expect(Date.parse(held.captureBy ?? '') - Date.parse(held.createdAt)).toBe(7 * 86_400_000);
  await expect(row.getByTestId('preauth-capture-by')).toHaveText(
    /^Da incassare entro \d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}: poi DropPay sblocca il denaro\.$/,
  );
  await expect(row.getByTestId('preauth-capture-by')).toHaveAttribute('data-ended', 'false');
  // The amount offered is written in the language on screen, switched or not.
  await expect(row.getByTestId('capture-amount')).toHaveValue('50,00');
  await page.getByTestId('language').selectOption('en');
  await expect(row.getByTestId('capture-amount')).toHaveValue('50.00');
  await page.getByTestId('language').selectOption('it');
  await expect(row.getByTestId('capture-amount')).toHaveValue('50,00');
  // On the list, capturing is what the row is for: its button is the primary one.
  await expect(row.getByTestId('capture-submit')).toHaveClass(/\bprimary\b/);
  await shot(page, 'preauth-list-it');
  // Enter on the amount as offered (the whole reservation) takes nothing: it asks once more.
  await row.getByTestId('capture-amount').focus();
  await page.keyboard.press('Enter');
  await expect(row.getByTestId('capture-hint')).toHaveText(
    'Tutti i 50,00 €? Premi di nuovo Invio per incassarli, o scrivi l’importo finale.',
  );
  expect((await app.call('sale:get', { saleId: sale.saleId })).state).toBe('granted');
  await row.getByTestId('capture-amount').blur();
  // The amount offered is selected on a tap: what is typed replaces it.
  await row.getByTestId('capture-amount').click();
  await page.keyboard.type('6');
  await expect(row.getByTestId('capture-amount')).toHaveValue('6');
  // The button says what it takes: the whole reservation as offered, nothing it cannot.
  await expect(row.getByTestId('capture-submit')).toHaveText('Incassa 6,00 €');
  await row.getByTestId('capture-amount').fill('60');
  await expect(row.getByTestId('capture-submit')).toHaveText('Incassa');
  // Said as it is typed, in the error's colour, and the button cannot take it.
  await expect(row.getByTestId('capture-hint')).toHaveText('Al massimo 50,00 €.');
  await expect(row.getByTestId('capture-hint')).toHaveClass(/bad-text/);
  await expect(row.getByTestId('capture-submit')).toBeDisabled();
  await expect(row).toContainText('Al massimo 50,00 €');
  // Digits that make no amount are said as they are typed, with how to write one.
  await row.getByTestId('capture-amount').fill('2,500');
  await expect(row.getByTestId('capture-hint')).toHaveText(
    'Importo non valido: scrivilo come 12,50 o 1.234,50.',
  );
  await expect(row.getByTestId('capture-submit')).toBeDisabled();
  // Corrected, the complaint about the old amount goes; what is not taken goes back, and it says so.
  await row.getByTestId('capture-amount').fill('32,50');
  await expect(row).not.toContainText('Al massimo 50,00 €');
  await expect(row.getByTestId('capture-amount')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(row.getByTestId('capture-submit')).toHaveText('Incassa 32,50 €');
  await expect(row).toContainText('Bloccati 50,00 €: i restanti 17,50 € tornano disponibili al cliente.');
  await shot(page, 'preauth-capture-less-it');
  await row.getByTestId('capture-submit').click();
  await expect(page.getByTestId('capture-done')).toContainText('32,50 €');
  await expect(row).toHaveCount(0);
  // The Sale tab, whose result screen held the reservation, says the money taken, not the hold.
  await expect(page.getByTestId('nav-sale-news-said')).toHaveText(/\(32,50\s€\): /);
  await shot(page, 'preauth-captured-it');

  const view = await app.call('sale:get', { saleId: sale.saleId });
  expect(view.state).toBe('paid');
  expect(view.charged).toBe(3250);
  const ledger = await app.sim.ledger();
  expect(ledger.charges.filter((c) => c.amount === 32.5)).toHaveLength(1);
  // The history shows the money taken, with what was reserved beside it.
  await page.getByTestId('nav-history').click();
  const amount = page
    .locator(`[data-testid="history-row"][data-sale-id="${sale.saleId}"]`)
    .getByTestId('history-amount');
  await expect(amount).toHaveAttribute('data-cents', '3250');
  await expect(amount).toContainText('32,50 €');
  await expect(amount).toContainText('su 50,00 € preautorizzati');
  // So does its detail: the money taken is the headline, the reservation the line under it.
  await page
    .locator(`[data-testid="history-row"][data-sale-id="${sale.saleId}"]`)
    .getByTestId('history-open')
    .click();
  const detail = page.getByTestId('sale-detail');
  await expect(detail.getByTestId('detail-headline')).toHaveText('32,50 €');
  await expect(detail.getByTestId('detail-reserved')).toHaveText('50,00 €');
  await expect(detail).toContainText('Preautorizzato');
  await shot(page, 'detail-booked-captured-it');
});

test('BOOKED captured for less from its result screen: the headline is the money taken', async ({
  page,
  browser,
}) => {
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '45', description: 'Cena tavolo 4', policy: 'BOOKED' });
  await payOnPhone(browser, sale.sharingUrl, 'approve');
  const result = await expectResult(page, 'booked');
  // One primary action: New sale; the capture is there, secondary (it can wait for the list).
  await expect(result.locator('button.primary')).toHaveCount(1);
  await expect(page.getByTestId('new-sale')).toHaveClass(/\bprimary\b/);
  await expect(result.getByTestId('capture-submit')).not.toHaveClass(/\bprimary\b/);
  await result.getByTestId('capture-amount').fill('38,50');
  // The capture held on its way: a digit typed meanwhile, the focus off the field, does not
  // start the next sale over the pre-authorization being captured.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/ipc/sale:capture', async (route) => {
    await held;
    await route.continue();
  });
  await result.getByTestId('capture-submit').click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('7');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('sale-screen')).toHaveAttribute('data-phase', 'result');
  release();
  await expectResult(page, 'paid');
  await page.unroute('**/ipc/sale:capture');
  await expect(page.getByTestId('result-amount')).toHaveAttribute('data-cents', '3850');
  await expect(page.getByTestId('result-amount')).toHaveText('38,50 €');
  await expect(page.getByTestId('result-asked')).toHaveText('su 45,00 € preautorizzati');
  // The amount is said once, above: the line under it says who confirmed it.
  await expect(page.getByTestId('result-body')).toHaveText('Pagamento confermato da DropPay.');
  await shot(page, 'sale-booked-captured-less-it');
});

test('BOOKED: a capture refused on the result screen says the money is still held, offers the same capture, never a new QR (QA D11)', async ({
  page,
  browser,
}) => {
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '10', description: 'Cauzione', policy: 'BOOKED' });
  await payOnPhone(browser, sale.sharingUrl, 'approve');
  const result = await expectResult(page, 'booked');
  await app.sim.chargeNextFails();
  await result.getByTestId('capture-amount').fill('7');
  await result.getByTestId('capture-submit').click();
  await expect(result).toHaveAttribute('data-state', 'failed');
  await expect(page.getByTestId('result-title')).toHaveText('Incasso non riuscito');
  await expect(page.getByTestId('result-body')).toHaveText(
    'L’incasso di 7,00 € non è riuscito: 10,00 € restano bloccati sul conto del cliente. Riprova l’incasso qui o da «Preautorizzazioni».',
  );
  await expect(result).toHaveClass(/\bwarn\b/);
  // Capturing again is the next step: its button is the one primary action.
  await expect(result.locator('button.primary')).toHaveCount(1);
  await expect(result.getByTestId('capture-submit')).toHaveClass(/\bprimary\b/);
  // A new QR would have the customer hold a second 10,00 €.
  await expect(page.getByTestId('retry-sale')).toHaveCount(0);
  // The amount the cashier asked for is offered again, and taken with one Enter.
  const amount = result.getByTestId('capture-amount');
  await expect(amount).toHaveValue('7,00');
  await shot(page, 'sale-booked-capture-failed-it');
  // The history says it is still to capture, not failed.
  await page.getByTestId('nav-history').click();
  const badge = page.locator(
    `[data-testid="history-row"][data-sale-id="${sale.saleId}"] [data-state="failed"]`,
  );
  await expect(badge).toHaveAttribute('data-held', 'true');
  await expect(badge).toHaveText('Da incassare (incasso non riuscito)');
  await page.getByTestId('nav-sale').click();
  await result.getByTestId('capture-amount').press('Enter');
  await expectResult(page, 'paid');
  await expect(page.getByTestId('result-amount')).toHaveAttribute('data-cents', '700');
  // One capture of 7 € taken on that authorization: the refused one took nothing.
  const authorizationId = await authorizationOf(sale.saleId);
  const taken = (await app.sim.ledger()).charges.filter(
    (c) => c.authorization_id === authorizationId && c.status === 'DONE',
  );
  expect(taken.map((c) => c.amount)).toEqual([7]);
});

test('BOOKED: a capture DropPay refuses keeps the reservation on the list, to capture again', async ({
  page,
  browser,
}) => {
  const { saleId, row } = await bookedOnList(page, browser, { amount: '80', description: 'Noleggio kayak' });
  await app.sim.chargeNextFails();
  await row.getByTestId('capture-amount').fill('45');
  await row.getByTestId('capture-submit').click();
  // DropPay refused this capture; the authorization is still granted, the money still reserved.
  await expect(row.getByTestId('capture-error')).toHaveAttribute('data-code', 'DROPPAY_REJECTED');
  await expect(page.getByTestId('capture-done')).toHaveCount(0);
  await expect(row.getByTestId('preauth-failed')).toBeVisible();
  expect(await app.call('sale:get', { saleId })).toMatchObject({
    state: 'failed',
    authorizationStatus: 'GRANTED',
    charged: 0,
  });
  // Why, in the cashier's language: the core keeps its own words in English.
  const { lastError } = await app.call('sale:get', { saleId });
  const worded = coreText('it', lastError ?? '');
  expect(worded).not.toBe(lastError);
  await expect(row.getByTestId('preauth-failed')).toContainText(worded);
  await shot(page, 'preauth-capture-failed-it');
  // Still listed after a reload, and the second try goes through.
  await page.reload();
  await page.getByTestId('nav-preauth').click();
  await expect(row.getByTestId('preauth-failed')).toBeVisible();
  // This time the whole reservation, from the keyboard: Enter asks once more, Enter again takes it.
  await row.getByTestId('capture-amount').focus();
  await page.keyboard.press('Enter');
  await expect(row.getByTestId('capture-hint')).toContainText('Tutti i 80,00 €?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('capture-done')).toContainText('80,00 €');
  await expect(row).toHaveCount(0);
  const ledger = await app.sim.ledger();
  expect(ledger.charges.filter((c) => c.amount === 45 && c.status === 'DONE')).toHaveLength(0);
  expect(ledger.charges.filter((c) => c.amount === 80 && c.status === 'DONE')).toHaveLength(1);
});

test('BOOKED: a capture made while the list is on its way does not bring the row back', async ({ page }) => {
  const sale = await app.call('sale:start', { amount: 6000, description: 'Noleggio sci', policy: 'BOOKED' });
  await app.sim.grant(sale.authorizationId ?? '');
  await expect
    .poll(async () => (await app.call('sale:get', { saleId: sale.id })).state, { timeout: 10_000 })
    .toBe('granted');
  await openCashier(page, app);
  // The list's answer is read from the core, then held on the loopback: it travels slowly.
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  let listed = false;
  let fetched = (): void => undefined;
  const answered = new Promise<void>((resolve) => (fetched = resolve));
  await page.route('**/ipc/sale:list', async (route) => {
    const response = await route.fetch();
    fetched();
    await held;
    await route.fulfill({ response });
    listed = true;
  });
  // The tab's count of open pre-authorizations, this one among them (read at start-up).
  const badge = page.getByTestId('nav-preauth').locator('.count');
  const open = async (): Promise<number> =>
    (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
  await expect.poll(open).toBeGreaterThan(0);
  const before = await open();
  await page.getByTestId('nav-preauth').click();
  await answered;
  // Captured elsewhere (another window, the command line) while that answer is on its way.
  await app.call('sale:capture', { saleId: sale.id, amount: 6000 });
  await expect
    .poll(async () => (await app.call('sale:get', { saleId: sale.id })).state, { timeout: 10_000 })
    .toBe('paid');
  // The capture's event has landed while the list was held: the row is not shown now...
  await expect(page.locator(`[data-testid="preauth-row"][data-sale-id="${sale.id}"]`)).toHaveCount(0);
  await expect.poll(open).toBe(before - 1);
  release();
  await expect.poll(() => listed, { timeout: 5_000 }).toBe(true);
  // ...nor after the older list arrives.
  await page.waitForTimeout(300);
  await expect(page.locator(`[data-testid="preauth-row"][data-sale-id="${sale.id}"]`)).toHaveCount(0);
  await page.unroute('**/ipc/sale:list');
});

test('an outcome DropPay does not confirm shows on every screen until it is known', async ({ page }) => {
  await openCashier(page, app);
  // The authorization is created, then the connection drops before the answer.
  await app.sim.faults({ drop_after_commit_rate: 1 });
  await page.getByTestId('description').fill('Gelato');
  await typeAmount(page, '2,50');
  await page.keyboard.press('Enter');
  const banner = page.getByTestId('pending-banner');
  await expect(banner).toBeVisible({ timeout: 15_000 });
  await expectResult(page, 'unknown');
  // No QR ever reached the customer: the screen says they cannot have paid, and offers the
  // sale again, rather than "do not repeat it".
  await expect(page.getByTestId('result-body')).toContainText('non può aver pagato');
  await expect(page.getByTestId('retry-sale')).toBeVisible();
  await shot(page, 'sale-unknown-it');
  await page.getByTestId('nav-history').click();
  await expect(banner).toBeVisible();
  await shot(page, 'history-pending-banner-it');

  // An authorization whose creation answer was lost cannot be looked up, and its link was
  // never shown: the cashier may call it off, and the banner goes.
  await app.sim.faults({});
  await page.getByTestId('nav-sale').click();
  await expectResult(page, 'unknown');
  // Check now from the result screen reads it back: the banner says when, and why it stays.
  const clicked = Date.now();
  await page.getByTestId('result-check-now').click();
  await expect(page.getByTestId('result-check-now')).toBeEnabled();
  const item = banner.getByTestId('pending-item');
  const checked = item.getByTestId('pending-checked');
  await expect(checked).toContainText(/Ultima verifica alle .*, la prossima verso le /);
  // Read back by this click (not by an earlier pass), and due again on the next pass.
  await expect
    .poll(async () => Date.parse((await checked.getAttribute('data-checked-at')) ?? ''))
    .toBeGreaterThanOrEqual(clicked);
  const at = Date.parse((await checked.getAttribute('data-checked-at')) ?? '');
  expect(Date.parse((await checked.getAttribute('data-next-at')) ?? '')).toBeGreaterThan(at);
  await expect(item.getByTestId('pending-reason')).toContainText('DropPay non ha confermato');
  await page.getByTestId('cancel-sale').click();
  await expectResult(page, 'cancelled');
  await expect(banner).toHaveCount(0);
});

test('"try again" after a lost creation calls the old sale off first, so it does not wait on the banner', async ({
  page,
}) => {
  await openCashier(page, app);
  await app.sim.faults({ drop_after_commit_rate: 1 });
  await page.getByTestId('description').fill('Spremuta');
  await typeAmount(page, '3,20');
  await page.keyboard.press('Enter');
  const result = await expectResult(page, 'unknown');
  const lost = await result.getAttribute('data-sale-id');
  await app.sim.faults({});
  await expect(page.getByTestId('pending-banner')).toBeVisible();
  // The banner agrees with the screen: no QR reached the customer, the sale can be made again.
  await expect(page.getByTestId('pending-banner')).toContainText('Nessun QR è arrivato al cliente');
  await expect(page.getByTestId('pending-banner')).not.toContainText('Non ripetere il pagamento');
  await expect(page.getByTestId('pending-no-qr')).toHaveCount(1);
  await page.getByTestId('retry-sale').click();
  // Back at the amount, as typed; the old sale is cancelled (no link was ever shown) and gone
  // from the banner, with no call to DropPay needed.
  await expect(page.getByTestId('amount-display')).toHaveAttribute('data-cents', '320');
  await expect(page.getByTestId('description')).toHaveValue('Spremuta');
  await expect(page.getByTestId('pending-banner')).toHaveCount(0);
  expect((await app.call('sale:get', { saleId: lost ?? '' })).state).toBe('cancelled');
});

test('outcomes in doubt fold to one line on the sale screen, so the keypad and Charge stay on a 1024×768 screen', async ({
  page,
}) => {
  // The window's first check with DropPay is over before DropPay's answers start to get lost.
  const checked = page.waitForResponse((r) => r.url().includes('/ipc/app:check-connection'));
  await openCashier(page, app);
  await checked;
  // Three payments whose creation answer is lost: three items on the banner.
  await app.sim.faults({ drop_after_commit_rate: 1 });
  for (const description of ['Gelato', 'Caffè', 'Brioche']) {
    await page.getByTestId('description').fill(description);
    await typeAmount(page, '2,50');
    await page.keyboard.press('Enter');
    await expectResult(page, 'unknown');
    await page.getByTestId('new-sale').click();
  }
  await app.sim.faults({});
  const banner = page.getByTestId('pending-banner');
  await expect(banner).toHaveAttribute('data-count', '3');
  const items = banner.getByTestId('pending-item');
  await expect(items).toHaveCount(3);
  await expect(items.first()).toBeHidden();
  // The content area scrolled to the top, the keypad's last rows and Charge are on the screen.
  await expect(page.getByTestId('amount-display')).toBeVisible();
  const fits = await page.evaluate(() => {
    document.querySelector('main')?.scrollTo(0, 0);
    const bottom = (id: string) =>
      document.querySelector(`[data-testid="${id}"]`)?.getBoundingClientRect().bottom ?? Infinity;
    return {
      key0: bottom('key-0'),
      clear: bottom('key-clear'),
      charge: bottom('charge'),
      height: window.innerHeight,
    };
  });
  for (const b of [fits.key0, fits.clear, fits.charge]) expect(b).toBeLessThanOrEqual(fits.height);
  await shot(page, 'sale-banner-folded-it');
  // Unfolded on request, each item can open its sale; elsewhere the list shows unfolded.
  const unfold = page.getByTestId('pending-unfold');
  await expect(unfold).toHaveAttribute('aria-expanded', 'false');
  await unfold.click();
  await expect(unfold).toHaveAttribute('aria-expanded', 'true');
  await expect(items).toHaveCount(3);
  await expect(items.first()).toBeVisible();
  await unfold.click();
  await expect(items.first()).toBeHidden();
  await page.getByTestId('nav-history').click();
  await expect(items.first()).toBeVisible();
  await expect(page.getByTestId('pending-unfold')).toHaveCount(0);
  // Left as found for the tests after: each called off (no link was ever shown).
  for (const sale of (await app.call('sale:list', { state: ['unknown'] })).sales) {
    await app.call('sale:cancel', { saleId: sale.id });
  }
  await expect(banner).toHaveCount(0);
});

test('once the customer approves, the display says the payment is going through until it is paid', async ({
  page,
  browser,
}) => {
  const customer = await openCustomer(browser, app);
  await openCashier(page, app);
  const sale = await startSale(page, { amount: '7,80', description: 'Pranzo veloce' });
  const display = customer.getByTestId('customer-display');
  await expect(display).toHaveAttribute('data-mode', 'pay');
  // A slow DropPay: every answer takes 1.5 s, so reading the grant and charging take a while.
  await app.sim.faults({ latency_ms: 1500 });
  try {
    await payOnPhone(browser, sale.sharingUrl, 'approve');
    await expect(display).toHaveAttribute('data-mode', 'processing', { timeout: 10_000 });
    await expect(customer.getByTestId('customer-processing')).toContainText('Pagamento in corso');
    await expect(customer.getByTestId('qr')).toHaveCount(0);
    await shot(customer, 'customer-processing-it');
    await customerOutcome(customer, 'approved');
  } finally {
    await app.sim.faults({});
  }
  await expectResult(page, 'paid');
  await customer.close();
});

// Last in the file: its pre-authorization stays open (a granted one cannot be called off).
test('a pre-authorization on its last day is warned of, and past its end says nothing can be captured', async ({
  page,
  browser,
}) => {
  const { saleId, row } = await bookedOnList(page, browser, { amount: '20', description: 'Noleggio sci' });
  const { captureBy } = await app.call('sale:get', { saleId });
  const end = Date.parse(captureBy ?? '');
  const capture = row.getByTestId('preauth-capture-by');
  await expect(capture).toHaveClass(/\bhint\b/);
  // The till's clock (the page's) an hour before the end: still open, in the warning's colour.
  await page.clock.setFixedTime(end - 3_600_000);
  await expect(capture).toHaveClass(/warn-text/);
  await expect(capture).toHaveAttribute('data-ended', 'false');
  await expect(capture).toContainText('Da incassare entro');
  // A minute past it: DropPay has let the money go.
  await page.clock.setFixedTime(end + 60_000);
  await expect(capture).toHaveAttribute('data-ended', 'true');
  await expect(capture).toHaveClass(/bad-text/);
  await expect(capture).toContainText('Scaduta il');
  await expect(capture).toContainText('non si può più incassare');
  await shot(page, 'preauth-ended-it');
});

test('a customer who pays while the cashier is on another screen: the Sale tab says so until it is opened', async ({
  page,
  browser,
}) => {
  await openCashier(page, app);
  const started = await startSale(page, { amount: '7,20', description: 'Cornetto e cappuccino' });
  const news = page.getByTestId('nav-sale-news');
  const said = page.getByTestId('nav-sale-news-said');
  // Waiting for the customer: no news yet, on the sale screen or off it.
  await page.getByTestId('nav-history').click();
  await expect(news).toHaveCount(0);
  await expect(said).toHaveText('');

  await payOnPhone(browser, started.sharingUrl, 'approve');
  await expect(news).toHaveText('Pagata');
  await expect(news).toHaveClass(/\bok\b/);
  // Read out once, with the sale's reference and amount (the money as Intl writes it).
  await expect(said).toHaveText(/^Vendita S-\d{8}-\w{6} \(7,20\s€\): Pagata$/);
  await shot(page, 'nav-sale-news-it');
  // Another screen keeps it; the Sale tab shows the result and clears it.
  await page.getByTestId('nav-day').click();
  await expect(news).toHaveText('Pagata');
  await page.getByTestId('nav-sale').click();
  await expectResult(page, 'paid');
  await expect(news).toHaveCount(0);
  await expect(said).toHaveText('');

  // A sale that ends while the cashier watches it brings no news when they go elsewhere.
  await page.getByTestId('new-sale').click();
  const second = await startSale(page, { amount: '2,00', description: 'Acqua' });
  await payOnPhone(browser, second.sharingUrl, 'decline');
  await expectResult(page, 'declined');
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row').first()).toBeVisible();
  await expect(news).toHaveCount(0);

  // Declined while away: in the bad colour, in English too.
  await page.getByTestId('nav-sale').click();
  await page.getByTestId('new-sale').click();
  const third = await startSale(page, { amount: '4,50', description: 'Brioche' });
  await page.getByTestId('nav-preauth').click();
  await payOnPhone(browser, third.sharingUrl, 'decline');
  await expect(news).toHaveClass(/\bbad\b/);
  await page.getByTestId('language').selectOption('en');
  await expect(news).toHaveText('Declined');
  await expect(said).toHaveText(/^Sale S-\d{8}-\w{6} \(€4\.50\): Declined$/);
  await page.getByTestId('language').selectOption('it');
  await expect(news).toHaveText('Rifiutata');
});
