/**
 * What the till says when its core cannot start (the journal, the keychain, the configuration),
 * before any window exists: in the system's language, saying what happened and what to do,
 * with the technical message below for whoever looks after the till. No electron here: main
 * shows the result in a native dialog with "Try again" and "Quit".
 */
import { dirname, join } from 'node:path';
import { CredentialStoreError } from '../credentials';
import { JournalError, JournalOpenError } from '../journal';
import { ConfigError } from './config';

export type StartupLocale = 'it' | 'en';

export interface StartupFailure {
  title: string;
  /** What happened, in a line. */
  message: string;
  /** What to do, then the technical message. */
  detail: string;
  retry: string;
  quit: string;
}

/** Italian on an Italian system, English everywhere else. */
export function startupLocale(systemLocale: string): StartupLocale {
  return systemLocale.toLowerCase().startsWith('it') ? 'it' : 'en';
}

type Case =
  | 'journalNewer'
  | 'journalDamaged'
  | 'journalCannotOpen'
  | 'journalNotReady'
  | 'journalStorage'
  | 'keychainUnavailable'
  | 'keychainFailed'
  | 'config'
  | 'other';

interface Texts {
  title: string;
  retry: string;
  quit: string;
  technical: string;
  /** `todo` may name {journal} (the journal file) and {dir} (the data folder). */
  cases: Record<Case, { message: string; todo: string }>;
}

const TEXTS: Record<StartupLocale, Texts> = {
  it: {
    title: 'DropPay Cashier non si avvia',
    retry: 'Riprova',
    quit: 'Esci',
    technical: 'Dettagli tecnici',
    cases: {
      journalNewer: {
        message: 'Il registro delle vendite è stato scritto da una versione più recente di DropPay Cashier.',
        todo: 'Installa la versione più recente. Non cancellare né spostare il file: contiene le vendite.\nFile: {journal}',
      },
      journalDamaged: {
        message: 'Il registro delle vendite è danneggiato, o non è un registro di DropPay Cashier.',
        todo: 'Non cancellarlo: contiene le vendite. Fanne una copia e chiedi assistenza.\nFile: {journal}',
      },
      journalCannotOpen: {
        message: 'Il registro delle vendite non si può aprire.',
        todo: 'Controlla che il disco non sia pieno e che la cartella dei dati sia accessibile, poi riprova.\nCartella: {dir}',
      },
      journalNotReady: {
        message: 'Il registro delle vendite non si è potuto preparare.',
        todo: 'Nessun dato è stato modificato. Riprova; se si ripete, chiedi assistenza.\nFile: {journal}',
      },
      journalStorage: {
        message: 'Il registro delle vendite non si può leggere o scrivere.',
        todo: 'Controlla lo spazio su disco e i permessi della cartella dei dati, poi riprova.\nCartella: {dir}',
      },
      keychainUnavailable: {
        message: 'Il portachiavi del sistema non è disponibile.',
        todo: 'DropPay Cashier vi tiene le credenziali di DropPay. Accedi alla sessione del computer o sblocca il portachiavi, poi riprova.',
      },
      keychainFailed: {
        message: 'Il portachiavi del sistema non ha dato le credenziali di DropPay.',
        todo: 'Sblocca il portachiavi, poi riprova.',
      },
      config: {
        message: 'La configurazione di DropPay Cashier non è valida.',
        todo: 'Correggi la variabile d’ambiente o il file config.json nella cartella dei dati, poi riprova.\nCartella: {dir}',
      },
      other: {
        message: 'DropPay Cashier non si è potuto avviare.',
        todo: 'Riprova; se si ripete, chiedi assistenza.',
      },
    },
  },
  en: {
    title: 'DropPay Cashier cannot start',
    retry: 'Try again',
    quit: 'Quit',
    technical: 'Technical details',
    cases: {
      journalNewer: {
        message: 'The sales journal was written by a newer version of DropPay Cashier.',
        todo: 'Install the newer version. Do not delete or move the file: it holds the sales.\nFile: {journal}',
      },
      journalDamaged: {
        message: 'The sales journal is damaged, or is not a DropPay Cashier journal.',
        todo: 'Do not delete it: it holds the sales. Make a copy and ask for support.\nFile: {journal}',
      },
      journalCannotOpen: {
        message: 'The sales journal cannot be opened.',
        todo: 'Check that the disk is not full and that the data folder can be reached, then try again.\nFolder: {dir}',
      },
      journalNotReady: {
        message: 'The sales journal could not be prepared.',
        todo: 'No data was changed. Try again; if it happens again, ask for support.\nFile: {journal}',
      },
      journalStorage: {
        message: 'The sales journal cannot be read or written.',
        todo: 'Check the free disk space and the data folder’s permissions, then try again.\nFolder: {dir}',
      },
      keychainUnavailable: {
        message: 'The system keychain is not available.',
        todo: 'DropPay Cashier keeps the DropPay credentials there. Log in to the computer’s session or unlock the keychain, then try again.',
      },
      keychainFailed: {
        message: 'The system keychain did not give the DropPay credentials.',
        todo: 'Unlock the keychain, then try again.',
      },
      config: {
        message: 'The DropPay Cashier configuration is not valid.',
        todo: 'Correct the environment variable or the config.json file in the data folder, then try again.\nFolder: {dir}',
      },
      other: {
        message: 'DropPay Cashier could not start.',
        todo: 'Try again; if it happens again, ask for support.',
      },
    },
  },
};

function caseOf(error: unknown): Case {
  if (error instanceof JournalOpenError) {
    switch (error.failure) {
      case 'TOO_NEW':
        return 'journalNewer';
      case 'CORRUPT':
      case 'NOT_A_JOURNAL':
        return 'journalDamaged';
      case 'CANNOT_OPEN':
        return 'journalCannotOpen';
      case 'INVALID_OPTIONS':
      case 'PRAGMA':
      case 'MIGRATION':
        return 'journalNotReady';
    }
  }
  if (error instanceof JournalError) return 'journalStorage';
  if (error instanceof CredentialStoreError) {
    return error.kind === 'KEYCHAIN_UNAVAILABLE' ? 'keychainUnavailable' : 'keychainFailed';
  }
  if (error instanceof ConfigError) return 'config';
  return 'other';
}

/**
 * The dialog for a core that failed to start with `error`, whose data folder is `dataDir` (the
 * file and folder named are the failing journal's, when the error says which). Our
 * start-up errors carry messages written for a person and free of secrets; anything else is
 * reduced to its message.
 */
export function describeStartupFailure(
  error: unknown,
  locale: StartupLocale,
  dataDir: string,
): StartupFailure {
  const texts = TEXTS[locale];
  const { message, todo } = texts.cases[caseOf(error)];
  const technical = error instanceof Error ? error.message : String(error);
  // The journal that failed: the sandbox's and a custom DropPay's live in their own folders.
  const journal = error instanceof JournalError ? error.journalPath : undefined;
  const filled = todo
    .replace('{journal}', journal ?? join(dataDir, 'journal.sqlite'))
    .replace('{dir}', journal === undefined ? dataDir : dirname(journal));
  return {
    title: texts.title,
    message,
    detail: `${filled}\n\n${texts.technical}: ${technical}`,
    retry: texts.retry,
    quit: texts.quit,
  };
}
