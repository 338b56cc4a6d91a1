import type { AppStatus } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/result';
import { api } from '../api';

/** The terminal's connection status, loaded from main and kept fresh by `status` events. */
export class StatusState {
  status = $state<AppStatus | null>(null);
  error = $state<AppError | null>(null);
  busy = $state(false);
  /** Browser mode: the event stream to the core is down, so nothing on screen is kept fresh. */
  coreLost = $state(false);
  /** Counts `status` events, so a read that was overtaken by one is not applied over it. */
  #events = 0;
  /**
   * Called when the till moves to another DropPay (sandbox, production, another custom
   * address): each has its own journal, so what the screens hold is another till's.
   */
  onEnvironmentChanged: () => void = () => undefined;

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

  /**
   * What the status bar says of the link: the core out of reach (browser mode), the
   * credentials' state, or DropPay not answering the latest call.
   */
  get link(): 'core_lost' | AppStatus['connection'] | 'not_answering' | null {
    if (this.coreLost) return 'core_lost';
    const status = this.status;
    if (status === null) return null;
    if (status.connection === 'connected' && status.reach === 'not_answering') return 'not_answering';
    return status.connection;
  }

  /** A `status` event from main. */
  update(status: AppStatus): void {
    this.#events += 1;
    this.set(status);
  }

  private apply(result: Result<AppStatus>): void {
    if (result.ok) {
      this.set(result.value);
    } else {
      this.error = result.error;
    }
  }

  private set(status: AppStatus): void {
    const before = this.status;
    this.status = status;
    this.error = null;
    if (before !== null && (before.environment !== status.environment || before.baseUrl !== status.baseUrl))
      this.onEnvironmentChanged();
  }
}
