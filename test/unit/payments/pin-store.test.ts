import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilePinStore, MAX_PIN_FAILURES, PIN_LOCK_MS } from '../../../electron/main/payments/index';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function pinPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-pin-unit-'));
  dirs.push(dir);
  return join(dir, 'manager-guard.json');
}

describe('file PIN store', () => {
  it('checks the PIN set, refuses others, and forgets it on clear', async () => {
    const store = createFilePinStore(pinPath());
    expect(store.isSet()).toBe(false);
    await store.set('4711');
    expect(store.isSet()).toBe(true);
    expect(await store.check('4711')).toBe('ok');
    expect(await store.check('4712')).toEqual({ triesLeft: MAX_PIN_FAILURES - 1 });
    expect(await store.check('')).toEqual({ triesLeft: MAX_PIN_FAILURES - 2 });
    store.clear();
    expect(store.isSet()).toBe(false);
    // No PIN: nothing to guard, whatever is typed.
    expect(await store.check('4712')).toBe('ok');
  });

  it('keeps only a salted scrypt hash, owner-readable only', async () => {
    const path = pinPath();
    const store = createFilePinStore(path);
    await store.set('73191842');
    const first = readFileSync(path, 'utf8');
    expect(first).not.toContain('73191842');
    expect(JSON.parse(first)).toMatchObject({ v: 1, alg: 'scrypt', N: 32768, r: 8, p: 1 });
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    await store.set('73191842');
    // A fresh salt each time: the same PIN never gives the same file.
    expect(readFileSync(path, 'utf8')).not.toBe(first);
  });

  it('refuses PINs that are not 4 to 8 digits', async () => {
    const store = createFilePinStore(pinPath());
    await expect(store.set('123')).rejects.toThrow(RangeError);
    await expect(store.set('abcd')).rejects.toThrow(RangeError);
    expect(store.isSet()).toBe(false);
  });

  it('a damaged file keeps the guard on and refuses every PIN, saying the file is damaged', async () => {
    const path = pinPath();
    writeFileSync(path, 'not json');
    const store = createFilePinStore(path);
    expect(store.isSet()).toBe(true);
    expect(await store.check('1234')).toEqual({ damaged: path });
    // A record of the right shape with a field out of place is damaged too.
    writeFileSync(path, JSON.stringify({ v: 1, alg: 'scrypt', salt: 'x', hash: 'y', N: 'big', r: 8, p: 1 }));
    expect(await store.check('1234')).toEqual({ damaged: path });
  });

  describe('the guard against guessing', () => {
    const wrongTimes = async (store: ReturnType<typeof createFilePinStore>, n: number) => {
      const results = [];
      for (let i = 0; i < n; i++) results.push(await store.check('0000'));
      return results;
    };

    it(`locks after ${MAX_PIN_FAILURES} wrong PINs in a row, refuses the right one, and unlocks after the wait`, async () => {
      const clock = { ms: 1_000_000 };
      const store = createFilePinStore(pinPath(), () => clock.ms);
      await store.set('2468');
      // Each wrong one says the tries left; the one that reaches the limit says the lock it starts.
      expect(await wrongTimes(store, MAX_PIN_FAILURES)).toEqual([
        { triesLeft: 4 },
        { triesLeft: 3 },
        { triesLeft: 2 },
        { triesLeft: 1 },
        { lockedSeconds: 30 },
      ]);
      expect(store.lockedSeconds()).toBe(PIN_LOCK_MS / 1000);
      expect(await store.check('2468')).toEqual({ lockedSeconds: PIN_LOCK_MS / 1000 });
      clock.ms += PIN_LOCK_MS - 1000;
      expect(await store.check('2468')).toEqual({ lockedSeconds: 1 });
      clock.ms += 1000;
      expect(store.lockedSeconds()).toBe(0);
      expect(await store.check('2468')).toBe('ok');
    });

    it('each lock in a row with no right PIN between lasts twice the one before, up to an hour; a right PIN starts again', async () => {
      const clock = { ms: 1_000_000 };
      const path = pinPath();
      const store = createFilePinStore(path, () => clock.ms);
      await store.set('2468');
      const waits: number[] = [];
      const answered: unknown[] = [];
      for (let lock = 0; lock < 9; lock++) {
        const answers = await wrongTimes(store, MAX_PIN_FAILURES);
        // After a lock the count starts again: four tries, and the fifth says the doubled lock.
        expect(answers.slice(0, -1), `lock ${lock + 1}`).toEqual(
          [4, 3, 2, 1].map((triesLeft) => ({ triesLeft })),
        );
        answered.push(answers.at(-1));
        waits.push(store.lockedSeconds());
        clock.ms += store.lockedSeconds() * 1000;
      }
      expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
      expect(answered).toEqual(waits.map((lockedSeconds) => ({ lockedSeconds })));
      // A restart keeps the escalation: it is in the file.
      expect(createFilePinStore(path, () => clock.ms).lockedSeconds()).toBe(0);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ lockouts: 9 });
      expect(await store.check('2468')).toBe('ok');
      await wrongTimes(store, MAX_PIN_FAILURES);
      expect(store.lockedSeconds()).toBe(PIN_LOCK_MS / 1000);
    });

    it('a right PIN starts the count again', async () => {
      const store = createFilePinStore(pinPath());
      await store.set('2468');
      await wrongTimes(store, MAX_PIN_FAILURES - 1);
      expect(await store.check('2468')).toBe('ok');
      expect(await wrongTimes(store, MAX_PIN_FAILURES - 1)).toEqual(
        [4, 3, 2, 1].map((triesLeft) => ({ triesLeft })),
      );
      expect(store.lockedSeconds()).toBe(0);
    });

    it('the count and the lock are in the file: a new store on it (a restart) goes on from them', async () => {
      const path = pinPath();
      const first = createFilePinStore(path);
      await first.set('2468');
      await wrongTimes(first, MAX_PIN_FAILURES - 1);
      const second = createFilePinStore(path);
      expect(await second.check('1357')).toEqual({ lockedSeconds: PIN_LOCK_MS / 1000 });
      expect(second.lockedSeconds()).toBeGreaterThan(0);
      expect(createFilePinStore(path).lockedSeconds()).toBeGreaterThan(0);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({
        alg: 'scrypt',
        lockedUntil: expect.any(Number),
      });
    });

    it('PINs sent at once are checked one at a time: no more than the allowed guesses get through', async () => {
      const store = createFilePinStore(pinPath());
      await store.set('2468');
      const results = await Promise.all(Array.from({ length: 12 }, () => store.check('0000')));
      expect(results.slice(0, MAX_PIN_FAILURES - 1)).toEqual(
        [4, 3, 2, 1].map((triesLeft) => ({ triesLeft })),
      );
      // The fifth starts the lock; the ones after it are refused unchecked.
      expect(results.slice(MAX_PIN_FAILURES - 1)).toEqual(
        Array(12 - MAX_PIN_FAILURES + 1).fill({ lockedSeconds: PIN_LOCK_MS / 1000 }),
      );
    });

    it('setting a new PIN clears the lock; with no PIN every check passes', async () => {
      const store = createFilePinStore(pinPath());
      expect(await store.check('whatever')).toBe('ok');
      await store.set('2468');
      await wrongTimes(store, MAX_PIN_FAILURES);
      expect(store.lockedSeconds()).toBeGreaterThan(0);
      await store.set('1357');
      expect(store.lockedSeconds()).toBe(0);
      expect(await store.check('1357')).toBe('ok');
    });

    it('a damaged file is never rewritten into a valid one by the count', async () => {
      const path = pinPath();
      writeFileSync(path, 'not json');
      const store = createFilePinStore(path);
      // Nothing counted and never locked: no PIN can be right, and the file says why.
      expect(await wrongTimes(store, MAX_PIN_FAILURES + 1)).toEqual(
        Array(MAX_PIN_FAILURES + 1).fill({ damaged: path }),
      );
      expect(store.lockedSeconds()).toBe(0);
      expect(readFileSync(path, 'utf8')).toBe('not json');
    });
  });
});
