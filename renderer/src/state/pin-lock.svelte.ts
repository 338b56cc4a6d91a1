import type { AppError } from '../../../shared/result';
import { formatCountdown } from '../lib/domain';
import { clock } from './clock.svelte';

/**
 * The manager PIN's lock as the core's last answer said it (too many wrong PINs: every PIN is
 * refused for the seconds its PIN_LOCKED detail gave, counted from when the answer came), for a
 * form that asks for the PIN (the refund dialog, the PIN settings): the time left counts down
 * live, and the form takes the PIN again at its end without being reopened.
 */
export class PinLock {
  /** Epoch ms until which the core refuses every PIN; null: the last answer said no lock. */
  #until = $state<number | null>(null);
  /** Milliseconds left (0: not locked). */
  left = $derived(this.#until === null ? 0 : Math.max(0, this.#until - clock.now));
  locked = $derived(this.left > 0);
  /** The lock the last answer said is over: the PIN can be tried again. */
  over = $derived(this.#until !== null && !this.locked);
  /** The time left as shown: "27 s" under a minute, "12:05" from there. */
  text = $derived(this.left < 60_000 ? `${Math.ceil(this.left / 1000)} s` : formatCountdown(this.left));

  /**
   * The lock as the settings said it (`managerPinLockedSeconds`), before any PIN was typed: the
   * same refusal the core would answer the next PIN with, to show and follow as if answered.
   * Null when not locked.
   */
  static refusalOf(lockedSeconds: number): AppError | null {
    if (lockedSeconds <= 0) return null;
    return {
      code: 'PIN_LOCKED',
      message: '',
      detail: { key: 'pin.locked', params: { seconds: lockedSeconds } },
    };
  }

  /** Follows the core's answer to a PIN: a PIN_LOCKED with its seconds starts the count, anything else ends it. */
  follow(error: AppError | null): void {
    const seconds = error?.code === 'PIN_LOCKED' ? error.detail?.params?.seconds : undefined;
    this.#until = typeof seconds === 'number' && seconds > 0 ? Date.now() + seconds * 1000 : null;
  }

  /**
   * The error to show beside the count: a lock's headline alone while it lasts (the seconds in
   * its detail were right only when it came), nothing once it is over; any other error as it is.
   */
  shown(error: AppError | null): AppError | null {
    if (error?.code !== 'PIN_LOCKED' || this.#until === null) return error;
    return this.locked ? { code: error.code, message: '' } : null;
  }
}
