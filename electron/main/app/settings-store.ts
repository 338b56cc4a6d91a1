import { EnvironmentSchema, type Environment } from '../../../shared/ipc/environment';
import {
  LanguageSchema,
  POLL_INTERVAL_MAX_MS,
  POLL_INTERVAL_MIN_MS,
  type Language,
} from '../../../shared/settings';
import { isCents } from '../../../shared/money';
import type { Journal } from '../journal';
import { assertTimeZone } from '../journal/business-day';

/**
 * The terminal's non-secret settings, typed, over the journal's settings table (every change
 * is an event in the hash chain, so who changed what and when is on file). Secrets never come
 * here: DropPay credentials live in the keychain and the manager PIN's hash in its own file.
 */
export interface StoredSettings {
  /** The environment chosen on the settings screen; null = never chosen (see config.ts). */
  environment: Environment | null;
  customBaseUrl: string | null;
  /** '' = not set: the store name from DropPay's brands is shown instead. */
  storeName: string;
  language: Language;
  /** The customer display's language; null = the till's (`language`). */
  customerLanguage: Language | null;
  customerDisplayId: number | null;
  pollIntervalMs: number;
  /** Sales from this amount (cents) ask the cashier to confirm it first; 0 = never. */
  confirmFromCents: number;
  firstRunDone: boolean;
  /** IANA time zone the business day is counted in. */
  timeZone: string;
  /** Local hour before which a moment still belongs to the previous business day. */
  cutoffHour: number;
  /** Where copies of the journal go (absolute); null = `backups` in the data folder. */
  backupFolder: string | null;
}

export const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** 500,00 €: catches a missed comma on everyday amounts (5000 typed for 50,00). */
export const DEFAULT_CONFIRM_FROM_CENTS = 50_000;
export const DEFAULT_TIME_ZONE = 'Europe/Rome';

/** The journal's keys: lowercase, dotted, and never named like a secret (the journal refuses those). */
const KEYS = {
  environment: 'droppay.environment',
  customBaseUrl: 'droppay.custom_base_url',
  storeName: 'store.name',
  language: 'ui.language',
  customerLanguage: 'display.customer_language',
  customerDisplayId: 'display.customer_id',
  pollIntervalMs: 'payments.poll_interval_ms',
  confirmFromCents: 'sale.confirm_from_cents',
  firstRunDone: 'app.first_run_done',
  timeZone: 'business.time_zone',
  cutoffHour: 'business.cutoff_hour',
  backupFolder: 'backup.folder',
} as const satisfies Record<keyof StoredSettings, string>;

/**
 * Reads every setting, with defaults for what was never set or cannot be read back: a value
 * outside what the settings screen accepts (a hand-edited or damaged journal) reads as the
 * default, so the till still starts and the screen shows what is in force.
 */
export function readSettings(journal: Journal): StoredSettings {
  const get = (key: keyof StoredSettings): string | null => journal.getSetting(KEYS[key]);
  const env = EnvironmentSchema.safeParse(get('environment'));
  const lang = LanguageSchema.safeParse(get('language'));
  const customerLang = LanguageSchema.safeParse(get('customerLanguage'));
  return {
    environment: env.success ? env.data : null,
    customBaseUrl: get('customBaseUrl') || null,
    storeName: get('storeName') ?? '',
    language: lang.success ? lang.data : 'it',
    customerLanguage: customerLang.success ? customerLang.data : null,
    customerDisplayId: intOrNull(get('customerDisplayId')),
    pollIntervalMs:
      within(intOrNull(get('pollIntervalMs')), POLL_INTERVAL_MIN_MS, POLL_INTERVAL_MAX_MS) ??
      DEFAULT_POLL_INTERVAL_MS,
    confirmFromCents: centsOrNull(get('confirmFromCents')) ?? DEFAULT_CONFIRM_FROM_CENTS,
    firstRunDone: get('firstRunDone') === 'true',
    timeZone: zoneOrNull(get('timeZone')) ?? DEFAULT_TIME_ZONE,
    cutoffHour: within(intOrNull(get('cutoffHour')), 0, 23) ?? 0,
    backupFolder: get('backupFolder') || null,
  };
}

/**
 * The journal keys whose stored value readSettings set aside for its default (a hand edit, a
 * time zone this machine does not know): said in the log at start-up, so the change in the
 * rule in force is on record.
 */
export function discardedSettings(journal: Journal): string[] {
  const read = readSettings(journal);
  const out: string[] = [];
  for (const name of [
    'pollIntervalMs',
    'confirmFromCents',
    'timeZone',
    'cutoffHour',
    'language',
    'customerLanguage',
  ] as const) {
    const raw = journal.getSetting(KEYS[name]);
    if (raw !== null && raw !== '' && raw !== String(read[name])) out.push(KEYS[name]);
  }
  return out;
}

/** Writes the given settings; unchanged values write nothing (the journal skips repeats). */
export function writeSettings(journal: Journal, patch: Partial<StoredSettings>): void {
  type Value = StoredSettings[keyof StoredSettings] | undefined;
  for (const [name, value] of Object.entries(patch) as [keyof StoredSettings, Value][]) {
    if (value === undefined) continue;
    journal.setSetting(KEYS[name], value === null ? '' : String(value));
  }
}

/** A stored amount that is not valid cents (a hand-edited journal) reads as the default. */
function centsOrNull(text: string | null): number | null {
  const n = intOrNull(text);
  return n !== null && isCents(n) ? n : null;
}

function within(n: number | null, min: number, max: number): number | null {
  return n !== null && n >= min && n <= max ? n : null;
}

/** Whether `zone` is an IANA time zone this machine knows. */
export function isTimeZone(zone: string): boolean {
  try {
    assertTimeZone(zone);
    return true;
  } catch {
    return false;
  }
}

function zoneOrNull(text: string | null): string | null {
  return text !== null && text !== '' && isTimeZone(text) ? text : null;
}

function intOrNull(text: string | null): number | null {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
