import type { ErrorCode } from '../../../shared/result';

/** The UI's languages. */
export type Locale = 'it' | 'en';

const it = {
  title: 'DropPay Cassa',
  environment: 'Ambiente',
  connection: 'Connessione',
  merchant: 'Esercente',
  store: 'Punto vendita',
  posId: 'ID POS',
  checkConnection: 'Verifica connessione',
  checking: 'Verifica in corso…',
  'env.sandbox': 'Sandbox (prova)',
  'env.production': 'Produzione',
  'env.custom': 'Personalizzato',
  'conn.not_configured': 'Non configurata',
  'conn.connected': 'Connessa',
  'conn.reconnect_needed': 'Riconnessione necessaria',
  language: 'Lingua',
  unknown: '—',
} as const;

type Key = keyof typeof it;

const en: Record<Key, string> = {
  title: 'DropPay Cashier',
  environment: 'Environment',
  connection: 'Connection',
  merchant: 'Merchant',
  store: 'Store',
  posId: 'POS ID',
  checkConnection: 'Check connection',
  checking: 'Checking…',
  'env.sandbox': 'Sandbox (test)',
  'env.production': 'Production',
  'env.custom': 'Custom',
  'conn.not_configured': 'Not configured',
  'conn.connected': 'Connected',
  'conn.reconnect_needed': 'Reconnect needed',
  language: 'Language',
  unknown: '—',
};

const errors: Record<Locale, Record<ErrorCode, string>> = {
  it: {
    VALIDATION: 'Dati non validi.',
    AUTH_REQUIRED: 'Credenziali DropPay mancanti.',
    RECONNECT_NEEDED: 'Il collegamento con DropPay va rinnovato.',
    KEYCHAIN_UNAVAILABLE: 'Portachiavi del sistema non disponibile.',
    NETWORK: 'DropPay non raggiungibile. Riprova.',
    DROPPAY_REJECTED: 'DropPay ha rifiutato la richiesta.',
    OUTCOME_UNKNOWN: 'Esito non ancora noto: verifica in corso.',
    NOT_FOUND: 'Elemento non trovato.',
    STORAGE: 'Errore del registro locale.',
    INTERNAL: 'Errore imprevisto.',
  },
  en: {
    VALIDATION: 'Invalid data.',
    AUTH_REQUIRED: 'DropPay credentials are missing.',
    RECONNECT_NEEDED: 'The DropPay connection must be renewed.',
    KEYCHAIN_UNAVAILABLE: 'The system keychain is not available.',
    NETWORK: 'DropPay cannot be reached. Try again.',
    DROPPAY_REJECTED: 'DropPay refused the request.',
    OUTCOME_UNKNOWN: 'Outcome not known yet: checking.',
    NOT_FOUND: 'Not found.',
    STORAGE: 'Local journal error.',
    INTERNAL: 'Unexpected error.',
  },
};

const dictionaries: Record<Locale, Record<Key, string>> = { it, en };

/** Looks up a UI string. */
export function translate(locale: Locale, key: Key): string {
  return dictionaries[locale][key];
}

/** The cashier-facing text for an error code. */
export function errorText(locale: Locale, code: ErrorCode): string {
  return errors[locale][code];
}

export type MessageKey = Key;
