import type { DisplayState } from '../../../shared/display';
import { api, onEventsConnected, onEventsLost } from '../api';
import { I18n } from '../i18n/i18n.svelte';

const RETRY_MS = 3_000;
/**
 * How long the display keeps its screen once its event stream is down (browser mode): past it,
 * what it shows may no longer be true (a QR of a sale that ended), so it says it is waiting for
 * the till instead.
 */
export const OFFLINE_AFTER_MS = 5_000;

/**
 * The customer display: what main says to show, nothing else. Its only inputs are
 * `display:state` (first paint, again after a failed read, and whenever the event stream
 * reconnects, since events pushed while it was down are lost) and `display` events.
 */
export class CustomerDisplay {
  readonly i18n = new I18n();
  state = $state<DisplayState | null>(null);
  #off: (() => void) | null = null;
  #offConnected: (() => void) | null = null;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #offLost: (() => void) | null = null;
  #lost: ReturnType<typeof setTimeout> | null = null;
  /** Counts `display` events, so a read that was overtaken by one is not applied over it. */
  #events = 0;

  async start(): Promise<void> {
    this.#off = api.on('display', (state) => {
      this.#events += 1;
      this.apply(state);
    });
    this.#offConnected = onEventsConnected(() => {
      this.#clearLost();
      void this.load();
    });
    this.#offLost = onEventsLost(() => {
      this.#lost ??= setTimeout(() => {
        this.#lost = null;
        this.state = null;
      }, OFFLINE_AFTER_MS);
    });
    await this.load();
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
    this.#offConnected?.();
    this.#offConnected = null;
    this.#offLost?.();
    this.#offLost = null;
    this.#clearLost();
    if (this.#retry) clearTimeout(this.#retry);
  }

  #clearLost(): void {
    if (this.#lost) clearTimeout(this.#lost);
    this.#lost = null;
  }

  private async load(): Promise<void> {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    const events = this.#events;
    const result = await api.displayState();
    // An event pushed while the read travelled is newer than the read: it stays.
    if (result.ok) {
      if (this.#events === events) this.apply(result.value);
    } else this.#retry = setTimeout(() => void this.load(), RETRY_MS);
  }

  private apply(state: DisplayState): void {
    this.state = state;
    this.i18n.locale = state.language;
  }
}
