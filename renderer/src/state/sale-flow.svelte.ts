import type { AppError, ErrorDetail } from '../../../shared/result';
import type { SaleView } from '../../../shared/sales';
import type { SaleEvent } from '../../../shared/sale-events';
import { api } from '../api';
import { isCancellable, outcomeOf } from '../lib/domain';
import { SaleEntryState } from './sale-entry.svelte';

/** A sale's view moved from no result, or from an outcome in doubt, to a result. */
function settles(before: SaleView, after: SaleView): boolean {
  const was = outcomeOf(before);
  const now = outcomeOf(after);
  return now !== null && now !== was && (was === null || was === 'unknown');
}

/** While a sale is in progress, how often it is re-read in case a push event was missed. */
const REFRESH_MS = 3_000;

/**
 * The sale screen: the amount being typed (`entry`), then the sale in progress (kept fresh by
 * `sale` events), then its result. It outlives the screen, so leaving for the history and coming
 * back shows the same sale.
 */
export class SaleFlow {
  /** The amount, description and policy being typed, before a sale exists. */
  readonly entry: SaleEntryState;
  sale = $state<SaleView | null>(null);
  busy = $state(false);
  cancelling = $state(false);
  error = $state<AppError | null>(null);
  errorContext = $state<'sale' | 'cancel'>('sale');
  /** The cashier cancelled, but the customer had approved first: what the cancel could not undo. */
  cancelTooLate = $state<'booked' | 'paid' | null>(null);
  /**
   * The sale on screen was already in progress when this window took it up (opened or reloaded
   * mid-sale, another window's sale, a restarted till, or a Charge refused because of it).
   */
  resumed = $state(false);
  /** Reading the sale on screen keeps failing (DropPay unreachable, say): the till keeps asking. */
  pollProblem = $state<{ saleId: string; problem: ErrorDetail; since: string } | null>(null);

  outcome = $derived(this.sale ? outcomeOf(this.sale) : null);
  phase = $derived<'entry' | 'live' | 'result'>(
    this.sale === null ? 'entry' : this.outcome === null ? 'live' : 'result',
  );
  cancellable = $derived(this.sale !== null && isCancellable(this.sale));
  /** A capture of the pre-authorization on screen is on its way (its form says so). */
  capturing = $state(false);
  /** A command on the sale on screen is on its way: the screen cannot move on until it answers. */
  inFlight = $derived(this.busy || this.cancelling || this.capturing);

  /**
   * The sale on screen reached its result (or an outcome in doubt became definite): called
   * once per step, whether an event or a re-read brought it, so the app can tell a cashier
   * who is on another screen.
   */
  onSettled: ((sale: SaleView) => void) | null = null;

  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(confirmFrom: () => number = () => 0) {
    this.entry = new SaleEntryState({
      locked: () => this.sale !== null || this.busy,
      clearError: () => {
        this.error = null;
      },
      start: (amount, fallbackDescription) => this.start(amount, fallbackDescription),
      confirmFrom,
    });
  }

