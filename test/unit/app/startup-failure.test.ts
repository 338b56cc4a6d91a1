import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../electron/main/app/config';
import { describeStartupFailure, startupLocale } from '../../../electron/main/app/startup-failure';
import { CredentialStoreError } from '../../../electron/main/credentials/index';
import {
  JournalOpenError,
  JournalWriteError,
  openJournal,
  type JournalOpenFailure,
} from '../../../electron/main/journal/index';

const DIR = '/srv/till/data';
const JOURNAL = join(DIR, 'journal.sqlite');

/** What opening the journal at `path` threw (null if it opened). */
function openingError(path: string): unknown {
  try {
    openJournal({ path }).close();
    return null;
  } catch (error) {
    return error;
  }
}

describe('startupLocale', () => {
  it('Italian on an Italian system, English elsewhere', () => {
    expect(startupLocale('it')).toBe('it');
    expect(startupLocale('it-IT')).toBe('it');
    expect(startupLocale('it-CH')).toBe('it');
    expect(startupLocale('en-GB')).toBe('en');
    expect(startupLocale('de-DE')).toBe('en');
    expect(startupLocale('')).toBe('en');
  });
});

describe('describeStartupFailure', () => {
  it('says what happened to the journal, what to do, and where the file is', () => {
    const cases: [JournalOpenFailure, string, RegExp][] = [
      ['TOO_NEW', 'versione più recente', /Installa la versione più recente/],
      ['CORRUPT', 'danneggiato', /Non cancellarlo/],
      ['NOT_A_JOURNAL', 'danneggiato', /Non cancellarlo/],
      ['CANNOT_OPEN', 'non si può aprire', /disco non sia pieno/],
      ['MIGRATION', 'non si è potuto preparare', /Nessun dato è stato modificato/],
      ['PRAGMA', 'non si è potuto preparare', /Nessun dato è stato modificato/],
    ];
    for (const [failure, message, todo] of cases) {
      const text = describeStartupFailure(new JournalOpenError(failure, `technical ${failure}`), 'it', DIR);
      expect(text.message, failure).toContain(message);
      expect(text.detail, failure).toMatch(todo);
      expect(text.detail, failure).toContain(`Dettagli tecnici: technical ${failure}`);
      expect(text).toMatchObject({ title: 'DropPay Cashier non si avvia', retry: 'Riprova', quit: 'Esci' });
    }
    expect(describeStartupFailure(new JournalOpenError('TOO_NEW', 'x'), 'it', DIR).detail).toContain(
      `File: ${JOURNAL}`,
    );
    expect(describeStartupFailure(new JournalOpenError('CANNOT_OPEN', 'x'), 'en', DIR).detail).toContain(
      `Folder: ${DIR}`,
    );
  });

  it('names the journal that failed: the sandbox’s lives in its own folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'droppay-startup-'));
    try {
      const sandbox = join(dataDir, 'sandbox', 'journal.sqlite');
      mkdirSync(join(dataDir, 'sandbox'));
      writeFileSync(sandbox, 'this is not a database, but it is long enough to be read as one');
      const damaged = openingError(sandbox);
      expect(damaged).toBeInstanceOf(JournalOpenError);
      const text = describeStartupFailure(damaged, 'en', dataDir);
      expect(text.message).toContain('damaged');
      expect(text.detail).toContain(`File: ${sandbox}`);

      // A journal whose folder cannot be opened: the folder named is that journal's.
      const custom = join(dataDir, 'custom', 'dp.example', 'journal.sqlite');
      writeFileSync(join(dataDir, 'custom'), 'a file where the folder should be');
      expect(describeStartupFailure(openingError(custom), 'en', dataDir).detail).toContain(
        `Folder: ${join(dataDir, 'custom', 'dp.example')}`,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a journal that cannot be written, the keychain, the configuration, anything else', () => {
    const en = (error: unknown) => describeStartupFailure(error, 'en', DIR);
    expect(en(new JournalWriteError('FULL', 'disk full', 'SQLITE_FULL')).message).toBe(
      'The sales journal cannot be read or written.',
    );
    expect(en(new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'no bus')).message).toBe(
      'The system keychain is not available.',
    );
    expect(en(new CredentialStoreError('KEYCHAIN_UNAVAILABLE', 'no bus')).detail).toMatch(
      /unlock the keychain/,
    );
    expect(en(new CredentialStoreError('KEYCHAIN_ERROR', 'denied')).message).toMatch(/did not give/);
    const config = en(new ConfigError('DROPPAY_ENV must be sandbox, production or custom'));
    expect(config.message).toBe('The DropPay Cashier configuration is not valid.');
    expect(config.detail).toContain('Technical details: DROPPAY_ENV must be sandbox, production or custom');
    expect(en(new Error('boom'))).toMatchObject({
      title: 'DropPay Cashier cannot start',
      message: 'DropPay Cashier could not start.',
      retry: 'Try again',
      quit: 'Quit',
    });
    expect(en('not an error').detail).toContain('Technical details: not an error');
  });
});
