import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY } from '../app/csp';
import { dispatch, type Handlers } from '../app/dispatch';

/**
 * The browser transport: the same renderer and the same channel contract as Electron IPC, for
 * machines without Electron and for the end-to-end tests. It listens on loopback only, serves
 * the built renderer, and answers `POST /ipc/<channel>` only with the per-run secret.
 */
export interface BridgeOptions {
  handlers: Handlers;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  /** Defaults to 32 random bytes; tests may fix it. */
  secret?: string;
}

export interface RunningBridge {
  /** The origin, e.g. http://127.0.0.1:5123 */
  origin: string;
  /** The page to open: carries the secret, which the renderer moves to sessionStorage. */
  url: string;
  secret: string;
  close(): Promise<void>;
}

/** The header that carries the per-run secret. */
export const BRIDGE_HEADER = 'x-cashier-bridge';
const MAX_BODY = 64 * 1024;
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
  const secretBytes = Buffer.from(secret);
  let origin = '';

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, 'text/plain', 'internal error'));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing.
    if (req.headers.host !== new URL(origin).host) return send(res, 421, 'text/plain', 'wrong host');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/ipc/')) return ipc(req, res, decodeURIComponent(url.pathname.slice(5)));
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(res, 405, 'text/plain', 'method not allowed');
    return serveFile(res, url.pathname);
  }

  async function ipc(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
    const given = Buffer.from(String(req.headers[BRIDGE_HEADER] ?? ''));
    if (given.length !== secretBytes.length || !timingSafeEqual(given, secretBytes)) {
      return send(res, 403, 'text/plain', 'forbidden');
    }
    const body = await readBody(req);
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
    secret,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is read and discarded, so the client still gets its 413.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
