import type { AppError } from '../../../shared/result';
import type { Language } from '../../../shared/settings';
import { api } from '../api';

/**
 * The customer display's language as the cashier sees and sets it: what the display speaks
 * now (from its `display` events), and a choice for the customer in front of it, which the
 * core drops by itself once their sale is done.
 */
export class CustomerLanguageState {
  /** What the display speaks now; null until known. */
  language = $state<Language | null>(null);
  busy = $state(false);
  error = $state<AppError | null>(null);
  /** Counts events, so a read overtaken by one is not applied over it. */
  #events = 0;

  /** Follows the display's state; the caller keeps the returned unsubscribe. */
  follow(): () => void {
    return api.on('display', (state) => {
      this.#events += 1;
      this.language = state.language;
    });
  }

  async load(): Promise<void> {
    const events = this.#events;
    const result = await api.displayState();
    if (result.ok && this.#events === events) this.language = result.value.language;
  }

  async choose(language: Language): Promise<void> {
    this.busy = true;
    const result = await api.displayLanguage({ language });
    this.busy = false;
    this.error = result.ok ? null : result.error;
    if (result.ok) this.language = result.value.language;
  }
}
