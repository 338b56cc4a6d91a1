/**
 * The customer display's state machine (idle → pay → result → thanks → idle), fed the sale
 * events and the cashier's few requests, and the timers that move it on. Its interface and
 * options are in customer-display-contract.ts, its screens in customer-display-screens.ts.
 */
import type { DisplayOutcome, DisplayState } from '../../../shared/display';
import type { Language } from '../../../shared/settings';
import {
  PROCESSING_MS,
  RESULT_MS,
  THANKS_MS,
  UNCONFIRMED_MS,
  type CustomerDisplay,
  type CustomerDisplayOptions,
  type DisplayTimers,
} from './customer-display-contract';
import { GOOD, outcomeOf, rememberRecent, type Screen } from './customer-display-screens';

const defaultTimers: DisplayTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createCustomerDisplay(options: CustomerDisplayOptions): CustomerDisplay {
  const timers = options.timers ?? defaultTimers;
  const resultMs = options.resultMs ?? RESULT_MS;
  const thanksMs = options.thanksMs ?? THANKS_MS;
  const processingMs = options.processingMs ?? PROCESSING_MS;
  const unconfirmedMs = options.unconfirmedMs ?? UNCONFIRMED_MS;
  let identity = options.identity;
  let screen: Screen = { mode: 'idle' };
  /**
   * The sale the display follows: the newest one started in this run (seen created or
   * authorizing), or the one the till resumed as it started (`resume`). Only it may put up a
   * QR: any other waiting sale from before (a cancel the resolver sends again, a webhook
   * adopting an old creation) never takes the customer's screen.
   */
  let currentSaleId: string | null = null;
  /** What each recent sale shows beside its amount: its description, and whether it is a hold. */
  const descriptions = new Map<string, { description: string; reserve: boolean }>();
  /** The last outcome shown for each recent sale. */
  const finished = new Map<string, DisplayOutcome>();
  /** The QR that a cancel took down, to put back if the cancel did not happen. */
  let beforeCancel: Extract<Screen, { mode: 'pay' }> | null = null;
  let timer: unknown = null;
  /** The cashier's choice for this customer, and the sale it is for (null: the next one started). */
  let chosen: { language: Language; saleId: string | null } | null = null;
  /** The language chosen for each recent sale, for a new sale for the same customer. */
  const chosenFor = new Map<string, Language>();
  const bind = (saleId: string, language: Language): void => rememberRecent(chosenFor, saleId, language);
  const render = (): DisplayState => ({
    ...screen,
    ...identity,
    language: chosen?.language ?? identity.language,
  });
  // The initial idle screen counts as sent: whoever opens the display asks for it first.
  let lastSent = JSON.stringify(render());

  const publish = (): void => {
    const state = render();
    const key = JSON.stringify(state);
    if (key === lastSent) return;
    lastSent = key;
    options.onChange?.(state);
  };

  const stopTimer = (): void => {
    if (timer !== null) timers.clear(timer);
    timer = null;
  };

  const show = (next: Screen): void => {
    stopTimer();
    screen = next;
    // Back to idle with no sale to follow: the customer the choice was for is done.
    if (next.mode === 'idle' && currentSaleId === null && chosen !== null && chosen.saleId !== null)
      chosen = null;
    if (next.mode === 'result' && GOOD.has(next.outcome)) {
      timer = timers.set(() => show({ mode: 'thanks' }), resultMs);
    } else if (next.mode === 'result') {
      // Nobody is thanked for a payment that did not go through. A failed charge stays the
      // current sale: the cashier may charge it again, and its outcome then shows.
      timer = timers.set(
        () => {
          if (next.outcome !== 'failed') currentSaleId = null;
          show({ mode: 'idle' });
        },
        next.outcome === 'unconfirmed' ? unconfirmedMs : resultMs,
      );
    } else if (next.mode === 'processing' || next.mode === 'cancelling') {
      // However long the till takes to find out, the next customer never walks up to it.
      timer = timers.set(() => finish(next.saleId, next.amount, 'unconfirmed'), processingMs);
    } else if (next.mode === 'thanks') {
      timer = timers.set(() => {
        currentSaleId = null;
        show({ mode: 'idle' });
      }, thanksMs);
    }
    publish();
  };

  const remember = (saleId: string, description: string, reserve: boolean): void =>
    rememberRecent(descriptions, saleId, { description, reserve });

  function finish(saleId: string, amount: number, outcome: DisplayOutcome): void {
    // Told once: a repeated event (a poll echo, a refund) shows nothing again.
    if (finished.get(saleId) === outcome) return;
    rememberRecent(finished, saleId, outcome);
    // Sent to the cashier: whatever the till learns later is theirs to tell.
    if (outcome === 'unconfirmed') currentSaleId = null;
    show({ mode: 'result', saleId, amount, outcome });
  }

  const pay = (saleId: string, amount: number, sharingUrl: string, waitingExpiresAt: string): void => {
    if (saleId !== currentSaleId || finished.has(saleId)) return;
    // A cancel asked: the QR stays down whatever DropPay says of the sale meanwhile.
    if (screen.mode === 'cancelling' && screen.saleId === saleId) return;
    const { description, reserve } = descriptions.get(saleId) ?? { description: '', reserve: false };
    show({ mode: 'pay', saleId, amount, description, reserve, sharingUrl, waitingExpiresAt });
  };

  return {
    state: render,
    handle(event) {
      switch (event.type) {
        case 'sale.sharing':
          pay(event.saleId, event.amount, event.sharingUrl, event.waitingExpiresAt);
          return;
        case 'sale.updated': {
          const { sale } = event;
          remember(sale.id, sale.description, sale.policy === 'BOOKED');
          const outcome = outcomeOf(sale.state);
          // A pre-authorization the customer was told is authorized: its capture is the shop's
          // business, on that screen too (a capture DropPay refuses is no failed payment of
          // theirs: the money is still held, QA D11).
          if (sale.policy === 'BOOKED' && finished.get(sale.id) === 'authorized') return;
          if (outcome !== null) {
            // Only the sale being shown, or just started, gets an outcome on screen: a refund
            // or a recovery update about an older sale leaves the display alone.
            if (sale.id === currentSaleId) finish(sale.id, sale.amount, outcome);
            return;
          }
          // A failed sale the cashier (or the resolver) charges again: followed again, with the
          // time limit of any charge going through.
          if (
            sale.id === currentSaleId &&
            finished.get(sale.id) === 'failed' &&
            (sale.state === 'granted' || sale.state === 'charging')
          ) {
            finished.delete(sale.id);
            show({ mode: 'processing', saleId: sale.id, amount: sale.amount });
            return;
          }
          // The QR on screen was answered (before a cancel could land, too): a
          // pre-authorization is done for the customer; a payment shows that it is going
          // through until its outcome is known.
          const onScreen =
            (screen.mode === 'pay' || screen.mode === 'processing' || screen.mode === 'cancelling') &&
            screen.saleId === sale.id;
          if (onScreen && sale.state === 'granted' && sale.policy === 'BOOKED') {
            finish(sale.id, sale.amount, 'authorized');
            return;
          }
          // Unknown only counts once the payer approved: before that, the QR may still be needed.
          const approved =
            sale.state === 'granted' ||
            sale.state === 'charging' ||
            (sale.state === 'unknown' &&
              (screen.mode === 'processing' || sale.authorizationStatus === 'GRANTED'));
          if (onScreen && approved) {
            if (screen.mode !== 'processing')
              show({ mode: 'processing', saleId: sale.id, amount: sale.amount });
            return;
          }
          if (sale.state === 'waiting' && sale.sharingUrl !== null) {
            const shown = screen.mode === 'pay' && screen.saleId === sale.id ? screen : null;
            if (
              shown === null ||
              shown.description !== sale.description ||
              shown.sharingUrl !== sale.sharingUrl
            )
              pay(sale.id, sale.amount, sale.sharingUrl, sale.waitingExpiresAt);
            return;
          }
          if ((sale.state === 'created' || sale.state === 'authorizing') && sale.id !== currentSaleId) {
            // A new sale interrupts whatever is up (a result, thanks) until its QR is ready.
            if (finished.has(sale.id)) return;
            currentSaleId = sale.id;
            // The next sale takes the choice; one after it is the next customer's.
            if (chosen?.saleId === null) {
              chosen.saleId = sale.id;
              bind(sale.id, chosen.language);
            } else if (chosen !== null && chosen.saleId !== sale.id) chosen = null;
            show({ mode: 'idle' });
          }
          return;
        }
        // Nothing for the customer: a recovery pass, or the till's reads of a sale failing
        // (the QR stays, the customer can still approve).
        case 'recovery':
        case 'sale.polling':
          return;
      }
    },
    cancelling(saleId) {
      if (screen.mode !== 'pay' || screen.saleId !== saleId) return;
      beforeCancel = screen;
      show({ mode: 'cancelling', saleId, amount: screen.amount });
    },
    cancelAborted(saleId) {
      if (screen.mode !== 'cancelling' || screen.saleId !== saleId || beforeCancel?.saleId !== saleId) return;
      show(beforeCancel);
    },
    setIdentity(next) {
      identity = next;
      publish();
    },
    forCustomer(language) {
      // A sale still to be decided or charged again counts as this customer's; one whose
      // outcome is up (approved, declined...) leaves the choice to the next sale.
      const underWay =
        currentSaleId !== null &&
        screen.mode !== 'thanks' &&
        !(screen.mode === 'result' && screen.outcome !== 'failed');
      chosen = language === null ? null : { language, saleId: underWay ? currentSaleId : null };
      if (underWay && currentSaleId !== null) {
        if (language === null) chosenFor.delete(currentSaleId);
        else bind(currentSaleId, language);
      }
      publish();
    },
    sameCustomerAs(saleId) {
      const language = chosenFor.get(saleId);
      if (language === undefined) return;
      chosen = { language, saleId: null };
      publish();
    },
    resume(sale) {
      if (sale === null || currentSaleId !== null || finished.has(sale.id)) return;
      const approved =
        sale.state === 'granted' ||
        sale.state === 'charging' ||
        (sale.state === 'unknown' && sale.authorizationStatus === 'GRANTED');
      const waiting = sale.state === 'waiting' && sale.sharingUrl !== null;
      // A hold the customer approved is done for them; a sale not yet at DropPay shows nothing.
      if (!waiting && !(approved && sale.policy !== 'BOOKED')) return;
      currentSaleId = sale.id;
      remember(sale.id, sale.description, sale.policy === 'BOOKED');
      if (waiting && sale.sharingUrl !== null)
        pay(sale.id, sale.amount, sale.sharingUrl, sale.waitingExpiresAt);
      else show({ mode: 'processing', saleId: sale.id, amount: sale.amount });
    },
    reset() {
      chosen = null;
      currentSaleId = null;
      show({ mode: 'idle' });
    },
    close: stopTimer,
  };
}
