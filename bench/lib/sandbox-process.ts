import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

/** The sandbox running in its own process (so it has its own core), as `npm run sandbox` runs it. */
export interface SandboxProcess {
  baseUrl: string;
  applicationKey: string;
  applicationSecret: string;
  connectionCode: string;
  posId: string;
  stop(): Promise<void>;
}

export async function spawnSandbox(): Promise<SandboxProcess> {
  const tsx = join(process.cwd(), 'node_modules/.bin/tsx');
  const child: ChildProcess = spawn(tsx, ['electron/main/sandbox/cli.ts', '--port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error('sandbox has no stdout');
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: stdout });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code ?? 'signal'})`)));
  });
  const info = JSON.parse(line) as Record<string, string>;
  const field = (name: string): string => {
    const value = info[name];
    if (typeof value !== 'string') throw new Error(`sandbox line lacks ${name}`);
    return value;
  };
  return {
    baseUrl: field('base_url'),
    applicationKey: field('application_key'),
    applicationSecret: field('application_secret'),
    connectionCode: field('connection_code'),
    posId: field('pos_id'),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** An access token from the sandbox's connection code, for benches that make bare HTTP calls. */
export async function sandboxToken(sb: SandboxProcess): Promise<string> {
  const res = await fetch(`${sb.baseUrl}/oa2/v1/ac/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'authorization_code',
      code: sb.connectionCode,
      client_id: sb.applicationKey,
      client_secret: sb.applicationSecret,
      scope: 'app',
    }),
  });
  if (res.status !== 200) throw new Error(`token: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}
