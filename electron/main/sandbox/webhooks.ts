import { WEBHOOK_TIMEOUT_MS } from './config';

export type EventType =
  'pos.authorization.status_update' | 'pos.charge.status_update' | 'pos.refund.status_update';

export interface WebhookEvent {
  etime: string;
  etype: EventType;
  edata: unknown;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

/**
 * Delivers events in the background with exponential backoff. Nothing here is awaited by the
 * request that caused the event: a slow or dead receiver must never slow the API down.
 */
export class WebhookDispatcher {
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly retry: RetryPolicy,
    private readonly log: (line: string) => void,
  ) {}

  send(urls: readonly string[], event: WebhookEvent): void {
    if (this.closed) return;
    const body = JSON.stringify(event);
    for (const url of new Set(urls)) this.attempt(url, body, event.etype, 1);
  }

  private attempt(url: string, body: string, etype: EventType, attempt: number): void {
    if (this.closed) return;
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), WEBHOOK_TIMEOUT_MS);
    const delivery = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: controller.signal,
      redirect: 'manual',
    })
      .then(
        async (res) => {
          await res.body?.cancel();
          return res.status;
        },
        () => 0,
      )
      .then((status) => {
        clearTimeout(timeout);
        this.controllers.delete(controller);
        const ok = status >= 200 && status < 300;
        // The URL may carry a secret in its query: log only the event type and the outcome.
        this.log(`webhook ${etype} attempt ${attempt} -> ${status === 0 ? 'no answer' : status}`);
        if (ok || this.closed) return;
        if (attempt >= this.retry.attempts) return;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.attempt(url, body, etype, attempt + 1);
          },
          this.retry.baseDelayMs * 2 ** (attempt - 1),
        );
        this.timers.add(timer);
      });
    this.inflight.add(delivery);
    void delivery.finally(() => this.inflight.delete(delivery));
  }

  /** Stops retries and aborts deliveries in flight, then waits for them to unwind. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    await Promise.allSettled([...this.inflight]);
  }
}
