/**
 * The line protocol between a torture test and its child process: one JSON object per line,
 * commands on the child's stdin, reports on its stdout. The child writes its reports with a
 * synchronous write, so a report is in the pipe before the child takes its next step (and
 * before it kills itself at a crash point).
 */

/** Everything the child's environment carries. */
export const CHILD_ENV = {
  journal: 'TORTURE_JOURNAL',
  baseUrl: 'TORTURE_BASE_URL',
  /** A crash point name: the child SIGKILLs itself the Nth time it gets there. */
  crashAt: 'TORTURE_CRASH_AT',
  crashNth: 'TORTURE_CRASH_NTH',
  /** "1": load everything, report `booted`, then wait for `go` before touching the journal. */
  hold: 'TORTURE_HOLD',
  pollMs: 'TORTURE_POLL_MS',
  resolveMs: 'TORTURE_RESOLVE_MS',
  timeoutMs: 'TORTURE_TIMEOUT_MS',
  /** The payments service's inTransitMs (how long a lost POST may still land). */
  inTransitMs: 'TORTURE_IN_TRANSIT_MS',
} as const;

/** Service methods a test may call in the child. */
export const CHILD_METHODS = [
  'startSale',
  'cancelSale',
  'captureSale',
  'refund',
  'getSale',
  'listSales',
  'pending',
  'notify',
  'recover',
] as const;
export type ChildMethod = (typeof CHILD_METHODS)[number];

export interface StreamOptions {
  seed: number;
  /** Sales in flight at once. */
  lanes: number;
}

export type ChildCommand =
  /** Start for real; `journal` overrides the journal path of the environment. */
  | { op: 'go'; journal?: string }
  | { op: 'call'; id: number; method: ChildMethod; args: unknown[] }
  | { op: 'stream'; options: StreamOptions };

export interface ChildFailure {
  name: string;
  code: string | null;
  message: string;
}

export type ChildReport =
  | { t: 'booted'; ms: number }
  /** `ms` since the process started; opening the journal and recovery took openMs and recoverMs. */
  | { t: 'ready'; ms: number; openMs: number; recoverMs: number }
  /** Events committed to the journal, as [seq, hash] pairs, read back from the file. */
  | { t: 'seqs'; rows: [number, string][] }
  | { t: 'crash'; point: string }
  | { t: 'reply'; id: number; ok: true; value: unknown }
  | { t: 'reply'; id: number; ok: false; error: ChildFailure }
  | { t: 'stream'; what: string; saleId: string; detail?: string }
  | { t: 'fatal'; error: ChildFailure };

export function isChildReport(value: unknown): value is ChildReport {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
