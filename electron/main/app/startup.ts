import { join } from 'node:path';
import { customAddressProblem } from '../../../shared/settings';
import type { CredentialEnvironment, CredentialStore } from '../credentials';
import { openJournal, type Journal } from '../journal';
import type { TargetConfig } from './config';
import { DEFAULT_TIME_ZONE, readSettings, type StoredSettings } from './settings-store';
import type { TargetSpec } from './target';

/** The main journal, opened with the business-day rule its own settings hold. */
export function openMainJournal(dataDir: string): Journal {
  const path = join(dataDir, 'journal.sqlite');
  const first = openJournal({ path });
  const { timeZone, cutoffHour } = readSettings(first);
  if (timeZone === DEFAULT_TIME_ZONE && cutoffHour === 0) return first;
  first.close();
  return openJournal({ path, timeZone, cutoffHour });
}

/**
 * Which DropPay to open at start-up: DROPPAY_ENV, then the settings screen's choice, then
 * config.json, then production if its credentials are in the keychain, else the sandbox.
 */
export async function initialTarget(
  config: TargetConfig,
  stored: StoredSettings,
  storeFor: (environment: CredentialEnvironment) => CredentialStore,
): Promise<TargetSpec> {
  if (config.source === 'env') return specOf(config);
  // A custom address saved before the rule (plain http to another machine, say) is not used:
  // the secrets would go there. The till starts as if none had been chosen.
  if (
    stored.environment === 'custom' &&
    stored.customBaseUrl &&
    customAddressProblem(stored.customBaseUrl) === null
  ) {
    return { environment: 'custom', baseUrl: stored.customBaseUrl };
  }
  if (stored.environment === 'sandbox' || stored.environment === 'production') {
    return { environment: stored.environment };
  }
  if (config.source === 'file') return specOf(config);
  const production = storeFor({ kind: 'production' });
  for (const key of ['applicationKey', 'applicationSecret', 'connectionCode'] as const) {
    if (!(await production.get(key))) return { environment: 'sandbox' };
  }
  return { environment: 'production' };
}

function specOf(config: TargetConfig): TargetSpec {
  if (config.environment === 'custom') return { environment: 'custom', baseUrl: config.baseUrl ?? '' };
  return { environment: config.environment };
}
