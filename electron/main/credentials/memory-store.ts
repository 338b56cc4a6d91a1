import type { CredentialKey, CredentialStore } from './credential-store';

/** For unit tests only: secrets in a Map, gone when the process ends. */
export class MemoryCredentialStore implements CredentialStore {
  private readonly values = new Map<CredentialKey, string>();

  constructor(initial: Partial<Record<CredentialKey, string>> = {}) {
    for (const [key, value] of Object.entries(initial) as [CredentialKey, string | undefined][]) {
      if (value !== undefined) this.values.set(key, value);
    }
  }

  get(key: CredentialKey): Promise<string | undefined> {
    return Promise.resolve(this.values.get(key));
  }

  set(key: CredentialKey, value: string): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }

  delete(key: CredentialKey): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }

  clear(): Promise<void> {
    this.values.clear();
    return Promise.resolve();
  }
}
