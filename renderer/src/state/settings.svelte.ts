import type { AppError, Result } from '../../../shared/result';
import type {
  CredentialsInput,
  DisplayInfo,
  ManagerPinInput,
  SettingsUpdate,
  SettingsView,
} from '../../../shared/settings';
import { api } from '../api';

/** How long after the unlock's end the settings are read again. */
const RELOCK_SLACK_MS = 250;

/** The terminal's settings as main reports them; never holds a secret. */
export class SettingsState {
  #view = $state<SettingsView | null>(null);
  /** Reads the settings again when the core's unlock runs out, so the screen locks with it. */
  #relock: ReturnType<typeof setTimeout> | null = null;

  get view(): SettingsView | null {
    return this.#view;
  }

  set view(view: SettingsView | null) {
    this.#view = view;
    if (this.#relock !== null) clearTimeout(this.#relock);
    this.#relock = null;
    const left = view?.settingsUnlockMs ?? 0;
    // A little after the core's end, so the read finds it locked.
    if (left > 0) this.#relock = setTimeout(() => void this.load(), left + RELOCK_SLACK_MS);
  }

  displays = $state<DisplayInfo[]>([]);
  error = $state<AppError | null>(null);
  /**
   * The guarded settings (environment, credentials and account, business day, confirmation
   * amount, backup folder) take no change: a manager PIN is set and the core holds no unlock.
   */
  locked = $derived(this.view?.settingsLocked ?? false);
  /** Called with the settings after each change this window saved. */
  onSaved: (view: SettingsView) => void = () => undefined;

  /** The page goes: no read of the settings is left waiting for the unlock's end. */
  stop(): void {
    if (this.#relock !== null) clearTimeout(this.#relock);
    this.#relock = null;
  }

  async load(): Promise<Result<SettingsView>> {
    const result = await api.settingsGet();
    if (result.ok) {
      this.view = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
    return result;
  }

  async loadDisplays(): Promise<void> {
    const result = await api.settingsListDisplays();
    if (result.ok) this.displays = result.value;
  }

  update(patch: SettingsUpdate): Promise<Result<SettingsView>> {
    return this.keep(api.settingsUpdate(patch));
  }

  setCredentials(input: CredentialsInput): Promise<Result<SettingsView>> {
    return this.keep(api.settingsSetCredentials(input));
  }

  setManagerPin(input: ManagerPinInput): Promise<Result<SettingsView>> {
    return this.keep(api.settingsSetManagerPin(input));
  }

  /** Unlocks the guarded settings with the manager PIN; the core keeps the unlock, not this page. */
  async unlock(pin: string): Promise<Result<SettingsView>> {
    const result = await api.settingsUnlock({ pin });
    if (result.ok) this.view = result.value;
    return result;
  }

  /** Locks them again (the settings screen was left). */
  async lock(): Promise<void> {
    const result = await api.settingsLock();
    if (result.ok) this.view = result.value;
  }

  private async keep(pending: Promise<Result<SettingsView>>): Promise<Result<SettingsView>> {
    const result = await pending;
    if (result.ok) {
      this.view = result.value;
      this.onSaved(result.value);
    } else if (result.error.code === 'SETTINGS_LOCKED') {
      // The unlock ran out (or another window locked): the forms show it from the fresh view.
      await this.load();
    }
    return result;
  }
}
