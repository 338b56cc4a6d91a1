import {
  CREDENTIAL_KEYS,
  CredentialStoreError,
  type CredentialKey,
  type CredentialStore,
} from './credential-store';

/** Which DropPay the secrets belong to: each gets its own keychain service, so they never mix. */
export type CredentialEnvironment =
  { kind: 'sandbox' } | { kind: 'production' } | { kind: 'custom'; baseUrl: string };

/** The part of keytar we use; injectable so the failure paths can be tested without a keychain. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarStoreOptions {
  /** Replaces the real keytar module (tests). */
  keytar?: KeytarLike;
  /** Replaces `import('keytar')` (tests of a missing or broken native module). */
  importKeytar?: () => Promise<unknown>;
  /** A locked keyring can sit on an unlock prompt forever; past this the call fails instead. */
  operationTimeoutMs?: number;
}

const SERVICE_PREFIX = 'droppay-cashier';

export const LINUX_KEYCHAIN_HINT =
  'On Linux install gnome-keyring (or another Secret Service provider such as KeePassXC) and libsecret-1-0, ' +
  'and run the app inside a desktop session with D-Bus.';

export const LINUX_UNLOCK_HINT =
  'On Linux the keyring is usually unlocked by logging in to the desktop; otherwise unlock the "login" keyring with Passwords and Keys (seahorse).';

export function credentialServiceName(env: CredentialEnvironment): string {
  switch (env.kind) {
    case 'sandbox':
      return `${SERVICE_PREFIX}:sandbox`;
    case 'production':
      return `${SERVICE_PREFIX}:production`;
    case 'custom': {
      let host: string;
      try {
        host = new URL(env.baseUrl).host;
      } catch {
        throw new CredentialStoreError('KEYCHAIN_ERROR', 'The custom DropPay address is not a valid URL.');
      }
      return `${SERVICE_PREFIX}:custom:${host}`;
    }
  }
}

/**
 * The OS keychain through keytar (libsecret on Linux, Keychain on macOS, Credential Vault on
 * Windows). There is deliberately no plaintext fallback: without a keychain the app refuses to
 * store secrets and says what to install.
 */
export class KeytarCredentialStore implements CredentialStore {
  readonly service: string;
  private keytar: Promise<KeytarLike> | undefined;
  private readonly timeoutMs: number;
  private readonly importKeytar: () => Promise<unknown>;

  constructor(env: CredentialEnvironment, options: KeytarStoreOptions = {}) {
    this.service = credentialServiceName(env);
    this.timeoutMs = options.operationTimeoutMs ?? 60_000;
    this.importKeytar = options.importKeytar ?? (() => import('keytar'));
    if (options.keytar) this.keytar = Promise.resolve(options.keytar);
  }

  async get(key: CredentialKey): Promise<string | undefined> {
    const value = await this.call('read', (k) => k.getPassword(this.service, key));
    return value ?? undefined;
  }

  async set(key: CredentialKey, value: string): Promise<void> {
    await this.call('write', (k) => k.setPassword(this.service, key, value), value);
  }

  async delete(key: CredentialKey): Promise<void> {
    await this.call('delete', (k) => k.deletePassword(this.service, key));
  }

  async clear(): Promise<void> {
    for (const key of CREDENTIAL_KEYS) await this.delete(key);
  }

  /** Fails fast with KEYCHAIN_UNAVAILABLE when the keychain cannot be reached (for a startup check). */
  async probe(): Promise<void> {
    await this.get('posId');
  }

  private loadKeytar(): Promise<KeytarLike> {
    this.keytar ??= this.importKeytar()
      .then((mod) => {
        // keytar is CommonJS: from ESM its functions sit on `default` (Node's export sniffing
        // finds only some of them as named exports), while a bundler may hand the object itself.
        const m = mod as { default?: Partial<KeytarLike> } & Partial<KeytarLike>;
        const k = m.default && typeof m.default.getPassword === 'function' ? m.default : m;
        if (
          !k ||
          typeof k.getPassword !== 'function' ||
          typeof k.setPassword !== 'function' ||
          typeof k.deletePassword !== 'function'
        ) {
          throw new Error('the module does not look like keytar');
        }
        return k as KeytarLike;
      })
      .catch((err: unknown) => {
        // Let a later call try again (e.g. after the user installs the missing library).
        this.keytar = undefined;
        throw new CredentialStoreError(
          'KEYCHAIN_UNAVAILABLE',
          `The OS keychain module (keytar) could not be loaded: ${describe(err)}. ${LINUX_KEYCHAIN_HINT}`,
        );
      });
    return this.keytar;
  }

  private async call<T>(what: string, op: (k: KeytarLike) => Promise<T>, secret?: string): Promise<T> {
    const keytar = await this.loadKeytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CredentialStoreError(
              'KEYCHAIN_UNAVAILABLE',
              `The OS keychain did not answer a ${what} within ${this.timeoutMs} ms (is it locked?). ${LINUX_KEYCHAIN_HINT}`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([op(keytar), timeout]);
    } catch (err) {
      if (err instanceof CredentialStoreError) throw err;
      throw classify(what, err, secret);
    } finally {
      clearTimeout(timer);
    }
  }
}

// libsecret's wording when there is no session bus, no Secret Service, or no usable collection.
const UNAVAILABLE =
  /d-?bus|autolaunch|could not connect|secret|org\.freedesktop|object does not exist|no such (file|interface|object)|connection (is )?closed|not provided by any|cannot spawn|prompt/i;

// libsecret's wording for a keyring that is there but locked ("Cannot create an item in a
// locked collection"): nothing to install, it wants unlocking.
const LOCKED = /\block(ed)?\b/i;

function classify(what: string, err: unknown, secret: string | undefined): CredentialStoreError {
  const detail = redact(describe(err), secret);
  if (LOCKED.test(detail)) {
    return new CredentialStoreError(
      'KEYCHAIN_UNAVAILABLE',
      `The OS keychain is locked (${detail}): unlock it, then try again. ${LINUX_UNLOCK_HINT}`,
      { locked: true },
    );
  }
  if (UNAVAILABLE.test(detail)) {
    return new CredentialStoreError(
      'KEYCHAIN_UNAVAILABLE',
      `The OS keychain is not available (${detail}). ${LINUX_KEYCHAIN_HINT}`,
    );
  }
  return new CredentialStoreError('KEYCHAIN_ERROR', `The OS keychain failed a ${what} (${detail}).`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A native error message is outside our control; make sure the value being written is never echoed. */
function redact(text: string, secret: string | undefined): string {
  if (!secret) return text;
  return text.split(secret).join('[redacted]');
}