  private async start(amount: number, fallbackDescription: string): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      const description = this.entry.description.trim() || fallbackDescription;
      const since = Date.now() - 1_000;
      const result = await api.saleStart({ amount, description, policy: this.entry.policy });
      if (result.ok) {
        // A restore() crossing this start may have taken up this very sale: it is not resumed.
        this.resumed = false;
        this.show(result.value);
      } else if (result.error.detail?.key === 'sale.inProgress') {
        // Another sale is still at the customer: that one is what the screen must show.
        await this.takeUp();
        if (this.sale === null) {
          this.error = result.error;
          this.errorContext = 'sale';
        }
      } else {
        this.error = result.error;
        this.errorContext = 'sale';
        if (result.error.code === 'OUTCOME_UNKNOWN') await this.findUnknown(since, amount);
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * Takes up the sale in progress at the customer, if there is one and none is on screen: a
   * window opened (or reloaded) mid-sale, a restarted till, or a sale started in another window
   * must not leave this one on an empty keypad while a customer is paying.
   */
  async restore(): Promise<void> {
    // A start on its way shows its own sale (or, refused, the one in progress) itself.
    if (this.busy) return;
    await this.takeUp();
  }

  private async takeUp(): Promise<void> {
    if (this.sale !== null) return;
    const result = await api.saleCurrent();
    // The cashier may have started a sale of their own while the answer travelled.
    if (!result.ok || result.value === null || this.sale !== null) return;
    this.error = null;
    this.entry.confirming = false;
    this.resumed = true;
    this.show(result.value);
  }

  async cancel(): Promise<void> {
    const sale = this.sale;
    if (!sale || !this.cancellable || this.cancelling) return;
    this.cancelling = true;
    this.error = null;
    try {
      const result = await api.saleCancel({ saleId: sale.id });
      if (result.ok) {
        this.show(result.value);
        // The approval won the race: a pre-authorization stays reserved, a CHARGED sale is paid.
        this.cancelTooLate = tooLateToCancel(result.value);
      } else {
        this.error = result.error;
        this.errorContext = 'cancel';
        await this.refresh();
        // Refused because the approval got there first: say what that means, not "invalid".
        const late = this.sale === null ? null : tooLateToCancel(this.sale);
        if (late !== null) {
          this.cancelTooLate = late;
          this.error = null;
        }
      }
    } finally {
      this.cancelling = false;
    }
  }

  /** Charges a failed sale again on the same authorization (DropPay still has it granted). */
  async retryCharge(): Promise<void> {
    const sale = this.sale;
    if (!sale || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const result = await api.saleRetryCharge({ saleId: sale.id });
      if (result.ok) {
        this.show(result.value);
      } else {
        this.error = result.error;
        this.errorContext = 'sale';
        await this.refresh();
      }
    } finally {
      this.busy = false;
    }
  }

  /**
   * Back to an empty amount, for the next customer. Not while a command on this sale is on its
   * way ("charge again", cancel): its answer would land on the next sale's screen.
   */
  reset(): void {
    if (this.inFlight) return;
    this.stopRefresh();
    this.cancelTooLate = null;
    this.entry.reset();
    this.pollProblem = null;
    this.resumed = false;
    this.sale = null;
    this.error = null;
  }

  /**
   * A new sale with the same amount, description and policy (after a failure). A sale whose
   * creation answer was lost is called off first: nobody saw its QR, so nobody can pay it, and
   * it would otherwise stay on the banner until its time ran out. If that fails, the screen
   * says why and stays. The customer display speaks the language chosen for the customer again.
   */
  async retry(): Promise<void> {
    if (this.inFlight) return;
    const sale = this.sale;
    if (sale !== null && sale.state === 'unknown' && sale.sharingUrl === null && isCancellable(sale)) {
      this.cancelling = true;
      this.error = null;
      try {
        const result = await api.saleCancel({ saleId: sale.id });
        if (!result.ok) {
          this.error = result.error;
          this.errorContext = 'cancel';
          return;
        }
        // It had reached DropPay after all, and the customer was faster (paid, reserved): that
        // sale stands, shown as it is, and is not made again.
        if (result.value.state !== 'cancelled') {
          this.show(result.value);
          this.cancelTooLate = tooLateToCancel(result.value);
          return;
        }
      } finally {
        this.cancelling = false;
      }
      // Another window may have moved on meanwhile: only the sale asked about is retried.
      if (this.sale?.id !== sale.id) return;
    }
    this.reset();
    if (!sale) return;
    this.entry.fillFrom(sale);
    // The same customer: the display speaks the language chosen for them again, if one was (a
    // call that fails leaves it in the shop's language, nothing else).
    void api.displayLanguage({ sameCustomerAs: sale.id });
  }

  /** Shows a sale from elsewhere (e.g. a pre-authorization captured from its result screen). */
  show(sale: SaleView): void {
    const current = this.sale;
    // Answers and events can cross: never step back to an older view of the same sale.
    if (current?.id === sale.id && Date.parse(sale.updatedAt) < Date.parse(current.updatedAt)) return;
    this.sale = sale;
    if (current?.id === sale.id && settles(current, sale)) this.onSettled?.(sale);
    if (outcomeOf(sale) === null || sale.state === 'unknown') this.startRefresh();
    else this.stopRefresh();
  }

  onSaleEvent(event: SaleEvent): void {
    const current = this.sale;
    if (!current) return;
    if (event.type === 'sale.updated' && event.sale.id === current.id) {
      this.show(event.sale);
    } else if (event.type === 'sale.sharing' && event.saleId === current.id) {
      this.sale = { ...current, sharingUrl: event.sharingUrl, waitingExpiresAt: event.waitingExpiresAt };
    } else if (event.type === 'sale.polling' && event.saleId === current.id) {
      this.pollProblem =
        event.problem === null
          ? null
          : { saleId: event.saleId, problem: event.problem, since: event.since ?? '' };
    }
  }

  /**
   * A start whose outcome is unknown still left a sale on file, but the error does not say
   * which: it is the newest authorization in doubt for this amount, started since the click.
   * Shown on its result screen, it follows the background resolver to its real outcome.
   */
  private async findUnknown(since: number, amount: number): Promise<void> {
    const pending = await api.paymentsPending();
    if (!pending.ok) return;
    const item = pending.value.items
      .filter((i) => i.kind === 'authorization' && i.amount === amount && Date.parse(i.since) >= since)
      .sort((a, b) => Date.parse(b.since) - Date.parse(a.since))[0];
    if (!item) return;
    const sale = await api.saleGet({ saleId: item.saleId });
    if (sale.ok) {
      this.error = null;
      this.show(sale.value);
    }
  }

  async refresh(): Promise<void> {
    const current = this.sale;
    if (!current) return;
    const result = await api.saleGet({ saleId: current.id });
    // The cashier may have moved on while the answer travelled.
    if (result.ok && this.sale?.id === current.id) this.show(result.value);
  }

  stop(): void {
    this.stopRefresh();
  }

  private startRefresh(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  private stopRefresh(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

/** After a cancel: what the customer's approval, faster than the cancel, left standing. */
function tooLateToCancel(sale: SaleView): 'booked' | 'paid' | null {
  const ended = outcomeOf(sale);
  return ended === 'booked' || ended === 'paid' ? ended : null;
}
