import { describe, expect, it } from 'vitest';
import { HttpClient, type HttpRequest } from '../../../electron/main/droppay/http';
import { Reachability } from '../../../electron/main/droppay/reachability';
import { fakeFetch, json, netError, raw, recordingSleep, type Reply } from './fake-fetch';

const GET: HttpRequest = { method: 'GET', path: '/shop/v1/pos/authorization/AUT1', retry: 'idempotent' };
const POST: HttpRequest = { method: 'POST', path: '/shop/v1/pos/charge', body: {}, retry: 'unsafe' };

/**
 * An HTTP client whose every answer is scripted (a fresh one per attempt, the last one for
 * every attempt after), reporting to a fresh Reachability.
 */
function setup(replies: (() => Reply)[]) {
  let clock = 1_000;
  const reach = new Reachability(() => clock);
  const changes: string[] = [];
  reach.onChange((state) => changes.push(state));
  const f = fakeFetch((_, i) => replies[Math.min(i, replies.length - 1)]?.() ?? raw(500, ''));
  const http = new HttpClient({
    baseUrl: 'http://droppay.test',
    fetch: f.fetch,
    sleep: recordingSleep().sleep,
    timeoutMs: 50,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    onOutcome: (answered) => {
      clock += 1_000;
      reach.record(answered);
    },
  });
  const call = (req: HttpRequest = GET) => http.request(req).catch(() => undefined);
  return { reach, changes, call, calls: f.calls };
}

describe('whether DropPay answers', () => {
  it('is unknown until a call ends, then follows each call', async () => {
    const { reach, changes, call } = setup([() => json(200, {}), () => raw(503, '')]);
    expect(reach.state()).toBe('unknown');
    expect(reach.since()).toBeNull();
    await call();
    expect(reach.state()).toBe('answering');
    expect(reach.since()).toBe(2_000);
    // A 503 on every attempt of the next read: it is retried, and only its end counts.
    await call();
    expect(changes).toEqual(['answering', 'not_answering']);
    expect(reach.since()).toBe(3_000);
  });

  it('does not answer on a 5xx, a timeout or a dropped connection, retries spent', async () => {
    const replies = [
      () => raw(503, 'Service Unavailable'),
      () => 'hang' as const,
      () => netError('ECONNREFUSED'),
    ];
    for (const reply of replies) {
      const { reach, calls, call } = setup([reply]);
      await call();
      expect(calls).toHaveLength(3);
      expect(reach.state()).toBe('not_answering');
    }
  });

  it('answers when DropPay refuses (a 4xx with its code) or asks to slow down', async () => {
    const replies = [
      () => json(404, { code: '404', description: 'no' }),
      () => raw(429, ''),
      () => raw(401, ''),
    ];
    for (const reply of replies) {
      const { reach, call } = setup([reply]);
      await call();
      expect(reach.state()).toBe('answering');
    }
  });

  it('takes a retried read that got through as answered, with no flicker on the way', async () => {
    const { reach, changes, call } = setup([
      () => raw(503, ''),
      () => netError('ECONNRESET', 'read'),
      () => json(200, {}),
    ]);
    await call();
    expect(reach.state()).toBe('answering');
    expect(changes).toEqual(['answering']);
  });

  it('takes a charge whose answer was lost as not answered', async () => {
    const { reach, calls, call } = setup([() => json(200, {}), () => netError('ECONNRESET', 'read')]);
    await call();
    await call(POST);
    expect(calls).toHaveLength(2);
    expect(reach.state()).toBe('not_answering');
    expect(reach.since()).toBe(3_000);
  });

  it('keeps the answer of a request whose listener throws', async () => {
    const f = fakeFetch(() => json(200, { id: 'CHA1' }));
    const http = new HttpClient({
      baseUrl: 'http://droppay.test',
      fetch: f.fetch,
      onOutcome: () => {
        throw new Error('a listener that breaks');
      },
    });
    await expect(http.request(POST)).resolves.toEqual({ id: 'CHA1' });
    const refused = new HttpClient({
      baseUrl: 'http://droppay.test',
      fetch: fakeFetch(() => json(404, { code: '100', description: 'no' })).fetch,
      onOutcome: () => {
        throw new Error('a listener that breaks');
      },
    });
    await expect(refused.request(GET)).rejects.toMatchObject({ kind: 'NOT_FOUND' });
  });

  it('tells each listener of a change once, and stops telling one that left', () => {
    const reach = new Reachability();
    const heard: string[] = [];
    const off = reach.onChange((state) => heard.push(state));
    reach.record(false);
    reach.record(false);
    reach.record(true);
    off();
    reach.record(false);
    expect(heard).toEqual(['not_answering', 'answering']);
    expect(reach.state()).toBe('not_answering');
  });
});
