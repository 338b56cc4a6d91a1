import { afterEach, describe, expect, it } from 'vitest';
import {
  hintOf,
  startWebhookReceiver,
  type RunningWebhookReceiver,
} from '../../../electron/main/payments/webhook-receiver';

const running: RunningWebhookReceiver[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});

async function receiver(): Promise<{
  url: string;
  hints: string[];
  logs: string[];
  ready: { now: boolean };
}> {
  const hints: string[] = [];
  const logs: string[] = [];
  const ready = { now: true };
  const r = await startWebhookReceiver({
    onAuthorization: (id) => {
      hints.push(id);
      return ready.now;
    },
    log: (l) => logs.push(l),
  });
  running.push(r);
  return { url: r.url, hints, logs, ready };
}

const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const authorizationEvent = (id: unknown) =>
  JSON.stringify({
    etime: '2026-12-03T10:00:00Z',
    etype: 'pos.authorization.status_update',
    edata: { id, status: 'GRANTED', pay_token: { val: 'PTK-secret' } },
  });

describe('hintOf', () => {
  it('names the authorization of an authorization or charge event, the refund of a refund event', () => {
    expect(hintOf(authorizationEvent('AUTH123'))).toEqual({ authorizationId: 'AUTH123' });
    expect(
      hintOf(
        JSON.stringify({
          etype: 'pos.charge.status_update',
          edata: { id: 'CHG1', authorization_id: 'AUTH9' },
        }),
      ),
    ).toEqual({ authorizationId: 'AUTH9' });
    expect(
      hintOf(JSON.stringify({ etype: 'pos.refund.status_update', edata: { id: 'RFD1', charge_id: 'CHG1' } })),
    ).toEqual({ refundId: 'RFD1' });
    expect(
      hintOf(JSON.stringify({ etype: 'pos.refund.status_update', edata: { charge_id: 'CHG1' } })),
    ).toHaveProperty('error');
  });

  it('refuses what is not an event it knows, or names no usable id', () => {
    expect(hintOf('{not json')).toEqual({ error: 'malformed JSON' });
    expect(hintOf('null')).toHaveProperty('error');
    expect(hintOf(JSON.stringify({ etype: 'pos.payment.done', edata: { id: 'A' } }))).toHaveProperty('error');
    expect(hintOf(JSON.stringify({ etype: 'pos.charge.status_update', edata: { id: 'C' } }))).toHaveProperty(
      'error',
    );
    for (const id of ['', 'a/b', '../x', 'x'.repeat(65), 42, null]) {
      expect(hintOf(authorizationEvent(id))).toHaveProperty('error');
    }
  });
});

describe('the webhook receiver', () => {
  it('listens on loopback only, on a path with a random token', async () => {
    const a = await receiver();
    const b = await receiver();
    const url = new URL(a.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toMatch(/^\/droppay\/events\/[0-9a-f]{48}$/);
    expect(new URL(b.url).pathname).not.toBe(url.pathname);
  });

  it('answers an event 204 and hints its authorization', async () => {
    const r = await receiver();
    const res = await post(r.url, authorizationEvent('AUTH123'));
    expect(res.status).toBe(204);
    expect(r.hints).toEqual(['AUTH123']);
    // Sent twice (DropPay retries): hinted twice, which only means two reads.
    expect((await post(r.url, authorizationEvent('AUTH123'))).status).toBe(204);
    expect(r.hints).toEqual(['AUTH123', 'AUTH123']);
  });

  it('answers 503 to an event nobody can take now, so DropPay sends it again', async () => {
    const r = await receiver();
    r.ready.now = false;
    expect((await post(r.url, authorizationEvent('AUTH7'))).status).toBe(503);
    r.ready.now = true;
    expect((await post(r.url, authorizationEvent('AUTH7'))).status).toBe(204);
    expect(r.hints).toEqual(['AUTH7', 'AUTH7']);
  });

  it('turns away a wrong path or method without hinting anything', async () => {
    const r = await receiver();
    const wrong = new URL(r.url);
    wrong.pathname = wrong.pathname.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect((await post(wrong.href, authorizationEvent('AUTH1'))).status).toBe(404);
    expect((await post(new URL(r.url).origin + '/', authorizationEvent('AUTH1'))).status).toBe(404);
    const get = await fetch(r.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(r.hints).toEqual([]);
  });

  it('refuses a malformed, unknown or oversized body with a 4xx, and never logs the body', async () => {
    const r = await receiver();
    expect((await post(r.url, '{oops')).status).toBe(400);
    expect((await post(r.url, JSON.stringify({ etype: 'other', edata: {} }))).status).toBe(400);
    const big = JSON.stringify({
      etype: 'pos.authorization.status_update',
      edata: { id: 'A', pad: 'x'.repeat(70_000) },
    });
    expect((await post(r.url, big)).status).toBe(413);
    expect(r.hints).toEqual([]);
    expect(r.logs).toHaveLength(3);
    // A body that parses but fails validation still carries a pay token: it must not be logged.
    await post(r.url, authorizationEvent('bad/id'));
    expect(r.logs.join('\n')).not.toContain('PTK-secret');
  });

  it('a refund event hints its refund, and is taken as it is where nobody follows refunds', async () => {
    const refunds: string[] = [];
    const r = await startWebhookReceiver({
      onAuthorization: () => true,
      onRefund: (id) => {
        refunds.push(id);
        return refunds.length > 1;
      },
    });
    running.push(r);
    const event = JSON.stringify({ etype: 'pos.refund.status_update', edata: { id: 'R1', charge_id: 'C1' } });
    expect((await post(r.url, event)).status).toBe(503);
    expect((await post(r.url, event)).status).toBe(204);
    expect(refunds).toEqual(['R1', 'R1']);
    const plain = await receiver();
    expect((await post(plain.url, event)).status).toBe(204);
    expect(plain.hints).toEqual([]);
  });

  it('stops listening when closed', async () => {
    const r = await startWebhookReceiver({ onAuthorization: () => true });
    await r.close();
    await expect(post(r.url, authorizationEvent('AUTH1'))).rejects.toThrow();
  });
});
