/**
 * What a runtime can be told when it starts, and the defaults for what it is not: Electron
 * passes little more than the data folder, while tests and the bridge replace the keychain,
 * the log and the timings. Resolving them once, here, lets the rest of the core take each
 * option as given instead of repeating its default.
 */
import { join } from 'node:path';
import type { CredentialEnvironment, CredentialStore } from '../credentials';
import { resolveTarget, type TargetConfig } from './config';
import type { DisplayTimers } from './customer-display-contract';
import { createFileLog, scrubSecrets } from './file-log';
import { defaultStoreFor, type TargetDeps } from './target';

export interface RuntimeOptions {
  /** The app's data folder (Electron's userData/data, or a temp folder in tests). */
  dataDir: string;
  /** Where DROPPAY_ENV / DROPPAY_BASE_URL are read from. */
  env?: NodeJS.ProcessEnv;
  /** Replaces the OS keychain for one environment (tests of the runtime itself). */
  storeFor?: (environment: CredentialEnvironment) => CredentialStore;
  /** Extra options for the embedded sandbox (tests shorten its timings). */
  sandbox?: TargetDeps['sandbox'];
  /**
   * Whether the events (webhooks) of the embedded sandbox, or of a DropPay at a custom
   * loopback address, reach the till. Default: yes, unless DROPPAY_SANDBOX_EVENTS=off, which
   * makes the sandbox behave as a real DropPay that cannot reach the till: every sale is
   * followed by polling alone, as in production.
   */
  sandboxEvents?: boolean;
  /** Diagnostics (never a secret). Default: standard error. */
  log?: (line: string) => void;
  /** The customer display's timers (tests drive them). */
  displayTimers?: DisplayTimers;
  /** The first wait before DropPay's brands are read again after a failure (tests: short). */
  identityRetryMs?: number;
  /** While DropPay does not answer, how often it is asked again (default 15 s; tests: short). */
  reachProbeMs?: number;
  /**
   * How often the till looks again at what it follows slowly: an outcome in doubt, a held
   * pre-authorization (default 5 s; a test that stages something done elsewhere: long).
   */
  resolveIntervalMs?: number;
  /** How long the manager PIN unlocks the guarded settings (default 5 minutes; tests: short). */
  settingsUnlockMs?: number;
  /** How long an item must be quiet before checking the day concludes it did not happen. */
  daySettleAfterMs?: number;
}

/** The options as the runtime is assembled from them: the defaults filled in. */
export type Assembly = RuntimeOptions & Required<Pick<RuntimeOptions, 'log' | 'storeFor' | 'sandboxEvents'>>;

/** Fills in the defaults, and reads the environment asked for (DROPPAY_ENV, else config.json). */
export function withDefaults(options: RuntimeOptions): { config: TargetConfig; assembly: Assembly } {
  // By default to stderr and to a daily file under the data folder (file-log.ts).
  const log = options.log ?? teeLog(createFileLog(join(options.dataDir, 'logs')));
  const storeFor = options.storeFor ?? defaultStoreFor;
  const config = resolveTarget(options.dataDir, options.env ?? process.env);
  const sandboxEvents =
    options.sandboxEvents ?? (options.env ?? process.env)['DROPPAY_SANDBOX_EVENTS'] !== 'off';
  return { config, assembly: { ...options, log, storeFor, sandboxEvents } };
}

/** Each line to stderr and to `file`. */
function teeLog(file: (line: string) => void): (line: string) => void {
  return (line) => {
    // The file log scrubs its own copy; stderr gets the same second guard.
    console.error(scrubSecrets(line));
    file(line);
  };
}
