import { join } from 'node:path';
import {
  KeytarCredentialStore,
  provisionSandboxCredentials,
  type CredentialEnvironment,
  type CredentialStore,
} from '../credentials';
import { createDropPayClient, type DropPayClient } from '../droppay';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../sandbox';
import type { Environment } from '../../../shared/ipc/environment';
import { PRODUCTION_BASE_URL } from './config';

/** Which DropPay to talk to. */
export type TargetSpec =
  { environment: 'sandbox' } | { environment: 'production' } | { environment: 'custom'; baseUrl: string };

/** One DropPay: its address, its keychain entry, its client, and the embedded sandbox if it is one. */
export interface DropPayTarget {
  readonly environment: Environment;
  readonly baseUrl: string;
  readonly store: CredentialStore;
  readonly client: DropPayClient;
  readonly sandbox: RunningSandbox | null;
  /** Stops the embedded sandbox, if any. */
  close(): Promise<void>;
}

export interface TargetDeps {
  dataDir: string;
  storeFor: (environment: CredentialEnvironment) => CredentialStore;
  /** Extra options for the embedded sandbox (tests shorten its timings). */
  sandbox?: Omit<SandboxOptions, 'dataDir' | 'credentials'>;
}

export const defaultStoreFor = (environment: CredentialEnvironment): CredentialStore =>
  new KeytarCredentialStore(environment);

/** The keychain entry of an environment. */
export function credentialEnvironment(spec: TargetSpec): CredentialEnvironment {
  switch (spec.environment) {
    case 'sandbox':
      return { kind: 'sandbox' };
    case 'production':
      return { kind: 'production' };
    case 'custom':
      return { kind: 'custom', baseUrl: spec.baseUrl };
  }
}

/**
 * Opens a DropPay target. For the sandbox: starts the simulator (its state in the data folder)
 * and provisions its generated credentials into the keychain; if either fails, nothing is left
 * running.
 */
export async function openTarget(spec: TargetSpec, deps: TargetDeps): Promise<DropPayTarget> {
  const store = deps.storeFor(credentialEnvironment(spec));
  let sandbox: RunningSandbox | null = null;
  let baseUrl: string;
  switch (spec.environment) {
    case 'sandbox':
      sandbox = await startSandbox({ ...deps.sandbox, dataDir: join(deps.dataDir, 'sandbox') });
      try {
        await provisionSandboxCredentials(store, sandbox.credentials);
      } catch (error) {
        await sandbox.close();
        throw error;
      }
      baseUrl = sandbox.baseUrl;
      break;
    case 'production':
      baseUrl = PRODUCTION_BASE_URL;
      break;
    case 'custom':
      baseUrl = spec.baseUrl;
      break;
  }
  const running = sandbox;
  return {
    environment: spec.environment,
    baseUrl,
    store,
    client: createDropPayClient({ baseUrl, store }),
    sandbox: running,
    close: async () => {
      await running?.close();
    },
  };
}

/**
 * Where an environment's sales journal lives. Each DropPay has its own, so sandbox practice
 * sales never mix with real money in the history or the end-of-day report, and an operation
 * left in doubt in one environment is resolved against that same DropPay when it is next used.
 * Production's is the main `journal.sqlite`, which also holds the settings.
 */
export function journalPathFor(dataDir: string, spec: TargetSpec): string {
  switch (spec.environment) {
    case 'production':
      return join(dataDir, 'journal.sqlite');
    case 'sandbox':
      return join(dataDir, 'sandbox', 'journal.sqlite');
    case 'custom':
      return join(dataDir, 'custom', hostFolder(spec.baseUrl), 'journal.sqlite');
  }
}

/** A folder name for a custom host: `127.0.0.1:8800` → `127.0.0.1_8800`. */
/** A name for a journal's copies: the environment, and for a custom one its host too. */
export function backupLabelFor(spec: TargetSpec): string {
  return spec.environment === 'custom' ? `custom-${hostFolder(spec.baseUrl)}` : spec.environment;
}

function hostFolder(baseUrl: string): string {
  let host: string;
  try {
    host = new URL(baseUrl).host;
  } catch {
    host = 'invalid';
  }
  return host.replace(/[^A-Za-z0-9.-]/g, '_') || 'host';
}

export function sameTarget(a: TargetSpec, b: TargetSpec): boolean {
  if (a.environment !== b.environment) return false;
  return a.environment !== 'custom' || (b.environment === 'custom' && a.baseUrl === b.baseUrl);
}
