import { SimClock } from './clock';
import type { Db } from './db';
import { FaultInjector } from './faults';
import { WebhookDispatcher, type EventType, type RetryPolicy } from './webhooks';
import { formatIso } from './dates';
import type { SandboxCredentials } from './index';

export interface Timings {
  waitingSeconds: number;
  accountingDelaySeconds: number;
  refundSettleSeconds: number;
}

interface PendingEvent {
  urls: string[];
  etype: EventType;
  edata: unknown;
  at: number;
  /** The authorization the event is about, or the one its charge or refund descends from. */
  authorizationId: string;
}

/** Events raised inside a transaction; sent only once it has committed. */
export type Outbox = PendingEvent[];

/**
 * Everything a handler needs: the database, the simulated clock, the fault and failure
 * switches, and the webhook dispatcher. One per running sandbox.
 */
export class SandboxCore {
  readonly clock: SimClock;
  readonly faults = new FaultInjector();
  readonly webhooks: WebhookDispatcher;
  /** Armed by /_sim/charge/next-fails: each unit makes one upcoming charge end FAILED. */
  chargeFailuresPending = 0;
  refundFailuresPending = 0;
  /** Where a phone reaches the payer pages (differs from the API base when bound to the LAN). */
  publicBase = '';
  credentials: SandboxCredentials;
  /**
   * One transaction wrapper for the life of the core: db.transaction() builds a new wrapper
   * function on every call, and every request runs at least two transactions (the sweep, and
   * the handler's own).
   */
  private readonly runInTx: (fn: () => unknown) => unknown;

  constructor(
    readonly db: Db,
    readonly timings: Timings,
    retry: RetryPolicy,
    readonly log: (line: string) => void,
    credentials: SandboxCredentials,
  ) {
    this.clock = new SimClock(db);
    this.webhooks = new WebhookDispatcher(retry, log);
    this.credentials = credentials;
    this.runInTx = db.transaction((fn: () => unknown) => fn());
  }

  now(): number {
    return this.clock.now();
  }

  /** Runs `fn` in one SQLite transaction, then hands the events it raised to the dispatcher. */
  tx<T>(fn: (out: Outbox) => T): T {
    const out: Outbox = [];
    // The wrapper only passes through what fn returned, so the result is still a T.
    const result = this.runInTx(() => fn(out)) as T;
    for (const e of out) {
      const event = { etime: formatIso(e.at), etype: e.etype, edata: e.edata };
      this.webhooks.send(e.urls, event, e.authorizationId);
    }
    return result;
  }
}

/**
 * The URLs an event goes to: the one under its own event type, and the one under `ALL`
 * (deduplicated by the dispatcher when they are the same).
 */
export function webhookTargets(webhooks: Record<string, string> | undefined, etype: EventType): string[] {
  if (!webhooks) return [];
  return [webhooks[etype], webhooks['ALL']].filter((u): u is string => typeof u === 'string');
}
