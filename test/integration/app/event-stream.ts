import { BRIDGE_HEADER } from '../../../electron/main/bridge/server';

/** A client of the bridge's `GET /events`, over real HTTP, as renderer/src/api.ts reads it. */
export interface EventStreamClient {
  events: { event: string; data: unknown }[];
  heartbeats: number;
  /** Resolves once `count` events arrived (fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves with the first event matching `predicate`, counting from the start. */
  until(predicate: (e: { event: string; data: unknown }) => boolean, timeoutMs?: number): Promise<unknown>;
  close(): void;
}

export async function openEventStream(origin: string, secret: string): Promise<EventStreamClient> {
  const controller = new AbortController();
  const res = await fetch(`${origin}/events`, {
    headers: { [BRIDGE_HEADER]: secret },
    signal: controller.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`events answered ${res.status}`);
  if (!res.headers.get('content-type')?.startsWith('text/event-stream'))
    throw new Error('not an event stream');
  const client: EventStreamClient = {
    events: [],
    heartbeats: 0,
    async waitFor(count, timeoutMs = 5_000) {
      await poll(() => client.events.length >= count, timeoutMs, `${count} events`);
    },
    async until(predicate, timeoutMs = 10_000) {
      let found: { event: string; data: unknown } | undefined;
      await poll(() => (found = client.events.find(predicate)) !== undefined, timeoutMs, 'a matching event');
      return found?.data;
    },
    close: () => controller.abort(),
  };
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(': ping')) client.heartbeats++;
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) client.events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // Aborted by close().
    }
  })();
  return client;
}

async function poll(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
