/**
 * The DropPay credentials as the settings screen writes them. Kept apart from the rest of the
 * settings because they are the secrets: they go to the keychain and never come back (only
 * whether each is set), and replacing one must not leave what belonged to the old one (its
 * tokens, the old account's POS ID, the old application's Connection Code) beside the new.
 */
import type { CredentialKey, CredentialStore } from '../credentials';
import type { CredentialPresence, CredentialsInput } from '../../../shared/settings';
import { AppFailure } from './errors';
import type { Session } from './session';
import type { SettingsDeps } from './settings-service';

/** What the credentials (and the account connection) need of the settings service's deps. */
export type CredentialDeps = Pick<SettingsDeps, 'session' | 'lock' | 'credentialsChanged'>;

const SECRET_KEYS = ['applicationKey', 'applicationSecret', 'connectionCode'] as const;
/**
 * The credentials that say which DropPay account the till is on, and so whose POS ID it holds:
 * another key or code in place of a stored one is another account. The secret only proves the
 * key: a new one is the same account's.
 */
const ACCOUNT_KEYS: readonly CredentialKey[] = ['applicationKey', 'connectionCode'];
const TOKEN_KEYS: readonly CredentialKey[] = ['accessToken', 'refreshToken', 'tokenExpiresAt'];

/**
 * Which credentials are set (presence only: the values never leave the keychain through this
 * service). A keychain that cannot be read says so instead of failing the whole view: every
 * answer of the settings service ends with one, and a store name saved while the keychain is
 * locked was still saved.
 */
export async function presenceIn(store: CredentialStore): Promise<CredentialPresence> {
  try {
    const [applicationKey, applicationSecret, connectionCode, posId] = await Promise.all([
      store.get('applicationKey'),
      store.get('applicationSecret'),
      store.get('connectionCode'),
      store.get('posId'),
    ]);
    return {
      applicationKey: Boolean(applicationKey),
      applicationSecret: Boolean(applicationSecret),
      connectionCode: Boolean(connectionCode),
      posId: posId ?? null,
      readable: true,
    };
  } catch {
    return {
      applicationKey: false,
      applicationSecret: false,
      connectionCode: false,
      posId: null,
      readable: false,
    };
  }
}

/** Tokens were issued for the old credentials: drop them, on disk and in memory. */
export async function dropTokens(session: Session): Promise<void> {
  // In memory first, so they are gone even if the keychain then fails to delete them; and
  // again after, for a renewal that began during the deletes with what they removed.
  session.target.client.tokens.forget();
  for (const key of TOKEN_KEYS) await session.target.store.delete(key);
  session.target.client.tokens.forget();
}

/** `session`, unless it is the sandbox, which provisions its own credentials. */
export function notSandbox(session: Session, action: string): Session {
  if (session.spec.environment === 'sandbox') {
    throw new AppFailure(
      'INVALID_STATE',
      `The sandbox sets its own credentials: choose production or custom before ${action}.`,
      { key: 'settings.sandboxCredentials' },
    );
  }
  return session;
}

/** Writes the credentials `input` sets into the current environment's keychain (see above). */
export async function saveCredentials(deps: CredentialDeps, input: CredentialsInput): Promise<void> {
  deps.lock.guard('the DropPay credentials');
  const spec = deps.session().spec;
  const current = spec.environment;
  const otherAddress = spec.environment === 'custom' && input.baseUrl !== spec.baseUrl;
  if (input.environment !== current || otherAddress) {
    throw new AppFailure(
      'INVALID_STATE',
      `These credentials are for ${input.environment}${input.baseUrl ? ` at ${input.baseUrl}` : ''}, ` +
        `but the till is on ${current}${spec.environment === 'custom' ? ` at ${spec.baseUrl}` : ''}: ` +
        'save the environment first. Nothing was saved.',
      { key: 'settings.credentialsOtherEnvironment', params: { current, asked: input.environment } },
    );
  }
  const session = notSandbox(deps.session(), 'entering them');
  const store = session.target.store;
  let identityChanged = false;
  // A key or code in place of a stored one: the stored POS ID was the old account's.
  let accountChanged = false;
  // Another application: a Connection Code is issued to one, so the stored one is void.
  let applicationChanged = false;
  // The POS ID typed in this save is the one in the keychain (written, or already there).
  let posIdTyped = false;
  // Likewise the Connection Code typed in this save.
  let codeTyped = false;
  let written = false;
  let failure: { error: unknown } | null = null;
  try {
    for (const key of [...SECRET_KEYS, 'posId'] as const) {
      const value = input[key];
      if (value === undefined) continue;
      const before = await store.get(key);
      if (before !== value) {
        await store.set(key, value);
        written = true;
        if (key !== 'posId') identityChanged = true;
        if (before && ACCOUNT_KEYS.includes(key)) accountChanged = true;
        if (before && key === 'applicationKey') applicationChanged = true;
      }
      if (key === 'posId') posIdTyped = true;
      if (key === 'connectionCode') codeTyped = true;
    }
  } catch (error) {
    failure = { error };
  }
  // Even when the keychain failed halfway (its error still reaches the screen): tokens
  // issued for the old credentials never go on beside a new key or secret, nor the old
  // account's POS ID beside another account's key or code (unless typed with them, it is
  // cleared, and setup asks for it).
  if (identityChanged) await dropTokens(session);
  // Nor the old application's Connection Code beside a new key (unless typed with it): the
  // status says what is missing, and connecting through the DropPay app then counts as a
  // first connection, which keeps a POS ID typed with the key.
  const stale: CredentialKey[] = [];
  if (accountChanged && !posIdTyped) stale.push('posId');
  if (applicationChanged && !codeTyped) stale.push('connectionCode');
  for (const key of stale) {
    try {
      await store.delete(key);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (written || failure === null) await deps.credentialsChanged();
  if (failure !== null) throw failure.error;
}
