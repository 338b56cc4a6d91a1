import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilePinStore } from '../../../electron/main/payments/index';

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
  it('verifies the PIN set, refuses others, and forgets it on clear', async () => {
    const store = createFilePinStore(pinPath());
    expect(store.isSet()).toBe(false);
    expect(await store.verify('1234')).toBe(false);
    await store.set('4711');
    expect(store.isSet()).toBe(true);
    expect(await store.verify('4711')).toBe(true);
    expect(await store.verify('4712')).toBe(false);
    expect(await store.verify('')).toBe(false);
    store.clear();
    expect(store.isSet()).toBe(false);
    expect(await store.verify('4711')).toBe(false);
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

  it('a damaged file keeps the guard on and refuses every PIN', async () => {
    const path = pinPath();
    writeFileSync(path, 'not json');
    const store = createFilePinStore(path);
    expect(store.isSet()).toBe(true);
    expect(await store.verify('1234')).toBe(false);
  });
});
