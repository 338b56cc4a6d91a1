import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  KeytarCredentialStore,
  provisionSandboxCredentials,
  type CredentialEnvironment,
  type CredentialStore,
} from '../credentials';
import { createDropPayClient, type DropPayClient } from '../droppay';
import { startSandbox, type RunningSandbox } from '../sandbox';
import type { AppStatus, Environment } from '../../../shared/ipc/contract';
import { ok, type Result } from '../../../shared/result';
import { PRODUCTION_BASE_URL, resolveTarget, type TargetConfig } from './config';
import { toAppError } from './errors';

export interface RuntimeOptions {
  /** The app's data folder (Electron's userData/data, or a temp folder in tests). */
  dataDir: string;
  /** Where DROPPAY_ENV / DROPPAY_BASE_URL are read from. */
  env?: NodeJS.ProcessEnv;
  /** Replaces the OS keychain for one environment (tests of the runtime itself). */
  storeFor?: (environment: CredentialEnvironment) => CredentialStore;
}

/** The core of the running app, independent of Electron: what the IPC handlers call. */
export interface Runtime {
  readonly environment: Environment;
  readonly baseUrl: string;
  readonly client: DropPayClient;
  /** The embedded sandbox, when the environment is sandbox. */
  readonly sandbox: RunningSandbox | null;
  status(): Promise<Result<AppStatus>>;
  checkConnection(): Promise<Result<AppStatus>>;
  close(): Promise<void>;
}

const PRODUCTION_KEYS = ['applicationKey', 'applicationSecret', 'connectionCode'] as const;

/**
 * Starts the core: picks the environment, opens its keychain entry, starts the embedded sandbox
 * when that is the environment (its state in the data folder, its credentials provisioned into
 * the keychain), and builds the DropPay client.
 */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  mkdirSync(options.dataDir, { recursive: true });
  const storeFor = options.storeFor ?? ((e: CredentialEnvironment) => new KeytarCredentialStore(e));
  const target = await settleDefault(resolveTarget(options.dataDir, options.env ?? process.env), storeFor);

  let sandbox: RunningSandbox | null = null;
  let store: CredentialStore;
  let baseUrl: string;
  if (target.environment === 'sandbox') {
    sandbox = await startSandbox({ dataDir: join(options.dataDir, 'sandbox') });
    store = storeFor({ kind: 'sandbox' });
    try {
      await provisionSandboxCredentials(store, sandbox.credentials);
    } catch (error) {
      await sandbox.close();
      throw error;
    }
    baseUrl = sandbox.baseUrl;
  } else {
    baseUrl = target.baseUrl ?? '';
    store = storeFor(
      target.environment === 'production' ? { kind: 'production' } : { kind: 'custom', baseUrl },
    );
  }

  const client = createDropPayClient({ baseUrl, store });
  let identity: { merchantName: string | null; storeName: string | null } = {
    merchantName: null,
    storeName: null,
  };

  const status = async (): Promise<Result<AppStatus>> => {
    try {
      return ok({
        environment: target.environment,
        baseUrl,
        connection: await client.state(),
        posId: (await store.get('posId')) ?? null,
        ...identity,
      });
    } catch (error) {
      return { ok: false, error: toAppError(error) };
    }
  };

  return {
    environment: target.environment,
    baseUrl,
    client,
    sandbox,
    status,
    async checkConnection() {
      try {
        const brands = await client.brands.list();
        const brand = brands[0];
        identity = { merchantName: brand?.name ?? null, storeName: brand?.stores[0]?.name ?? null };
      } catch (error) {
        return { ok: false, error: toAppError(error) };
      }
      return status();
    },
    async close() {
      await sandbox?.close();
    },
  };
}

/** Without an explicit choice: production if its credentials are in the keychain, else sandbox. */
async function settleDefault(
  target: TargetConfig,
  storeFor: (environment: CredentialEnvironment) => CredentialStore,
): Promise<TargetConfig> {
  if (target.explicit) return target;
  const production = storeFor({ kind: 'production' });
  for (const key of PRODUCTION_KEYS) {
    if (!(await production.get(key))) return target;
  }
  return { environment: 'production', explicit: false, baseUrl: PRODUCTION_BASE_URL };
}
