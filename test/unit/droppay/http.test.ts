import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY } from '../../../electron/main/droppay/backoff';
import { errorCodes, HttpClient, type HttpRequest } from '../../../electron/main/droppay/http';
import { failure, fakeFetch, json, netError, raw, recordingSleep, type Handler } from './fake-fetch';

const GET: HttpRequest = { method: 'GET', path: '/shop/v1/pos/charge/CHA1', retry: 'idempotent' };
const POST: HttpRequest = {
  method: 'POST',
  path: '/shop/v1/pos/charge',
  body: { amount: 1.5 },
  retry: 'unsafe',
};

function client(
  handler: Handler,
  extra: { maxAttempts?: number; timeoutMs?: number; random?: () => number } = {},
) {
  const f = fakeFetch(handler);
  const s = recordingSleep();
  const http = new HttpClient({
    baseUrl: 'http://droppay.test/',
    fetch: f.fetch,
    sleep: s.sleep,
    random: extra.random ?? (() => 0.5),
    timeoutMs: extra.timeoutMs ?? 50,
    retry: { maxAttempts: extra.maxAttempts ?? 4, baseDelayMs: 100, maxDelayMs: 1_000 },
  });
  return { http, calls: f.calls, waits: s.waits };
}

describe('backoffDelay', () => {
  const opts = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1_000 };

  it('doubles the ceiling per retry and caps it', () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 8].map((n) => backoffDelay(n, opts, () => 0.999999));
    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999, 999]);
  });

  it('is full jitter: anywhere from zero to the ceiling', () => {
    expect(backoffDelay(3, opts, () => 0)).toBe(0);
    expect(backoffDelay(3, opts, () => 0.25)).toBe(200);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(i % 12, opts, Math.random);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(1_000);
    }
  });

  it('clamps a misbehaving random source', () => {
    expect(backoffDelay(0, opts, () => 7)).toBe(100);
    expect(backoffDelay(0, opts, () => -1)).toBe(0);
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY.maxDelayMs).toBeGreaterThan(DEFAULT_RETRY.baseDelayMs);
  });
});

describe('HttpClient: GET retries', () => {
  it('retries 5xx with the jittered schedule and stops at maxAttempts', async () => {
    const { http, calls, waits } = client(() => json(503, { code: '100' }));
    const err = await failure(http.request(GET));
    expect(err.kind).toBe('SERVER');
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([50, 100, 200]); // random 0.5 × 100·2^n
  });

  it('caps the waits', async () => {
    const { http, waits } = client(() => json(500, {}), { maxAttempts: 8, random: () => 0.999 });
    await failure(http.request(GET));
    expect(waits).toEqual([99, 199, 399, 799, 999, 999, 999]);
  });

  it('recovers when a retry succeeds', async () => {
    const { http, calls } = client((_, i) => (i < 2 ? json(503, {}) : json(200, { ok: true })));
    expect(await http.request(GET)).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it('retries 429, network errors and timeouts', async () => {
    for (const first of [json(429, {}), netError('ECONNRESET'), 'hang' as const]) {
      const { http, calls } = client((_, i) => (i === 0 ? first : json(200, { n: 1 })));
      expect(await http.request(GET)).toEqual({ n: 1 });
      expect(calls).toHaveLength(2);
    }
  });

  it('reports TIMEOUT when every attempt hangs', async () => {
    const { http, calls } = client(() => 'hang', { maxAttempts: 2, timeoutMs: 20 });
    const err = await failure(http.request(GET));
    expect(err.kind).toBe('TIMEOUT');
    expect(calls).toHaveLength(2);
  });

  it('does not retry a 4xx answer', async () => {
    const { http, calls } = client(() => json(404, { code: '100' }));
    expect((await failure(http.request(GET))).kind).toBe('NOT_FOUND');
    expect(calls).toHaveLength(1);
  });

  it('sends JSON, the bearer token, and strips the trailing slash of the base URL', async () => {
    const { http, calls } = client(() => json(201, { id: 'x' }));
    await http.request({ ...POST, bearer: 'tok' });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/shop/v1/pos/charge',
      body: { amount: 1.5 },
      headers: { authorization: 'Bearer tok', 'content-type': 'application/json' },
    });
  });
});

