import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const children: ChildProcess[] = [];

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Every process of the group has let go of stdout/stderr: exit code of npx. */
  exited: Promise<number | null>;
}

function run(args: string[]): Running {
  // Its own process group, so the test can stop npx, tsx and node together by the group id.
  const child = spawn('npx', ['tsx', 'electron/main/sandbox/cli.ts', ...args], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function stopGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}

afterEach(() => {
  for (const child of children.splice(0)) stopGroup(child, 'SIGKILL');
});

async function until(predicate: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`the CLI did not ${what} in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function firstLine(read: () => string): Promise<string> {
  await until(() => read().includes('\n'), 'print a line');
  return read().split('\n')[0] ?? '';
}

describe('sandbox CLI', () => {
  it('prints one JSON line with base URL and credentials, serves, and stops cleanly on SIGTERM', async () => {
    const proc = run(['--port', '0']);
    const info = JSON.parse(await firstLine(proc.stdout)) as Record<string, string>;
    expect(Object.keys(info).sort()).toEqual([
      'application_key',
      'application_secret',
      'base_url',
      'connection_code',
      'pos_id',
    ]);
    expect(info['base_url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${info['base_url']}/oa2/v1/ac/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: info['connection_code'],
        client_id: info['application_key'],
        client_secret: info['application_secret'],
        scope: 'app',
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { token_type: string }).token_type).toBe('bearer');
    // Exactly one line on stdout; the request log goes to stderr and never carries secrets.
    await until(() => proc.stderr().includes('POST /oa2/v1/ac/token -> 200'), 'log the request');
    expect(proc.stdout().trim().split('\n')).toHaveLength(1);
    expect(proc.stderr()).not.toContain(info['application_secret']);
    expect(proc.stderr()).not.toContain(info['connection_code']);

    if (proc.child.pid !== undefined) process.kill(-proc.child.pid, 'SIGTERM');
    await proc.exited;
    expect(proc.stderr()).toContain('DropPay sandbox stopped');
    await expect(fetch(`${info['base_url']}/shop/v1/brands`)).rejects.toThrow();
  });

  it('a usage error goes to stderr with exit code 2', async () => {
    const proc = run(['--port', 'not-a-port']);
    expect(await proc.exited).toBe(2);
    expect(proc.stderr()).toContain('--port');
    expect(proc.stdout()).toBe('');
  });
});
