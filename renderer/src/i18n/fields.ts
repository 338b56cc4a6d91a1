import { translate, type Locale, type MessageKey } from './translate';

/**
 * The contract's input fields, by name, as the screens label them: a refused input's detail
 * names the field the cashier sees ("DropPay address"), never the code's name (customBaseUrl).
 */
const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  storeName: 'settings.storeName',
  customerDisplayId: 'settings.display',
  customerLanguage: 'settings.customerLanguage',
  pollIntervalMs: 'settings.poll',
  confirmFromCents: 'settings.confirmFrom',
  timeZone: 'settings.timeZone',
  cutoffHour: 'settings.cutoff',
  environment: 'environment',
  customBaseUrl: 'settings.customUrl',
  baseUrl: 'settings.customUrl',
  language: 'language',
  applicationKey: 'cred.applicationKey',
  applicationSecret: 'cred.applicationSecret',
  connectionCode: 'cred.connectionCode',
  posId: 'cred.posId',
  pin: 'pin.new',
  currentPin: 'pin.current',
  managerPin: 'refund.pin',
  folder: 'backup.folder',
  amount: 'sale.amount',
  description: 'sale.description',
  reason: 'refund.reason',
};

const CLAUSE: Record<Locale, (label: string) => string> = {
  it: (label) => ` (campo «${label}»)`,
  en: (label) => ` (the “${label}” field)`,
};

/**
 * The clause naming a refused field in a detail line: its label on screen, or nothing when the
 * field is not one a cashier fills in (an id, the input as a whole): never the raw name.
 */
export function fieldClause(locale: Locale, path: string | number | undefined): string {
  if (typeof path !== 'string') return '';
  // A dotted path ("credentials.posId", "items.0.amount"): the field itself is the last name.
  const name = path
    .split('.')
    .reverse()
    .find((part) => !/^\d+$/.test(part));
  const key = name === undefined ? undefined : FIELD_LABELS[name];
  return key === undefined ? '' : CLAUSE[locale](translate(locale, key));
}
