import type { AppError, Result } from '../../../shared/result';
import type { SaleView } from '../../../shared/sales';
import type { SaleEvent } from '../../../shared/sale-events';
import { SvelteMap } from 'svelte/reactivity';
import { api } from '../api';
import { isOpenPreauth } from '../lib/domain';

/** Open pre-authorizations: BOOKED sales the payer granted and the shop has not captured yet. */
export class PreauthState {
  sales = $state<SaleView[]>([]);
  loading = $state(false);
  error = $state<AppError | null>(null);

  /** Lists on their way, and the newest view of each sale an event brought meanwhile. */
  #loads = 0;
  #sinceLoad = new SvelteMap<string, SaleView>();

  async load(): Promise<void> {
    this.loading = true;
    if (this.#loads++ === 0) this.#sinceLoad.clear();
    const result = await api.saleList({ state: ['granted', 'failed'], limit: 500 });
    this.#loads -= 1;
    this.loading = this.#loads > 0;
    if (result.ok) {
      this.sales = result.value.sales.filter(isOpenPreauth);
      // An event that came while the list travelled is at least as new as the list: a row
      // captured meanwhile must not come back from it.
      for (const sale of this.#sinceLoad.values()) this.onUpdated(sale);
      this.error = null;
    } else {
      this.error = result.error;
    }
    if (this.#loads === 0) this.#sinceLoad.clear();
  }

  async capture(saleId: string, amount: number): Promise<Result<SaleView>> {
    const result = await api.saleCapture({ saleId, amount });
    if (result.ok) this.onUpdated(result.value);
    return result;
  }

  onSaleEvent(event: SaleEvent): void {
    if (event.type === 'sale.updated') this.onUpdated(event.sale);
  }

  private onUpdated(sale: SaleView): void {
    if (this.#loads > 0) this.#sinceLoad.set(sale.id, sale);
    const listed = this.sales.some((s) => s.id === sale.id);
    // A row being captured stays until the capture's outcome is known (its form shows it).
    const settling = listed && (sale.state === 'charging' || sale.state === 'unknown');
    if (isOpenPreauth(sale) || settling) {
      this.sales = listed ? this.sales.map((s) => (s.id === sale.id ? sale : s)) : [sale, ...this.sales];
    } else if (listed) {
      this.sales = this.sales.filter((s) => s.id !== sale.id);
    }
  }
}
