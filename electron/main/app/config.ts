import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { EnvironmentSchema, type Environment } from '../../../shared/ipc/contract';
import { customAddressProblem } from '../../../shared/settings';

/** The real DropPay API. */
export const PRODUCTION_BASE_URL = 'https://api.drop-pay.io';

/** Non-secret settings kept as `config.json` in the data folder. Secrets live in the keychain. */
const ConfigFileSchema = z.object({
  environment: EnvironmentSchema.optional(),
  baseUrl: z.url().optional(),
});

/** Where the terminal should send its DropPay calls. `baseUrl` is null for the embedded sandbox. */
export interface TargetConfig {
  environment: Environment;
  /** Explicitly chosen (env var or config file) rather than defaulted. */
  explicit: boolean;
  /** Where the choice came from: DROPPAY_ENV wins over the settings screen's, config.json does not. */
  source: 'env' | 'file' | 'default';
  baseUrl: string | null;
}

/** Thrown for a config file or variable that cannot be used: the app refuses to guess. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads the environment from DROPPAY_ENV / DROPPAY_BASE_URL, else `config.json` in the data
 * folder. The runtime ranks it (startup.ts, initialTarget): DROPPAY_ENV, then the choice made
 * on the settings screen, then config.json, then the default: production when production
 * credentials are in the keychain, the embedded sandbox otherwise.
 */
export function resolveTarget(dataDir: string, env: NodeJS.ProcessEnv): TargetConfig {
  const file = readConfigFile(dataDir);
  const fromEnv = env['DROPPAY_ENV'];
  let environment: Environment | undefined;
  let source: TargetConfig['source'];
  if (fromEnv !== undefined && fromEnv !== '') {
    const parsed = EnvironmentSchema.safeParse(fromEnv);
    if (!parsed.success)
      throw new ConfigError(`DROPPAY_ENV must be sandbox, production or custom, not "${fromEnv}".`);
    environment = parsed.data;
    source = 'env';
  } else {
    environment = file.environment;
    source = environment === undefined ? 'default' : 'file';
  }
  const baseUrl = env['DROPPAY_BASE_URL'] || file.baseUrl || null;
  switch (environment) {
    case undefined:
      return { environment: 'sandbox', explicit: false, source, baseUrl: null };
    case 'sandbox':
      return { environment, explicit: true, source, baseUrl: null };
    case 'production':
      return { environment, explicit: true, source, baseUrl: PRODUCTION_BASE_URL };
    case 'custom':
      if (!baseUrl)
        throw new ConfigError('The custom environment needs DROPPAY_BASE_URL (or baseUrl in config.json).');
      {
        const problem = customAddressProblem(baseUrl);
        if (problem !== null)
          // Not repeated: it may carry the user:password the rule refuses (this goes to the log).
          throw new ConfigError(
            `The custom DropPay address in DROPPAY_BASE_URL or config.json is refused: ${problem}.`,
          );
      }
      return { environment, explicit: true, source, baseUrl };
  }
}

function readConfigFile(dataDir: string): z.infer<typeof ConfigFileSchema> {
  const path = join(dataDir, 'config.json');
  if (!existsSync(path)) return {};
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError(`${path} is not valid JSON; fix or delete it.`);
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success)
    throw new ConfigError(
      `${path} has an invalid setting: ${parsed.error.issues[0]?.path.join('.') ?? '?'}.`,
    );
  return parsed.data;
}
