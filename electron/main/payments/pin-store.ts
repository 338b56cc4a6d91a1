/**
 * The manager PIN that guards refunds and the settings that move money (app/settings-lock.ts), kept as a salted scrypt hash and never in clear.
 *
 * Where the hash lives, and why not in the journal: the journal refuses setting keys that look
 * like secrets (the word "pin" among them) on purpose, and it is append-only, so every hash
 * ever set would stay in its event log forever and travel with every export. A 4-8 digit PIN
 * has at most 10^8 values, so its hash is guessable offline given enough time; it must be
 * replaceable and never exported. It therefore goes to a small file of its own in the data
 * folder, written with owner-only permissions and replaced atomically. (The OS keychain would
 * do too, but the CredentialStore's key set is closed to DropPay's credentials.)
 *
 * The store also keeps the guard against guessing: wrong PINs in a row and the lock that follows
 * live in the same file, beside the hash. One count for every caller (a refund, a PIN change),
 * kept across a restart of the payments service or of the till, and checks run one at a time,
 * so neither a settings change, nor a restart, nor PINs sent in parallel buy more guesses.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { ErrorDetail } from '../../../shared/result';
import { ManagerPinSchema } from '../../../shared/sales';
import { PaymentsError } from './errors';

/**
 * What a guarded check of a PIN found. `triesLeft`: the PIN is wrong, and that many more wrong
 * ones in a row lock the guard (at least 1). `lockedSeconds`: the guard is locked, by this very
 * PIN (the wrong one that reached the limit) or since before it. `damaged`: the PIN file cannot
 * be read as one (every PIN is refused); the file it is.
 */
export type PinCheck = 'ok' | { triesLeft: number } | { lockedSeconds: number } | { damaged: string };

export interface PinStore {
  /** Whether refunds (and the guarded settings) need a PIN. */
  isSet(): boolean;
  /** Sets or replaces the PIN (4 to 8 digits); the count of wrong PINs starts again. */
  set(pin: string): Promise<void>;
  /** Removes the PIN: refunds no longer ask for one. */
  clear(): void;
  /**
   * Checks a PIN someone typed, against guessing: after MAX_PIN_FAILURES wrong ones in a row,
   * every PIN is refused unchecked for PIN_LOCK_MS. The wrong PIN that reaches the limit is
   * answered with the lock it starts; one before it, with the tries left. A right one resets the
   * count. With no PIN set, 'ok'.
   */
  check(pin: string): Promise<PinCheck>;
  /** Seconds the guard stays locked (0: not locked), for refusing before asking for a PIN. */
  lockedSeconds(): number;
}

interface PinRecord {
  v: 1;
  alg: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
  /** Wrong PINs in a row since the last right one or the last lock. */
  failures?: number;
  /** Epoch milliseconds until which every PIN is refused. */
  lockedUntil?: number;
  /** Locks in a row since the last right PIN: each one lasts twice the one before. */
  lockouts?: number;
}

/** OWASP's scrypt minimum (N=2^17, r=8, p=1) needs 128 MiB; 2^15 keeps a check near 50 ms. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(pin: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scryptCb(pin.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

function parse(text: string): PinRecord | null {
  try {
    const r = JSON.parse(text) as Partial<PinRecord>;
    const ok =
      r.v === 1 &&
      r.alg === 'scrypt' &&
      typeof r.salt === 'string' &&
      typeof r.hash === 'string' &&
      Number.isInteger(r.N) &&
      Number.isInteger(r.r) &&
      Number.isInteger(r.p) &&
      (r.failures === undefined || (Number.isInteger(r.failures) && r.failures >= 0)) &&
      (r.lockedUntil === undefined || Number.isFinite(r.lockedUntil)) &&
      (r.lockouts === undefined || (Number.isInteger(r.lockouts) && r.lockouts >= 0));
    return ok ? (r as PinRecord) : null;
  } catch {
    return null;
  }
}

/**
 * Wrong PINs in a row before the guard locks: for PIN_LOCK_MS the first time, twice as long at
 * each lock after it with no right PIN between, up to PIN_LOCK_MAX_MS. A steady guesser then
 * needs months for a 4-digit PIN instead of hours; a manager who mistypes waits 30 s.
 */
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 30_000;
export const PIN_LOCK_MAX_MS = 3_600_000;

/** How long the lock lasts after `lockouts` earlier locks in a row. */
export function pinLockMs(lockouts: number): number {
  return Math.min(PIN_LOCK_MS * 2 ** Math.min(lockouts, 20), PIN_LOCK_MAX_MS);
}

/** The words of a locked guard, the same from the refund dialog and the PIN settings. */
export function pinLockedMessage(seconds: number): string {
  return `Too many wrong PINs: wait ${seconds} s and try again.`;
}

/** The words of a PIN file that cannot be read, the same from refunds and the PIN settings. */
export function pinDamagedMessage(file: string): string {
  return `The manager PIN file ${file} is damaged: no PIN is accepted. Delete it, then set a new PIN.`;
}

/** The words of a wrong PIN, with the tries left before the lock. */
export function pinWrongMessage(triesLeft: number): string {
  return `Wrong manager PIN: ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left before the lock.`;
}

/**
 * How a PIN the guard did not take is answered, the same from a refund and from a PIN change:
 * `wrong` (PIN_WRONG: the tries left, or the file damaged) or `locked` (PIN_LOCKED, the seconds
 * left), with the English message and the detail the renderer words.
 */