describe('HttpClient: POSTs are never blindly repeated', () => {
  it('a 5xx on a POST is OUTCOME_UNKNOWN after one attempt', async () => {
    const { http, calls } = client(() => json(503, { code: '100', description: 'busy' }));
    const err = await failure(http.request(POST));
    expect(calls).toHaveLength(1);
    expect(err.kind).toBe('OUTCOME_UNKNOWN');
    expect(err).toMatchObject({
      reason: 'SERVER',
      status: 503,
      inDoubt: true,
      method: 'POST',
      path: '/shop/v1/pos/charge',
    });
  });

  it('a timeout on a POST is OUTCOME_UNKNOWN after one attempt', async () => {
    const { http, calls } = client(() => 'hang', { timeoutMs: 20 });
    const err = await failure(http.request(POST));
    expect(calls).toHaveLength(1);
    expect(err).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'TIMEOUT' });
  });

  it.each(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE'])(
    '%s on a POST (may follow the request) is OUTCOME_UNKNOWN',
    async (code) => {
      const { http, calls } = client(() => netError(code));
      expect(await failure(http.request(POST))).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'NETWORK' });
      expect(calls).toHaveLength(1);
    },
  );

  it('a transport error without any code is not proof either', async () => {
    const { http, calls } = client(() => ({ throw: new TypeError('fetch failed') }));
    expect((await failure(http.request(POST))).kind).toBe('OUTCOME_UNKNOWN');
    expect(calls).toHaveLength(1);
  });

  it.each(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'])(
    '%s met writing on a kept-alive socket (the POST may have left) is OUTCOME_UNKNOWN, sent once',
    async (code) => {
      const { http, calls } = client(() => netError(code, 'write'));
      expect(await failure(http.request(POST))).toMatchObject({ kind: 'OUTCOME_UNKNOWN', reason: 'NETWORK' });
      expect(calls).toHaveLength(1);
    },
  );

  it('a connect failure on every address of the host (an AggregateError) is never sent, and retried', async () => {
    const inner = () =>
      Object.assign(new Error('connect EHOSTUNREACH'), { code: 'EHOSTUNREACH', syscall: 'connect' });
    const agg = Object.assign(new AggregateError([inner(), inner()], 'x'), { code: 'EHOSTUNREACH' });
    const { http, calls } = client((_, i) =>
      i === 0 ? { throw: new TypeError('fetch failed', { cause: agg }) } : json(201, { id: 'CHA1' }),
    );
    expect(await http.request(POST)).toEqual({ id: 'CHA1' });
    expect(calls).toHaveLength(2);
  });

  it('EHOSTUNREACH with no system call named is not proof either', async () => {
    const cause = Object.assign(new Error('unreachable'), { code: 'EHOSTUNREACH' });
    const { http, calls } = client(() => ({ throw: new TypeError('fetch failed', { cause }) }));
    expect((await failure(http.request(POST))).kind).toBe('OUTCOME_UNKNOWN');
    expect(calls).toHaveLength(1);
  });

  it.each([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'UND_ERR_CONNECT_TIMEOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
  ])('%s on a POST is retried (never sent)', async (code) => {
    const { http, calls } = client((_, i) => (i < 2 ? netError(code) : json(201, { id: 'CHA1' })));
    expect(await http.request(POST)).toEqual({ id: 'CHA1' });
    expect(calls).toHaveLength(3);
  });

  it('ECONNREFUSED inside an AggregateError (IPv4 and IPv6 both refused) counts as never sent', async () => {
    const agg = Object.assign(
      new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })], 'x'),
      { code: 'ECONNREFUSED' },
    );
    const { http, calls } = client((_, i) =>
      i === 0 ? { throw: new TypeError('fetch failed', { cause: agg }) } : json(201, {}),
    );
    await http.request(POST);
    expect(calls).toHaveLength(2);
  });

  it('a POST that is refused on every attempt ends NETWORK (known not to have happened), not OUTCOME_UNKNOWN', async () => {
    const { http, calls } = client(() => netError('ECONNREFUSED'));
    const err = await failure(http.request(POST));
    expect(err).toMatchObject({ kind: 'NETWORK', neverSent: true, inDoubt: false });
    expect(calls).toHaveLength(4);
  });

  it('a refusal then a timeout is OUTCOME_UNKNOWN', async () => {
    const { http, calls } = client((_, i) => (i === 0 ? netError('ECONNREFUSED') : 'hang'), {
      timeoutMs: 20,
    });
    expect((await failure(http.request(POST))).kind).toBe('OUTCOME_UNKNOWN');
    expect(calls).toHaveLength(2);
  });

  it('4xx on a POST keeps its own kind (DropPay did nothing)', async () => {
    const { http, calls } = client(() => json(403, { code: 200 }));
    expect((await failure(http.request(POST))).kind).toBe('CHARGE_NOT_ALLOWED');
    expect(calls).toHaveLength(1);
  });

  it('a 2xx POST with an unreadable body is MALFORMED_RESPONSE but flagged in doubt', async () => {
    const { http } = client(() => raw(201, '{"id": "CHA'));
    expect(await failure(http.request(POST))).toMatchObject({ kind: 'MALFORMED_RESPONSE', inDoubt: true });
    const get = client(() => raw(200, 'hello'));
    expect(await failure(get.http.request(GET))).toMatchObject({
      kind: 'MALFORMED_RESPONSE',
      inDoubt: false,
    });
  });

  it('an empty 2xx body is undefined (e.g. 204 on DELETE)', async () => {
    const { http } = client(() => new Response(null, { status: 204 }));
    expect(await http.request({ method: 'DELETE', path: '/x', retry: 'unsafe' })).toBeUndefined();
  });
});

