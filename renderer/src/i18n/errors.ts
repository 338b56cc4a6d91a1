import type { AppError, ErrorCode } from '../../../shared/result';
import type { Locale } from './translate';

/**
 * Where the error happened: a few codes mean something more precise in context. What the core
 * can tell apart (a wrong or locked PIN, a charge already refunded) has a code of its own.
 */
export type ErrorContext = 'general' | 'sale' | 'cancel' | 'refund' | 'capture' | 'settings' | 'backup';

interface Texts {
  VALIDATION: string;
  INVALID_STATE: string;
  AUTH_REQUIRED: string;
  RECONNECT_NEEDED: string;
  KEYCHAIN_UNAVAILABLE: string;
  NETWORK: string;
  DROPPAY_REJECTED: string;
  OUTCOME_UNKNOWN: string;
  NOT_FOUND: string;
  STORAGE: string;
  INTERNAL: string;
  DAY_CLOSED: string;
  DAY_UNSETTLED: string;
  DAY_CHAIN_BROKEN: string;
  DAY_MISMATCHED: string;
  DAY_UNCHECKED: string;
  DAY_UNREAD: string;
  BRIDGE_REFUSED: string;
  CORE_UNREACHABLE: string;
  PIN_REQUIRED: string;
  PIN_WRONG: string;
  /** PIN_WRONG because the PIN file is damaged (detail pin.damaged): no PIN is wrong as such. */
  pinDamaged: string;
  /** AUTH_REQUIRED because DropPay refused the credentials set (not because none are). */
  credentialsRefused: string;
  PIN_LOCKED: string;
  SETTINGS_LOCKED: string;
  ALREADY_REFUNDED: string;
  REFUND_TOO_LARGE: string;
  refundRejected: string;
  captureRejected: string;
  /** The journal's copy (STORAGE in the backup section): not the journal itself failing. */
  backupFailed: string;
  /** A folder refused for the copies (VALIDATION in the backup section). */
  backupFolderRefused: string;
  /** INVALID_STATE in the settings: a change refused for what the till is doing now. */
  settingsNotNow: string;
  /** INVALID_STATE of a sale started or charged again (another at the customer, recovery running). */
  saleNotNow: string;
  cancelNotNow: string;
  captureNotNow: string;
  refundNotNow: string;
  saleRejected: string;
  cancelRejected: string;
  refundInvalid: string;
  currentPinRequired: string;
  refundUnknown: string;
  saleUnknown: string;
}

