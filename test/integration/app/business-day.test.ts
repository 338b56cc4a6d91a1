import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDay } from '../../../electron/main/journal/business-day';
import { startSandbox } from '../../../electron/main/sandbox';
import { startApp, type TestApp } from './harness';

// The business-day rule (time zone and the hour a day ends) set from the settings, on the
// real runtime: the sandbox's sales journal and the main journal both follow it at once, the
// next start keeps it, and it is refused when it would strand a sale or book into a closed day.

let app: TestApp;
beforeAll(async () => {
  app = await startApp();
  await app.runtime.ready();
});
afterAll(() => app.close());

const detailOf = (r: { ok: boolean; error?: { detail?: { key: string; params?: unknown } } }) =>
  r.ok ? undefined : r.error?.detail;

/**
 * The hour after the present one, so the rule books now on the day before the calendar's
 * (after 23:00 it is 23 and the day stays the calendar's; the checks hold either way).
 */
function hourAfterNow(zone: string): number {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(
      new Date(),
    ),
  );
  return Math.min(hour + 1, 23);
}

describe('the business-day rule from the settings', () => {
  it('puts a new rule in force at once for new sales, the day screen and the next start', async () => {
    const zone = 'Europe/Rome';
    const cutoff = hourAfterNow(zone);
    const view = await app.value('settings:update', { cutoffHour: cutoff });
    expect(view).toMatchObject({ timeZone: zone, cutoffHour: cutoff });
    const expected = businessDay(new Date(), zone, cutoff);
    const sale = await app.value('sale:start', { amount: 450, description: 'Dopo mezzanotte' });
    expect(sale.businessDay).toBe(expected);
    await app.value('sale:cancel', { saleId: sale.id });
    expect((await app.value('day:report', {})).day).toBe(expected);
    expect(app.runtime.journal.cutoffHour).toBe(cutoff);
    expect(app.logs.some((l) => l.includes(`ends at ${String(cutoff).padStart(2, '0')}:00`))).toBe(true);

    const again = await startApp({ dataDir: app.dataDir });
    try {
      await again.runtime.ready();
      expect(again.runtime.journal.cutoffHour).toBe(cutoff);
      expect((await again.value('day:report', {})).cutoffHour).toBe(cutoff);
    } finally {
      await again.close();
    }
    await app.value('settings:update', { cutoffHour: 0 });
    expect(app.runtime.journal.cutoffHour).toBe(0);
  });

  it('refuses a change while a sale is in progress, and changes nothing', async () => {
    const waiting = await app.value('sale:start', { amount: 300, description: 'Acqua' });
    const refused = await app.call('settings:update', { cutoffHour: 4, storeName: 'Bar Notte' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_STATE');
    expect(detailOf(refused)).toMatchObject({ key: 'settings.dayRuleSaleInProgress' });
    expect(await app.value('settings:get')).toMatchObject({ cutoffHour: 0, storeName: '' });
    expect(app.runtime.journal.cutoffHour).toBe(0);
    // The rest of the form still saves while selling, as long as the rule is left alone.
    expect(await app.value('settings:update', { cutoffHour: 0, storeName: 'Bar Notte' })).toMatchObject({
      storeName: 'Bar Notte',
    });
    await app.value('sale:cancel', { saleId: waiting.id });
  });

  it('refuses an unknown zone, and a rule that would book from now on into a closed day', async () => {
    const unknown = await app.call('settings:update', { timeZone: 'Mars/Olympus_Mons' });
    // A zone that does not exist is what was typed: bad input, not the till's state.
    expect(unknown.ok ? 'ok' : unknown.error.code).toBe('VALIDATION');
    expect(detailOf(unknown)).toMatchObject({
      key: 'settings.timeZoneUnknown',
      params: { zone: 'Mars/Olympus_Mons' },
    });
    const today = app.runtime.day.today();
    // The earlier tests' sales are on it: checked with the sandbox first, then closed.
    await app.value('day:check', { day: today });
    await app.value('day:close', { day: today });
    // Berlin keeps Rome's clock all year: now is still the closed day there.
    const refused = await app.call('settings:update', { timeZone: 'Europe/Berlin' });
    expect(refused.ok ? 'ok' : refused.error.code).toBe('INVALID_STATE');
    expect(detailOf(refused)).toMatchObject({ key: 'settings.dayRuleClosedDay', params: { day: today } });
    expect(await app.value('settings:get')).toMatchObject({ timeZone: 'Europe/Rome' });
    expect(app.runtime.journal.timeZone).toBe('Europe/Rome');

    // Asked together with an environment switch, the refusal stops the switch too.
    const remote = await startSandbox();
    try {
      const both = await app.call('settings:update', {
        timeZone: 'Europe/Berlin',
        environment: 'custom',
        customBaseUrl: remote.baseUrl,
      });
      expect(detailOf(both)).toMatchObject({ key: 'settings.dayRuleClosedDay' });
      expect(app.runtime.environment).toBe('sandbox');
      expect(await app.value('settings:get')).toMatchObject({
        environment: 'sandbox',
        timeZone: 'Europe/Rome',
      });
    } finally {
      await remote.close();
    }
  });
});
