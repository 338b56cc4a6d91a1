import { CHANNEL_NAMES, EVENT_NAMES, methodName, type EventName } from '../../shared/ipc/channel-names';
import type { CashierApi, Subscribe } from '../../shared/ipc/api';
import type { ErrorCode, ErrorDetail, Result } from '../../shared/result';

const SECRET_KEY = 'cashier-bridge';
const BRIDGE_HEADER = 'x-cashier-bridge';
/** The bridge's heartbeat until its stream says otherwise (its first line names it). */
const DEFAULT_HEARTBEAT_MS = 15_000;
/** A stream with no line for this many heartbeats is dead, and is dropped and opened again. */
const SILENT_HEARTBEATS = 3;
const HEARTBEAT_LINE = /^: open heartbeat=(\d{1,7})$/;

/**
 * The renderer's one way to the core. In Electron the preload provides `window.cashier`
 * (IPC, push events included). In a browser (no Electron on the machine, and the end-to-end
 * tests) the same methods go over the loopback bridge, authenticated by the per-run secret the
 * page was opened with, and push events arrive on one streamed `GET /events`.
 */
export const api: CashierApi = window.cashier ?? bridgeApi();

const connectedListeners = new Set<() => void>();

/**
 * Called each time the bridge's event stream (re)connects: events pushed while it was down are
 * not replayed, so a window re-reads what it shows. Electron's IPC never drops, so there it is
 * never called.
 */
export function onEventsConnected(listener: () => void): () => void {
  connectedListeners.add(listener);
  return () => void connectedListeners.delete(listener);
}

const lostListeners = new Set<() => void>();

/**
 * Called each time the bridge's event stream is down: it dropped, or an attempt to open it
 * failed. Until `onEventsConnected` is called again, nothing pushed reaches this window.
 */
export function onEventsLost(listener: () => void): () => void {
  lostListeners.add(listener);
  return () => void lostListeners.delete(listener);
}

function bridgeApi(): CashierApi {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('bridge');
  if (fromUrl) {
    // Keep the secret out of the address bar and history once read.
    sessionStorage.setItem(SECRET_KEY, fromUrl);
    params.delete('bridge');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  const secret = sessionStorage.getItem(SECRET_KEY) ?? '';
  const methods: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    methods[methodName(channel)] = (input?: unknown) => call(secret, channel, input);
  }
  methods['on'] = eventStream(secret);
  return methods as unknown as CashierApi;
}

/** A failure of the bridge itself, with the detail the screen words in the cashier's language. */
function bridgeFailure(code: ErrorCode, message: string, detail: ErrorDetail): Result<never> {
  return { ok: false, error: { code, message, detail } };
}

async function call(secret: string, channel: string, input: unknown): Promise<Result<unknown>> {
  try {
    const res = await fetch(`/ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [BRIDGE_HEADER]: secret },
      body: JSON.stringify({ input }),
    });
    if (res.status === 403) {
      return bridgeFailure('BRIDGE_REFUSED', 'Bridge secret refused.', { key: 'bridge.refused' });
    }
    if (!res.ok) {
      return bridgeFailure('INTERNAL', `Bridge answered ${res.status}.`, {
        key: 'bridge.status',
        params: { status: res.status },
      });
    }
    return (await res.json()) as Result<unknown>;
  } catch {
    return bridgeFailure('CORE_UNREACHABLE', 'The terminal core is not reachable.', {
      key: 'bridge.unreachable',
    });
  }
}

/**
 * `on(event, cb)` over the bridge: one streamed request shared by every listener, opened with
 * the first and aborted with the last. A fetch stream rather than EventSource, because
 * EventSource cannot send a header and the secret must not travel in a URL (where logs and
 * history keep it). The server frames events as Server-Sent Events.
 */
function eventStream(secret: string): Subscribe {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let controller: AbortController | null = null;

  const count = (): number => [...listeners.values()].reduce((n, set) => n + set.size, 0);

  const deliver = (block: string): void => {
    let event = '';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    if (!(EVENT_NAMES as readonly string[]).includes(event) || data === '') return;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    for (const listener of [...(listeners.get(event as EventName) ?? [])]) {
      try {
        (listener as (p: unknown) => void)(payload);
      } catch (error) {
        console.error('event listener failed', error);
      }
    }
  };

  const run = async (signal: AbortSignal): Promise<void> => {
    let retryMs = 500;
    while (!signal.aborted) {
      // One attempt's own abort: the last listener leaving, or the stream gone silent. A
      // half-open connection (a sleeping laptop, a dropped route) never errors, so a stream
      // with no line for three of the heartbeats the bridge announced is taken for dead.
      const attempt = new AbortController();
      const leave = (): void => attempt.abort();
      signal.addEventListener('abort', leave, { once: true });
      let silentLimitMs = SILENT_HEARTBEATS * DEFAULT_HEARTBEAT_MS;
      let silence: ReturnType<typeof setTimeout> | undefined;
      const heard = (): void => {
        clearTimeout(silence);
        silence = setTimeout(() => attempt.abort(), silentLimitMs);
      };
      try {
        heard();
        const res = await fetch('/events', {
          headers: { [BRIDGE_HEADER]: secret },
          signal: attempt.signal,
          cache: 'no-store',
        });
        // A refused secret will not become right by retrying (a core restarted on the same
        // port has new ones): this window hears nothing from now on.
        if (res.status === 403) {
          for (const listener of [...lostListeners]) listener();
          return;
        }
        if (!res.ok || !res.body) throw new Error(`events answered ${res.status}`);
        retryMs = 500;
        for (const listener of [...connectedListeners]) listener();
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          heard();
          buffer += value;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const announced = HEARTBEAT_LINE.exec(block);
            if (announced) {
              const heartbeatMs = Number(announced[1]);
              if (heartbeatMs > 0) silentLimitMs = SILENT_HEARTBEATS * heartbeatMs;
              heard();
            } else deliver(block);
          }
        }
      } catch {
        if (signal.aborted) return;
      } finally {
        clearTimeout(silence);
        signal.removeEventListener('abort', leave);
      }
      for (const listener of [...lostListeners]) listener();
      // The core restarted, the connection dropped or went silent: try again, backing off to 10 s.
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, 10_000);
    }
  };

  return (event, listener) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event))
      throw new Error(`unknown event ${String(event)}`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as (payload: never) => void;
    set.add(entry);
    if (!controller) {
      controller = new AbortController();
      void run(controller.signal);
    }
    return () => {
      set.delete(entry);
      if (count() === 0 && controller) {
        controller.abort();
        controller = null;
      }
    };
  };
}
