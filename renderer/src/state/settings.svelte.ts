import type { AppError, Result } from '../../../shared/result';
import type {
  CredentialsInput,
  DisplayInfo,
  ManagerPinInput,
  SettingsUpdate,
  SettingsView,
} from '../../../shared/settings';
import { api } from '../api';

/** The terminal's settings as main reports them; never holds a secret. */
export class SettingsState {
  view = $state<SettingsView | null>(null);
  displays = $state<DisplayInfo[]>([]);
  error = $state<AppError | null>(null);
  /** Called with the settings after each change this window saved. */
  onSaved: (view: SettingsView) => void = () => undefined;

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

  private async keep(pending: Promise<Result<SettingsView>>): Promise<Result<SettingsView>> {
    const result = await pending;
    if (result.ok) {
      this.view = result.value;
      this.onSaved(result.value);
    }
    return result;
  }
}
