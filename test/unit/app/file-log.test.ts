import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLog, scrubSecrets } from '../../../electron/main/app/file-log';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'droppay-log-'));
  dirs.push(d);
  return d;
};

describe('scrubSecrets', () => {
  it('masks bearer tokens and credential fields, and leaves the rest alone', () => {
    expect(scrubSecrets('GET /x Authorization: Bearer eyJhbGciOi.abc-def_123')).toBe(
      'GET /x Authorization: Bearer ***',
    );
    expect(scrubSecrets('{"client_secret":"s3cr3t","grant_type":"authorization_code"}')).toBe(
      '{"client_secret":***,"grant_type":"authorization_code"}',
    );
    expect(scrubSecrets('refresh_token=abc123&x=1')).toBe('refresh_token=***&x=1');
    expect(scrubSecrets('applicationSecret: hunter2, posId: POS1')).toBe(
      'applicationSecret: ***, posId: POS1',
    );
    const plain = 'payments: resolving c1: DropPay answered 503 (error code 503)';
    expect(scrubSecrets(plain)).toBe(plain);
  });
});

describe('createFileLog', () => {
  it('one time-stamped file a day, the newest kept, other files untouched', () => {
    const dir = temp();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    let at = new Date('2026-11-28T09:00:00Z');
    const log = createFileLog(dir, { now: () => at, keepDays: 2 });
    log('started');
    log('Bearer abc.def');
    for (const day of ['2026-11-29', '2026-11-30']) {
      at = new Date(`${day}T09:00:00Z`);
      log(`day ${day}`);
    }
    expect(readdirSync(dir).sort()).toEqual([
      'cashier-2026-11-29.log',
      'cashier-2026-11-30.log',
      'notes.txt',
    ]);
    expect(readFileSync(join(dir, 'cashier-2026-11-30.log'), 'utf8')).toBe(
      '2026-11-30T09:00:00.000Z day 2026-11-30\n',
    );
  });

  it('masks before writing, and a folder it cannot write does not throw', () => {
    const dir = temp();
    const at = new Date('2026-12-02T10:00:00Z');
    createFileLog(dir, { now: () => at })('token Bearer xyz');
    expect(readFileSync(join(dir, 'cashier-2026-12-02.log'), 'utf8')).toContain('Bearer ***');
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'x');
    const quiet = console.error;
    const said: unknown[] = [];
    console.error = (...args: unknown[]) => said.push(args);
    try {
      const log = createFileLog(join(blocker, 'logs'), { now: () => at });
      expect(() => {
        log('one');
        log('two');
      }).not.toThrow();
    } finally {
      console.error = quiet;
    }
    expect(said).toHaveLength(1);
  });
});
