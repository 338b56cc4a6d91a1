/**
 * The detail line under an error's headline, in the cashier's language: one text per detail key
 * the core sends (shared/result.ts ERROR_DETAIL_KEYS; a missing one is a type error). Without a
 * key (an error the core does not explain) the core's own message is shown as it is. Also the
 * core's notes and errors kept in the journal (shared/core-texts.ts), recognised by their text.
 */
import {
  DROPPAY_ERROR_MESSAGES,
  JOURNAL_TEXTS,
  parseCoreText,
  waitingNote,
  type JournalPatternName,
  type JournalTextKey,
} from '../../../shared/core-texts';
import type { AppError, ErrorDetail } from '../../../shared/result';
import { fieldClause } from './fields';
import { fillParams, formatOr, formatters, translate, type Locale, type MessageKey } from './translate';
import { detailsEn, detailsIt, type Counted, type Texts } from './details-texts';

const dictionaries: Record<Locale, Texts> = { it: detailsIt, en: detailsEn };

/** What the socket met when DropPay was out of reach (the core's `network` param), as a clause. */
const networkCauses: Record<Locale, Record<string, string>> = {
  it: {
    dns: ', ma il suo nome non si trova (DNS)',
    refused: ', ma la connessione è stata rifiutata',
    unreachable: ', ma la rete non arriva a quell’indirizzo',
    dropped: ', ma la connessione si è interrotta',
    certificate: ', ma il suo certificato di sicurezza non è valido',
  },
  en: {
    dns: ', but its name could not be found (DNS)',
    refused: ', but the connection was refused',
    unreachable: ', but the network does not reach that address',
    dropped: ', but the connection was cut off',
    certificate: ', but its security certificate is not valid',
  },
};

/** A param a text may name and the core may leave out: what stands in its place. */
function optional(locale: Locale, name: string, value: string | number | undefined): string | undefined {
  if (name === 'host') return value === undefined ? 'DropPay' : String(value);
  if (name === 'field') return fieldClause(locale, value);
  if (name === 'network') return value === undefined ? '' : (networkCauses[locale][String(value)] ?? '');
  return undefined;
}

/** A sale state or refund status named in a detail, in the UI's words when it has them. */
function named(locale: Locale, param: string, value: string): string {
  const key = `${param === 'state' ? 'state' : 'refundStatus'}.${value}`;
  const dict = translate(locale, key as MessageKey);
  return dict === undefined ? value : dict;
}

/** A counted text's form for the count the core sent (a number, else its `none`). */
function counted(locale: Locale, text: Counted, count: string | number | undefined): string {
  if (typeof count !== 'number') return text.none;
  return formatters(locale).plural.select(count) === 'one' ? text.one : text.other;
}

/**
 * The detail line of an error: our own text for its detail key, else the core's message (in the
 * cashier's language when it is one of the core's journal texts, e.g. an answer that did not
 * match what was asked).
 */
export function errorDetail(locale: Locale, error: Pick<AppError, 'message' | 'detail'>): string {
  const detail = error.detail;
  const entry = detail === undefined ? undefined : (dictionaries[locale] as Partial<Texts>)[detail.key];
  if (detail === undefined || entry === undefined) return coreText(locale, error.message);
  const params = detail.params ?? {};
  return fillDetail(
    locale,
    typeof entry === 'string' ? entry : counted(locale, entry, params[entry.count]),
    params,
  );
}

/**
 * A detail's text with the detail's params filled in, and DropPay's own words after it: for a
 * screen that words a detail its own way (`errorDetail` for the usual words).
 */
export function fillDetail(locale: Locale, text: string, params: ErrorDetail['params'] = {}): string {
  const money = formatters(locale).money;
  const filled = text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    const stand = optional(locale, name, value);
    if (stand !== undefined) return stand;
    if (value === undefined) return whole;
    if (name.endsWith('Cents') && typeof value === 'number') return money.format(value / 100);
    // A business day as the screens say it ("6 dic 2026"), not as the core stores it.
    if (name === 'day' && typeof value === 'string' && /^\d{4}-\d\d-\d\d$/.test(value))
      return formatOr(`${value}T00:00:00Z`, formatters(locale).day);
    if ((name === 'state' || name === 'status') && typeof value === 'string')
      return named(locale, name, value);
    return String(value);
  });
  // DropPay's own words, when it gave some, stay as DropPay wrote them.
  const droppay = params.droppay;
  return typeof droppay === 'string' && droppay !== '' ? `${filled} (DropPay: ${droppay})` : filled;
}

type JournalTexts = Record<JournalTextKey, string>;