describe('HttpClient: secrets', () => {
  it('scrubs the bearer token and the pay token the server echoes, with no list of secrets given', async () => {
    const { http } = client(() =>
      json(401, { code: '102', description: 'token BEARER-abc expired; pay token PAY-xyz unknown' }),
    );
    const err = await failure(
      http.request({
        ...POST,
        retry: 'unsafe',
        bearer: 'BEARER-abc',
        body: { pay_token_val: 'PAY-xyz', amount: 1 },
      }),
    );
    expect(err.description).toBe('token [redacted] expired; pay token [redacted] unknown');
    expect(JSON.stringify(err)).not.toMatch(/BEARER-abc|PAY-xyz/);
  });

  it('scrubs secrets the server echoes into an error description', async () => {
    const { http } = client(() => json(401, { code: '100', description: 'bad client_secret s3cr3t-value' }));
    const err = await failure(http.request({ ...POST, retry: 'idempotent', secrets: ['s3cr3t-value'] }));
    expect(err.description).toBe('bad client_secret [redacted]');
    expect(JSON.stringify(err)).not.toContain('s3cr3t-value');
    expect(err.message).not.toContain('s3cr3t-value');
  });

  it('never puts the bearer token in an error', async () => {
    const { http } = client(() => json(401, { code: '102', description: 'expired' }));
    const err = await failure(http.request({ ...GET, bearer: 'very-secret-token' }));
    expect(`${err.message} ${JSON.stringify(err)} ${String(err.stack)}`).not.toContain('very-secret-token');
  });
});

describe('errorCodes', () => {
  it('walks causes and aggregates without looping', () => {
    const a: { code: string; cause?: unknown } = { code: 'A' };
    const b = { code: 'B', cause: a };
    a.cause = b;
    expect(errorCodes(new TypeError('x', { cause: b }))).toEqual(['B', 'A']);
  });
});

describe('HttpClient: what an unreachable DropPay tells the cashier', () => {
  it('names the host tried and why, over a real socket, and nothing of the path or a token', async () => {
    const { createServer } = await import('node:net');
    // A port that was just free: nothing listens there, so the connection is refused.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const http = new HttpClient({
      baseUrl: `http://127.0.0.1:${address.port}/`,
      timeoutMs: 2_000,
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
    });
    const err = await failure(http.request({ ...GET, bearer: 'SECRET-TOKEN' }));
    expect(err.kind).toBe('NETWORK');
    expect(err.appDetail).toEqual({
      key: 'droppay.NETWORK',
      params: { host: `127.0.0.1:${address.port}`, network: 'refused' },
    });
    expect(JSON.stringify(err.appDetail)).not.toContain('SECRET');
  });

  it('says a name that does not resolve, and a dropped connection, apart', async () => {
    const dns = client(() => netError('ENOTFOUND'), { maxAttempts: 1 });
    expect((await failure(dns.http.request(GET))).appDetail.params).toEqual({
      host: 'droppay.test',
      network: 'dns',
    });
    const reset = client(() => netError('ECONNRESET'), { maxAttempts: 1 });
    expect((await failure(reset.http.request(GET))).appDetail.params).toMatchObject({ network: 'dropped' });
  });
});
