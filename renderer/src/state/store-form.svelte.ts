import { MAX_CENTS } from '../../../shared/money';
import type { AppError } from '../../../shared/result';
import type { Language, SettingsView } from '../../../shared/settings';
import { fieldFromCents, parseAmountField } from '../lib/amount-entry';
import type { SettingsState } from './settings.svelte';

/** The confirmation threshold as typed: '' or 0 = never ask; otherwise an amount in euros. */
function confirmCents(text: string): number | null {
  if (text.trim() === '') return 0;
  const cents = parseAmountField(text);
  return cents === null || cents > MAX_CENTS ? null : cents;
}

/** Cents as the cashier types them in `language` ('' for none: never ask). */
function written(cents: number, language: Language): string {
  if (cents <= 0) return '';
  return fieldFromCents(cents, language);
}

/**
 * The store section of the settings (name, customer display, poll interval, the amount from
 * which a sale is confirmed, the business day's zone and end), as a form with
 * its own draft: shared by the settings screen and the first-run wizard, which saves it with
 * its Next button.
 */
export class StoreForm {
  storeName = $state('');
  display = $state('');
  /** The customer display's language: '' = the till's. */
  customerLanguage = $state<'' | Language>('');
  pollMs = $state(1000);
  /** Euros as typed ("500,00"); empty = never ask. */
  confirmFrom = $state('');
  /** The business-day rule (sent only when changed: a change is refused during a sale). */
  timeZone = $state('Europe/Rome');
  cutoffHour = $state(0);
  #initialRule = { timeZone: 'Europe/Rome', cutoffHour: 0 };
  busy = $state(false);
  saved = $state(false);
  error = $state<AppError | null>(null);

  nameProblem = $derived(this.storeName.trim().length < 1 || this.storeName.trim().length > 80);
  pollProblem = $derived(!Number.isInteger(this.pollMs) || this.pollMs < 250 || this.pollMs > 10_000);
  confirmProblem = $derived(confirmCents(this.confirmFrom) === null);
  #initialName = '';
  #initialPoll = 1000;
  /** A save was tried: from then on problems show even in fields not touched. */
  attempted = $state(false);
  /** Saves refused for a field in the wrong, counted: the form moves the focus to it each time. */
  refusals = $state(0);
  // An empty name on a first run is not a mistake yet: it shows once typed in or saved.
  showNameProblem = $derived(this.nameProblem && (this.attempted || this.storeName !== this.#initialName));
  showPollProblem = $derived(this.pollProblem && (this.attempted || this.pollMs !== this.#initialPoll));
  showConfirmProblem = $derived(this.confirmProblem);

  readonly #settings: SettingsState;
  /** The values saved, as the form last read or saved them: what Discard puts back. */
  #saved = $state.raw<SettingsView | null>(null);
  /** Edits not saved: a value on screen that is not the saved one (the amount compared in cents). */
  dirty = $derived.by(() => {
    const view = this.#saved;
    if (view === null) return false;
    return (
      this.storeName.trim() !== view.storeName ||
      this.display !== (view.customerDisplayId?.toString() ?? '') ||
      this.customerLanguage !== (view.customerLanguage ?? '') ||
      this.pollMs !== view.pollIntervalMs ||
      confirmCents(this.confirmFrom) !== view.confirmFromCents ||
      this.timeZone !== view.timeZone ||
      this.cutoffHour !== view.cutoffHour
    );
  });

  constructor(settings: SettingsState) {
    this.#settings = settings;
    this.#fill(settings.view);
    this.#initialName = this.storeName;
    this.#initialPoll = this.pollMs;
  }

  /** Puts the saved values back on screen, as they were before any edit. */
  discard(): void {
    this.#fill(this.#settings.view ?? this.#saved);
    this.attempted = false;
    this.error = null;
    this.saved = false;
  }

  #fill(view: SettingsView | null): void {
    this.#saved = view;
    this.storeName = view?.storeName ?? '';
    this.display = view?.customerDisplayId?.toString() ?? '';
    this.customerLanguage = view?.customerLanguage ?? '';
    this.pollMs = view?.pollIntervalMs ?? 1000;
    this.confirmFrom = written(view?.confirmFromCents ?? 0, view?.language ?? 'it');
    this.timeZone = view?.timeZone ?? 'Europe/Rome';
    this.cutoffHour = view?.cutoffHour ?? 0;
    this.#initialRule = { timeZone: this.timeZone, cutoffHour: this.cutoffHour };
  }

  /**
   * The language on screen changed: the amount is written again as a cashier of that language
   * types it ("500,00" / "500.00"), the same amount. One that is not an amount stays as typed.
   */
  relocalize(language: Language): void {
    const cents = confirmCents(this.confirmFrom);
    if (cents !== null && cents > 0) this.confirmFrom = written(cents, language);
  }

  /** Saves the section; true when it worked. */
  async save(): Promise<boolean> {
    this.saved = false;
    this.attempted = true;
    const confirmFromCents = confirmCents(this.confirmFrom);
    if (this.nameProblem || this.pollProblem || confirmFromCents === null) {
      this.refusals += 1;
      return false;
    }
    this.busy = true;
    const ruleChanged =
      this.timeZone !== this.#initialRule.timeZone || this.cutoffHour !== this.#initialRule.cutoffHour;
    const result = await this.#settings.update({
      storeName: this.storeName.trim(),
      customerDisplayId: this.display === '' ? null : Number(this.display),
      customerLanguage: this.customerLanguage === '' ? null : this.customerLanguage,
      pollIntervalMs: this.pollMs,
      confirmFromCents,
      ...(ruleChanged ? { timeZone: this.timeZone, cutoffHour: this.cutoffHour } : {}),
    });
    this.busy = false;
    if (result.ok) {
      this.#initialRule = { timeZone: result.value.timeZone, cutoffHour: result.value.cutoffHour };
      this.#saved = result.value;
    }
    this.error = result.ok ? null : result.error;
    this.saved = result.ok;
    return result.ok;
  }
}
