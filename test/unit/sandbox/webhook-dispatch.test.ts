/**
 * The sandbox's event sender on its own, against a real local receiver: a delivery that goes
 * wrong in an unexpected way (here, a log that throws) must not stop the events chained after
 * it, nor end as an unhandled rejection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookDispatcher } from '../../../electron/main/sandbox/webhooks';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

async function receiver(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe('WebhookDispatcher', () => {
  it('a delivery that throws does not stop the held events released after it, nor escape', async () => {
    const { url, bodies } = await receiver();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const dispatcher = new WebhookDispatcher({ attempts: 1, baseDelayMs: 10 }, () => {
      throw new Error('the log is broken');
    });
    try {
      dispatcher.configureFaults({ duplicate: 2, hold: true });
      for (const id of ['A', 'B', 'C']) {
        dispatcher.send(
          [url],
          { etime: '2026-12-03T09:00:00.000Z', etype: 'pos.authorization.status_update', edata: { id } },
          id,
        );
      }
      expect(dispatcher.release('original', null)).toBe(3);
      await expect.poll(() => bodies.length, { timeout: 5_000 }).toBe(6);
      expect(bodies.map((b) => (JSON.parse(b) as { edata: { id: string } }).edata.id)).toEqual([
        'A',
        'A',
        'B',
        'B',
        'C',
        'C',
      ]);
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect(dispatcher.faultState().deliveries.map((d) => d.answer)).toEqual([204, 204, 204, 204, 204, 204]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await dispatcher.close();
    }
  });
});
