/**
 * Network faults on the public API. Every public request the faults apply to draws the same two
 * numbers in the same order, so a given seed yields the same fault sequence for the same
 * request sequence. `methods` narrows them to some HTTP methods (all when empty): with only
 * POST, a payment call's answer can be lost while the reads around it still get through.
 */

export interface FaultSettings {
  latency_ms: number;
  error_rate: number;
  drop_after_commit_rate: number;
  seed: number;
  /** Upper-case HTTP methods the faults apply to; empty for every method. */
  methods: string[];
}

export interface FaultPlan {
  latencyMs: number;
  /** Answer 503 before touching any state. */
  error: boolean;
  /** Commit the state change, then destroy the socket without answering. */
  drop: boolean;
}

/** mulberry32: tiny, fast, and good enough to spread faults evenly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function noFaults(): FaultSettings {
  return { latency_ms: 0, error_rate: 0, drop_after_commit_rate: 0, seed: 0, methods: [] };
}

export class FaultInjector {
  private settings: FaultSettings = noFaults();
  private random: () => number = mulberry32(0);

  configure(settings: FaultSettings): void {
    this.settings = settings;
    this.random = mulberry32(settings.seed);
  }

  current(): FaultSettings {
    return { ...this.settings, methods: [...this.settings.methods] };
  }

  /** The faults for one request: none, and no draw, for a method they do not apply to. */
  draw(method: string): FaultPlan {
    const { methods } = this.settings;
    if (methods.length > 0 && !methods.includes(method.toUpperCase())) {
      return { latencyMs: 0, error: false, drop: false };
    }
    const errorDraw = this.random();
    const dropDraw = this.random();
    return {
      latencyMs: this.settings.latency_ms,
      error: errorDraw < this.settings.error_rate,
      drop: dropDraw < this.settings.drop_after_commit_rate,
    };
  }
}
