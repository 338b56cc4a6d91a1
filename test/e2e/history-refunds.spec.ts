import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startApp, type TestApp } from './fixtures/app';
import { expectLockCountdown, openCashier, openSale, shortenPinLock, shot } from './fixtures/pages';

// The history (search, filters, a sale's timeline) and refunds: partial, the one-refund rule
// DropPay enforces, and the manager PIN.

let app: TestApp;

// An Italian shop's machine.
test.use({ locale: 'it-IT' });

test.beforeAll(async () => {
  app = await startApp();
});

test.afterAll(async () => {
  await app.close();
});

test('the history finds sales by text, state and day, and shows a sale’s timeline', async ({ page }) => {
  const paid = await app.paidSale(880, 'Aperitivo per due');
  const cancelled = await app.call('sale:start', { amount: 150, description: 'Acqua frizzante' });
  await app.call('sale:cancel', { saleId: cancelled.id });

  await openCashier(page, app);
  await page.getByTestId('nav-history').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  await shot(page, 'history-it');

  await page.getByTestId('history-search').fill('aperitivo');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sale-id', paid.id);
  await page.getByTestId('history-search').fill(paid.merchantRef);
  await expect(rows).toHaveCount(1);

  await page.getByTestId('history-search').fill('');
  await page.getByTestId('history-state').selectOption('cancelled');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sale-id', cancelled.id);

  await page.getByTestId('history-state').selectOption('');
  const from = page.getByTestId('history-from');
  const to = page.getByTestId('history-to');
  await expect(from).toHaveValue('');
  await expect(from).toHaveAttribute('placeholder', 'Qualsiasi');
  const next = new Date(Date.parse(`${paid.businessDay}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const figures = (day: string) => day.split('-').reverse().join('/');
  // Typed in Italian order (day, month, year), taken on Enter.
  await from.fill(figures(next));
  await from.press('Enter');
  await expect(page.getByTestId('history-total')).toHaveAttribute('data-total', '0');
  await expect(from).toHaveAttribute('data-day', next);
  // In the field the day is in figures, selected, so what is typed replaces it.
  await expect(from).toHaveValue(figures(next));
  await from.pressSequentially(figures(paid.businessDay).replaceAll('/', ''));
  await to.fill(figures(paid.businessDay));
  await expect(to).toHaveAttribute('placeholder', 'gg/mm/aaaa');
  await page.keyboard.press('Tab');
  await expect(rows).toHaveCount(2);
  await expect(from).toHaveAttribute('data-day', paid.businessDay);
  // Out of the field the chosen day reads in Italian, whatever the browser's locale.
  const [y, m, d] = paid.businessDay.split('-').map(Number) as [number, number, number];
  const italian = new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(y, m - 1, d),
  );
  await expect(to).toHaveValue(italian);
  // Typed as it reads there, the month named, it is the same day.
  await to.fill(italian);
  await to.press('Enter');
  await expect(to).toHaveAttribute('data-day', paid.businessDay);
  await expect(page.getByTestId('history-to-problem')).toHaveCount(0);
  // A day the calendar does not have is said, and changes nothing.
  await from.fill('31/02/2026');
  await from.press('Enter');
  await expect(page.getByTestId('history-from-problem')).toHaveText(
    '31/02/2026 non è un giorno del calendario',
  );
  await expect(from).toHaveAttribute('aria-invalid', 'true');
  await expect(from).toHaveAttribute('data-day', paid.businessDay);
  await from.fill('31 febbraio');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('history-from-problem')).toHaveText(
    `Scrivi il giorno come gg/mm/aaaa, ad es. ${figures(paid.businessDay)}`,
  );
  await expect(from).toHaveValue('31 febbraio');
  await shot(page, 'history-date-problem');
  await expect(rows).toHaveCount(2);
  // Escape goes back to the day the field has.
  await from.focus();
  await from.press('Escape');
  await expect(from).toHaveValue(figures(paid.businessDay));
  await expect(page.getByTestId('history-from-problem')).toHaveCount(0);
  // The calendar (the engine's picker, for a touch screen) sets the day the same way.
  await expect(page.getByTestId('history-to-calendar')).toHaveAttribute(
    'aria-label',
    'Al giorno: scegli dal calendario',
  );
  await page.getByTestId('history-to-native').fill(next);
  await expect(to).toHaveAttribute('data-day', next);
  await expect(to).toHaveValue(/^\d{1,2} [a-z]{3} \d{4}$/);
  await page.getByTestId('history-from-native').fill(next);
  await expect(page.getByTestId('history-total')).toHaveAttribute('data-total', '0');
  await expect(from).toHaveAttribute('data-day', next);
  // A To day before the From day is refused: the field says the first day it can take.
  await to.fill(figures(paid.businessDay));
  await to.press('Enter');
  const nextShown = new Intl.DateTimeFormat('it-IT', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.parse(`${next}T00:00:00Z`),
  );
  const toProblem = page.getByTestId('history-to-problem');
  await expect(toProblem).toHaveText(`Il primo giorno che si può scegliere: ${nextShown}`);
  // The day stays whole on one line: no-break spaces inside it.
  expect(await toProblem.textContent()).toContain(nextShown.replaceAll(' ', '\u00a0'));
  await expect(to).toHaveAttribute('data-day', next);
  await to.press('Escape');
  // Emptied, a field is any day again.
  await from.fill('');
  await from.press('Enter');
  await expect(rows).toHaveCount(2);
  await expect(from).toHaveAttribute('data-day', '');
  await shot(page, 'history-date-typing');
  // A wrong day typed in an empty field goes with Reset filters, though no day changes.
  await from.fill('xyz');
  await from.press('Enter');
  await expect(page.getByTestId('history-from-problem')).toBeVisible();
  await page.getByTestId('history-reset').click();
  await expect(page.getByTestId('history-from')).toHaveValue('');
  await expect(page.getByTestId('history-from-problem')).toHaveCount(0);

  await openSale(page, 'Aperitivo');
  const timeline = page.getByTestId('timeline-entry');
  await expect(timeline.first()).toHaveAttribute('data-kind', 'sale.started');
  await expect(page.locator('[data-testid="timeline-entry"][data-kind="charge.done"]')).toHaveCount(1);
  // The approval is said once: the sale's state "Approvata", not "Approvata approvata".
  const approval = page.locator('[data-testid="timeline-entry"][data-kind="authorization.status"]').first();
  await expect(approval).toContainText('Approvata');
  await expect(approval).not.toContainText('approvata');
  await expect(approval.getByTestId('timeline-status')).toHaveCount(0);
  await shot(page, 'sale-detail-it');
});

test('the history search ignores case, accents and the order of the words, as a cashier types fast', async ({
  page,
}) => {
  const accented = await app.call('sale:start', { amount: 120, description: 'Caffè corretto' });
  await app.call('sale:cancel', { saleId: accented.id });
  const plain = await app.call('sale:start', { amount: 90, description: 'Perche no' });
  await app.call('sale:cancel', { saleId: plain.id });

  await openCashier(page, app);
  await page.getByTestId('nav-history').click();
  const search = page.getByTestId('history-search');
  const total = page.getByTestId('history-total');
  const rows = page.getByTestId('history-row');
  for (const [typed, id] of [
    ['CAFFE CORRETTO', accented.id], // no accent typed, in capitals
    ['CAFFÈ', accented.id], // an upper-case accent for a lower-case one
    ['perché', plain.id], // an accent the description does not have
    ['corretto caffe', accented.id], // the words in another order
  ] as const) {
    await search.fill('nessuna vendita');
    await expect(total).toHaveAttribute('data-total', '0');
    await search.fill(typed);
    await expect(total).toHaveAttribute('data-total', '1');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-sale-id', id);
  }
});

test('the history finds a sale by its amount, typed as a cashier writes it', async ({ page }) => {
  const paid = await app.paidSale(1237, 'Tagliere misto');
  const other = await app.paidSale(1370, 'Tagliere 12 persone'); // its "12" is not 12,37

  await openCashier(page, app);
  await page.getByTestId('nav-history').click();
  const search = page.getByTestId('history-search');
  const total = page.getByTestId('history-total');
  const rows = page.getByTestId('history-row');
  for (const typed of ['12,37', '12.37', '€ 12,37']) {
    await search.fill('nessuna vendita');
    await expect(total).toHaveAttribute('data-total', '0');
    await search.fill(typed);
    await expect(total).toHaveAttribute('data-total', '1');
    await expect(rows.first()).toHaveAttribute('data-sale-id', paid.id);
  }
  // Text still matches: the other sale's description holds "tagliere", and "13,7" is its amount.
  await search.fill('tagliere');
  await expect(rows).toHaveCount(2);
  await search.fill('13,7');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sale-id', other.id);
});

test('the history tab, pressed on a sale’s detail, goes back to the list with its filters', async ({
  page,
}) => {
  const paid = await app.paidSale(640, 'Tortellini da asporto');
  await openCashier(page, app);
  await openSale(page, 'tortellini');
  const tab = page.getByTestId('nav-history');
  await expect(tab).toHaveAttribute('aria-current', 'page');

  await tab.click();
  await expect(page.getByTestId('sale-detail')).toHaveCount(0);
  await expect(page.getByTestId('history-screen')).toBeVisible();
  await expect(page.getByTestId('history-search')).toHaveValue('tortellini');
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-sale-id', paid.id);
  // As ← does: the sale just seen keeps the focus, for a keyboard user to go on from there.
  await expect(rows.first().getByTestId('history-open')).toBeFocused();

  // Pressed on the list it stays there.
  await tab.click();
  await expect(page.getByTestId('history-screen')).toBeVisible();
  await expect(rows).toHaveCount(1);

  // A sale's detail left for another tab: the History tab opens the list, not that old sale.
  await rows.first().getByTestId('history-open').click();
  await expect(page.getByTestId('sale-detail')).toBeVisible();
  await page.getByTestId('nav-sale').click();
  await tab.click();
  await expect(page.getByTestId('sale-detail')).toHaveCount(0);
  await expect(rows).toHaveCount(1);
});

test('sale times read in the shop’s time zone, whatever the zone of the machine', async ({ browser }) => {
  const paid = await app.paidSale(330, 'Spremuta');
  // A till whose operating system is set to New York: the shop (and its business day) is in Rome.
  const context = await browser.newContext({ timezoneId: 'America/New_York', locale: 'it-IT' });
  const page = await context.newPage();
  try {
    await openCashier(page, app);
    await openSale(page, 'Spremuta');
    // The year in full, as in English.
    const rome = new Intl.DateTimeFormat('it-IT', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZone: 'Europe/Rome',
    }).format(new Date(paid.createdAt));
    await expect(page.getByTestId('sale-detail')).toContainText(rome);
    const started = page.locator('[data-testid="timeline-entry"][data-kind="sale.started"] time');
    await expect(started).toHaveText(rome.split(', ')[1] ?? rome);
  } finally {
    await context.close();
  }
});

test('a partial refund, then the charge cannot be refunded a second time', async ({ page, browser }) => {
  const sale = await app.paidSale(2000, 'Scarpe da corsa');
  await openCashier(page, app);
  // Two more cashier windows left open on the same sale before the refund: one follows the
  // core's push events, the other has lost them (its view stays stale).
  const live = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await openCashier(live, app);
  await openSale(live, 'Scarpe');
  await live.getByTestId('refund-open').click();
  const other = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await other.route('**/events', (route) => route.abort());
  await openCashier(other, app, 'core_lost');
  await openSale(other, 'Scarpe');
  await other.getByTestId('refund-open').click();

  await openSale(page, 'Scarpe');
  await page.getByTestId('refund-open').click();
  const dialog = page.getByTestId('refund-dialog');
  await expect(dialog.getByTestId('refund-remaining')).toHaveText('20,00 €');
  // The whole charge is offered, selected: what the cashier types replaces it, never adds to it.
  const amountField = dialog.getByTestId('refund-amount');
  await expect(amountField).toBeFocused();
  await expect(dialog.getByTestId('refund-submit')).toHaveText('Rimborsa 20,00 €');
  await page.keyboard.type('4');
  await expect(amountField).toHaveValue('4');
  await expect(dialog.getByTestId('refund-submit')).toHaveText('Rimborsa 4,00 €');
  // An amount that is not one puts none on the button (not "0,00 €").
  await page.keyboard.type(',004');
  await expect(dialog.getByTestId('refund-submit')).toHaveText('Rimborsa');
  // Said as it is typed, not only once the refund is asked for (QA G7).
  const problem = dialog.getByTestId('refund-amount-problem');
  await expect(problem).toContainText('Importo non valido');
  await expect(amountField).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByTestId('refund-amount').fill('25');
  await expect(problem).toHaveText('Puoi rimborsare al massimo 20,00 €.');
  // The reason is asked for before it is missed.
  await expect(dialog.getByLabel('Motivo (obbligatorio)')).toBeVisible();
  await dialog.getByTestId('refund-reason').fill('Taglia sbagliata');
  await dialog.getByTestId('refund-submit').click();
  await expect(dialog).toContainText('Puoi rimborsare al massimo 20,00 €');
  await dialog.getByTestId('refund-amount').fill('5,50');
  // One refund per charge: the dialog says what a partial one leaves for good.
  await expect(dialog.getByTestId('refund-left-over')).toHaveText(
    'Gli altri 14,50 € non si potranno più rimborsare.',
  );
  await shot(page, 'refund-dialog-it');
  await dialog.getByTestId('refund-submit').click();
  await expect(page.getByTestId('refund-done')).toContainText('5,50 €');
  // The dialog is gone: its notice has the focus, not the page's body.
  await expect(page.getByTestId('refund-done')).toBeFocused();
  await expect(page.getByTestId('refund')).toHaveAttribute('data-status', /ENQUEUED|DONE|ACCOUNTED/);
  await expect(page.getByTestId('refund')).toHaveAttribute('data-status', /DONE|ACCOUNTED/);
  await expect(page.getByTestId('detail-refunded')).toHaveAttribute('data-cents', '550');
  await expect(page.getByTestId('detail-refund-pending')).toHaveCount(0);
  // Part of it went back: "refunded in part", not plain "paid" nor "refunded".
  const badge = page.getByTestId('sale-detail').locator('[data-state="paid"]').first();
  await expect(badge).toHaveText('Rimborsata in parte');
  await expect(badge).toHaveAttribute('data-refunded', 'part');
  // One refund per charge: the button is gone and the screen says why, and what is left.
  await expect(page.getByTestId('refund-open')).toHaveCount(0);
  await expect(page.getByTestId('one-refund-note')).toContainText(
    'gli altri 14,50 € non sono più rimborsabili',
  );
  // A refund's status badge starts with a capital, as the sale's state beside it does (QA G9);
  // the word itself stays lower-case for the sentences that use it.
  const refundBadge = page.locator('[data-testid="timeline-status"].tone-badge').first();
  await expect(refundBadge).toHaveText(/^\p{Ll}/u);
  expect(await refundBadge.evaluate((el) => getComputedStyle(el, '::first-letter').textTransform)).toBe(
    'uppercase',
  );
  await shot(page, 'sale-detail-refunded-it');

  // The customer's receipt: printed alone, with the shop, the payment and the refund.
  await expect(page.getByTestId('receipt')).toBeHidden();
  await page.evaluate(() => {
    // No printer in a test: the print dialog is the browser's, not ours.
    window.print = () => undefined;
  });
  await page.getByTestId('detail-print-receipt').click();
  await page.emulateMedia({ media: 'print' });
  const receipt = page.getByTestId('receipt');
  await expect(receipt).toBeVisible();
  await expect(page.getByTestId('detail-refunded')).toBeHidden();
  await expect(page.getByTestId('receipt-shop')).toHaveText('Bar Sandbox');
  await expect(page.getByTestId('receipt-charge')).toHaveText('20,00 €');
  await expect(page.getByTestId('receipt-refund')).toHaveText('−5,50 €');
  await expect(page.getByTestId('receipt-net')).toHaveText('14,50 €');
  await expect(receipt).toContainText('Taglia sbagliata');
  await expect(receipt).toContainText('Documento non fiscale');
  await expect(receipt).toContainText(/ID POS DropPay\s*POS\w+/);
  await shot(page, 'sale-receipt-it');
  // On a receipt printer's 80 mm roll (72 mm printable, 272 px): nothing runs past the edge.
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 272, height: 900 });
  const overflow = await receipt.evaluate(
    (el) =>
      [...el.querySelectorAll('dt, dd, p')].filter((e) => e.getBoundingClientRect().right > 272 + 0.5).length,
  );
  expect(overflow).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(272);
  await shot(page, 'sale-receipt-80mm-it');
  if (wide) await page.setViewportSize(wide);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('receipt')).toBeHidden();
  await expect(page.getByTestId('detail-refunded')).toBeVisible();

  // The live window says at once that the charge has had its refund.
  await expect(live.getByTestId('refund-already')).toContainText('già stato rimborsato');
  await expect(live.getByTestId('refund-dialog').getByTestId('refund-submit')).toBeDisabled();
  await shot(live, 'refund-already-it');
  await live.close();

  // The stale window tries a second refund: refused by the core, and told clearly why.
  const stale = other.getByTestId('refund-dialog');
  await stale.getByTestId('refund-amount').fill('3');
  await stale.getByTestId('refund-reason').fill('Ancora un rimborso');
  await stale.getByTestId('refund-submit').click();
  await expect(stale.getByTestId('refund-error')).toHaveAttribute('data-code', 'ALREADY_REFUNDED');
  await expect(stale.getByTestId('refund-error')).toContainText('già stato rimborsato');
  await expect(stale.getByTestId('refund-error')).toContainText('un solo rimborso per addebito');
  // The dialog reads the sale again: the charge's refund shows, and no second try is offered.
  await expect(stale.getByTestId('refund-already')).toBeVisible();
  await expect(stale.getByTestId('refund-submit')).toBeDisabled();
  await shot(other, 'refund-refused-it');
  await other.close();

  const ledger = await app.sim.ledger();
  expect(ledger.refunds.filter((r) => r.charge_id === sale.charges[0]?.droppayId)).toHaveLength(1);

  // Back to the list: the sale just seen keeps the focus, so the keyboard goes on from there.
  await page.getByTestId('detail-back').click();
  await expect(
    page.locator(`[data-testid="history-row"][data-sale-id="${sale.id}"]`).getByTestId('history-open'),
  ).toBeFocused();

  // The state filter's "Refunded" (QA C29): the core lists the sales with a refund, of all or
  // part; a sale paid and never refunded is not among them.
  const untouched = await app.paidSale(1990, 'Calze nuove');
  await page.getByTestId('history-search').fill('');
  const rows = page.getByTestId('history-row');
  await expect(rows.and(page.locator(`[data-sale-id="${untouched.id}"]`))).toHaveCount(1);
  await expect(page.getByTestId('history-state-refunded')).toHaveText('Con rimborso');
  await page.getByTestId('history-state').selectOption('refunded');
  const refunded = await app.call('sale:list', { refunded: true });
  expect(refunded.sales.map((s) => s.id)).toContain(sale.id);
  await expect(page.getByTestId('history-total')).toHaveAttribute('data-total', String(refunded.total));
  await expect(rows).toHaveCount(refunded.sales.length);
  await expect(page.locator(`[data-testid="history-row"][data-sale-id="${untouched.id}"]`)).toHaveCount(0);
  await expect(rows.locator('[data-refunded="none"]')).toHaveCount(0);
  await shot(page, 'history-refunded-filter-it');
  // With the text too: the search within the refunded sales.
  await page.getByTestId('history-search').fill('Scarpe');
  await expect(rows).toHaveCount(1);
  await page.getByTestId('history-search').fill('Calze');
  await expect(page.getByTestId('history-total')).toHaveAttribute('data-total', '0');
  await page.getByTestId('history-reset').click();
  await expect(page.getByTestId('history-state')).toHaveValue('');
});

test('the refund dialog by keyboard: Enter opens it, Escape closes it, Enter at once opens it again', async ({
  page,
}) => {
  await app.paidSale(123456, 'Cintura');
  await openCashier(page, app);
  await openSale(page, 'Cintura');
  const open = page.getByTestId('refund-open');
  const dialog = page.getByTestId('refund-dialog');
  for (let i = 0; i < 3; i += 1) {
    await open.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('refund-amount')).toBeFocused();
    // The amount offered is written as the rest of the dialog writes money, thousands and all.
    await expect(dialog.getByTestId('refund-amount')).toHaveValue('1.234,56');
    // Closed and opened again faster than the dialog's close event arrives.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.waitForTimeout(200);
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(open).toBeFocused();
  }
});

test('DropPay’s own refusal of a second refund is shown as such', async ({ page }) => {
  const sale = await app.paidSale(1200, 'Libro');
  const chargeId = sale.charges[0]?.droppayId ?? '';
  // The charge was refunded outside this till (another till, or DropPay's own dashboard).
  await app.runtime.client.refunds.create({ chargeId, amount: 100, reason: 'Da un’altra cassa' });

  await openCashier(page, app);
  await openSale(page, 'Libro');
  await page.getByTestId('refund-open').click();
  const dialog = page.getByTestId('refund-dialog');
  await dialog.getByTestId('refund-amount').fill('2');
  await dialog.getByTestId('refund-reason').fill('Pagina strappata');
  await dialog.getByTestId('refund-submit').click();
  const error = dialog.getByTestId('refund-error');
  await expect(error).toHaveAttribute('data-code', 'ALREADY_REFUNDED');
  await expect(error).toContainText('già stato rimborsato');
  // The details line: what DropPay's refusal means, in Italian, then DropPay's own words.
  await expect(error).toContainText('Questo pagamento è già stato rimborsato. (DropPay: charge');
  await expect(error.locator('[data-detail]')).toHaveAttribute('data-detail', 'droppay.ALREADY_REFUNDED');
  await shot(page, 'refund-droppay-refused-it');
});

test('a refund DropPay does not confirm is shown as in doubt, then as what DropPay did', async ({ page }) => {
  await app.paidSale(1250, 'Borsa in pelle');
  await openCashier(page, app);
  await openSale(page, 'Borsa');
  await page.getByTestId('refund-open').click();
  const dialog = page.getByTestId('refund-dialog');
  await dialog.getByTestId('refund-reason').fill('Cucitura difettosa');
  // DropPay takes the refund but its answer is lost, and so are those of the read-backs.
  await app.sim.faults({ drop_after_commit_rate: 1 });
  try {
    await dialog.getByTestId('refund-submit').click();
    const notice = page.getByTestId('refund-done');
    await expect(notice).toHaveAttribute('data-tone', 'warn');
    await expect(notice).toContainText('non ha ancora confermato il rimborso di 12,50 €');
    await expect(page.getByTestId('one-refund-note')).toHaveCount(0);
    await expect(page.getByTestId('refund-checking-note')).toBeVisible();
    await expect(page.getByTestId('refund-open')).toHaveCount(0);
    await shot(page, 'refund-unknown-it');
  } finally {
    await app.sim.faults({});
  }
  // The till reads it back: the notice follows, and the one-refund note appears.
  const notice = page.getByTestId('refund-done');
  await expect(notice).toHaveAttribute('data-tone', 'ok', { timeout: 20_000 });
  await expect(notice).toContainText('Rimborso di 12,50 € inviato a DropPay');
  await expect(page.getByTestId('one-refund-note')).toBeVisible();
  expect((await app.sim.ledger()).refunds.filter((r) => r.amount === 12.5)).toHaveLength(1);
  // All its money went back: the sale reads "refunded", here and in the list, not "paid".
  const badge = page.getByTestId('sale-detail').locator('[data-state="paid"]').first();
  await expect(badge).toHaveText('Rimborsata', { timeout: 20_000 });
  // The timeline says it in Italian, each status once and coloured as the charge's are (QA E1).
  const entry = (kind: string) => page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`);
  await expect(entry('refund.unknown')).toContainText('Rimborso: esito sconosciuto');
  await expect(entry('refund.unknown').getByTestId('timeline-status')).toHaveCount(0);
  const statuses = entry('refund.status').getByTestId('timeline-status');
  await expect(statuses.first()).toHaveAttribute('data-tone', /^(info|ok)$/);
  await expect(statuses.last()).toHaveAttribute('data-tone', 'ok');
  await expect(statuses.last()).toHaveCSS('color', 'rgb(134, 239, 172)');
  await expect(entry('refund.status').first()).toContainText('trovato rileggendo l’addebito');
  await expect(page.getByTestId('timeline')).not.toContainText('reading the charge back');
  await entry('refund.status').last().scrollIntoViewIfNeeded();
  await shot(page, 'refund-timeline-it');
  await page.getByTestId('detail-back').click();
  await expect(
    page.getByTestId('history-row').filter({ hasText: 'Borsa in pelle' }).locator('[data-refunded="full"]'),
  ).toHaveText('Rimborsata');
});

test('with a manager PIN set, a refund needs it', async ({ page }) => {
  await app.call('settings:set-manager-pin', { pin: '2468' });
  try {
    await app.paidSale(990, 'Ombrello');
    await openCashier(page, app);
    await openSale(page, 'Ombrello');
    await page.getByTestId('refund-open').click();
    const dialog = page.getByTestId('refund-dialog');
    await dialog.getByTestId('refund-reason').fill('Difettoso');
    await dialog.getByTestId('refund-submit').click();
    await expect(dialog).toContainText('Serve il PIN del responsabile');
    await dialog.getByTestId('refund-pin').fill('1111');
    await dialog.getByTestId('refund-submit').click();
    const error = dialog.getByTestId('refund-error');
    await expect(error).toHaveAttribute('data-code', 'PIN_WRONG');
    await expect(error).toContainText('PIN del responsabile errato');
    // The field is emptied for the next try, has the focus, and says only that the PIN was wrong:
    // not that it is empty.
    const field = dialog.getByTestId('refund-pin');
    await expect(field).toHaveValue('');
    await expect(field).toBeFocused();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(/PIN del responsabile errato/);
    await expect(dialog).not.toContainText('Serve il PIN del responsabile');
    await shot(page, 'refund-wrong-pin-it');
    await dialog.getByTestId('refund-pin').fill('2468');
    await dialog.getByTestId('refund-submit').click();
    await expect(page.getByTestId('refund-done')).toContainText('9,90 €');
  } finally {
    await app.call('settings:set-manager-pin', { pin: null, currentPin: '2468' });
  }
});

test('five wrong PINs lock refunds: each says the tries left, the fifth the lock at once; the time left counts down, and confirming works again at its end', async ({
  page,
}) => {
  const PIN = '1357';
  const file = join(app.dataDir, 'manager-pin.json');
  await app.call('settings:set-manager-pin', { pin: PIN });
  try {
    await app.paidSale(700, 'Sciarpa');
    await openCashier(page, app);
    await openSale(page, 'Sciarpa');
    await page.getByTestId('refund-open').click();
    const dialog = page.getByTestId('refund-dialog');
    const field = dialog.getByTestId('refund-pin');
    const submit = dialog.getByTestId('refund-submit');
    const error = dialog.getByTestId('refund-error');
    const timer = dialog.getByTestId('refund-pin-lock');
    await dialog.getByTestId('refund-reason').fill('Colore sbagliato');
    // Each wrong PIN says how many more are allowed before the lock.
    for (const left of [
      'ancora 4 tentativi',
      'ancora 3 tentativi',
      'ancora 2 tentativi',
      'ancora 1 tentativo',
    ]) {
      await field.fill('0000');
      await submit.click();
      await expect(error).toHaveAttribute('data-code', 'PIN_WRONG');
      await expect(error).toContainText(`${left} prima del blocco`);
      await expect(field).toBeFocused();
      await expect(field).toHaveAccessibleDescription(new RegExp(`${left} prima del blocco`));
    }
    await shot(page, 'refund-pin-tries-left-it');
    // The fifth starts the lock, and the dialog says so at once: no try more is needed to see it.
    await field.fill('0000');
    await submit.click();
    await expect(error).toHaveAttribute('data-code', 'PIN_LOCKED');
    await expect(timer).toContainText(/Puoi riprovare il PIN tra (29|30) s/);
    await expect(submit).toBeDisabled();
    await expect(field).toBeFocused();
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await expect(error).not.toContainText('tentativ');

    // The core locks for 30 s: the test makes it end sooner, in the PIN file, and opens the
    // dialog again (this one counts the core's 30 s down).
    shortenPinLock(file);
    await dialog.getByTestId('refund-cancel').click();
    await expect(dialog).toHaveCount(0);
    await page.getByTestId('refund-open').click();

    // Opened again, the dialog says the lock before any PIN is typed: not as a wrong PIN.
    await expect(error).toHaveAttribute('data-code', 'PIN_LOCKED');
    await expect(error).toContainText('Troppi PIN errati');
    await expect(field).not.toHaveAttribute('aria-invalid', 'true');
    await dialog.getByTestId('refund-reason').fill('Colore sbagliato');
    await expect(dialog).not.toContainText('Serve il PIN del responsabile');
    await expect(submit).toBeDisabled();
    // The time left counts down, from what the core said.
    await expect(field).toHaveAccessibleDescription(/Puoi riprovare il PIN tra \d+ s/);
    await shot(page, 'refund-pin-locked-it');
    // At its end the dialog says so and confirming works again, without reopening it.
    await expectLockCountdown(timer, submit);
    await expect(error).toHaveCount(0);
    await expect(dialog.getByTestId('refund-pin-unlocked')).toContainText('Il blocco è finito');
    await field.fill(PIN);
    await submit.click();
    await expect(page.getByTestId('refund-done')).toContainText('7,00 €');
  } finally {
    // A PIN still locked cannot be removed through the app: the test removes its file.
    rmSync(file, { force: true });
  }
});

test('a PIN set after the screen opened: the core asks for it and the dialog shows the field', async ({
  page,
}) => {
  await app.paidSale(450, 'Cappello');
  await openCashier(page, app);
  // Set from another window: this screen still believes refunds need no PIN.
  await app.call('settings:set-manager-pin', { pin: '8642' });
  try {
    await openSale(page, 'Cappello');
    await page.getByTestId('refund-open').click();
    const dialog = page.getByTestId('refund-dialog');
    await expect(dialog.getByTestId('refund-pin')).toHaveCount(0);
    await dialog.getByTestId('refund-reason').fill('Taglia');
    await dialog.getByTestId('refund-submit').click();
    const error = dialog.getByTestId('refund-error');
    await expect(error).toHaveAttribute('data-code', 'PIN_REQUIRED');
    await expect(error).toContainText('Serve il PIN del responsabile');
    // The field it now shows has the focus, for the PIN to be typed at once.
    await expect(dialog.getByTestId('refund-pin')).toBeFocused();
    await dialog.getByTestId('refund-pin').fill('8642');
    await dialog.getByTestId('refund-submit').click();
    await expect(page.getByTestId('refund-done')).toContainText('4,50 €');
  } finally {
    await app.call('settings:set-manager-pin', { pin: null, currentPin: '8642' });
  }
});

test('a refund whose answer is lost while DropPay stays unreachable: the banner says why, and check now settles it', async ({
  page,
}) => {
  const sale = await app.paidSale(3000, 'Bici a noleggio');
  const chargeId = sale.charges[0]?.droppayId ?? '';
  await openCashier(page, app);
  await openSale(page, 'Bici a noleggio');
  await page.getByTestId('refund-open').click();
  const dialog = page.getByTestId('refund-dialog');
  await dialog.getByTestId('refund-amount').fill('25');
  await dialog.getByTestId('refund-reason').fill('Bici riportata prima');
  // The refund reaches DropPay, but its answer is lost, and so is every read-back after it.
  await app.sim.faults({ drop_after_commit_rate: 1 });
  await dialog.getByTestId('refund-submit').click();
  const item = page.locator(`[data-testid="pending-item"][data-sale-id="${sale.id}"]`);
  await expect(item).toBeVisible({ timeout: 20_000 });
  await expect(item).toHaveAttribute('data-kind', 'refund');

  // Check now while DropPay is still unreachable: the banner says why, in Italian, and when next.
  const checkNow = page.getByTestId('pending-check-now');
  const clicked = Date.now();
  await checkNow.click();
  // Reading back takes the client's retries; the button says so and waits.
  await expect(checkNow).toBeEnabled({ timeout: 15_000 });
  const checked = item.getByTestId('pending-checked');
  await expect(checked).toContainText(/Ultima verifica alle .*, la prossima verso le /);
  // The read-back shown is this click's.
  await expect
    .poll(async () => Date.parse((await checked.getAttribute('data-checked-at')) ?? ''))
    .toBeGreaterThanOrEqual(clicked);
  const why = item.getByTestId('pending-reason');
  await expect(why).toHaveAttribute('data-detail', 'droppay.NETWORK');
  // What was tried and what it met, then what to check: not the headline's words again.
  await expect(why).toHaveText(
    /^La cassa ha provato a contattare 127\.0\.0\.1:\d+, ma la connessione si è interrotta\. Controlla che il computer sia in rete/,
  );
  // A refund DropPay may have made: the banner says not to repeat it.
  await expect(page.getByTestId('pending-banner')).toContainText('Non ripetere il pagamento né il rimborso');
  await shot(page, 'pending-banner-reason-it');
  // The banner opens the sale it is about.
  await page.getByTestId('nav-sale').click();
  // Folded on the sale screen (it would push the keypad down): unfolded to open the sale.
  await page.getByTestId('pending-unfold').click();
  await item.getByTestId('pending-open').click();
  await expect(page.getByTestId('sale-detail')).toHaveAttribute('data-sale-id', sale.id);

  // DropPay answers again: check now finds the refund DropPay made, and nothing is refunded twice.
  // The last read-back failed a moment ago, so the resolver's own next try is seconds away.
  await app.sim.faults({});
  await checkNow.click();
  await expect(page.getByTestId('pending-banner')).toHaveCount(0);
  const refunds = (await app.sim.ledger()).refunds.filter((r) => r.charge_id === chargeId);
  expect(refunds).toMatchObject([{ amount: 25 }]);
  const after = await app.call('sale:get', { saleId: sale.id });
  expect(after.charges[0]?.refund).toMatchObject({ amount: 2500, droppayId: refunds[0]?.id });
});

test.describe('a refund DropPay takes a while to carry out', () => {
  let slow: TestApp;
  test.beforeAll(async () => {
    slow = await startApp({ refundSettleSeconds: 3600 });
  });
  test.afterAll(async () => {
    await slow.close();
  });

  test('is shown as being refunded until DropPay has done it', async ({ page }) => {
    const sale = await slow.paidSale(1800, 'Giacca');
    await openCashier(page, slow);
    await openSale(page, 'Giacca');
    await page.getByTestId('refund-open').click();
    const dialog = page.getByTestId('refund-dialog');
    await dialog.getByTestId('refund-amount').fill('6');
    await dialog.getByTestId('refund-reason').fill('Bottone mancante');
    await dialog.getByTestId('refund-submit').click();
    await expect(page.getByTestId('refund-done')).toContainText('6,00 €');
    // DropPay has queued it: the money is on its way back, not back yet.
    await expect(page.getByTestId('refund')).toHaveAttribute('data-status', 'ENQUEUED');
    await expect(page.getByTestId('detail-refund-pending')).toHaveAttribute('data-cents', '600');
    await expect(page.getByTestId('detail-refund-pending')).toHaveText('6,00 € in corso di rimborso');
    await expect(page.getByTestId('detail-refunded')).toHaveAttribute('data-cents', '0');
    await shot(page, 'refund-pending-it');
    // The till keeps asking; once DropPay has carried it out the note goes by itself.
    await slow.sim.advanceClock(3601);
    await expect(page.getByTestId('refund')).toHaveAttribute('data-status', /DONE|ACCOUNTED/);
    await expect(page.getByTestId('detail-refund-pending')).toHaveCount(0);
    await expect(page.getByTestId('detail-refunded')).toHaveAttribute('data-cents', '600');
    expect((await slow.call('sale:get', { saleId: sale.id })).refunded).toBe(600);
  });
});
