import { getMeta, setMeta, type Db } from './db';

const OFFSET_KEY = 'clock.offset_ms';

/**
 * The simulated clock: real time plus an offset that only ever grows. Tests move it with
 * /_sim/clock/advance instead of sleeping; the offset is persisted so a restart does not
 * bring expired tokens back to life.
 */
export class SimClock {
  private offsetMs: number;

  constructor(private readonly db: Db) {
    this.offsetMs = Number(getMeta(db, OFFSET_KEY) ?? '0');
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(seconds: number): void {
    this.offsetMs += Math.round(seconds * 1000);
    setMeta(this.db, OFFSET_KEY, String(this.offsetMs));
  }

  /** After a reset the meta row is gone: start again from real time. */
  reload(): void {
    this.offsetMs = Number(getMeta(this.db, OFFSET_KEY) ?? '0');
  }

  get offsetSeconds(): number {
    return this.offsetMs / 1000;
  }
}
