import type { AppStatus } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import { api } from '../api';

/** The terminal's connection status, loaded from main and kept fresh by `status` events. */
export class StatusState {
  status = $state<AppStatus | null>(null);
  error = $state<AppError | null>(null);
  busy = $state(false);
  /** Counts `status` events, so a read that was overtaken by one is not applied over it. */
  #events = 0;

  async load(): Promise<void> {
    const events = this.#events;
    const result = await api.appStatus();
    if (this.#events === events) this.apply(result);
  }

  /** Re-checks the connection with DropPay; returns the answer for screens that report it. */
  async check(): Promise<Result<AppStatus>> {
    this.busy = true;
    try {
      const result = await api.appCheckConnection();
      this.apply(result);
      return result;
    } finally {
      this.busy = false;
    }
  }

  /** A `status` event from main. */
  update(status: AppStatus): void {
    this.#events += 1;
    this.status = status;
    this.error = null;
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
