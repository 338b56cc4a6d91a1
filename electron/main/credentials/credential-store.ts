/**
 * The secrets the cashier keeps. A closed set of names, so a typo cannot create a stray
 * keychain entry and `clear()` knows exactly what to remove.
 */
export const CREDENTIAL_KEYS = [
  'applicationKey',
  'applicationSecret',
  'connectionCode',
  'posId',
  'accessToken',
  'refreshToken',
  /** Epoch milliseconds, as a decimal string, when the access token stops working. */
  'tokenExpiresAt',
] as const;

export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];

/** Where DropPay credentials live. Every implementation but the in-memory one is the OS keychain. */
export interface CredentialStore {
  get(key: CredentialKey): Promise<string | undefined>;
  set(key: CredentialKey, value: string): Promise<void>;
  delete(key: CredentialKey): Promise<void>;
  /** Removes every key this store owns (and nothing else). */
  clear(): Promise<void>;
}

export type CredentialErrorKind = 'KEYCHAIN_UNAVAILABLE' | 'KEYCHAIN_ERROR';

/** A keychain failure. The message never contains a secret value. */
export class CredentialStoreError extends Error {
  override readonly name = 'CredentialStoreError';
  /** The keychain is there but locked: it wants unlocking, not installing. */
  readonly locked: boolean;
  constructor(
    readonly kind: CredentialErrorKind,
    message: string,
    options: { locked?: boolean } = {},
  ) {
    super(message);
    this.locked = options.locked ?? false;
  }
}

export function isCredentialKey(value: string): value is CredentialKey {
  return (CREDENTIAL_KEYS as readonly string[]).includes(value);
}