const texts: Record<Locale, Texts> = {
  it: {
    VALIDATION: 'Dati non validi.',
    INVALID_STATE: 'Non si può fare adesso.',
    settingsNotNow: 'Non si può cambiare adesso.',
    saleNotNow: 'Il pagamento non si può avviare adesso.',
    cancelNotNow: 'Questa vendita non si può annullare adesso.',
    captureNotNow: 'Questa preautorizzazione non si può incassare adesso.',
    refundNotNow: 'Questo addebito non si può rimborsare adesso.',
    AUTH_REQUIRED: 'Credenziali DropPay mancanti: configurale nelle Impostazioni.',
    RECONNECT_NEEDED:
      'Il collegamento con DropPay va rinnovato: controlla le credenziali nelle Impostazioni.',
    KEYCHAIN_UNAVAILABLE: 'Il portachiavi del sistema non è disponibile.',
    NETWORK: 'DropPay non è raggiungibile. Controlla la rete e riprova.',
    DROPPAY_REJECTED: 'DropPay ha rifiutato la richiesta.',
    OUTCOME_UNKNOWN: 'Esito non ancora noto: la cassa sta verificando con DropPay.',
    NOT_FOUND: 'Elemento non trovato.',
    STORAGE: 'Errore del registro locale della cassa.',
    INTERNAL: 'Errore imprevisto.',
    DAY_CLOSED: 'Questa giornata è già chiusa: la sua chiusura non si può modificare.',
    DAY_UNSETTLED:
      'Ci sono operazioni con esito sconosciuto: verifica la giornata con DropPay, oppure chiudila indicando un motivo scritto.',
    DAY_CHAIN_BROKEN:
      'La catena di controllo del registro è interrotta (il registro potrebbe essere stato alterato): la giornata si chiude solo indicando un motivo scritto.',
    DAY_MISMATCHED:
      'La verifica con DropPay ha trovato differenze: la giornata si chiude solo indicando un motivo scritto.',
    DAY_UNCHECKED:
      'La giornata non è stata verificata con DropPay: verificala prima, oppure chiudila indicando un motivo scritto.',
    DAY_UNREAD:
      'La verifica non ha potuto leggere tutte le voci da DropPay: verifica di nuovo quando DropPay risponde, oppure chiudi indicando un motivo scritto.',
    BRIDGE_REFUSED:
      'Questa pagina non è autorizzata a usare la cassa: riaprila dall’indirizzo mostrato all’avvio (npm start).',
    CORE_UNREACHABLE: 'La cassa non risponde: controlla che sia avviata, poi riprova.',
    PIN_REQUIRED: 'Serve il PIN del responsabile.',
    PIN_WRONG: 'PIN del responsabile errato.',
    pinDamaged: 'Il PIN del responsabile non si può verificare.',
    credentialsRefused: 'DropPay non ha accettato le credenziali: controllale nelle Impostazioni.',
    PIN_LOCKED: 'Troppi PIN errati di seguito: il PIN è bloccato per un po’, attendi prima di riprovare.',
    SETTINGS_LOCKED: 'Impostazioni bloccate: inserisci il PIN del responsabile per cambiarle.',
    ALREADY_REFUNDED:
      'Questo addebito è già stato rimborsato: DropPay consente un solo rimborso per addebito.',
    REFUND_TOO_LARGE:
      'L’importo supera quello dell’addebito: non si può rimborsare più di quanto è stato pagato.',
    // A second refund and one above the charge have codes of their own: this is another refusal,
    // whose reason the detail line gives in DropPay's words.
    refundRejected: 'DropPay ha rifiutato il rimborso.',
    backupFailed: 'La copia del registro non è riuscita.',
    backupFolderRefused: 'Questa cartella non può ricevere le copie.',
    captureRejected:
      'DropPay ha rifiutato l’incasso: la preautorizzazione non è più valida o l’importo supera quello bloccato.',
    saleRejected: 'DropPay ha rifiutato il pagamento.',
    cancelRejected: 'Non è più possibile annullare: il cliente ha già risposto.',
    // What was typed: a charge that did not go through is INVALID_STATE (refundNotNow).
    refundInvalid: 'Rimborso non accettato: controlla importo e motivo.',
    currentPinRequired: 'Per cambiare o rimuovere il PIN serve quello attuale.',
    refundUnknown: 'Esito del rimborso non ancora noto: non ripeterlo, la cassa sta verificando con DropPay.',
    saleUnknown: 'Esito non ancora noto: non ripetere il pagamento, la cassa sta verificando con DropPay.',
  },
  en: {
    VALIDATION: 'Invalid data.',
    INVALID_STATE: 'This cannot be done right now.',
    settingsNotNow: 'This cannot be changed now.',
    saleNotNow: 'The payment cannot be taken right now.',
    cancelNotNow: 'This sale cannot be cancelled now.',
    captureNotNow: 'This pre-authorization cannot be captured now.',
    refundNotNow: 'This charge cannot be refunded now.',
    AUTH_REQUIRED: 'DropPay credentials are missing: set them in Settings.',
    RECONNECT_NEEDED: 'The DropPay connection must be renewed: check the credentials in Settings.',
    KEYCHAIN_UNAVAILABLE: 'The system keychain is not available.',
    NETWORK: 'DropPay cannot be reached. Check the network and try again.',
    DROPPAY_REJECTED: 'DropPay refused the request.',
    OUTCOME_UNKNOWN: 'Outcome not known yet: the terminal is checking with DropPay.',
    NOT_FOUND: 'Not found.',
    STORAGE: 'The terminal’s local journal failed.',
    INTERNAL: 'Unexpected error.',
    DAY_CLOSED: 'This day is already closed: its closure cannot be changed.',
    DAY_UNSETTLED:
      'Some operations have an unknown outcome: check the day with DropPay, or close it with a written reason.',
    DAY_CHAIN_BROKEN:
      'The journal’s hash chain is broken (the journal may have been altered): the day can only be closed with a written reason.',
    DAY_MISMATCHED:
      'The check with DropPay found differences: the day can only be closed with a written reason.',
    DAY_UNCHECKED:
      'The day has not been checked with DropPay: check it first, or close it with a written reason.',
    DAY_UNREAD:
      'The check could not read every item from DropPay: check again once DropPay answers, or close with a written reason.',
    BRIDGE_REFUSED:
      'This page is not allowed to use the terminal: open it again from the address printed at start-up (npm start).',
    CORE_UNREACHABLE: 'The terminal does not answer: check that it is running, then try again.',
    PIN_REQUIRED: 'The manager PIN is required.',
    PIN_WRONG: 'Wrong manager PIN.',
    pinDamaged: 'The manager PIN cannot be checked.',
    credentialsRefused: 'DropPay did not accept the credentials: check them in Settings.',
    PIN_LOCKED: 'Too many wrong PINs in a row: the PIN is locked for a while, wait before trying again.',
    SETTINGS_LOCKED: 'Settings locked: enter the manager PIN to change them.',
    ALREADY_REFUNDED: 'This charge has already been refunded: DropPay allows one refund per charge.',
    REFUND_TOO_LARGE: 'The amount is above the charge: no more than was paid can be refunded.',
    refundRejected: 'DropPay refused the refund.',
    backupFailed: 'The journal’s copy could not be written.',
    backupFolderRefused: 'This folder cannot take the copies.',
    captureRejected:
      'DropPay refused the capture: the pre-authorization is no longer valid or the amount exceeds the reserved one.',
    saleRejected: 'DropPay refused the payment.',
    cancelRejected: 'It can no longer be cancelled: the customer has already answered.',
    refundInvalid: 'Refund not accepted: check the amount and the reason.',
    currentPinRequired: 'Changing or removing the PIN needs the current one.',
    refundUnknown: 'Refund outcome not known yet: do not repeat it, the terminal is checking with DropPay.',
    saleUnknown:
      'Outcome not known yet: do not take the payment again, the terminal is checking with DropPay.',
  },
};

