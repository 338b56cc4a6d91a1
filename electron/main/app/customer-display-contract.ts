/**
 * The customer display as the rest of the core sees it: whose till it shows, the options it is
 * made with (how long each screen stays up, the clock, who hears of a new state) and what it
 * can be told. The state machine behind it is customer-display.ts.
 */
import type { DisplayState } from '../../../shared/display';
import type { SaleEvent } from '../../../shared/sale-events';
import type { SaleView } from '../../../shared/sales';
import type { Language } from '../../../shared/settings';

/** Whose till this is, shown on every screen of the customer display. */
export interface DisplayIdentity {
  language: Language;
  merchantName: string | null;
  storeName: string | null;
}

/** setTimeout/clearTimeout, injectable so tests drive the clock. */
export interface DisplayTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface CustomerDisplayOptions {
  identity: DisplayIdentity;
  /** How long an outcome stays up. */
  resultMs?: number;
  /** How long "thank you" stays up before the idle screen. */
  thanksMs?: number;
  /** How long "processing" or "cancelling" stays up before the customer is sent to the cashier. */
  processingMs?: number;
  /** How long "still being checked, ask the cashier" stays up, unless the next sale starts. */
  unconfirmedMs?: number;
  timers?: DisplayTimers;
  /** Called with every new state (never twice in a row with the same one). */
  onChange?: (state: DisplayState) => void;
}

/** The customer display's state machine: idle → pay → result → thanks → idle. */
export interface CustomerDisplay {
  state(): DisplayState;
  /** Feeds one sale event; the display has no other input about sales. */
  handle(event: SaleEvent): void;
  /**
   * The cashier asked to cancel `saleId`: its QR goes at once (before DropPay has answered), so
   * nobody approves a sale the till is cancelling.
   */
  cancelling(saleId: string): void;
  /** The cancel of `saleId` did not happen (refused before it was sent): its QR comes back. */
  cancelAborted(saleId: string): void;
  /** New store name, merchant or language: the current screen is re-sent with them. */
  setIdentity(identity: DisplayIdentity): void;
  /**
   * The language the cashier chose for the customer at the display (null: the shop's again).
   * It lasts for that customer's sale: the one on screen, or else the next one started, until
   * the display is back to idle after it (a failed charge the cashier may charge again keeps
   * it); another sale started meanwhile is another customer's, in the shop's language.
   */
  forCustomer(language: Language | null): void;
  /**
   * The next sale started is for the same customer as `saleId` (the cashier's *Try again*):
   * it gets the language chosen for that one, if one was.
   */
  sameCustomerAs(saleId: string): void;
  /**
   * The sale the till holds as it starts (the one the cashier's screen resumes, or null): the
   * customer is still at the display with their phone, so it follows that sale as if started
   * in this run: its QR while it waits, *going through* once approved, then its outcome.
   * Nothing changes if the display already follows a sale.
   */
  resume(sale: SaleView | null): void;
  /** Back to idle at once (environment switch, shutdown). */
  reset(): void;
  close(): void;
}

export const RESULT_MS = 4_000;
export const THANKS_MS = 3_000;
export const PROCESSING_MS = 60_000;
/**
 * Money may have moved: the customer still at the till, who looks up a minute later, must not
 * find the welcome screen and think nothing happened (and pay again). The next sale replaces it.
 */
export const UNCONFIRMED_MS = 300_000;
