/**
 * The manager PIN that guards refunds, kept as a salted scrypt hash and never in clear.
 *
 * Where the hash lives, and why not in the journal: the journal refuses setting keys that look
 * like secrets (the word "pin" among them) on purpose, and it is append-only, so every hash
 * ever set would stay in its event log forever and travel with every export. A 4-8 digit PIN
 * has at most 10^8 values, so its hash is guessable offline given enough time; it must be
 * replaceable and never exported. It therefore goes to a small file of its own in the data
 * folder, written with owner-only permissions and replaced atomically. (The OS keychain would
 * do too, but the CredentialStore's key set is closed to DropPay's credentials.)
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { ManagerPinSchema } from '../../../shared/sales';

export interface PinStore {
  /** Whether refunds need a PIN. */
  isSet(): boolean;
  /** Sets or replaces the PIN (4 to 8 digits). */
  set(pin: string): Promise<void>;
  /** Removes the PIN: refunds no longer ask for one. */
  clear(): void;
  /** Whether `pin` is the PIN. False when none is set. */
  verify(pin: string): Promise<boolean>;
}

interface PinRecord {
  v: 1;
  alg: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
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
      Number.isInteger(r.p);
    return ok ? (r as PinRecord) : null;
  } catch {
    return null;
  }
}

/** A PinStore backed by one JSON file holding {salt, hash, scrypt parameters}. */
export function createFilePinStore(path: string): PinStore {
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
      // Write then rename, so a crash leaves the old PIN or the new one, never half a file.
      const temp = `${path}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(record), { mode: 0o600 });
      renameSync(temp, path);
    },
    clear: () => rmSync(path, { force: true }),
    async verify(pin) {
      const record = read();
      if (record === null || record.hash === '' || typeof pin !== 'string' || pin.length > 64) return false;
      const expected = Buffer.from(record.hash, 'base64');
      const actual = await scrypt(pin, Buffer.from(record.salt, 'base64'), record);
      return actual.length === expected.length && timingSafeEqual(actual, expected);
    },
  };
}

/** Wrong PINs in a row before the guard locks for LOCK_MS: slows down guessing at the till. */
export const MAX_PIN_FAILURES = 5;
export const PIN_LOCK_MS = 30_000;