/** INVALID_STATE's headline in each context: what cannot be done now. Exhaustive by its type. */
const INVALID_STATE_TEXTS: Record<ErrorContext, keyof Texts> = {
  general: 'INVALID_STATE',
  sale: 'saleNotNow',
  cancel: 'cancelNotNow',
  capture: 'captureNotNow',
  refund: 'refundNotNow',
  settings: 'settingsNotNow',
  backup: 'settingsNotNow',
};

/** The cashier-facing text for an error: every code handled, a compile error if one is added. */
export function errorText(
  locale: Locale,
  error: Pick<AppError, 'code'> & Partial<Pick<AppError, 'detail'>>,
  context: ErrorContext = 'general',
): string {
  const x = texts[locale];
  const code: ErrorCode = error.code;
  switch (code) {
    case 'DROPPAY_REJECTED':
      if (context === 'refund') return x.refundRejected;
      if (context === 'capture') return x.captureRejected;
      if (context === 'sale') return x.saleRejected;
      if (context === 'cancel') return x.cancelRejected;
      return x.DROPPAY_REJECTED;
    case 'OUTCOME_UNKNOWN':
      if (context === 'refund') return x.refundUnknown;
      if (context === 'sale' || context === 'capture') return x.saleUnknown;
      return x.OUTCOME_UNKNOWN;
    case 'VALIDATION':
      if (context === 'backup') return x.backupFolderRefused;
      return context === 'refund' ? x.refundInvalid : x.VALIDATION;
    case 'INVALID_STATE':
      // Refused for what the till is doing, not for what was typed: "invalid data" would send
      // the cashier looking for a typo. The detail line says what to finish or wait for.
      return x[INVALID_STATE_TEXTS[context]];
    case 'PIN_REQUIRED':
      // In the settings it is the current PIN that is missing, to change or remove it.
      return context === 'settings' ? x.currentPinRequired : x.PIN_REQUIRED;
    case 'PIN_WRONG':
      return error.detail?.key === 'pin.damaged' ? x.pinDamaged : x.PIN_WRONG;
    case 'PIN_LOCKED':
      return x.PIN_LOCKED;
    case 'SETTINGS_LOCKED':
      return x.SETTINGS_LOCKED;
    case 'ALREADY_REFUNDED':
      return x.ALREADY_REFUNDED;
    case 'REFUND_TOO_LARGE':
      return x.REFUND_TOO_LARGE;
    case 'AUTH_REQUIRED':
      return error.detail?.key === 'droppay.AUTH_INVALID_CREDENTIALS'
        ? x.credentialsRefused
        : x.AUTH_REQUIRED;
    case 'RECONNECT_NEEDED':
      return x.RECONNECT_NEEDED;
    case 'KEYCHAIN_UNAVAILABLE':
      return x.KEYCHAIN_UNAVAILABLE;
    case 'NETWORK':
      return x.NETWORK;
    case 'NOT_FOUND':
      return x.NOT_FOUND;
    case 'STORAGE':
      return context === 'backup' ? x.backupFailed : x.STORAGE;
    case 'INTERNAL':
      return x.INTERNAL;
    case 'DAY_CLOSED':
      return x.DAY_CLOSED;
    case 'DAY_UNSETTLED':
      return x.DAY_UNSETTLED;
    case 'DAY_CHAIN_BROKEN':
      return x.DAY_CHAIN_BROKEN;
    case 'DAY_MISMATCHED':
      return x.DAY_MISMATCHED;
    case 'DAY_UNCHECKED':
      return x.DAY_UNCHECKED;
    case 'DAY_UNREAD':
      return x.DAY_UNREAD;
    case 'BRIDGE_REFUSED':
      return x.BRIDGE_REFUSED;
    case 'CORE_UNREACHABLE':
      return x.CORE_UNREACHABLE;
    default: {
      const unhandled: never = code;
      return unhandled;
    }
  }
}
