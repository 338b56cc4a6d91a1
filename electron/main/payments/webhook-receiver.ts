import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { readLimitedBody } from '../http/read-body';

/**
 * DropPay's events (`{etime, etype, edata}`, see the API contract's "Events"), received over
 * HTTP on loopback. Only a DropPay on this machine can reach it, which in practice means the
 * embedded sandbox; a real DropPay cannot reach a desktop cashier, and polling stays the
 * baseline there.
 *
 * Nothing in an event is believed: it only names the authorization (or refund) to read back
 * now instead of at the next poll, so the payer's approval shows (and is charged) at once.
 * Events come more than once and out of order; that changes nothing, since each only prompts
 * a read.
 *
 * The path carries a random token, so stray requests from other programs on the machine are
 * turned away without a look at their body. It is not a credential: all it can do is ask the
 * till to read an authorization sooner. Bodies (which carry pay tokens) are never logged.
 */
export interface WebhookReceiverOptions {
  /**
   * Called with the authorization an event is about; false when it cannot be acted on now (the
   * payments not ready, or being rebuilt), which answers 503 so DropPay sends it again. Must not
   * throw (notify() does not).
   */
  onAuthorization(authorizationId: string): boolean;
  /** The same for a refund event, with the refund's DropPay id. Default: taken, nothing done. */
  onRefund?(refundId: string): boolean;
  /** Diagnostics: the outcome of a refused request, never its body. */
  log?: (line: string) => void;
  /** Defaults to a free port. */
  port?: number;
}

export interface RunningWebhookReceiver {
  /** The URL to hand DropPay as `webhooks.ALL`. */
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 64 * 1024;
/** DropPay's ids are short alphanumeric codes; anything else is not worth a read. */
const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const EventSchema = z.discriminatedUnion('etype', [
  z.object({ etype: z.literal('pos.authorization.status_update'), edata: z.object({ id: Id }) }),
  z.object({ etype: z.literal('pos.charge.status_update'), edata: z.object({ authorization_id: Id }) }),
  z.object({ etype: z.literal('pos.refund.status_update'), edata: z.object({ id: Id }) }),
]);

/** What an event body asks to read back (an authorization or a refund), or an error text. */
export function hintOf(body: string): { authorizationId: string } | { refundId: string } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: 'malformed JSON' };
  }
  const parsed = EventSchema.safeParse(json);
  if (!parsed.success) return { error: 'not a DropPay event this till knows' };
  const event = parsed.data;
  switch (event.etype) {
    case 'pos.authorization.status_update':
      return { authorizationId: event.edata.id };
    case 'pos.charge.status_update':
      return { authorizationId: event.edata.authorization_id };
    case 'pos.refund.status_update':
      return { refundId: event.edata.id };
  }
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<RunningWebhookReceiver> {
  const token = randomBytes(24).toString('hex');
  const path = `/droppay/events/${token}`;
  const log = options.log ?? (() => undefined);

  const answer = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(text);
  };
  const rightPath = (req: IncomingMessage): boolean => {
    const got = Buffer.from((req.url ?? '').split('?')[0] ?? '');
    const want = Buffer.from(path);
    return got.length === want.length && timingSafeEqual(got, want);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!rightPath(req)) {
      req.resume();
      return answer(res, 404, 'not found');
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('allow', 'POST');
      return answer(res, 405, 'method not allowed');
    }
    const body = await readLimitedBody(req, MAX_BODY);
    if (body === null) {
      log('webhook refused: body too large');
      return answer(res, 413, 'request too large');
    }
    const hint = hintOf(body);
    if ('error' in hint) {
      log(`webhook refused: ${hint.error}`);
      return answer(res, 400, hint.error);
    }
    // The read the hint prompts runs in the background: DropPay never waits for it. A hint
    // nobody can take now is refused, so DropPay's own retries bring it back.
    const taken =
      'authorizationId' in hint
        ? options.onAuthorization(hint.authorizationId)
        : (options.onRefund?.(hint.refundId) ?? true);
    if (!taken) return answer(res, 503, 'not ready');
    answer(res, 204, '');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) answer(res, 400, 'bad request');
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
