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
 * How event delivery misbehaves, set by /_sim/webhooks/faults: a real DropPay may deliver an
 * event more than once and out of order, and a till must cope with both.
 */
export interface DeliveryFaults {
  /** Copies of every event, each delivered (and retried) on its own: 2 sends each one twice. */
  duplicate: number;
  /** Keep new events back until /_sim/webhooks/release sends them, in an order of its choice. */
  hold: boolean;
}

/** A well-behaved network: each event once, as soon as it is raised. */
export function noDeliveryFaults(): DeliveryFaults {
  return { duplicate: 1, hold: false };
}

/** One POST of an event to a receiver, for tests that count or order what was sent. */
export interface DeliveryRecord {
  etype: EventType;
  /** The entity's id and status as the event carried them. */
  id: string | null;
  status: string | null;
  attempt: number;
  /** The receiver's HTTP status, 0 when it gave no answer. */
  answer: number;
}

/** The events kept back by `hold`, as the control surface shows them. */
export interface HeldEvent {
  etype: EventType;
  authorization_id: string;
  id: string | null;
  status: string | null;
}

interface Held {
  urls: readonly string[];
  event: WebhookEvent;
  authorizationId: string;
}

/** The deliveries remembered for /_sim/webhooks: enough for a test, bounded for a long demo. */
const MAX_RECORDS = 1000;

/** The events `hold` keeps back at most; past that the oldest go, counted in `held_dropped`. */
export const MAX_HELD = 1000;

function entityField(edata: unknown, name: 'id' | 'status'): string | null {
  if (typeof edata !== 'object' || edata === null) return null;
  const value = (edata as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
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
  private faults = noDeliveryFaults();
  private held: Held[] = [];
  /** Held events dropped (the oldest) to keep `held` within MAX_HELD, since the last reset. */
  private heldDropped = 0;
  private records: DeliveryRecord[] = [];
  /**
   * Bumped by resetFaults: an attempt (a copy, a released event, a retry) begun before the
   * reset sees a stale generation and neither goes out nor counts.
   */
  private generation = 0;

  constructor(
    private readonly retry: RetryPolicy,
    private readonly log: (line: string) => void,
  ) {}

  /** Sends `event` (about `authorizationId` or one of its charges and refunds) to every URL. */
  send(urls: readonly string[], event: WebhookEvent, authorizationId: string): void {
    if (this.closed) return;
    if (this.faults.hold) {
      this.held.push({ urls, event, authorizationId });
      if (this.held.length > MAX_HELD) {
        const over = this.held.length - MAX_HELD;
        this.held.splice(0, over);
        this.heldDropped += over;
      }
      return;
    }
    const body = JSON.stringify(event);
    const generation = this.generation;
    for (const url of new Set(urls)) {
      // A copy goes once the one before it has had its answer, so copies arrive in turn.
      let chain = this.attempt(url, body, event, 1, generation);
      for (let copy = 2; copy <= this.faults.duplicate; copy++) {
        chain = chain.then(() => this.attempt(url, body, event, 1, generation));
      }
    }
  }

  /** Applies to events raised from now on; events already held stay held until released. */
  configureFaults(faults: DeliveryFaults): void {
    this.faults = { ...faults };
  }

  /**
   * The fault settings, the events held back (oldest first), and the deliveries made (oldest
   * first); `held_dropped`, how many held events went to stay within MAX_HELD since the last
   * reset.
   */
  faultState(): DeliveryFaults & { held: HeldEvent[]; held_dropped: number; deliveries: DeliveryRecord[] } {
    return {
      ...this.faults,
      held: this.held.map((h) => ({
        etype: h.event.etype,
        authorization_id: h.authorizationId,
        id: entityField(h.event.edata, 'id'),
        status: entityField(h.event.edata, 'status'),
      })),
      held_dropped: this.heldDropped,
      deliveries: [...this.records],
    };
  }

  /**
   * Sends the held events (all, or those of one authorization), newest first unless told
   * otherwise, each as many times as `duplicate` says. They go one after another, each once
   * the one before has had its answer, so a receiver sees them in exactly that order. Returns
   * how many events were released.
   */
  release(order: 'reverse' | 'original', authorizationId: string | null): number {
    const chosen = this.held.filter((h) => authorizationId === null || h.authorizationId === authorizationId);
    const taken = new Set(chosen);
    this.held = this.held.filter((h) => !taken.has(h));
    if (order === 'reverse') chosen.reverse();
    const generation = this.generation;
    let chain = Promise.resolve();
    for (const h of chosen) {
      const body = JSON.stringify(h.event);
      for (const url of new Set(h.urls)) {
        for (let copy = 1; copy <= this.faults.duplicate; copy++) {
          chain = chain.then(() => this.attempt(url, body, h.event, 1, generation));
        }
      }
    }
    return chosen.length;
  }

  /**
   * Back to a well-behaved network, as if no event had ever been raised: held events are
   * dropped, the delivery record cleared, and nothing raised before goes out after: a release
   * or copies under way stop, queued retries are cancelled, deliveries in flight are aborted.
   */
  resetFaults(): void {
    this.generation++;
    this.faults = noDeliveryFaults();
    this.held = [];
    this.heldDropped = 0;
    this.records = [];
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
  }

  /**
   * Resolves once this attempt has its answer (or none); a retry it needs runs on its own.
   * Nothing is sent once the dispatcher is closed or reset since `generation`.
   */
  private attempt(
    url: string,
    body: string,
    event: WebhookEvent,
    attempt: number,
    generation: number,
  ): Promise<void> {
    if (this.closed || generation !== this.generation) return Promise.resolve();
    const { etype } = event;
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
          // A body that broke off mid-way is no reason to lose the answer's status.
          await res.body?.cancel().catch(() => undefined);
          return res.status;
        },
        () => 0,
      )
      .then((status) => {
        clearTimeout(timeout);
        this.controllers.delete(controller);
        // Reset while in flight: an event of before the reset is neither recorded nor retried.
        if (generation !== this.generation) return;
        const ok = status >= 200 && status < 300;
        this.remember({
          etype,
          id: entityField(event.edata, 'id'),
          status: entityField(event.edata, 'status'),
          attempt,
          answer: status,
        });
        // The URL may carry a secret in its query: log only the event type and the outcome.
        this.log(`webhook ${etype} attempt ${attempt} -> ${status === 0 ? 'no answer' : status}`);
        if (ok || this.closed) return;
        if (attempt >= this.retry.attempts) return;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            void this.attempt(url, body, event, attempt + 1, generation);
          },
          this.retry.baseDelayMs * 2 ** (attempt - 1),
        );
        this.timers.add(timer);
      })
      // Never rejects (a log that throws, say): the copies and released events chained after
      // this one must still go, and nothing may end as an unhandled rejection.
      .catch(() => undefined);
    this.inflight.add(delivery);
    void delivery.finally(() => this.inflight.delete(delivery));
    return delivery;
  }

  private remember(record: DeliveryRecord): void {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
  }

  /** Stops retries and aborts deliveries in flight, then waits for them to unwind. */
  async close(): Promise<void> {
    this.closed = true;
    this.held = [];
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.controllers) controller.abort();
    await Promise.allSettled([...this.inflight]);
  }
}
