/**
 * Shared set-up for the DropPay integration tests: the real sandbox on a free loopback port,
 * the real client over real HTTP, and a counting wrapper around fetch that only observes the
 * transport (method, path, status, or the transport error) without changing anything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type SandboxCredentials } from '../../../electron/main/sandbox';
import { MemoryCredentialStore } from '../../../electron/main/credentials/memory-store';
import { provisionSandboxCredentials } from '../../../electron/main/credentials/provision-sandbox';
import {
  createDropPayClient,
  type DropPayClient,
  type DropPayClientOptions,
} from '../../../electron/main/droppay/client';

export interface Seen {
  method: string;
  path: string;
  status: number | 'error';
}

export interface Sandbox {
  baseUrl: string;
  credentials: SandboxCredentials;
  close(): Promise<void>;
}

export async function openSandbox(
  options: Parameters<typeof startSandbox>[0] = {},
): Promise<Sandbox & { dispose(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'droppay-it-'));
  const sandbox = await startSandbox({ port: 0, dataDir, ...options });
  return {
    ...sandbox,
    dispose: async () => {
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Calls the simulator's own control surface (never part of the client). */
export async function sim(
  sandbox: Sandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(sandbox.baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`sim ${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Ledger {
  charges: { id: string; authorization_id: string; amount: number; status: string }[];
  refunds: { id: string; charge_id: string; amount: number; status: string }[];
}

export const ledger = (sandbox: Sandbox) => sim(sandbox, 'GET', '/_sim/ledger') as Promise<Ledger>;
export const setFaults = (
  sandbox: Sandbox,
  f: { latency_ms?: number; error_rate?: number; drop_after_commit_rate?: number; seed?: number },
) => sim(sandbox, 'POST', '/_sim/faults', { seed: 1, ...f });
export const advance = (sandbox: Sandbox, seconds: number) =>
  sim(sandbox, 'POST', '/_sim/clock/advance', { seconds });

export function countingFetch(inner: typeof fetch = fetch): {
  fetch: typeof fetch;
  seen: Seen[];
  count(method: string, path: string): number;
} {
  const seen: Seen[] = [];
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const entry: Seen = { method: init?.method ?? 'GET', path: url.pathname, status: 'error' };
    seen.push(entry);
    const res = await inner(input, init);
    entry.status = res.status;
    return res;
  };
  return {
    fetch: wrapped,
    seen,
    count: (method, path) => seen.filter((s) => s.method === method && s.path === path).length,
  };
}

export interface Till {
  client: DropPayClient;
  store: MemoryCredentialStore;
  counter: ReturnType<typeof countingFetch>;
  clock: { t: number };
}

/** A till provisioned with the sandbox's credentials, the way the app does in sandbox mode. */
export async function openTill(sandbox: Sandbox, options: Partial<DropPayClientOptions> = {}): Promise<Till> {
  const store = new MemoryCredentialStore();
  await provisionSandboxCredentials(store, sandbox.credentials);
  // A network given in `options.fetch` (e.g. one that holds a request back) sits under the counter.
  const { fetch: network, ...rest } = options;
  const counter = countingFetch(network);
  const clock = { t: Date.now() };
  const client = createDropPayClient({
    baseUrl: sandbox.baseUrl,
    store,
    fetch: counter.fetch,
    now: () => clock.t,
    timeoutMs: 5_000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 },
    ...rest,
  });
  return { client, store, counter, clock };
}

/** Creates an authorization and has the payer approve it; returns it read back with its pay token. */
export async function grantedAuthorization(
  sandbox: Sandbox,
  till: Till,
  amount: number,
  extra: { policy?: 'CHARGEABLE' | 'BOOKED' | 'CHARGED'; merchantCustomId?: string } = {},
) {
  const created = await till.client.authorizations.create({
    description: 'Integration sale',
    amount,
    ...extra,
  });
  await sim(sandbox, 'POST', `/_sim/authorization/${created.id}/grant`);
  return till.client.authorizations.get(created.id);
}
