import type { Reach } from '../../../shared/ipc/environment';

export type { Reach };

/**
 * Whether DropPay answered the till's latest call, with a listener for each change (not for
 * each call). `unknown` until the first one ends; `not_answering` after a call that got no
 * answer (a timeout, a dropped connection) or only a 5xx; `answering` after any other answer,
 * a refusal included: DropPay is there and said no.
 */
export class Reachability {
  private current: Reach = 'unknown';
  private sinceMs: number | null = null;
  private readonly listeners = new Set<(reach: Reach) => void>();

  constructor(private readonly now: () => number = Date.now) {}

  state(): Reach {
    return this.current;
  }

  /** Epoch milliseconds of the latest change; null while unknown. */
  since(): number | null {
    return this.sinceMs;
  }

  /** A call ended: `answered` says whether DropPay itself answered it. */
  record(answered: boolean): void {
    const next: Reach = answered ? 'answering' : 'not_answering';
    if (next === this.current) return;
    this.current = next;
    this.sinceMs = this.now();
    for (const listener of [...this.listeners]) listener(next);
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (reach: Reach) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
