import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './config';
import type { SandboxCore } from './context';
import { ApiError, fail } from './errors';
import type { FaultPlan } from './faults';
import {
  errorReply,
  isLoopback,
  matchRoute,
  parseBody,
  readBody,
  sendReply,
  type Reply,
  type Route,
} from './http-io';
import { settle } from './lifecycle';

/**
 * Turns HTTP requests into handler calls. The order matters for the fault model: the body is
 * read, faults are drawn, a simulated 503 is answered before any state is touched, and a
 * simulated drop happens after the handler has committed.
 */

type Zone = 'api' | 'sim' | 'page';

function zoneOf(path: string): Zone {
  if (path === '/_sim' || path.startsWith('/_sim/')) return 'sim';
  if (path.startsWith('/pay/') || path.startsWith('/connect/')) return 'page';
  return 'api';
}

export interface SandboxServer {
  server: Server;
  close(): Promise<void>;
}

export function createSandboxServer(core: SandboxCore, routes: readonly Route[]): SandboxServer {
  let closed = false;
  const delays = new Map<NodeJS.Timeout, () => void>();

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const zone = zoneOf(path);
    let plan: FaultPlan | null = null;
    let reply: Reply;
    try {
      if (zone === 'sim' && !isLoopback(req.socket.remoteAddress)) throw fail.loopbackOnly();
      const raw = await readBody(req, MAX_BODY_BYTES);
      if (closed) {
        res.destroy();
        return;
      }
      if (zone === 'api') plan = core.faults.draw(method);
      if (plan?.error) throw fail.unavailable();
      const match = matchRoute(routes, method, path);
      if (match.kind === 'none') throw fail.notFound(`route ${method} ${path}`);
      if (match.kind === 'wrong-method') {
        throw fail.methodNotAllowed(method, path, match.allow);
      }
      const body = parseBody(raw, req.headers['content-type']);
      settle(core);
      reply = match.route.handler({
        method,
        path,
        params: match.params,
        query: url.searchParams,
        body,
        headers: req.headers,
      });
    } catch (err) {
      reply = toReply(core, err);
    }
    if (plan?.drop === true && !plan.error) {
      core.log(`${method} ${path} -> dropped after commit (simulated fault)`);
      res.socket?.destroy();
      return;
    }
    if (plan !== null && plan.latencyMs > 0) await delay(plan.latencyMs);
    if (closed) {
      res.destroy();
      return;
    }
    sendReply(res, reply);
    core.log(`${method} ${path} -> ${reply.status} (${Math.round(performance.now() - started)} ms)`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      core.log(`unhandled sandbox error: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
    });
  });
  // Fetch keeps connections alive; without this, close() would wait for them to time out.
  server.keepAliveTimeout = 5000;

  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        for (const [timer, resolveDelay] of delays) {
          clearTimeout(timer);
          resolveDelay();
        }
        delays.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function toReply(core: SandboxCore, err: unknown): Reply {
  if (err instanceof ApiError) return errorReply(err);
  core.log(`internal sandbox error: ${err instanceof Error ? err.message : String(err)}`);
  return errorReply(new ApiError(500, '100', 'internal sandbox error'));
}
