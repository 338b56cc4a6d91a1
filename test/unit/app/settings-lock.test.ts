import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/main/app/errors';
import { createSettingsLock, SETTINGS_UNLOCK_MS } from '../../../electron/main/app/settings-lock';
import type { PinCheck, PinStore } from '../../../electron/main/payments';

// The settings lock's rules on a clock of its own: when it holds, what renews it, and that the
// PIN store alone decides whether a PIN is right (the integration tests use the real one).

function fakePins(pin: string | null): PinStore & { checks: number } {
  let set = pin;
  const pins = {
    checks: 0,
    isSet: () => set !== null,
    set: (next: string) => {
      set = next;
      return Promise.resolve();
    },
    clear: () => {
      set = null;
    },
    check: (given: string): Promise<PinCheck> => {
      pins.checks += 1;
      return Promise.resolve(set === null || given === set ? 'ok' : { triesLeft: 4 });
    },
    lockedSeconds: () => 0,
  };
  return pins;
}

const refusal = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AppFailure ? error.code : 'other';
  }
};

describe('settings lock', () => {
  it('holds once a PIN is set, opens for the unlock time with the right PIN, renewed by each guarded change', async () => {
    let now = 1_000_000;
    const pins = fakePins('1234');
    const lock = createSettingsLock({ pins, firstRun: () => false, now: () => now });
    expect(lock.isLocked()).toBe(true);
    expect(refusal(() => lock.guard('x'))).toBe('SETTINGS_LOCKED');
    await expect(lock.unlock('9999')).rejects.toMatchObject({ code: 'PIN_WRONG' });
    expect(lock.isLocked()).toBe(true);
    await lock.unlock('1234');
    expect(lock.isLocked()).toBe(false);
    now += SETTINGS_UNLOCK_MS - 1;
    expect(refusal(() => lock.guard('x'))).toBeNull();
    // Renewed from that change: almost another full period.
    now += SETTINGS_UNLOCK_MS - 1;
    expect(lock.isLocked()).toBe(false);
    now += 1;
    expect(lock.isLocked()).toBe(true);
    await lock.unlock('1234');
    lock.lock();
    expect(lock.isLocked()).toBe(true);
  });

  it('says how long the unlock still lasts, so a screen can lock itself when it runs out', async () => {
    let now = 5_000_000;
    const lock = createSettingsLock({ pins: fakePins('1234'), firstRun: () => false, now: () => now });
    expect(lock.unlockLeftMs()).toBe(0);
    await lock.unlock('1234');
    expect(lock.unlockLeftMs()).toBe(SETTINGS_UNLOCK_MS);
    now += 60_000;
    expect(lock.unlockLeftMs()).toBe(SETTINGS_UNLOCK_MS - 60_000);
    // A guarded change renews it to the full time again.
    lock.guard('x');
    expect(lock.unlockLeftMs()).toBe(SETTINGS_UNLOCK_MS);
    now += SETTINGS_UNLOCK_MS;
    expect(lock.unlockLeftMs()).toBe(0);
    expect(lock.isLocked()).toBe(true);
    await lock.unlock('1234');
    lock.lock();
    expect(lock.unlockLeftMs()).toBe(0);
    // Nothing guarded (no PIN): no unlock to run out.
    const free = createSettingsLock({ pins: fakePins(null), firstRun: () => false, now: () => now });
    await free.unlock('');
    expect(free.unlockLeftMs()).toBe(0);
  });

  it('with no PIN, or during the first run, guards nothing and asks nothing', () => {
    const none = fakePins(null);
    const open = createSettingsLock({ pins: none, firstRun: () => false });
    expect(open.isLocked()).toBe(false);
    expect(refusal(() => open.guard('x'))).toBeNull();
    let firstRun = true;
    const pins = fakePins('1234');
    const setup = createSettingsLock({ pins, firstRun: () => firstRun });
    expect(refusal(() => setup.guard('x'))).toBeNull();
    // A change during the setup does not leave an unlock behind it.
    firstRun = false;
    expect(setup.isLocked()).toBe(true);
    expect(pins.checks).toBe(0);
  });
});
