import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../shared/ipc/contract';
import { eventually, startApp, type TestApp } from './harness';

// Whether DropPay answers, on the real runtime: the embedded sandbox over HTTP answering 503 to
// every call (its fault switch), the real keychain. The status bar is told through `status`
// events, and the till finds out by itself when DropPay is back.

let app: TestApp;
beforeAll(async () => {
  app = await startApp({ reachProbeMs: 150 });
  await app.runtime.ready();
});
afterAll(async () => {
  await app.close();
});

const faults = (errorRate: number): Promise<Response> =>
  fetch(`${app.runtime.sandbox?.baseUrl ?? 'no sandbox'}/_sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ latency_ms: 0, error_rate: errorRate, drop_after_commit_rate: 0, seed: 1 }),
  });
const statuses = (): AppStatus[] =>
  app.events.flatMap((e) => (e.event === 'status' ? [e.payload as AppStatus] : []));

/** The number of status events once none has come for 300 ms (5 s at most). */
async function quietCount(): Promise<number> {
  const deadline = Date.now() + 5000;
  let count = statuses().length;
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const now = statuses().length;
    if (now === count || Date.now() > deadline) return now;
    count = now;
  }
}

describe('the status says whether DropPay answers', () => {
  it('is answering after a call DropPay answered', async () => {
    const status = await app.value('app:check-connection');
    expect(status).toMatchObject({ connection: 'connected', reach: 'answering' });
    expect(Date.parse(status.reachSince ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('turns to not answering on 503s, and back by itself once DropPay answers again', async () => {
    const before = statuses().length;
    expect((await faults(1)).ok).toBe(true);
    let failedAt = 0;
    try {
      const checked = await app.call('app:check-connection');
      failedAt = Date.now();
      expect(checked.ok).toBe(false);
      const status = await app.value('app:status');
      // The credentials are fine: the connection stays, DropPay is what does not answer.
      expect(status).toMatchObject({ connection: 'connected', reach: 'not_answering' });
      expect(Date.parse(status.reachSince ?? '')).toBeLessThanOrEqual(failedAt);
      // The status bar heard it as it happened, not at its next read.
      expect(
        statuses()
          .slice(before)
          .map((s) => s.reach),
      ).toContain('not_answering');
      // While it does not answer the till keeps asking (a probe every 150 ms), and stays not
      // answering without a status event per probe. The failed check's own status event can
      // land late on a loaded machine (it reads the keychain first): counted from when it is quiet.
      const probed = await quietCount();
      await new Promise((r) => setTimeout(r, 600));
      expect((await app.value('app:status')).reach).toBe('not_answering');
      expect(statuses().length).toBe(probed);
    } finally {
      await faults(0);
    }
    // No call from here: the till's own probe finds DropPay back and says so.
    // After the not-answering one: a status published just before the failure (a background
    // read answered while the faults were being switched on) says nothing of the way back.
    const down = statuses().findIndex((s, i) => i >= before && s.reach === 'not_answering');
    expect(down).toBeGreaterThanOrEqual(before);
    const back = await eventually(() => statuses().find((s, i) => i > down && s.reach === 'answering'));
    expect(back.connection).toBe('connected');
    expect(Date.parse(back.reachSince ?? '')).toBeGreaterThanOrEqual(failedAt);
    expect((await app.value('app:status')).reach).toBe('answering');
  });
});
