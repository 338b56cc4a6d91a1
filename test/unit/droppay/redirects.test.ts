import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient } from '../../../electron/main/droppay/http';
import { failure } from './fake-fetch';

// Real fetch against real local servers: what a redirect from DropPay (or a gateway in front of
// it) does to a request. Nothing is followed.

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ origin: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const http = (origin: string) =>
  new HttpClient({
    baseUrl: origin,
    timeoutMs: 2_000,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
  });

const POST = {
  method: 'POST' as const,
  path: '/shop/v1/pos/charge',
  body: { amount: 12.5, pay_token_val: 'PTK-do-not-forward' },
  retry: 'unsafe' as const,
};

describe('a redirect from DropPay', () => {
  it('after a POST is an outcome in doubt, not the answer of a GET to the Location', async () => {
    const droppay = await serve((req, res) => {
      if (req.method === 'POST') {
        res.writeHead(303, { location: '/shop/v1/pos/charge/CHA1' }).end();
      } else {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"100"}');
      }
    });
    const err = await failure(http(droppay.origin).request(POST));
    expect(err).toMatchObject({ kind: 'UNEXPECTED', status: 303, inDoubt: true });
    expect(err.message).toMatch(/redirect/);
    // Sent once, never retried, and the Location never fetched.
    expect(droppay.seen).toEqual(['POST /shop/v1/pos/charge']);
  });

  it('never carries a body on to another host (307)', async () => {
    const elsewhere = await serve((_req, res) => res.writeHead(201).end('{}'));
    const droppay = await serve((_req, res) =>
      res.writeHead(307, { location: `${elsewhere.origin}/shop/v1/pos/charge` }).end(),
    );
    const err = await failure(http(droppay.origin).request(POST));
    expect(err).toMatchObject({ status: 307, inDoubt: true });
    expect(elsewhere.seen).toEqual([]);
  });

  it('after a GET is an unexpected answer, not in doubt', async () => {
    const droppay = await serve((_req, res) => res.writeHead(302, { location: '/login' }).end());
    const err = await failure(
      http(droppay.origin).request({ method: 'GET', path: '/shop/v1/pos/charge/CHA1', retry: 'idempotent' }),
    );
    expect(err).toMatchObject({ kind: 'UNEXPECTED', status: 302, inDoubt: false });
    expect(droppay.seen).toEqual(['GET /shop/v1/pos/charge/CHA1']);
  });
});
