import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sales';
import { eventually, startApp, type TestApp } from './harness';

// The embedded sandbox listens on a free port each time the app starts, and its links carry
// that port. A sale still waiting when the till closed is shown again after the restart: its
// QR must be the link DropPay gives now, not the one recorded when the sale began.

const apps: TestApp[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function open(dataDir: string): Promise<TestApp> {
  const app = await startApp({ dataDir });
  apps.push(app);
  await app.runtime.ready();
  return app;
}

describe('a waiting sale’s link after a restart', () => {
  it('follows the link DropPay gives now, and that link opens the payer page', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'droppay-link-'));
    dirs.push(dataDir);
    const first = await open(dataDir);
    const sale = await first.value('sale:start', { amount: 1250, description: 'Caffè e brioche' });
    const before = sale.sharingUrl ?? '';
    const firstBase = first.runtime.sandbox?.baseUrl ?? '';
    expect(new URL(before).origin).toBe(firstBase);
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const second = await open(dataDir);
    const secondBase = second.runtime.sandbox?.baseUrl ?? '';
    expect(secondBase).not.toBe(firstBase); // a free port again, not the old one

    const resumed = await eventually(async () => {
      const now: SaleView = await second.value('sale:get', { saleId: sale.id });
      return now.sharingUrl !== null && new URL(now.sharingUrl).origin === secondBase ? now : undefined;
    });
    expect(resumed.state).toBe('waiting');
    expect(new URL(resumed.sharingUrl ?? '').pathname).toBe(new URL(before).pathname);
    const page = await fetch(resumed.sharingUrl ?? '');
    expect(page.status).toBe(200);

    // The customer display was told too, and the sale's history says the link changed.
    const shown = second.events.filter(
      (e) => e.event === 'display' && JSON.stringify(e.payload).includes(resumed.sharingUrl ?? '-'),
    );
    expect(shown.length).toBeGreaterThan(0);
    const timeline = await second.value('sale:timeline', { saleId: sale.id });
    expect(timeline.map((t) => t.kind)).toContain('authorization.link');
  });
});
