import type { PendingSummary, SaleEvent } from '../../../shared/sales';
import { api } from '../api';

const RECHECK_MS = 5_000;

/**
 * Operations whose outcome DropPay has not confirmed yet, for the banner on every screen. It
 * reloads when a recovery pass ran or a sale changed, and every few seconds while any remain
 * (so the banner clears even if an event was missed).
 */
export class PendingState {
  summary = $state<PendingSummary>({ count: 0, items: [] });
  #timer: ReturnType<typeof setTimeout> | null = null;

  async load(): Promise<void> {
    const result = await api.paymentsPending();
    if (result.ok) this.summary = result.value;
    this.schedule();
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
