/**
 * A custom DropPay address saved before the address rule (plain http to another machine): the
 * real runtime, journal and keychain. The till does not open it, and will not switch to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSettings } from '../../../electron/main/app/settings-store';
import { openMainJournal } from '../../../electron/main/app/startup';
import { startApp, type TestApp } from './harness';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a custom address saved before the rule', () => {
  it('starts the till as if none were chosen, and a switch to custom that would reuse it is refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'droppay-legacy-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const journal = openMainJournal(dataDir);
    writeSettings(journal, { environment: 'custom', customBaseUrl: 'http://pay.example' });
    journal.close();

    const app: TestApp = await startApp({ dataDir });
    cleanups.push(() => app.close());
    expect(await app.value('app:check-connection')).toMatchObject({ environment: 'sandbox' });
    const refused = await app.call('settings:update', { environment: 'custom' });
    expect(refused.ok ? 'switched' : refused.error).toMatchObject({
      code: 'VALIDATION',
      detail: { key: 'input.invalid', params: { field: 'customBaseUrl' } },
    });
    expect(await app.value('app:check-connection')).toMatchObject({ environment: 'sandbox' });
  });
});
