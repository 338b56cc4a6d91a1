export { CREDENTIAL_KEYS, CredentialStoreError, isCredentialKey } from './credential-store';
export type { CredentialErrorKind, CredentialKey, CredentialStore } from './credential-store';
export { KeytarCredentialStore, credentialServiceName, LINUX_KEYCHAIN_HINT } from './keytar-store';
export type { CredentialEnvironment, KeytarLike, KeytarStoreOptions } from './keytar-store';
export { MemoryCredentialStore } from './memory-store';
export { provisionSandboxCredentials } from './provision-sandbox';
export type { SandboxCredentialValues } from './provision-sandbox';
