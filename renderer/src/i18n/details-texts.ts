/**
 * The detail lines' texts, one per detail key the core sends (shared/result.ts
 * ERROR_DETAIL_KEYS; a missing one is a type error), in Italian and English. Worded and filled
 * in by details.ts.
 */
import { DROPPAY_ERROR_MESSAGES } from '../../../shared/core-texts';
import type { DropPayErrorKindName, ErrorDetailKey } from '../../../shared/result';

/**
 * A text with a count in it, from the param `count` names: `one` or `other` as the language's
 * plural rules say of it, `none` when the core sent no such count.
 */
export interface Counted {
  count: string;
  none: string;
  one: string;
  other: string;
}

export type Texts = Record<ErrorDetailKey, string | Counted>;

export const detailsIt: Texts = {
  'droppay.VALIDATION': 'DropPay ha rifiutato la richiesta perché non valida.',
  'droppay.AUTH_INVALID_CREDENTIALS': 'DropPay non ha accettato le credenziali dell’applicazione.',
  'droppay.AUTH_TOKEN': 'La sessione con DropPay è scaduta.',
  'droppay.RECONNECT_NEEDED': 'Il collegamento con DropPay non è più valido: ricollega il conto del negozio.',
  'droppay.NOT_CONFIGURED': 'DropPay non è ancora configurato su questa cassa.',
  'droppay.FORBIDDEN_RESOURCE': 'Questo elemento di DropPay appartiene a un altro negozio.',
  'droppay.CHARGE_NOT_ALLOWED': 'Il pagamento non si può addebitare: non è approvato o non lo consente.',
  'droppay.CHARGE_OUT_OF_SCOPE':
    'Il pagamento non si può addebitare: importo, periodo o numero di addebiti non consentiti.',
  'droppay.ALREADY_REFUNDED': 'Questo pagamento è già stato rimborsato.',
  'droppay.NOT_FOUND': 'DropPay non conosce questo elemento.',
  'droppay.PAY_TOKEN_EXPIRED': 'L’approvazione del pagamento è scaduta o è stata sostituita.',
  'droppay.RATE_LIMITED': 'DropPay è occupato: riprova tra un momento.',
  'droppay.SERVER': 'DropPay ha un problema: riprova tra un momento.',
  'droppay.NETWORK':
    'La cassa ha provato a contattare {host}{network}. Controlla che il computer sia in rete (cavo o Wi-Fi) e che un firewall o un proxy non blocchi la cassa; per un ambiente personalizzato, controlla l’indirizzo nelle Impostazioni.',
  'droppay.TIMEOUT': 'DropPay non ha risposto in tempo.',
  'droppay.OUTCOME_UNKNOWN':
    'DropPay non ha confermato la richiesta: la cassa verifica se è andata a buon fine.',
  'droppay.MALFORMED_RESPONSE': 'DropPay ha inviato una risposta che la cassa non sa leggere.',
  'droppay.UNEXPECTED': 'DropPay ha risposto in modo inatteso.',
  'journal.nothingSent':
    'La cassa non è riuscita a scrivere il suo registro: a DropPay non è stato inviato nulla.',
  'journal.answerNotWritten':
    'La cassa non è riuscita a registrare la risposta di DropPay, che potrebbe aver eseguito l’operazione: non ripeterla; la cassa la verifica appena il registro torna scrivibile.',
  'journal.saleDamaged':
    'Il registro della cassa è danneggiato nella vendita {ref}: vi è scritta la data «{value}», che non esiste. La vendita non si può mostrare; ripristina il registro da un backup o chiedi assistenza.',
  'sale.notReady': 'La cassa sta ancora verificando i pagamenti rimasti in sospeso: riprova tra poco.',
  'sale.cannotCancel': 'Una vendita «{state}» non si può annullare.',
  'sale.cannotCapture': 'Una preautorizzazione «{state}» non si può incassare.',
  'sale.captureNotBooked': 'Si incassa solo una preautorizzazione.',
  'sale.captureAboveBooked': 'L’importo supera quello preautorizzato.',
  'sale.cannotChargeAgain': 'Questa vendita («{state}») non si può addebitare di nuovo.',
  'sale.notFound': 'Su questa cassa non c’è la vendita {id}.',
  'sale.inProgress':
    'La vendita {ref} di {amountCents} è ancora in corso: attendi il suo esito (o annullala, finché aspetta il cliente) prima di iniziarne un’altra.',
  'sale.closing': 'La cassa sta cambiando ambiente DropPay o si sta chiudendo: riprova tra un momento.',
  'charge.notFound': 'Su questa cassa non c’è l’addebito {id}.',
  'refund.notFound': 'Su questa cassa non c’è il rimborso {id}.',
  'cancel.unconfirmed':
    'DropPay non ha confermato l’annullamento: la cassa continua a verificare e non addebiterà questa vendita.',
  'pin.required': 'I rimborsi richiedono il PIN del responsabile.',
  'pin.wrong': {
    count: 'triesLeft',
    none: 'Il PIN inserito non è quello del responsabile.',
    one: 'Il PIN inserito non è quello del responsabile: ancora 1 tentativo prima del blocco.',
    other: 'Il PIN inserito non è quello del responsabile: ancora {triesLeft} tentativi prima del blocco.',
  },
  'pin.locked': 'Troppi PIN errati di seguito: riprova tra {seconds} s.',
  'pin.damaged':
    'Il file del PIN del responsabile è danneggiato ({file}): nessun PIN viene accettato. Per sbloccare i rimborsi, elimina quel file e imposta un nuovo PIN.',
  'refund.already':
    'Questo addebito ha già il suo rimborso ({status}): DropPay consente un solo rimborso per addebito.',
  'refund.earlierInDoubt':
    'Un rimborso precedente di questo addebito è ancora in verifica con DropPay: non ripeterlo.',
  'refund.tooLarge': 'Il rimborso ({amountCents}) supera l’addebito ({maxCents}).',
  'request.unknown': 'La cassa non conosce questa richiesta.',
  'internal.unexpected':
    'Qualcosa non ha funzionato nella cassa: riprova. Se si ripete, i dettagli sono nel file di log, nella cartella dei dati della cassa.',
  'input.invalid': 'Un dato inviato non è valido{field}: correggilo e riprova.',
  'settings.customUrlMissing': 'L’ambiente personalizzato richiede l’indirizzo di DropPay.',
  'settings.sandboxCredentials':
    'La sandbox usa credenziali sue: scegli produzione o personalizzato prima di inserirle.',
  'settings.credentialsOtherEnvironment':
    'Queste credenziali sono per un ambiente diverso da quello su cui lavora la cassa: salva prima l’ambiente scelto. Non è stato salvato nulla.',
  'settings.saleInProgress': 'Concludi o annulla la vendita in corso prima di cambiare l’ambiente DropPay.',
  'settings.dayRuleSaleInProgress':
    'Concludi o annulla la vendita in corso prima di cambiare il fuso orario o l’ora di chiusura della giornata.',
  'settings.dayRuleClosedDay':
    'Con questa regola l’ora attuale cadrebbe nella giornata del {day}, che è già chiusa: le vendite da ora finirebbero in una giornata chiusa. Cambia la regola dopo l’ora di chiusura.',
  'settings.timeZoneUnknown': 'Fuso orario sconosciuto: {zone}.',
  'settings.locked':
    'Ambiente, credenziali, giornata, conferma degli importi e cartella delle copie si cambiano solo con il PIN del responsabile: sblocca le impostazioni e riprova. Nulla è stato cambiato.',
  'connect.needsApplication':
    'Inserisci e salva prima Application Key e Application Secret: DropPay li chiede per collegare il conto.',
  'connect.noneWaiting': 'Nessun collegamento in attesa: avvialo di nuovo.',
  'connect.noCode': 'DropPay ha approvato il collegamento ma non ha inviato il codice: riprova.',
  'pin.currentRequired': 'Per cambiare il PIN del responsabile serve quello attuale.',
  'journal.refused': 'Il registro della cassa ha rifiutato questi dati: nulla è stato registrato.',
  'journal.unavailable': 'Il registro della cassa non si può aprire, leggere o scrivere.',
  'keychain.unavailable':
    'Il portachiavi del sistema non è disponibile: le credenziali non si possono leggere.',
  'keychain.locked':
    'Il portachiavi del sistema è bloccato: sbloccalo (di solito basta accedere al desktop), poi riprova.',
  'keychain.failed': 'Il portachiavi del sistema non ha salvato o letto le credenziali.',
  'day.invalid': 'La giornata non è una data valida.',
  'day.future': 'Questa giornata non è ancora cominciata.',
  'day.reason': 'Serve un motivo scritto, fino a {max} caratteri.',
  'day.alreadyClosed': 'Questa giornata è già chiusa.',
  'day.unsettled':
    'Operazioni con esito sconosciuto: {count}. Verifica la giornata con DropPay, o chiudila con un motivo scritto.',
  'day.chainBroken':
    'La catena del registro non si verifica: il file potrebbe essere stato modificato. Chiudi solo con un motivo scritto.',
  'day.mismatched':
    'Differenze trovate dalla verifica con DropPay: {count}. Guardale, verifica di nuovo, o chiudi con un motivo scritto.',
  'day.unchecked':
    'La giornata non è mai stata verificata con DropPay. Verificala, o chiudila con un motivo scritto.',
  'day.unread':
    'Voci che la verifica non ha potuto leggere da DropPay: {count}. Verifica di nuovo quando DropPay risponde, o chiudi con un motivo scritto.',
  'bridge.refused': 'La pagina non ha il codice di questa sessione della cassa: riaprila dal link di avvio.',
  'bridge.unreachable': 'Nessuna risposta dalla cassa.',
  'bridge.status': 'La cassa ha risposto con un errore ({status}).',
  'backup.folderNotAbsolute':
    'Scrivi il percorso completo della cartella (per esempio /media/chiavetta/cassa).',
  'backup.folderUnavailable':
    'La cartella {folder} non si può creare o scrivere: controlla che il disco o la chiavetta sia collegato.',
  'backup.folderMissing':
    'La cartella {folder} non esiste: collega il disco o la chiavetta, o crea la cartella, e salva di nuovo.',
  'backup.folderIsFile': '{folder} è un file, non una cartella: scegli una cartella.',
  'backup.diskFull': 'Non c’è più spazio per la copia in {folder}: libera spazio o scegli un altro disco.',
  'backup.notWritable':
    'Nella cartella {folder} non si può scrivere (sola lettura, permessi o errore del disco): scegline un’altra.',
  'backup.checkFailed':
    'La copia è stata scritta ma non ha superato la verifica: il disco delle copie potrebbe essere danneggiato.',
  'backup.failed': 'La copia del registro non si è potuta scrivere.',
};

