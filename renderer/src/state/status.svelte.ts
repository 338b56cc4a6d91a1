import type { AppStatus } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import { api } from '../api';

/** The terminal's connection status, loaded from main. */
export class StatusState {
  status = $state<AppStatus | null>(null);
  error = $state<AppError | null>(null);
  busy = $state(false);

  async load(): Promise<void> {
    this.apply(await api.appStatus());
  }

  async check(): Promise<void> {
    this.busy = true;
    try {
      this.apply(await api.appCheckConnection());
    } finally {
      this.busy = false;
    }
  }

  private apply(result: Result<AppStatus>): void {
    if (result.ok) {
      this.status = result.value;
      this.error = null;
    } else {
      this.error = result.error;
    }
  }
}