const journalIt: JournalTexts = {
  notChargedTwice:
    'Non addebitato: DropPay non ha accettato nessuno dei due tentativi. L’approvazione resta valida: riprova l’addebito dalla vendita.',
  notChargedRetryCharge:
    'Non addebitato, e DropPay non si poteva leggere per riprovare: la cassa riprova da sola.',
  notChargedRetryCapture:
    'Non addebitato, e DropPay non si poteva leggere per riprovare: la cassa riprova quando si ripete l’incasso.',
  payTokenExpired: 'Non addebitato: l’approvazione del cliente era scaduta o sostituita (410).',
  chargeOnceMore:
    'Si riprova l’addebito una volta sulla stessa approvazione, con un nuovo token di pagamento.',
  noSuchCharge: 'Non addebitato: DropPay non ha questo addebito e il numero di addebiti non è cambiato.',
  chargedAtGrant: 'addebitato da DropPay all’approvazione',
  foundOnAuthorization: 'trovato sull’autorizzazione',
  noSuchRefund: 'Non rimborsato: DropPay non mostra alcun rimborso su questo addebito.',
  stoppedBeforeAsking:
    'La cassa si è fermata prima di chiedere il pagamento a DropPay: non è stato inviato nulla.',
  cancelledAfterApproval:
    'Annullata dal cassiere; il cliente aveva approvato, ma non è stato addebitato nulla.',
  cancelledBeforeLink: 'Annullata dal cassiere prima che comparisse il link di pagamento.',
  cancelledUnknownToDropPay:
    'Annullata dal cassiere. DropPay non conosce più questa autorizzazione (404); ogni addebito lo fa la cassa e non ne ha fatto nessuno: nessun movimento di denaro.',
  expiredUnknownToDropPay:
    'Il tempo d’attesa è finito e DropPay non conosce più questa autorizzazione (404); ogni addebito lo fa la cassa e non ne ha fatto nessuno: nessun movimento di denaro.',
  readBack: 'riletto da DropPay',
  foundByReadBack: 'trovato rileggendo l’autorizzazione',
  foundByReadingCharge: 'trovato rileggendo l’addebito',
  idFoundOnAuthorization: 'codice DropPay trovato sull’autorizzazione',
  neverConfirmed:
    'DropPay non ha mai confermato la richiesta di autorizzazione e non si può cercarla. Il link di pagamento non è mai stato mostrato e il tempo d’attesa è finito: non si può addebitare nulla, nessun movimento di denaro.',
};

const journalEn: JournalTexts = { ...JOURNAL_TEXTS };

/**
 * A pattern's values in Italian: amounts ("12.50", params named *Amount) with the decimal comma,
 * a business day as the screens say it ("6 dic 2026").
 */
function italianParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (k.endsWith('Amount')) out[k] = v.replace('.', ',');
    else if (k === 'day') out[k] = formatOr(`${v}T00:00:00Z`, formatters('it').day);
    else out[k] = v;
  }
  return out;
}

/** The patterned texts in Italian; English is how the core wrote them. */
const patternsIt: Record<JournalPatternName, string> = {
  successCountRose:
    'il numero di addebiti su DropPay è passato da {from} a {to}: addebitato; il codice DropPay si trova alla chiusura',
  successCountStill: 'riletto da DropPay: numero di addebiti ancora {count}',
  otherRefund: 'Non rimborsato: l’addebito ha già il rimborso {refundId} di un altro importo.',
  settledAtCheck: 'definito dalla verifica del {day}',
  placedAtCheck: 'registrato dalla verifica del {day}',
  successCountAtCheck:
    'verifica del {day}: addebiti riusciti su DropPay {count}, già noti alla cassa {known}',
  idFoundAtCheck: 'codice DropPay trovato sull’autorizzazione alla verifica del {day}',
  foundAtCheck: 'trovato sull’autorizzazione alla verifica del {day}',
  labelledOther:
    'DropPay mostra l’addebito {chargeId}, con l’etichetta {label}, che non è questo: resta in dubbio per la verifica della giornata.',
  answerMismatch:
    'DropPay ha risposto con {id}, che non corrisponde alla richiesta ({gotAmount} € su {gotOn} invece di {askedAmount} € su {askedOn}): resta in dubbio per la verifica della giornata.',
};

const journalDictionaries: Record<Locale, JournalTexts> = { it: journalIt, en: journalEn };

const waitingTexts: Record<Locale, Record<'charge' | 'refund', string>> = {
  it: {
    charge:
      'DropPay non mostra ancora l’addebito, ma la richiesta può ancora arrivare: nuova verifica tra {seconds} s.',
    refund:
      'DropPay non mostra ancora il rimborso, ma la richiesta può ancora arrivare: nuova verifica tra {seconds} s.',
  },
  en: {
    charge: waitingNote('charge', 0).replace('0 s.', '{seconds} s.'),
    refund: waitingNote('refund', 0).replace('0 s.', '{seconds} s.'),
  },
};

const unreachableAlone: Record<Locale, string> = {
  it: 'DropPay non è raggiungibile: controlla la connessione a internet.',
  en: DROPPAY_ERROR_MESSAGES.NETWORK,
};

/**
 * A note or error the core wrote in the journal (a timeline line, a sale's last error), in the
 * cashier's language when it is one of the core's own texts; anything else as it was written.
 */
export function coreText(locale: Locale, text: string): string {
  const parsed = parseCoreText(text);
  if (parsed === null) return text;
  switch (parsed.kind) {
    case 'journal':
      return journalDictionaries[locale][parsed.key];
    case 'pattern':
      return locale === 'en' ? text : fillParams(patternsIt[parsed.name], italianParams(parsed.params));
    case 'waiting':
      return fillParams(waitingTexts[locale][parsed.what], { seconds: parsed.seconds });
    case 'droppay':
      // Alone on a line (a sale's last error), with no headline above it to say so.
      if (parsed.error === 'NETWORK') return unreachableAlone[locale];
      return errorDetail(locale, {
        message: text,
        detail:
          parsed.description === null
            ? { key: `droppay.${parsed.error}` }
            : { key: `droppay.${parsed.error}`, params: { droppay: parsed.description } },
      });
  }
}
