/**
 * Closing the till while a sale is under way (the customer may be scanning the code, or has
 * just approved): the question Electron asks first, in the cashier's language. Quitting then
 * is safe for the money (the next start reads every open sale back from DropPay), but a
 * customer who approves while the till is closed waits, and a pay token can expire meanwhile.
 */
import type { Language } from '../../../shared/settings';

export interface LeaveQuestion {
  title: string;
  message: string;
  detail: string;
  /** Button 0, the default: keep the till open. */
  stay: string;
  /** Button 1. */
  leave: string;
}

/** A question as a message box asks it: staying is button 0, the default and Escape. */
export function questionBox(q: LeaveQuestion): {
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  defaultId: number;
  cancelId: number;
  noLink: boolean;
} {
  return {
    title: q.title,
    message: q.message,
    detail: q.detail,
    buttons: [q.stay, q.leave],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export function leaveQuestion(language: Language, salesInProgress: number): LeaveQuestion {
  if (language === 'en') {
    return {
      title: 'DropPay Cashier',
      message: salesInProgress === 1 ? 'A sale is in progress.' : `${salesInProgress} sales are in progress.`,
      detail:
        'If the till closes now, a customer who approves meanwhile waits until it is open again; nothing is charged twice, and the next start checks every open sale with DropPay.',
      stay: 'Keep the till open',
      leave: 'Close anyway',
    };
  }
  return {
    title: 'DropPay Cashier',
    message: salesInProgress === 1 ? 'Una vendita è in corso.' : `${salesInProgress} vendite sono in corso.`,
    detail:
      'Se la cassa si chiude ora, un cliente che approva nel frattempo aspetta che si riapra; nulla viene addebitato due volte, e al prossimo avvio la cassa verifica con DropPay ogni vendita aperta.',
    stay: 'Tieni aperta la cassa',
    leave: 'Chiudi comunque',
  };
}

/**
 * Closing or reloading the cashier window while a settings form holds edits not saved: the
 * renderer holds the unload (beforeunload), and Electron, which shows no question of its own,
 * asks this one. Staying is the default; the forms' own dialog is for moves inside the app.
 */
export function unsavedQuestion(language: Language): LeaveQuestion {
  if (language === 'en') {
    return {
      title: 'DropPay Cashier',
      message: 'Some settings are not saved.',
      detail: 'Leaving now loses what was typed. Stay to save it from the Settings screen.',
      stay: 'Stay',
      leave: 'Leave without saving',
    };
  }
  return {
    title: 'DropPay Cassa',
    message: 'Alcune impostazioni non sono salvate.',
    detail: 'Uscendo ora si perde quanto scritto. Resta per salvarlo dalla schermata Impostazioni.',
    stay: 'Resta',
    leave: 'Esci senza salvare',
  };
}
