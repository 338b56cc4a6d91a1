import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { mayCall, mayReceive, type Role } from '../app/access';
import { CONTENT_SECURITY_POLICY } from '../app/csp';
import { dispatch, type Handlers } from '../app/dispatch';
import type { AnyEventListener } from '../app/events';
import { readLimitedBody } from '../http/read-body';

/**
 * The browser transport: the same renderer and the same channel contract as Electron IPC, for
 * machines without Electron and for the end-to-end tests. It listens on loopback only, serves
 * the built renderer, answers `POST /ipc/<channel>` and streams push events on `GET /events`
 * (Server-Sent Events framing over a fetch stream), only with a per-run secret in a header.
 *
 * Two secrets, like Electron's two windows: the cashier's reaches every channel and event; the
 * customer display's reaches only CUSTOMER_CHANNELS and CUSTOMER_EVENTS, so a page opened with
 * it (the screen facing the customer) can show the display and do nothing else.
 */
export interface BridgeOptions {
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Defaults to 32 random bytes; tests may fix it. */
  secret?: string;
  /** The customer display's secret; defaults to 32 other random bytes. */
  displaySecret?: string;
  /** The core's push events (runtime.events); without it /events streams nothing but keep-alives. */
  events?: { onAny(listener: AnyEventListener): () => void };
  /**
   * Comment lines on idle streams, so proxies and the browser keep them open, and so the page
   * can tell a silent stream from a dead one (told the interval on opening). Default 15 s.
   */
  heartbeatMs?: number;
}

export interface RunningBridge {
  /** The origin, e.g. http://127.0.0.1:5123 */
  origin: string;
  /** The cashier's page: carries the secret, which the renderer moves to sessionStorage. */
  url: string;
  /** The customer display's page, with the display-only secret. */
  customerUrl: string;
  secret: string;
  displaySecret: string;
  close(): Promise<void>;
}

/** The header that carries the per-run secret. */
export const BRIDGE_HEADER = 'x-cashier-bridge';
const MAX_BODY = 64 * 1024;
const HEARTBEAT_MS = 15_000;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startBridge(options: BridgeOptions): Promise<RunningBridge> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  const displaySecret = options.displaySecret ?? randomBytes(32).toString('base64url');
  if (secret === displaySecret) throw new Error('the cashier and display secrets must differ');
  const keys: [Role, Buffer][] = [
    ['cashier', Buffer.from(secret)],
    ['customer', Buffer.from(displaySecret)],
  ];
  const streams = new Set<ServerResponse>();
  let origin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error');
      else res.destroy();
    });
  });

  /** Which secret the request carries, compared in constant time; null for none. */
  function roleOf(req: IncomingMessage): Role | null {
    const given = Buffer.from(String(req.headers[BRIDGE_HEADER] ?? ''));
    let role: Role | null = null;
    for (const [name, key] of keys) {
      if (given.length === key.length && timingSafeEqual(given, key)) role = name;
    }
    return role;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'text/plain', 'wrong host');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/ipc/')) return ipc(req, res, decodeURIComponent(url.pathname.slice(5)));
    if (url.pathname === '/events') return stream(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed');
    return serveFile(res, url.pathname);
  }

  async function ipc(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
    const role = roleOf(req);
    if (role === null) return send(res, 403, 'text/plain', 'forbidden');
    if (!mayCall(role, channel)) return send(res, 403, 'text/plain', 'forbidden');
    const body = await readLimitedBody(req, MAX_BODY);
    if (body === null) return send(res, 413, 'text/plain', 'request too large');
    let input: unknown;
    try {
      input = body.length === 0 ? undefined : (JSON.parse(body) as { input?: unknown }).input;
    } catch {
      return send(res, 400, 'text/plain', 'malformed JSON');
    }
    const result = await dispatch(options.handlers, channel, input);
    send(res, 200, 'application/json', JSON.stringify(result));
  }

  function stream(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    const role = roleOf(req);
    if (role === null) return send(res, 403, 'text/plain', 'forbidden');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
    });
    // A first line at once, so the client knows the stream is open before any event, and how
    // often to expect a line at least: a stream silent for longer is dead (a half-open
    // connection never errors), and the page drops it and opens another.
    const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    res.write(`: open heartbeat=${heartbeatMs}\n\n`);
    streams.add(res);
    const unsubscribe =
      options.events?.onAny((event, payload) => {
        if (!mayReceive(role, event)) return;
        // JSON has no raw newlines, so one data line frames the whole payload.
        res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
      }) ?? (() => undefined);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
    const stop = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(res);
    };
    res.on('close', stop);
    res.on('error', stop);
  }

  async function serveFile(res: ServerResponse, pathname: string): Promise<void> {
    const relative = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname));
    const file = join(options.rendererDir, relative);
    if (!file.startsWith(options.rendererDir + sep)) return send(res, 404, 'text/plain', 'not found');
    try {
      const data = await readFile(file);
      send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', data);
    } catch {
      send(res, 404, 'text/plain', 'not found');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    url: `${origin}/?bridge=${encodeURIComponent(secret)}#cashier`,
    customerUrl: `${origin}/?bridge=${encodeURIComponent(displaySecret)}#customer`,
    secret,
    displaySecret,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type });
  res.end(body);
}