export const detailsEn: Texts = {
  // The client's own English words for DropPay's answers, written once in shared/core-texts.ts.
  ...(Object.fromEntries(
    Object.entries(DROPPAY_ERROR_MESSAGES).map(([kind, text]) => [`droppay.${kind}`, text]),
  ) as Record<`droppay.${DropPayErrorKindName}`, string>),
  // Under the headline "DropPay cannot be reached": what was tried, and what to check.
  'droppay.NETWORK':
    'The till tried to reach {host}{network}. Check that this computer is online (cable or Wi-Fi) and that no firewall or proxy blocks the till; for a custom environment, check its address in Settings.',
  'journal.nothingSent': 'The till could not write its journal: nothing was sent to DropPay.',
  'journal.answerNotWritten':
    'The till could not record DropPay’s answer, and DropPay may have acted: do not repeat it; the till checks it once its journal writes again.',
  'journal.saleDamaged':
    'The till’s journal is damaged in sale {ref}: it holds the date “{value}”, which does not exist. The sale cannot be shown; restore the journal from a backup, or ask for support.',
  'sale.notReady': 'The till is still checking unfinished payments: try again shortly.',
  'sale.cannotCancel': 'A sale that is “{state}” cannot be cancelled.',
  'sale.cannotCapture': 'A pre-authorization that is “{state}” cannot be captured.',
  'sale.captureNotBooked': 'Only a pre-authorization is captured.',
  'sale.captureAboveBooked': 'The amount is above the pre-authorized one.',
  'sale.cannotChargeAgain': 'This sale (“{state}”) cannot be charged again.',
  'sale.notFound': 'There is no sale {id} on this till.',
  'sale.inProgress':
    'Sale {ref} of {amountCents} is still in progress: wait for its outcome (or cancel it while it waits for the customer) before starting another.',
  'sale.closing': 'The till is switching DropPay environment or shutting down: try again in a moment.',
  'charge.notFound': 'There is no charge {id} on this till.',
  'refund.notFound': 'There is no refund {id} on this till.',
  'cancel.unconfirmed':
    'DropPay did not confirm the cancellation: the till keeps checking and will not charge this sale.',
  'pin.required': 'Refunds need the manager PIN.',
  'pin.wrong': {
    count: 'triesLeft',
    none: 'The PIN entered is not the manager PIN.',
    one: 'The PIN entered is not the manager PIN: 1 try left before the lock.',
    other: 'The PIN entered is not the manager PIN: {triesLeft} tries left before the lock.',
  },
  'pin.locked': 'Too many wrong PINs in a row: try again in {seconds} s.',
  'pin.damaged':
    'The manager PIN file is damaged ({file}): no PIN is accepted. To unlock refunds, delete that file and set a new PIN.',
  'refund.already': 'This charge already has its refund ({status}): DropPay allows one refund per charge.',
  'refund.earlierInDoubt':
    'An earlier refund of this charge is still being checked with DropPay: do not repeat it.',
  'refund.tooLarge': 'The refund ({amountCents}) is above the charge ({maxCents}).',
  'request.unknown': 'The till does not know this request.',
  'internal.unexpected':
    'Something went wrong in the till: try again. If it happens again, the details are in the log file, in the till’s data folder.',
  'input.invalid': 'A value sent is not valid{field}: correct it and try again.',
  'settings.customUrlMissing': 'The custom environment needs a DropPay address.',
  'settings.sandboxCredentials':
    'The sandbox sets its own credentials: choose production or custom before entering them.',
  'settings.credentialsOtherEnvironment':
    'These credentials are for another environment than the one the till works on: save the chosen environment first. Nothing was saved.',
  'settings.saleInProgress': 'Finish or cancel the sale in progress before changing the DropPay environment.',
  'settings.dayRuleSaleInProgress':
    'Finish or cancel the sale in progress before changing the time zone or the hour the business day ends.',
  'settings.dayRuleClosedDay':
    'With this rule the present moment would fall in the business day of {day}, which is already closed: sales from now on would land in a closed day. Change the rule after the closing hour.',
  'settings.timeZoneUnknown': 'Unknown time zone: {zone}.',
  'settings.locked':
    'The environment, credentials, business day, amount confirmation and backup folder change only with the manager PIN: unlock the settings and try again. Nothing was changed.',
  'connect.needsApplication':
    'Enter and save the Application Key and Secret first: DropPay asks for them to connect the account.',
  'connect.noneWaiting': 'No connection is waiting: start it again.',
  'connect.noCode': 'DropPay approved the connection but sent no code: try again.',
  'pin.currentRequired': 'Changing the manager PIN needs the current one.',
  'journal.refused': 'The till’s journal refused this data: nothing was recorded.',
  'journal.unavailable': 'The till’s journal cannot be opened, read or written.',
  'keychain.unavailable': 'The system keychain is not available: the credentials cannot be read.',
  'keychain.locked':
    'The system keychain is locked: unlock it (logging in to the desktop usually does), then try again.',
  'keychain.failed': 'The system keychain did not store or read the credentials.',
  'day.invalid': 'The day is not a valid date.',
  'day.future': 'This business day has not begun yet.',
  'day.reason': 'A written reason is needed, up to {max} characters.',
  'day.alreadyClosed': 'This business day is already closed.',
  'day.unsettled':
    'Operations with an unknown outcome: {count}. Check the day with DropPay, or close it with a written reason.',
  'day.chainBroken':
    'The journal’s chain does not verify: the file may have been altered. Close only with a written reason.',
  'day.mismatched':
    'Differences found by the check with DropPay: {count}. Look at them, check again, or close with a written reason.',
  'day.unchecked':
    'The day has never been checked with DropPay. Check it, or close it with a written reason.',
  'day.unread':
    'Items the check could not read from DropPay: {count}. Check again once DropPay answers, or close with a written reason.',
  'bridge.refused': 'This page does not hold this till session’s code: open it again from the start link.',
  'bridge.unreachable': 'No answer from the till.',
  'bridge.status': 'The till answered with an error ({status}).',
  'backup.folderNotAbsolute': 'Write the folder’s full path (for example /media/usb/till).',
  'backup.folderUnavailable':
    'The folder {folder} cannot be created or written: check that the disk or USB stick is connected.',
  'backup.folderMissing':
    'The folder {folder} does not exist: connect the disk or USB stick, or create the folder, and save again.',
  'backup.folderIsFile': '{folder} is a file, not a folder: choose a folder.',
  'backup.diskFull':
    'There is no space left for the copy in {folder}: free some space or choose another disk.',
  'backup.notWritable':
    'The folder {folder} cannot be written (read-only, permissions or a disk error): choose another one.',
  'backup.checkFailed': 'The copy was written but did not pass its check: the backup disk may be damaged.',
  'backup.failed': 'The copy of the journal could not be written.',
};
