import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dispatch } from '../../../electron/main/app/dispatch';
import { createHandlers } from '../../../electron/main/app/handlers';
import { createFileLog } from '../../../electron/main/app/file-log';
import { createRuntime, type Runtime, type RuntimeOptions } from '../../../electron/main/app/runtime';
import {
  CREDENTIAL_KEYS,
  KeytarCredentialStore,
  type CredentialEnvironment,
} from '../../../electron/main/credentials';
import { channels, events, type Channel, type ChannelOutput } from '../../../shared/ipc/contract';
import type { EventName } from '../../../shared/ipc/channel-names';
import type { Result } from '../../../shared/result';

/**
 * The real runtime for the app's integration tests: the embedded sandbox over HTTP, real
 * journal files in a temp folder, and the real OS keychain (the private keyring of `npm test`),
 * with keychain services of its own so test files running side by side never share entries.
 */
if (process.env['DROPPAY_TEST_KEYRING'] !== '1') {
  throw new Error('These tests use the real keychain: run them through `npm test`, which provides one.');
}

export interface TestApp {
  runtime: Runtime;
  dataDir: string;
  /** Every Result a channel returned (for the secret scan). */
  results: unknown[];
  /** Every event pushed, validated against the contract. */
  events: { event: EventName; payload: unknown }[];
  logs: string[];
  /** One call through `dispatch`, with the output checked against the channel's schema. */
  call<C extends Channel>(channel: C, input?: unknown): Promise<Result<ChannelOutput<C>>>;
  /** Like call, but fails the test unless ok. */
  value<C extends Channel>(channel: C, input?: unknown): Promise<ChannelOutput<C>>;
  /** The keychain store the runtime uses for an environment (to check what landed there). */
  keychain(environment: CredentialEnvironment): KeytarCredentialStore;
  close(): Promise<void>;
}

/**
 * `defaultLog`: the runtime logs as the app does (its own stderr and daily file); `logs` then
 * holds what it wrote to stderr, which is kept off the test output.
 */
export async function startApp(
  options: Partial<RuntimeOptions> & { defaultLog?: boolean } = {},
): Promise<TestApp> {
  const { defaultLog = false, ...runtimeOptions } = options;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'droppay-app-'));
  const tag = randomUUID().slice(0, 8);
  const stores = new Map<string, KeytarCredentialStore>();
  const keychain = (e: CredentialEnvironment): KeytarCredentialStore => {
    const label =
      e.kind === 'custom'
        ? `custom-${createHash('sha256').update(e.baseUrl).digest('hex').slice(0, 12)}`
        : e.kind;
    let store = stores.get(label);
    if (!store) {
      store = new KeytarCredentialStore({ kind: 'custom', baseUrl: `http://${tag}-${label}.keychain.test` });
      stores.set(label, store);
    }
    return store;
  };
  const logs: string[] = [];
  const consoleError = console.error;
  let log: RuntimeOptions['log'];
  if (defaultLog) {
    console.error = (...args: unknown[]) => logs.push(args.map(String).join(' '));
  } else {
    // Kept in memory for the tests, and written as the app writes it, so file scans see it too.
    const fileLog = createFileLog(join(dataDir, 'logs'));
    log = (line) => {
      logs.push(line);
      fileLog(line);
    };
  }
  const runtime = await createRuntime({
    env: {},
    storeFor: keychain,
    ...(log === undefined ? {} : { log }),
    ...runtimeOptions,
    dataDir,
  });
  const handlers = createHandlers(runtime);
  const results: unknown[] = [];
  const seen: TestApp['events'] = [];
  runtime.events.onAny((event, payload) => {
    events[event].parse(payload);
    seen.push({ event, payload });
  });

  const call = async <C extends Channel>(channel: C, input?: unknown): Promise<Result<ChannelOutput<C>>> => {
    const result = (await dispatch(handlers, channel, input)) as Result<ChannelOutput<C>>;
    results.push(result);
    if (result.ok) channels[channel].output.parse(result.value);
    return result;
  };

  return {
    runtime,
    dataDir,
    results,
    events: seen,
    logs,
    call,
    async value(channel, input) {
      const result = await call(channel, input);
      if (!result.ok) throw new Error(`${channel} failed: ${result.error.code} ${result.error.message}`);
      return result.value;
    },
    keychain,
    async close() {
      await runtime.close();
      if (defaultLog) console.error = consoleError;
      for (const store of stores.values()) for (const key of CREDENTIAL_KEYS) await store.delete(key);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Approves a waiting authorization on a sandbox, as the payer's PIN would. */
export async function grant(baseUrl: string, authorizationId: string): Promise<void> {
  const res = await fetch(`${baseUrl}/_sim/authorization/${encodeURIComponent(authorizationId)}/grant`, {
    method: 'POST',
  });
  if (!res.ok) throw new Error(`grant answered ${res.status}: ${await res.text()}`);
}

/** Waits until `check` returns something other than undefined. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every file under `dir`, as bytes, except the ones `skip` names (relative paths). */
export function filesUnder(
  dir: string,
  skip: (relative: string) => boolean = () => false,
): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub))) {
      const rel = sub ? `${sub}/${name}` : name;
      const path = join(dir, rel);
      if (statSync(path).isDirectory()) walk(rel);
      else if (!skip(rel)) out.set(rel, readFileSync(path));
    }
  };
  walk('');
  return out;
}
