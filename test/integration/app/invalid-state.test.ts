/**
 * Refusals for what the till is doing now, not for what was typed, come as INVALID_STATE from
 * the real runtime (embedded sandbox over HTTP, real journal, real keychain); bad input in the
 * same moment is still VALIDATION. The renderer's headline for each is "not now", never
 * "invalid data".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError, Result } from '../../../shared/result';
import { errorText } from '../../../renderer/src/i18n/errors';
import { eventually, grant, startApp, type TestApp } from './harness';

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
});
afterAll(() => app.close());

const refusal = (result: Result<unknown>): AppError | 'ok' => (result.ok ? 'ok' : result.error);
const stateOf = (id: string, state: string): true | undefined =>
  app.runtime.journal.getSale(id)?.state === state ? true : undefined;

describe('a refusal for the till’s state is INVALID_STATE', () => {
  it('while a sale waits for the customer: a business-day change, a second sale; a typo stays VALIDATION', async () => {
    const waiting = await app.value('sale:start', { amount: 450, description: 'Cornetto' });

    const dayRule = await app.call('settings:update', { cutoffHour: 4 });
    expect(refusal(dayRule)).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'settings.dayRuleSaleInProgress' },
    });
    expect(await app.value('settings:get')).toMatchObject({ cutoffHour: 0 });
    if (!dayRule.ok) {
      expect(errorText('en', dayRule.error, 'settings')).toBe('This cannot be changed now.');
      expect(errorText('it', dayRule.error, 'settings')).toBe('Non si può cambiare adesso.');
    }

    const second = await app.call('sale:start', { amount: 900, description: 'Pranzo' });
    expect(refusal(second)).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'sale.inProgress', params: { ref: waiting.merchantRef, saleId: waiting.id } },
    });
    if (!second.ok)
      expect(errorText('it', second.error, 'sale')).toBe('Il pagamento non si può avviare adesso.');

    // What was typed wrong is still bad input, sale in progress or not.
    const zone = await app.call('settings:update', { timeZone: 'Mars/Olympus_Mons' });
    expect(refusal(zone)).toMatchObject({ code: 'VALIDATION', detail: { key: 'settings.timeZoneUnknown' } });
    const noAmount = await app.call('sale:start', { amount: 0, description: 'Niente' });
    expect(refusal(noAmount)).toMatchObject({ code: 'VALIDATION', detail: { key: 'input.invalid' } });

    await app.value('sale:cancel', { saleId: waiting.id });
    // Cancelled once: cancelling the ended sale again is refused for its state.
    expect(refusal(await app.call('sale:cancel', { saleId: waiting.id }))).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'sale.cannotCancel', params: { state: 'cancelled' } },
    });
    // The till is free again: the rule changes now.
    expect(await app.value('settings:update', { cutoffHour: 4 })).toMatchObject({ cutoffHour: 4 });
    expect(await app.value('settings:update', { cutoffHour: 0 })).toMatchObject({ cutoffHour: 0 });
  });

  it('a capture: above the reservation is VALIDATION, of a sale not capturable now INVALID_STATE', async () => {
    const booked = await app.value('sale:start', { amount: 2500, description: 'Cauzione', policy: 'BOOKED' });
    await grant(app.runtime.sandbox?.baseUrl ?? '', booked.authorizationId ?? '');
    await eventually(() => stateOf(booked.id, 'granted'));

    const above = await app.call('sale:capture', { saleId: booked.id, amount: 2501 });
    expect(refusal(above)).toMatchObject({ code: 'VALIDATION', detail: { key: 'sale.captureAboveBooked' } });
    expect(await app.value('sale:capture', { saleId: booked.id, amount: 1000 })).toMatchObject({
      state: 'paid',
      charged: 1000,
    });
    const again = await app.call('sale:capture', { saleId: booked.id, amount: 500 });
    expect(refusal(again)).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'sale.cannotCapture', params: { state: 'paid' } },
    });
    if (!again.ok) {
      expect(errorText('en', again.error, 'capture')).toBe('This pre-authorization cannot be captured now.');
    }

    // A sale that takes the money at once has nothing to capture.
    const chargeable = await app.value('sale:start', { amount: 300, description: 'Acqua' });
    expect(refusal(await app.call('sale:capture', { saleId: chargeable.id, amount: 300 }))).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'sale.captureNotBooked' },
    });
    await app.value('sale:cancel', { saleId: chargeable.id });
  });

  it('a connection cancelled with none waiting, and credentials for the sandbox', async () => {
    expect(refusal(await app.call('connection:cancel'))).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'connect.noneWaiting' },
    });
    const sandbox = await app.call('settings:set-credentials', {
      environment: 'sandbox',
      applicationSecret: 'x',
    });
    expect(refusal(sandbox)).toMatchObject({
      code: 'INVALID_STATE',
      detail: { key: 'settings.sandboxCredentials' },
    });
  });
});
