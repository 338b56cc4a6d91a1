import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, fail } from './errors';
import type { Body } from './validate';

/** The HTTP plumbing shared by every route: routing table, body reading, replies. */

export interface RequestContext {
  method: string;
  path: string;
  params: string[];
  query: URLSearchParams;
  body: Body;
  headers: IncomingHttpHeaders;
}

export interface Reply {
  status: number;
  json?: unknown;
  html?: string;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
}

/** `/shop/v1/pos/charge/:id` → a route whose `:id` segments arrive in `ctx.params`. */
export function route(method: string, path: string, handler: Handler): Route {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '([^/]+)' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return { method, pattern: new RegExp(`^${source}/?$`), handler };
}

export type Match =
  | { kind: 'found'; route: Route; params: string[] }
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'none' };

export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const allow: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method === method) {
      // A malformed escape (%E0) names nothing that exists: a 404, not a 500.
      const params: string[] = [];
      for (const p of m.slice(1)) {
        try {
          params.push(decodeURIComponent(p));
        } catch {
          return { kind: 'none' };
        }
      }
      return { kind: 'found', route: r, params };
    }
    allow.push(r.method);
  }
  return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'none' };
}

/**
 * Reads the whole body, refusing more than `limit` bytes. The excess is drained rather than
 * left unread, so the client gets the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? '0') > limit;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (size > limit * 16) req.destroy();
      if (!tooLarge) chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (tooLarge) reject(fail.tooLarge(limit));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    // A destroyed request never ends: settle the promise so the handler does not hang.
    req.on('close', () => {
      if (!ended) reject(new ApiError(400, '101', 'wrong argument: the request body was cut short'));
    });
  });
}

/** JSON, or form-encoded (some OAuth clients send the token request that way). */
export function parseBody(raw: Buffer, contentType: string | undefined): Body {
  const text = raw.toString('utf8');
  if (text.trim() === '') return {};
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'unparsable';
    throw new ApiError(400, '101', `wrong argument: the body is not valid JSON (${why})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError(400, '101', 'wrong argument: the body must be a JSON object');
  }
  return parsed as Body;
}

export function errorReply(err: ApiError): Reply {
  return { status: err.status, json: err.toBody(), headers: err.headers };
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  let payload = '';
  if (reply.html !== undefined) {
    headers['content-type'] = 'text/html; charset=utf-8';
    payload = reply.html;
  } else if (reply.json !== undefined) {
    headers['content-type'] = 'application/json; charset=utf-8';
    payload = JSON.stringify(reply.json);
  }
  headers['content-length'] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}
