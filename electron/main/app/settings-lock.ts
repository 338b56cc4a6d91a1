import { pinRefusal, type PinCheck, type PinStore } from '../payments';
import { AppFailure } from './errors';

/**
 * The settings that decide where the money goes and how the day is counted (the environment,
 * the DropPay credentials and account, the business day, the large-amount confirmation, the
 * backup folder) are behind the manager PIN once one is set. The unlock is held here, in the
 * core, for a few minutes: the renderer never keeps the PIN to replay it, and a window that
 * does not lock again on leaving is still locked by the clock.
 */
export interface SettingsLock {
  /** True when a PIN is set, the first-run setup is over, and no unlock is in force. */
  isLocked(): boolean;
  /** Milliseconds the unlock in force still lasts (without a further change); 0 when none is. */
  unlockLeftMs(): number;
  /**
   * Checks the PIN with the PIN store (the same count and lock as refunds) and unlocks for
   * `unlockMs`. With no PIN set there is nothing to unlock, and it is 'ok' too.
   */
  unlock(pin: string): Promise<void>;
  /** The person who proved the PIN (set or changed it) keeps the settings open a while more. */
  renew(): void;
  /** Ends the unlock (leaving the settings screen, the PIN removed). */
  lock(): void;
  /** Throws SETTINGS_LOCKED while locked; otherwise renews the unlock (a change is activity). */
  guard(what: string): void;
}

/** How long an unlock lasts since the last guarded change. */
export const SETTINGS_UNLOCK_MS = 5 * 60_000;

export interface SettingsLockDeps {
  pins: PinStore;
  /** True until the first-run setup is completed: the wizard finishes whatever was set in it. */
  firstRun(): boolean;
  unlockMs?: number;
  now?: () => number;
}

/** A PIN the guard did not take, as the settings answer it: wrong or locked, as refunds say it. */
export function pinFailure(result: Exclude<PinCheck, 'ok'>): AppFailure {
  const { refusal, message, detail } = pinRefusal(result);
  return new AppFailure(refusal === 'locked' ? 'PIN_LOCKED' : 'PIN_WRONG', message, detail);
}

/**
 * Checks `pin` against the guard, refusing unchecked while it is locked; `missing` words a
 * PIN not given. Throws the refusal; returns once the PIN is right (or none is set).
 */
export async function checkPin(
  pins: PinStore,
  pin: string | undefined,
  missing: () => AppFailure,
): Promise<void> {
  if (!pins.isSet()) return;
  const locked = pins.lockedSeconds();
  if (locked > 0) throw pinFailure({ lockedSeconds: locked });
  if (pin === undefined) throw missing();
  const result = await pins.check(pin);
  if (result !== 'ok') throw pinFailure(result);
}

export function createSettingsLock(deps: SettingsLockDeps): SettingsLock {
  const unlockMs = deps.unlockMs ?? SETTINGS_UNLOCK_MS;
  const now = deps.now ?? Date.now;
  /** Epoch ms until which the guarded settings take changes; 0: locked. */
  let until = 0;

  /** Whether the guard applies at all: a PIN set, and the first-run setup over. */
  const guarding = (): boolean => deps.pins.isSet() && !deps.firstRun();
  const isLocked = (): boolean => guarding() && now() >= until;
  const renew = (): void => {
    until = now() + unlockMs;
  };

  return {
    isLocked,
    unlockLeftMs: () => (guarding() ? Math.max(0, Math.ceil(until - now())) : 0),
    async unlock(pin) {
      // The contract makes the PIN a required string, so `missing` is for the type only.
      await checkPin(
        deps.pins,
        pin,
        () =>
          new AppFailure('PIN_REQUIRED', 'Unlocking the settings needs the manager PIN.', {
            key: 'pin.required',
          }),
      );
      renew();
    },
    renew,
    lock() {
      until = 0;
    },
    guard(what) {
      // Nothing guarded, nothing to renew: an unlock is only ever made with the PIN.
      if (!guarding()) return;
      if (isLocked()) {
        throw new AppFailure(
          'SETTINGS_LOCKED',
          `The settings are locked: unlock them with the manager PIN to change ${what}.`,
          {
            key: 'settings.locked',
          },
        );
      }
      renew();
    },
  };
}
