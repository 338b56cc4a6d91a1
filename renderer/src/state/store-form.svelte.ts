import type { AppError } from '../../../shared/result';
import type { SettingsState } from './settings.svelte';

/**
 * The store section of the settings (name, customer display, poll interval), as a form with
 * its own draft: shared by the settings screen and the first-run wizard, which saves it with
 * its Next button.
 */
export class StoreForm {
  storeName = $state('');
  display = $state('');
  pollMs = $state(1000);
  busy = $state(false);
  saved = $state(false);
  error = $state<AppError | null>(null);

  nameProblem = $derived(this.storeName.trim().length < 1 || this.storeName.trim().length > 80);
  pollProblem = $derived(!Number.isInteger(this.pollMs) || this.pollMs < 250 || this.pollMs > 10_000);
  #initialName = '';
  #initialPoll = 1000;
  /** A save was tried: from then on problems show even in fields not touched. */
  attempted = $state(false);
  // An empty name on a first run is not a mistake yet: it shows once typed in or saved.
  showNameProblem = $derived(this.nameProblem && (this.attempted || this.storeName !== this.#initialName));
  showPollProblem = $derived(this.pollProblem && (this.attempted || this.pollMs !== this.#initialPoll));

  readonly #settings: SettingsState;

  constructor(settings: SettingsState) {
    this.#settings = settings;
    const view = settings.view;
    this.storeName = view?.storeName ?? '';
    this.display = view?.customerDisplayId?.toString() ?? '';
    this.pollMs = view?.pollIntervalMs ?? 1000;
    this.#initialName = this.storeName;
    this.#initialPoll = this.pollMs;
  }

  /** Saves the section; true when it worked. */
  async save(): Promise<boolean> {
    this.saved = false;
    this.attempted = true;
    if (this.nameProblem || this.pollProblem) return false;
    this.busy = true;
    const result = await this.#settings.update({
      storeName: this.storeName.trim(),
      customerDisplayId: this.display === '' ? null : Number(this.display),
      pollIntervalMs: this.pollMs,
    });
    this.busy = false;
    this.error = result.ok ? null : result.error;
    this.saved = result.ok;
    return result.ok;
  }
}
