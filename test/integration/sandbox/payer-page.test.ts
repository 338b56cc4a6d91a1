import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startClient, type SandboxClient } from './helpers';

let c: SandboxClient;
beforeAll(async () => {
  c = await startClient();
});
afterAll(() => c.sb.close());
beforeEach(async () => {
  await c.sim('reset');
  await c.login();
});

const page = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, html: await res.text(), headers: res.headers };
};
const post = (url: string, form: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
const dataStatus = (html: string) => /id="status"[^>]*data-status="([A-Z_]+)"/.exec(html)?.[1];

describe('payer page', () => {
  it('renders merchant, amount in euros (it-IT), description and status, phone-sized, with a strict CSP', async () => {
    const a = (await c.createAuthorization({ charge_amount: 12345.5, description: 'Torta per 12' })).body;
    const { status, html, headers } = await page(a.sharing);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('Bar Sandbox');
    expect(html).toMatch(/12\.345,50\s€/);
    expect(html).toContain('Torta per 12');
    expect(dataStatus(html)).toBe('WAITING');
    for (const id of ['id="pin"', 'id="approve"', 'id="decline"']) expect(html).toContain(id);
    const csp = headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'nonce-[^']+'/);
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(html).not.toContain('<script');
  });

  it('escapes every piece of merchant text', async () => {
    const evil = '<img src=x onerror="alert(1)">&\'"';
    const a = (await c.createAuthorization({ description: evil })).body;
    const { html } = await page(a.sharing);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;&quot;');
  });

  it('approve with any 5-digit PIN grants, then the page says so and offers no more buttons', async () => {
    const a = (await c.createAuthorization()).body;
    const res = await post(`${a.sharing}/approve`, { pin: '12345' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/pay/${a.id}?outcome=approved`);
    expect((await c.getAuthorization(a.id)).body.status).toBe('GRANTED');
    const { html } = await page(`${a.sharing}?outcome=approved`);
    expect(dataStatus(html)).toBe('GRANTED');
    expect(html).toContain('data-outcome="approved"');
    expect(html).not.toContain('id="approve"');
  });

  it('a wrong PIN does not grant and the page says the PIN is wrong', async () => {
    const a = (await c.createAuthorization()).body;
    for (const pin of ['1234', '123456', 'abcde', '']) {
      const res = await post(`${a.sharing}/approve`, { pin });
      expect(res.headers.get('location')).toBe(`/pay/${a.id}?outcome=wrong-pin`);
    }
    expect((await c.getAuthorization(a.id)).body.status).toBe('WAITING');
    const { html } = await page(`${a.sharing}?outcome=wrong-pin`);
    expect(html).toContain('PIN errato');
    expect(dataStatus(html)).toBe('WAITING');
  });

  it('decline refuses', async () => {
    const a = (await c.createAuthorization()).body;
    const res = await post(`${a.sharing}/decline`);
    expect(res.headers.get('location')).toBe(`/pay/${a.id}?outcome=declined`);
    expect((await c.getAuthorization(a.id)).body.status).toBe('REFUSED');
  });

  it('a request no longer waiting says so plainly and cannot be approved', async () => {
    const a = (await c.createAuthorization()).body;
    await c.advance(301);
    const res = await post(`${a.sharing}/approve`, { pin: '12345' });
    expect(res.headers.get('location')).toBe(`/pay/${a.id}?outcome=not-waiting`);
    const { html } = await page(`${a.sharing}?outcome=not-waiting`);
    expect(dataStatus(html)).toBe('EXPIRED');
    expect(html).toContain('Scaduto');
    expect(html).not.toContain('id="pin"');
    await c.login();
    expect((await c.getAuthorization(a.id)).body.status).toBe('EXPIRED');
  });

  it('an unknown outcome is not echoed; an unknown id is a 404 page', async () => {
    const a = (await c.createAuthorization()).body;
    const { html } = await page(`${a.sharing}?outcome=<b>hi</b>`);
    expect(html).not.toContain('<b>hi</b>');
    expect(html).not.toContain('id="outcome"');
    const missing = await page(`${c.sb.baseUrl}/pay/CHTNOPE`);
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('inesistente');
  });
});
