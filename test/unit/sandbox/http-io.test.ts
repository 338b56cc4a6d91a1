import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/main/sandbox/errors';
import { isLoopback, matchRoute, parseBody, route } from '../../../electron/main/sandbox/http-io';
import { escapeHtml } from '../../../electron/main/sandbox/payer-page';

const ok = () => ({ status: 200 });

describe('sandbox http plumbing', () => {
  it('recognises loopback callers only', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1']) expect(isLoopback(a)).toBe(true);
    for (const a of ['192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', undefined])
      expect(isLoopback(a)).toBe(false);
  });

  it('matches path parameters and tells a wrong method from a missing route', () => {
    const routes = [route('GET', '/shop/v1/pos/charge/:id', ok), route('POST', '/shop/v1/pos/charge', ok)];
    const found = matchRoute(routes, 'GET', '/shop/v1/pos/charge/CHA%20X');
    expect(found.kind === 'found' && found.params).toEqual(['CHA X']);
    expect(matchRoute(routes, 'DELETE', '/shop/v1/pos/charge/CHA1')).toEqual({
      kind: 'wrong-method',
      allow: ['GET'],
    });
    expect(matchRoute(routes, 'GET', '/shop/v1/pos/charge/CHA1/extra').kind).toBe('none');
    // A malformed escape names nothing: no route (a 404), not a thrown URIError (a 500).
    expect(matchRoute(routes, 'GET', '/shop/v1/pos/charge/%E0').kind).toBe('none');
  });

  it('parses JSON and form bodies, and names malformed JSON as 400/101', () => {
    expect(parseBody(Buffer.from('{"a":1}'), 'application/json')).toEqual({ a: 1 });
    expect(parseBody(Buffer.from('a=1&b=x+y'), 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      a: '1',
      b: 'x y',
    });
    expect(parseBody(Buffer.from(''), undefined)).toEqual({});
    try {
      parseBody(Buffer.from('{oops'), 'application/json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).code).toBe('101');
    }
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
