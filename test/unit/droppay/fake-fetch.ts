import { expect } from 'vitest';
import { DropPayError } from '../../../electron/main/droppay/errors';

/** A scripted stand-in for global fetch, for unit tests of the HTTP layer only. */

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** What a handler may answer: a response, a thrown transport error, or hang until aborted. */
export type Reply = Response | { throw: unknown } | 'hang';

export type Handler = (req: SeenRequest, index: number) => Reply | Promise<Reply>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

export function raw(status: number, text: string): Response {
  return new Response(text, { status });
}

/** Shaped like undici's failure: TypeError('fetch failed') with the socket error as cause. */
/** fetch failing as undici does on a socket error met in `syscall` (connect, by default). */
export function netError(code: string, syscall = 'connect'): { throw: unknown } {
  const cause = Object.assign(new Error(`${syscall} ${code} 127.0.0.1:1`), { code, syscall });
  return { throw: new TypeError('fetch failed', { cause }) };
}

export function fakeFetch(handler: Handler): { fetch: typeof fetch; calls: SeenRequest[] } {
  const calls: SeenRequest[] = [];
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const req: SeenRequest = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
    };
    calls.push(req);
    const reply = await handler(req, calls.length - 1);
    if (reply === 'hang') {
      return new Promise<Response>((_, reject) => {
        const signal = init?.signal;
        if (!signal) return;
        signal.addEventListener('abort', () =>
          reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')),
        );
      });
    }
    if (reply instanceof Response) return reply;
    throw reply.throw;
  };
  return { fetch: fetchImpl, calls };
}

/** Records requested waits instead of waiting. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

/** The DropPayError a call rejects with (fails the test if it resolves or throws anything else). */
export async function failure(p: Promise<unknown>): Promise<DropPayError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DropPayError);
  return err as DropPayError;
}
