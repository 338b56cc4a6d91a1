import type { DisplayState } from '../../../shared/display';
import { api, onEventsConnected } from '../api';
import { I18n } from '../i18n/i18n.svelte';

const RETRY_MS = 3_000;

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
  /** Counts `display` events, so a read that was overtaken by one is not applied over it. */
  #events = 0;

  async start(): Promise<void> {
    this.#off = api.on('display', (state) => {
      this.#events += 1;
      this.apply(state);
    });
    this.#offConnected = onEventsConnected(() => void this.load());
    await this.load();
  }

  stop(): void {
    this.#off?.();
    this.#off = null;
    this.#offConnected?.();
    this.#offConnected = null;
    if (this.#retry) clearTimeout(this.#retry);
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