export function pinRefusal(result: Exclude<PinCheck, 'ok'>): {
  refusal: 'wrong' | 'locked';
  message: string;
  detail: ErrorDetail;
} {
  if ('triesLeft' in result) {
    const { triesLeft } = result;
    return {
      refusal: 'wrong',
      message: pinWrongMessage(triesLeft),
      detail: { key: 'pin.wrong', params: { triesLeft } },
    };
  }
  if ('damaged' in result) {
    const file = result.damaged;
    return {
      refusal: 'wrong',
      message: pinDamagedMessage(file),
      detail: { key: 'pin.damaged', params: { file } },
    };
  }
  const seconds = result.lockedSeconds;
  return {
    refusal: 'locked',
    message: pinLockedMessage(seconds),
    detail: { key: 'pin.locked', params: { seconds } },
  };
}

/**
 * A PinStore backed by one JSON file holding {salt, hash, scrypt parameters} and the guard's
 * count and lock. `now` is the clock of the lock (epoch ms).
 */
export function createFilePinStore(path: string, now: () => number = Date.now): PinStore {
  const read = (): PinRecord | null => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    // A damaged file must not silently switch the guard off: refuse every PIN instead.
    return parse(text) ?? { v: 1, alg: 'scrypt', ...PARAMS, salt: '', hash: '' };
  };
  const write = (record: PinRecord): void => {
    // Write then rename, so a crash leaves the old record or the new one, never half a file.
    const temp = `${path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
    renameSync(temp, path);
  };
  const matches = async (record: PinRecord, pin: string): Promise<boolean> => {
    if (record.hash === '' || typeof pin !== 'string' || pin.length > 64) return false;
    const expected = Buffer.from(record.hash, 'base64');
    const actual = await scrypt(pin, Buffer.from(record.salt, 'base64'), record);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  const lockedSeconds = (record: PinRecord | null): number =>
    Math.max(0, Math.ceil(((record?.lockedUntil ?? 0) - now()) / 1000));
  // Checks one at a time: a PIN sent while another is being checked waits for its count.
  let queue: Promise<unknown> = Promise.resolve();

  const check = async (pin: string): Promise<PinCheck> => {
    const record = read();
    if (record === null) return 'ok';
    // Said as such, not as a wrong PIN: no PIN can be right, and nothing is counted.
    if (record.hash === '') return { damaged: path };
    const wait = lockedSeconds(record);
    if (wait > 0) return { lockedSeconds: wait };
    const right = await matches(record, pin);
    const failures = right ? 0 : (record.failures ?? 0) + 1;
    const locks = failures >= MAX_PIN_FAILURES;
    const lockouts = right ? 0 : (record.lockouts ?? 0);
    // Only a real change is written: a right PIN with nothing counted leaves the file alone.
    if (failures !== (record.failures ?? 0) || locks || record.lockedUntil !== undefined) {
      // A damaged file stays damaged (every PIN refused) rather than being rewritten as valid.
      if (record.hash !== '') {
        const { v, alg, N, r, p, salt, hash } = record;
        const kept = lockouts > 0 ? { lockouts } : {};
        const guard = locks
          ? { lockedUntil: now() + pinLockMs(lockouts), lockouts: lockouts + 1 }
          : failures > 0
            ? { failures, ...kept }
            : kept;
        write({ v, alg, N, r, p, salt, hash, ...guard });
      }
    }
    if (right) return 'ok';
    // The PIN that reaches the limit is answered with the lock it starts: the next try would be.
    return locks
      ? { lockedSeconds: Math.ceil(pinLockMs(lockouts) / 1000) }
      : { triesLeft: MAX_PIN_FAILURES - failures };
  };

  return {
    isSet: () => read() !== null,
    async set(pin) {
      const parsed = ManagerPinSchema.safeParse(pin);
      if (!parsed.success) throw new RangeError('a manager PIN is 4 to 8 digits');
      const salt = randomBytes(16);
      const hash = await scrypt(parsed.data, salt, PARAMS);
      const record: PinRecord = {
        v: 1,
        alg: 'scrypt',
        ...PARAMS,
        salt: salt.toString('base64'),
        hash: hash.toString('base64'),
      };
      write(record);
    },
    clear: () => rmSync(path, { force: true }),
    check(pin) {
      const run = queue.then(() => check(pin));
      queue = run.catch(() => undefined);
      return run;
    },
    lockedSeconds: () => lockedSeconds(read()),
  };
}

/**
 * The refund guard: nothing to check while no PIN is set; otherwise the PIN given must be the
 * one set, and none is tried while the guard is locked (its count lives in the store, shared
 * with PIN changes and kept across restarts).
 */
export async function checkRefundPin(guard: PinStore | undefined, pin: string | undefined): Promise<void> {
  if (guard === undefined || !guard.isSet()) return;
  const locked = guard.lockedSeconds();
  if (locked > 0) throw pinRefused({ lockedSeconds: locked });
  if (pin === undefined) {
    throw new PaymentsError('PIN_REQUIRED', 'Refunds need the manager PIN.', {
      detail: { key: 'pin.required' },
    });
  }
  const result = await guard.check(pin);
  if (result !== 'ok') throw pinRefused(result);
}

/** A PIN the guard did not take: wrong (with the tries left), unverifiable, or locked. */
function pinRefused(result: Exclude<PinCheck, 'ok'>): PaymentsError {
  const { refusal, message, detail } = pinRefusal(result);
  return new PaymentsError(refusal === 'locked' ? 'PIN_LOCKED' : 'PIN_INVALID', message, { detail });
}
