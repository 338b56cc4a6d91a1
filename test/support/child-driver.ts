/**
 * Drives one torture child from the test: spawns the bundled child, parses its report lines,
 * sends it commands, waits for reports, and SIGKILLs it. Nothing here touches the journal or
 * DropPay: the child does that with the real core.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { childEnv, type ChildProgram } from './child-bundle';
import {
  isChildReport,
  type ChildCommand,
  type ChildFailure,
  type ChildMethod,
  type ChildReport,
} from './torture-protocol';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ChildCallError extends Error {
  override readonly name = 'ChildCallError';
  constructor(readonly failure: ChildFailure) {
    super(`${failure.name}${failure.code === null ? '' : `(${failure.code})`}: ${failure.message}`);
  }
}

interface Waiter {
  match: (r: ChildReport) => boolean;
  resolve: (r: ChildReport) => void;
}

export class TortureChild {
  readonly reports: ChildReport[] = [];
  readonly exited: Promise<ChildExit>;
  stderr = '';
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<(r: ChildReport) => void>();
  private nextId = 1;
  private exit: ChildExit | null = null;
  private buffered = '';

  constructor(program: ChildProgram, env: Record<string, string>) {
    this.proc = spawn(process.execPath, program.args, {
      env: childEnv(env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      // Keep the tail only: enough to explain a failure, bounded over a thousand lives.
      this.stderr = (this.stderr + chunk).slice(-8000);
    });
    // A child killed while we write to it must not crash the test with EPIPE.
    this.proc.stdin.on('error', () => undefined);
    // 'close' comes after the exit and after stdout has drained, so no report is missed.
    this.exited = new Promise((resolve) => {
      this.proc.on('close', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  get alive(): boolean {
    return this.exit === null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    let nl = this.buffered.indexOf('\n');
    while (nl >= 0) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      nl = this.buffered.indexOf('\n');
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue; // someone's console.log: not a report
      }
      if (!isChildReport(parsed)) continue;
      this.reports.push(parsed);
      for (const l of this.listeners) l(parsed);
      for (const w of [...this.waiters]) {
        if (w.match(parsed)) {
          this.waiters.delete(w);
          w.resolve(parsed);
        }
      }
    }
  }

  onReport(listener: (r: ChildReport) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(command: ChildCommand): void {
    if (this.alive) this.proc.stdin.write(`${JSON.stringify(command)}\n`);
  }

  /** The first report (already received or coming) that matches; rejects on exit or timeout. */
  waitFor<R extends ChildReport>(
    match: (r: ChildReport) => r is R,
    timeoutMs: number,
    what: string,
  ): Promise<R>;
  waitFor(match: (r: ChildReport) => boolean, timeoutMs: number, what: string): Promise<ChildReport>;
  waitFor(match: (r: ChildReport) => boolean, timeoutMs: number, what: string): Promise<ChildReport> {
    const seen = this.reports.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(
          new Error(
            `child ${this.pid}: no ${what} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(waiter);
      void this.exited.then((exit) => {
        if (!this.waiters.has(waiter)) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        reject(
          new Error(
            `child ${this.pid} exited (${exit.signal ?? exit.code}) before ${what}; stderr: ${this.stderr.slice(-2000)}`,
          ),
        );
      });
    });
  }

  /** Calls a payments-service method in the child; resolves with its value or rejects with ChildCallError. */
  async call(method: ChildMethod, args: unknown[], timeoutMs = 20_000): Promise<unknown> {
    const id = this.nextId++;
    this.send({ op: 'call', id, method, args });
    const reply = await this.waitFor((r) => r.t === 'reply' && r.id === id, timeoutMs, `reply to ${method}`);
    if (reply.t !== 'reply') throw new Error('unreachable');
    if (!reply.ok) throw new ChildCallError(reply.error);
    return reply.value;
  }

  /**
   * CPU time the child has used so far, in ms (Linux /proc; null elsewhere or once it is gone).
   * Clock-tick resolution (10 ms): meaningful summed over many lives, not for one.
   */
  cpuMs(): number | null {
    if (this.pid === undefined || !this.alive) return null;
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Number.isFinite(ticks) ? ticks * 10 : null;
    } catch {
      return null;
    }
  }

  /** Closes the child's stdin, which makes it exit normally. */
  end(): Promise<ChildExit> {
    this.proc.stdin.end();
    return this.exited;
  }

  /** SIGKILL, and the exit that follows. */
  async kill(): Promise<ChildExit> {
    if (this.alive) this.proc.kill('SIGKILL');
    return this.exited;
  }
}
