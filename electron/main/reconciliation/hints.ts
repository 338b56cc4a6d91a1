/**
 * What checking a day with DropPay can find, and what the shop owner can do about each kind of
 * finding, in both languages the app speaks. The UI may translate by `code` + `itemKind`
 * instead; the texts travel with the data so an export or the command line can show them too.
 */
import type { Cents } from '../../../shared/money';

export const FINDING_CODES = [
  'MISSING_AT_DROPPAY', // the journal has it, DropPay does not know it
  'MISSING_IN_JOURNAL', // DropPay has it, the journal did not
  'STATUS_DIFFERS', // both know it, they disagree on whether the money moved
  'AMOUNT_DIFFERS', // both know it, for different amounts
  'SETTLED', // the journal did not know the outcome; DropPay did, and it is now recorded
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export type ItemKind = 'charge' | 'refund';

export interface Hint {
  en: string;
  it: string;
}

export interface Finding {
  code: FindingCode;
  itemKind: ItemKind;
  /** The journal's id of the charge or refund; null when the journal does not have it. */
  journalId: string | null;
  saleId: string;
  merchantRef: string;
  droppayId: string | null;
  journalStatus: string | null;
  droppayStatus: string | null;
  journalAmount: Cents | null;
  droppayAmount: Cents | null;
  /** The journal event kind the check recorded for it, if it recorded anything. */
  recorded: string | null;
  hint: Hint;
}

export const HINTS: Record<FindingCode, Record<ItemKind, Hint>> = {
  MISSING_AT_DROPPAY: {
    charge: {
      en: 'DropPay has no record of this payment: no money was taken. Ask the customer to pay again, or contact DropPay support with the sale reference.',
      it: 'DropPay non ha traccia di questo pagamento: nessun importo è stato incassato. Chiedi al cliente di pagare di nuovo o contatta l’assistenza DropPay con il riferimento della vendita.',
    },
    refund: {
      en: 'DropPay has no record of this refund: the customer did not get the money back. Make the refund again from the sale.',
      it: 'DropPay non ha traccia di questo rimborso: il cliente non ha ricevuto il denaro. Ripeti il rimborso dalla vendita.',
    },
  },
  MISSING_IN_JOURNAL: {
    charge: {
      en: 'DropPay took this payment but the till had not recorded it. It is now recorded; check the sale with the customer’s receipt.',
      it: 'DropPay ha incassato questo pagamento ma la cassa non lo aveva registrato. Ora è registrato: verifica la vendita con lo scontrino del cliente.',
    },
    refund: {
      en: 'DropPay made a refund the till does not know. Check in the DropPay app who made it and note it in the day’s books.',
      it: 'DropPay ha eseguito un rimborso che la cassa non conosce. Verifica nell’app DropPay chi l’ha fatto e annotalo nella contabilità del giorno.',
    },
  },
  STATUS_DIFFERS: {
    charge: {
      en: 'The till and DropPay disagree on whether this payment went through. Trust DropPay’s status: check the payment in the DropPay app and, if money was taken, settle it with the customer.',
      it: 'La cassa e DropPay non concordano sull’esito di questo pagamento. Fa fede DropPay: controlla il pagamento nell’app DropPay e, se è stato incassato, sistema con il cliente.',
    },
    refund: {
      en: 'The till and DropPay disagree on this refund. If DropPay shows it failed, make the refund again; otherwise contact DropPay support.',
      it: 'La cassa e DropPay non concordano su questo rimborso. Se DropPay lo dà fallito, ripeti il rimborso; altrimenti contatta l’assistenza DropPay.',
    },
  },
  AMOUNT_DIFFERS: {
    charge: {
      en: 'DropPay charged a different amount than the till recorded. Check the sale and refund or collect the difference.',
      it: 'DropPay ha incassato un importo diverso da quello registrato in cassa. Controlla la vendita e rimborsa o incassa la differenza.',
    },
    refund: {
      en: 'DropPay refunded a different amount than the till recorded. Check the refund in the DropPay app.',
      it: 'DropPay ha rimborsato un importo diverso da quello registrato in cassa. Controlla il rimborso nell’app DropPay.',
    },
  },
  SETTLED: {
    charge: {
      en: 'The outcome of this payment was unknown; DropPay knew it and the till has now recorded it. Nothing to do.',
      it: 'L’esito di questo pagamento era sconosciuto; DropPay lo conosceva e ora la cassa lo ha registrato. Nessuna azione necessaria.',
    },
    refund: {
      en: 'The outcome of this refund was unknown; DropPay knew it and the till has now recorded it. Nothing to do.',
      it: 'L’esito di questo rimborso era sconosciuto; DropPay lo conosceva e ora la cassa lo ha registrato. Nessuna azione necessaria.',
    },
  },
};

export function finding(
  code: FindingCode,
  itemKind: ItemKind,
  fields: Omit<Finding, 'code' | 'itemKind' | 'hint' | 'recorded'> & { recorded?: string | null },
): Finding {
  return { code, itemKind, ...fields, recorded: fields.recorded ?? null, hint: HINTS[code][itemKind] };
}
