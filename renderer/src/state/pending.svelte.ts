import type { PendingSummary, SaleEvent } from '../../../shared/sale-events';
import type { AppError } from '../../../shared/result';
import { api } from '../api';

const RECHECK_MS = 5_000;

/**
 * Operations whose outcome DropPay has not confirmed yet, for the banner on every screen. It
 * reloads when a recovery pass ran or a sale changed, and every few seconds while any remain
 * (so the banner clears even if an event was missed). A sale pushes several changes in a
 * moment: while one load is on its way, the next waits for it and goes once.
 */
export class PendingState {
  summary = $state<PendingSummary>({ count: 0, items: [] });
  /** "Check now" is reading everything back from DropPay. */
  checking = $state(false);
  checkError = $state<AppError | null>(null);
  #timer: ReturnType<typeof setTimeout> | null = null;
  #loading: Promise<void> | null = null;
  #again = false;

  load(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        const result = await api.paymentsPending();
        if (result.ok) this.summary = result.value;
      } while (this.#again);
      this.#loading = null;
      this.schedule();
    })();
    return this.#loading;
  }

  /** Reads every operation in doubt back from DropPay now, past the background resolver's wait. */
  async checkNow(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    this.checkError = null;
    try {
      const result = await api.paymentsRecheck();
      if (result.ok) this.summary = result.value;
      else this.checkError = result.error;
    } finally {
      this.checking = false;
      this.schedule();
    }
  }

  onSaleEvent(event: SaleEvent): void {
    if (event.type === 'recovery' || event.type === 'sale.updated') void this.load();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  private schedule(): void {
    this.stop();
    if (this.summary.count > 0) this.#timer = setTimeout(() => void this.load(), RECHECK_MS);
  }
}
