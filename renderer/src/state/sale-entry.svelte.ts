import type { SaleView } from '../../../shared/sales';
import type { Policy } from '../../../shared/sale-sets';
import { MAX_CENTS } from '../../../shared/money';
import {
  applyKey,
  keyRefused,
  entryCents,
  entryFromCents,
  needsConfirmation,
  parseAmountField,
  type AmountKey,
} from '../lib/amount-entry';

/** What the entry needs of the sale flow that owns it (sale-flow.svelte.ts). */
export interface SaleEntryHooks {
  /** A sale is on screen, or one is starting: the entry takes no keys and charges nothing. */
  locked: () => boolean;
  /** The cashier touched the entry: the error on screen was about what came before. */
  clearError: () => void;
  /** Asks DropPay for the sale; `fallbackDescription` when the cashier typed none. */
  start: (amount: number, fallbackDescription: string) => Promise<void>;
  /** The shop's threshold for confirming an amount (cents; 0 = never), read at each charge. */
  confirmFrom: () => number;
}

/**
 * The sale screen before a sale exists: the amount being typed, its description and policy, and
 * the second look a large amount waits for. Kept apart from the sale in progress because none
 * of it reaches DropPay until `charge` (or `confirmLarge`) hands the amount over.
 */
export class SaleEntryState {
  text = $state('');
  description = $state('');
  policy = $state<Policy>('CHARGEABLE');
  /** A large amount waits for the cashier's second look before DropPay is asked. */
  confirming = $state(false);
  /**
   * The last key typed did nothing (a third decimal, a second comma, past the largest amount):
   * said on screen, since "1.500" meant as thousands would otherwise read 1,50 € unnoticed.
   */
  keyIgnored = $state(false);
  /** The last paste was not an amount: said on screen, as a refused key is (QA D12). */
  pasteIgnored = $state(false);

  cents = $derived(entryCents(this.text));
  // `.by`: the hooks are set in the constructor, after this initializer, and TypeScript reads a
  // bare expression here as using them too early (TS2729). Derived values are lazy either way.
  canCharge = $derived.by(() => this.cents !== null && this.cents > 0 && !this.#hooks.locked());

  readonly #hooks: SaleEntryHooks;

  constructor(hooks: SaleEntryHooks) {
    this.#hooks = hooks;
  }

  press(key: AmountKey): void {
    if (this.#hooks.locked()) return;
    const next = applyKey(this.text, key);
    this.keyIgnored = keyRefused(this.text, key, next);
    this.pasteIgnored = false;
    this.text = next;
    this.#hooks.clearError();
    this.confirming = false;
  }

  /**
   * Escape on the sale screen: the whole entry goes, amount and description, so nothing of one
   * customer's sale is charged to (or shown to) the next. The keypad's C clears the amount only.
   */
  clearEntry(): void {
    if (this.#hooks.locked()) return;
    this.press('clear');
    this.description = '';
  }

  /**
   * An amount pasted into the sale screen ("12,50", "1.234,50"): replaces what was typed.
   * False (and nothing changes) when the text is not an amount the till can charge.
   */
  paste(text: string): boolean {
    if (this.#hooks.locked()) return false;
    const cents = parseAmountField(text);
    if (cents === null || cents <= 0 || cents > MAX_CENTS) {
      this.pasteIgnored = text.trim() !== '';
      this.keyIgnored = false;
      return false;
    }
    this.text = entryFromCents(cents);
    this.keyIgnored = false;
    this.pasteIgnored = false;
    this.#hooks.clearError();
    this.confirming = false;
    return true;
  }

  /**
   * Starts the sale with DropPay; `fallbackDescription` when the cashier typed none. A large
   * amount first asks for confirmation; while it is asked, this does nothing (Enter pressed
   * again must not answer for the cashier): only confirmLarge() goes on.
   */
  async charge(fallbackDescription: string): Promise<void> {
    const amount = this.cents;
    if (!this.canCharge || amount === null || this.confirming) return;
    if (needsConfirmation(amount, this.#hooks.confirmFrom())) {
      this.confirming = true;
      this.#hooks.clearError();
      return;
    }
    await this.#hooks.start(amount, fallbackDescription);
  }

  /** The cashier confirmed the large amount on screen: the sale starts. */
  async confirmLarge(fallbackDescription: string): Promise<void> {
    const amount = this.cents;
    if (!this.confirming || !this.canCharge || amount === null) return;
    this.confirming = false;
    await this.#hooks.start(amount, fallbackDescription);
  }

  /** Back from the confirmation to the amount, to correct it. */
  editAmount(): void {
    this.confirming = false;
  }

  /** An empty entry, for the next customer. */
  reset(): void {
    this.confirming = false;
    this.keyIgnored = false;
    this.pasteIgnored = false;
    this.text = '';
    this.description = '';
    this.policy = 'CHARGEABLE';
  }

  /** The entry `sale` was made from, typed again (a retry after a failure). */
  fillFrom(sale: SaleView): void {
    this.text = entryFromCents(sale.amount);
    this.description = sale.description;
    this.policy = sale.policy;
  }
}
