/**
 * The sandbox's event sender on its own, against a real local receiver: a delivery that goes
 * wrong in an unexpected way (here, a log that throws) must not stop the events chained after
 * it, nor end as an unhandled rejection.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HELD, WebhookDispatcher, type WebhookEvent } from '../../../electron/main/sandbox/webhooks';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** Answers 204 at once, or after `delayMs` (so a delivery can be caught in flight). */
async function receiver(delayMs = 0): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(body);
      setTimeout(() => res.writeHead(204).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

const event = (id: string): WebhookEvent => ({
  etime: '2026-12-03T09:00:00.000Z',
  etype: 'pos.authorization.status_update',
  edata: { id },
});
const idOf = (body: string): string => (JSON.parse(body) as { edata: { id: string } }).edata.id;

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

  it('holds at most MAX_HELD events, dropping the oldest and counting them', async () => {
    const dispatcher = new WebhookDispatcher({ attempts: 1, baseDelayMs: 10 }, () => undefined);
    try {
      dispatcher.configureFaults({ duplicate: 1, hold: true });
      for (let i = 0; i < MAX_HELD + 5; i++) dispatcher.send(['http://127.0.0.1:9/'], event(`E${i}`), 'A');
      const state = dispatcher.faultState();
      expect(state.held).toHaveLength(MAX_HELD);
      expect(state.held_dropped).toBe(5);
      expect(state.held[0]?.id).toBe('E5');
      expect(state.held.at(-1)?.id).toBe(`E${MAX_HELD + 4}`);
      dispatcher.resetFaults();
      expect(dispatcher.faultState()).toEqual({
        duplicate: 1,
        hold: false,
        held: [],
        held_dropped: 0,
        deliveries: [],
      });
    } finally {
      await dispatcher.close();
    }
  });

  it('a reset mid-release stops it: nothing more goes, nothing is recorded, nothing escapes', async () => {
    const { url, bodies } = await receiver(100);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const dispatcher = new WebhookDispatcher({ attempts: 3, baseDelayMs: 10 }, () => {
      throw new Error('the log is broken');
    });
    try {
      dispatcher.configureFaults({ duplicate: 2, hold: true });
      for (const id of ['A', 'B', 'C']) dispatcher.send([url], event(id), id);
      expect(dispatcher.release('original', null)).toBe(3);
      await expect.poll(() => bodies.length, { timeout: 5_000 }).toBe(1);
      dispatcher.resetFaults();
      await new Promise((r) => setTimeout(r, 400));
      expect(bodies.map(idOf)).toEqual(['A']);
      expect(unhandled).toEqual([]);
      expect(dispatcher.faultState().deliveries).toEqual([]);
      // What is raised after the reset goes out as usual.
      dispatcher.send([url], event('D'), 'D');
      await expect.poll(() => bodies.length, { timeout: 5_000 }).toBe(2);
      expect(bodies.map(idOf)).toEqual(['A', 'D']);
      await expect.poll(() => dispatcher.faultState().deliveries.map((d) => d.answer)).toEqual([204]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await dispatcher.close();
    }
  });
});
