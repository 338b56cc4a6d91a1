import type { AppError } from '../../../shared/result';
import type { DamagedSale, SaleFilter, SaleView, TimelineEntry } from '../../../shared/sales';
import type { SaleState } from '../../../shared/sale-sets';
import type { SaleEvent } from '../../../shared/sale-events';
import { api } from '../api';

const PAGE = 50;
const SEARCH_DELAY_MS = 250;

/** The history screen: filters, the matching sales (newest first), and the selected sale. */
export class HistoryState {
  text = $state('');
  from = $state('');
  to = $state('');
  /** A sale's state, or `refunded`: the sales with a refund of all or part (not a state of its own). */
  state = $state<SaleState | 'refunded' | ''>('');

  sales = $state<SaleView[]>([]);
  /** Sales loaded that cannot be shown: the journal holds a date for them that does not exist. */
  damaged = $state<DamagedSale[]>([]);
  total = $state(0);
  loading = $state(false);
  error = $state<AppError | null>(null);

  selected = $state<SaleView | null>(null);
  timeline = $state<TimelineEntry[]>([]);
  timelineError = $state<AppError | null>(null);

  #generation = 0;
  #searchTimer: ReturnType<typeof setTimeout> | null = null;

  /** How many of the matching sales are loaded, shown or damaged: the next page starts there. */
  get loaded(): number {
    return this.sales.length + this.damaged.length;
  }

  filter(offset = 0): SaleFilter {
    const f: SaleFilter = { limit: PAGE, offset };
    const text = this.text.trim();
    if (text) f.text = text;
    if (this.from) f.from = this.from;
    if (this.to) f.to = this.to;
    if (this.state === 'refunded') f.refunded = true;
    else if (this.state) f.state = this.state;
    return f;
  }

  /** Reloads the first page (a filter changed). */
  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    const result = await api.saleList(this.filter());
    if (generation !== this.#generation) return; // a newer filter won
    this.loading = false;
    if (result.ok) {
      this.sales = result.value.sales;
      this.damaged = result.value.damaged;
      this.total = result.value.total;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }

  /** Reload after the cashier stops typing. */
  search(): void {
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.load(), SEARCH_DELAY_MS);
  }

  async loadMore(): Promise<void> {
    const generation = this.#generation;
    this.loading = true;
    const result = await api.saleList(this.filter(this.loaded));
    if (generation !== this.#generation) return;
    this.loading = false;
    if (result.ok) {
      const known = this.sales.map((s) => s.id);
      this.sales = [...this.sales, ...result.value.sales.filter((s) => !known.includes(s.id))];
      const knownDamaged = this.damaged.map((d) => d.id);
      this.damaged = [...this.damaged, ...result.value.damaged.filter((d) => !knownDamaged.includes(d.id))];
      this.total = result.value.total;
    } else {
      this.error = result.error;
    }
  }

  /** Counts the resets: the day fields start again with it, a wrong day typed in them too. */
  resets = $state(0);

  resetFilters(): void {
    this.resets += 1;
    this.text = '';
    this.from = '';
    this.to = '';
    this.state = '';
    void this.load();
  }

  async select(saleId: string): Promise<void> {
    const result = await api.saleGet({ saleId });
    if (result.ok) {
      this.selected = result.value;
      await this.loadTimeline();
    } else {
      this.error = result.error;
    }
  }

  /** The sale whose detail was just closed: its row takes the focus back. */
  returnFocusTo: string | null = null;

  close(): void {
    // Back on the list, the sale just seen has the focus (keyboard users keep their place).
    this.returnFocusTo = this.selected?.id ?? null;
    this.selected = null;
    this.timeline = [];
  }

  async loadTimeline(): Promise<void> {
    const sale = this.selected;
    if (!sale) return;
    const result = await api.saleTimeline({ saleId: sale.id });
    if (this.selected?.id !== sale.id) return;
    if (result.ok) {
      this.timeline = result.value;
      this.timelineError = null;
    } else {
      this.timelineError = result.error;
    }
  }

  /** A sale changed (refund settled, recovery): update it in place wherever it is shown. */
  replace(sale: SaleView): void {
    this.sales = this.sales.map((s) => (s.id === sale.id ? sale : s));
    if (this.selected?.id === sale.id) {
      this.selected = sale;
      void this.loadTimeline();
    }
  }

  onSaleEvent(event: SaleEvent): void {
    if (event.type === 'sale.updated') this.replace(event.sale);
  }
}
