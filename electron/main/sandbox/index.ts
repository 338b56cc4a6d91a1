import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { DEFAULTS, SWEEP_INTERVAL_MS } from './config';
import { SandboxCore } from './context';
import { openDatabase } from './db';
import { settle } from './lifecycle';
import { oauthRoutes } from './routes-oauth';
import { pageRoutes } from './routes-pages';
import { shopRoutes } from './routes-shop';
import { simRoutes } from './routes-sim';
import { createSandboxServer } from './server';
import { ensureMerchantConnection, resolveCredentials } from './tokens';

/**
 * The embedded DropPay sandbox: a stateful simulator of the DropPay API on loopback. It is
 * the app's default backend and the peer of every integration test. Plain Node only (no
 * electron import), so it runs from tests, from the CLI, and inside the Electron main.
 */

export interface SandboxCredentials {
  applicationKey: string;
  applicationSecret: string;
  connectionCode: string;
  posId: string;
}

export interface SandboxOptions {
  /** 0 / undefined = a free port. */
  port?: number;
  /** Default '127.0.0.1'; anything else is an explicit opt-in (a phone on the LAN). */
  host?: string;
  /** When set, state lives in <dataDir>/droppay-sandbox.sqlite and survives a restart. */
  dataDir?: string;
  /** Fixed credentials; the rest are generated (and persisted with a dataDir). */
  credentials?: Partial<SandboxCredentials>;
  /** Authorization (and connection) waiting time, default 300. */
  waitingSeconds?: number;
  /** DONE -> ACCOUNTED delay for charges and refunds, default 60 (simulated clock). */
  accountingDelaySeconds?: number;
  /** ENQUEUED -> DONE delay for refunds, default 2 (simulated clock). */
  refundSettleSeconds?: number;
  /** Default {attempts: 5, baseDelayMs: 500}. */
  webhookRetry?: { attempts: number; baseDelayMs: number };
  /** Optional request log; never receives secrets or tokens. */
  log?: (line: string) => void;
}

export interface RunningSandbox {
  baseUrl: string;
  credentials: SandboxCredentials;
  close(): Promise<void>;
}

function checkSeconds(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a non-negative number of seconds`);
  return v;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Where a phone reaches the payer pages: the LAN address when bound to every interface. */
function publicHost(host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return urlHost(host);
  for (const addresses of Object.values(networkInterfaces())) {
    const lan = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (lan) return lan.address;
  }
  return '127.0.0.1';
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const timings = {
    waitingSeconds: checkSeconds('waitingSeconds', options.waitingSeconds, DEFAULTS.waitingSeconds),
    accountingDelaySeconds: checkSeconds(
      'accountingDelaySeconds',
      options.accountingDelaySeconds,
      DEFAULTS.accountingDelaySeconds,
    ),
    refundSettleSeconds: checkSeconds(
      'refundSettleSeconds',
      options.refundSettleSeconds,
      DEFAULTS.refundSettleSeconds,
    ),
  };
  const retry = options.webhookRetry ?? DEFAULTS.webhookRetry;
  const log = options.log ?? (() => undefined);

  const db = openDatabase(options.dataDir);
  let core: SandboxCore;
  let sandboxServer: ReturnType<typeof createSandboxServer>;
  try {
    const credentials = resolveCredentials(db, options.credentials ?? {});
    core = new SandboxCore(db, timings, retry, log, credentials);
    ensureMerchantConnection(core);
    const routes = [...oauthRoutes(core), ...shopRoutes(core), ...simRoutes(core), ...pageRoutes(core)];
    sandboxServer = createSandboxServer(core, routes);
    await new Promise<void>((resolve, reject) => {
      sandboxServer.server.once('error', reject);
      sandboxServer.server.listen(options.port ?? 0, host, () => {
        sandboxServer.server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    db.close();
    throw err;
  }

  const { port } = sandboxServer.server.address() as AddressInfo;
  const wildcard = host === '0.0.0.0' || host === '::';
  const baseUrl = `http://${wildcard ? '127.0.0.1' : urlHost(host)}:${port}`;
  core.publicBase = `http://${publicHost(host)}:${port}`;

  const sweep = (): void => {
    try {
      settle(core);
    } catch (err) {
      log(`sandbox sweep failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  sweep();
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS);
  sweeper.unref();

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      clearInterval(sweeper);
      await sandboxServer.close();
      await core.webhooks.close();
      db.close();
    })();
    return closing;
  };
  log(`DropPay sandbox listening on ${baseUrl}`);
  return { baseUrl, credentials: { ...core.credentials }, close };
}
