import type { CredentialKey, CredentialStore } from '../credentials';
import type { Journal } from '../journal';
import type { PinStore } from '../payments';
import type { Environment } from '../../../shared/ipc/environment';
import {
  customAddressProblem,
  type AccountConnection,
  type CredentialPresence,
  type CredentialsInput,
  type ManagerPinInput,
  type SettingsUpdate,
  type SettingsView,
} from '../../../shared/settings';
import { AppFailure } from './errors';
import type { Session } from './session';
import { checkPin, type SettingsLock } from './settings-lock';
import { isTimeZone, readSettings, writeSettings, type StoredSettings } from './settings-store';
import { sameTarget, type TargetSpec } from './target';

/** What the settings screen can do. Every method answers with the fresh view. */
export interface SettingsService {
  view(): Promise<SettingsView>;
  /** The stored settings as the core uses them (no secrets in them). */
  current(): StoredSettings;
  update(patch: SettingsUpdate): Promise<SettingsView>;
  /** Write-only: the values go to the keychain; only whether each is set ever comes back. */
  setCredentials(input: CredentialsInput): Promise<SettingsView>;
  setManagerPin(input: ManagerPinInput): Promise<SettingsView>;
  /** Unlocks the guarded settings with the manager PIN (see settings-lock.ts). */
  unlock(pin: string): Promise<SettingsView>;
  lock(): Promise<SettingsView>;
  /** Asks DropPay for a connection link (production or custom, key and secret set). */
  startConnection(): Promise<AccountConnection>;
  /**
   * Reads the pending connection; on approval keeps its code, and the POS ID DropPay names for
   * it when none is set or when it replaces another connection (see adoptConnection).
   */
  connectionStatus(): Promise<AccountConnection>;
  cancelConnection(): Promise<AccountConnection>;
  /** The till is closing: a connection link still waiting is no longer followed. */
  close(): void;
}

export interface SettingsDeps {
  /** The main journal, whose settings table holds the non-secret settings. */
  journal: Journal;
  pins: PinStore;
  /** The manager PIN's hold on the guarded settings (see settings-lock.ts). */
  lock: SettingsLock;
  session(): Session;
  /** Opens the new environment and closes the old one; throws (and keeps the old) on failure. */
  switchTo(spec: TargetSpec): Promise<void>;
  restartPayments(pollIntervalMs: number): Promise<void>;
  /**
   * Checks a new business-day rule against the till (no sale in progress, the present moment
   * not in a closed day) and puts it in force on the open journals; throws and changes nothing
   * otherwise. The caller then stores it.
   */
  changeBusinessDay(rule: { timeZone: string; cutoffHour: number }): Promise<void>;
  /** After any change: the runtime re-publishes status and the customer display. */
  changed(settings: StoredSettings): void;
  /** Changed credentials: the runtime re-checks the connection. */
  credentialsChanged(): Promise<void>;
  /** The environment DROPPAY_ENV opens at every start; null when the saved choice does. */
  startsOn?: Environment | null;
}

const SECRET_KEYS = ['applicationKey', 'applicationSecret', 'connectionCode'] as const;
/**
 * The credentials that say which DropPay account the till is on, and so whose POS ID it holds:
 * another key or code in place of a stored one is another account. The secret only proves the
 * key: a new one is the same account's.
 */
const ACCOUNT_KEYS: readonly CredentialKey[] = ['applicationKey', 'connectionCode'];

/**
 * Which credentials are set (presence only: the values never leave the keychain through this
 * service). A keychain that cannot be read says so instead of failing the whole view: every
 * answer of the settings service ends with one, and a store name saved while the keychain is
 * locked was still saved.
 */
async function presenceIn(store: CredentialStore): Promise<CredentialPresence> {
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
const TOKEN_KEYS: readonly CredentialKey[] = ['accessToken', 'refreshToken', 'tokenExpiresAt'];

/** How often a waiting connection is read back in the background, and for how long at most. */
const FOLLOW_EVERY_MS = 2_000;
const FOLLOW_FOR_MS = 15 * 60_000;

interface PendingConnection {
  id: string;
  session: Session;
  sharingUrl: string | null;
}

export function createSettingsService(deps: SettingsDeps): SettingsService {
  /** The connection being approved, with the session it was asked for (a switch drops it). */
  let pendingConnection: PendingConnection | null = null;
  /** The last one that ended, so a read after it (the page's or the background's) answers it. */
  let endedConnection: { session: Session; status: AccountConnection['status'] } | null = null;
  /** One read at a time: the page's poll and the background one share it, and adopt once. */
  let reading: { of: PendingConnection; answer: Promise<AccountConnection> } | null = null;

  const readPending = (current: PendingConnection): Promise<AccountConnection> => {
    if (reading?.of === current) return reading.answer;
    const answer = (async (): Promise<AccountConnection> => {
      const connection = await current.session.target.client.connection.get(current.id);
      if (connection.status === 'WAITING') return { status: 'WAITING', sharingUrl: current.sharingUrl };
      // It ends here; it stays pending until the code is in the keychain, so a read meanwhile
      // joins this one instead of finding nothing.
      const end = (): void => {
        if (pendingConnection === current) pendingConnection = null;
      };
      if (connection.status === 'GRANTED') {
        if (connection.code === undefined) {
          end();
          throw new AppFailure('DROPPAY_REJECTED', 'DropPay approved the connection but sent no code.', {
            key: 'connect.noCode',
          });
        }
        await adoptConnection(current.session, connection.code, connection.posId);
      }
      endedConnection = { session: current.session, status: connection.status };
      end();
      return { status: connection.status, sharingUrl: null };
    })().finally(() => {
      if (reading?.answer === answer) reading = null;
    });
    reading = { of: current, answer };
    return answer;
  };

  /**
   * Reads a waiting connection back every few seconds, so an approval lands in the keychain
   * even when nobody keeps the settings screen open. Stops once it ends, is replaced, or the
   * environment changes, and after a quarter of an hour at most.
   */
  const follow = (current: PendingConnection): void => {
    const until = Date.now() + FOLLOW_FOR_MS;
    const schedule = (): void => {
      setTimeout(() => {
        // Replaced, ended, or its environment was switched away from: nothing left to follow.
        if (pendingConnection !== current || current.session !== deps.session() || Date.now() > until) return;
        void readPending(current)
          .catch(() => undefined)
          .finally(() => {
            if (pendingConnection === current) schedule();
          });
      }, FOLLOW_EVERY_MS).unref();
    };
    schedule();
  };

  /**
   * The session's keychain gets the approved connection's code: new credentials, new tokens.
   * The first connection fills the POS ID only if none was typed. One in place of another
   * connection may be another account (or the same one renewed: DropPay cannot say which), so
   * a POS ID DropPay names for it replaces the stored one; when it names none, the stored one
   * stays (a renewed connection keeps its POS; another account's sales are refused on it by
   * DropPay, and the settings show which POS ID is in use). The POS ID goes first: should the
   * code then fail to land, a retry still sees the old code and switches again.
   */
  const adoptConnection = async (
    session: Session,
    code: string,
    posId: string | undefined,
  ): Promise<void> => {
    const store = session.target.store;
    const before = await store.get('connectionCode');
    try {
      if (posId !== undefined && (before ? before !== code : !(await store.get('posId'))))
        await store.set('posId', posId);
      await store.set('connectionCode', code);
    } finally {
      // Whatever landed: the old tokens go.
      await dropTokens(session);
      await deps.credentialsChanged();
    }
  };

  /** Tokens were issued for the old credentials: drop them, on disk and in memory. */
  const dropTokens = async (session: Session): Promise<void> => {
    // In memory first, so they are gone even if the keychain then fails to delete them; and
    // again after, for a renewal that began during the deletes with what they removed.
    session.target.client.tokens.forget();
    for (const key of TOKEN_KEYS) await session.target.store.delete(key);
    session.target.client.tokens.forget();
  };

  /** The current session, unless it is the sandbox, which provisions its own credentials. */
  const notSandbox = (action: string): Session => {
    const session = deps.session();
    if (session.spec.environment === 'sandbox') {
      throw new AppFailure(
        'VALIDATION',
        `The sandbox sets its own credentials: choose production or custom before ${action}.`,
        { key: 'settings.sandboxCredentials' },
      );
    }
    return session;
  };

  /** The pending connection of the current session, or a refusal naming what to do. */
  const pending = (): PendingConnection => {
    if (pendingConnection === null || pendingConnection.session !== deps.session()) {
      pendingConnection = null;
      return noneWaiting();
    }
    return pendingConnection;
  };
  const noneWaiting = (): never => {
    throw new AppFailure('VALIDATION', 'No DropPay connection is waiting: start one first.', {
      key: 'connect.noneWaiting',
    });
  };

  const view = async (): Promise<SettingsView> => {
    const stored = readSettings(deps.journal);
    const session = deps.session();
    const credentials = await presenceIn(session.target.store);
    return {
      environment: session.spec.environment,
      customBaseUrl: session.spec.environment === 'custom' ? session.spec.baseUrl : stored.customBaseUrl,
      storeName: stored.storeName,
      language: stored.language,
      customerLanguage: stored.customerLanguage,
      customerDisplayId: stored.customerDisplayId,
      pollIntervalMs: stored.pollIntervalMs,
      confirmFromCents: stored.confirmFromCents,
      timeZone: stored.timeZone,
      cutoffHour: stored.cutoffHour,
      managerPinSet: deps.pins.isSet(),
      managerPinLockedSeconds: deps.pins.isSet() ? deps.pins.lockedSeconds() : 0,
      settingsLocked: deps.lock.isLocked(),
      settingsUnlockMs: deps.lock.unlockLeftMs(),
      credentials,
      firstRun: !stored.firstRunDone,
      startsOn: deps.startsOn ?? null,
    };
  };

  /** The environment a patch asks for, or null when it leaves the current one. */
  const targetOf = (patch: SettingsUpdate, stored: StoredSettings): TargetSpec | null => {
    const session = deps.session();
    if (patch.environment === undefined && patch.customBaseUrl === undefined) return null;
    const environment = patch.environment ?? session.spec.environment;
    if (environment !== 'custom') return { environment };
    const current = session.spec.environment === 'custom' ? session.spec.baseUrl : null;
    const baseUrl =
      patch.customBaseUrl === undefined ? (stored.customBaseUrl ?? current) : patch.customBaseUrl;
    if (!baseUrl) {
      throw new AppFailure('VALIDATION', 'The custom environment needs a DropPay address.', {
        key: 'settings.customUrlMissing',
      });
    }
    // A saved address from before the rule is checked as a typed one is.
    const problem = customAddressProblem(baseUrl);
    if (problem !== null) {
      throw new AppFailure('VALIDATION', `The custom DropPay address is refused: ${problem}.`, {
        key: 'input.invalid',
        params: { field: 'customBaseUrl' },
      });
    }
    return { environment, baseUrl };
  };

  /**
   * What of the guarded settings a patch changes, in words for the refusal. A value sent as it
   * already is changes nothing: the store form sends its whole section, free fields with it.
   */
  const guardedChanges = (patch: SettingsUpdate, before: StoredSettings): string[] => {
    const spec = deps.session().spec;
    const address = spec.environment === 'custom' ? spec.baseUrl : before.customBaseUrl;
    const changes: [boolean, string][] = [
      [patch.environment !== undefined && patch.environment !== spec.environment, 'the environment'],
      [patch.customBaseUrl !== undefined && patch.customBaseUrl !== address, 'the custom address'],
      [patch.timeZone !== undefined && patch.timeZone !== before.timeZone, 'the time zone'],
      [patch.cutoffHour !== undefined && patch.cutoffHour !== before.cutoffHour, 'the end of the day'],
      [
        patch.confirmFromCents !== undefined && patch.confirmFromCents !== before.confirmFromCents,
        'the confirmation amount',
      ],
    ];
    return changes.filter(([changed]) => changed).map(([, what]) => what);
  };

  return {
    view,
    current: () => readSettings(deps.journal),

    async update(patch) {
      const before = readSettings(deps.journal);
      // Refused before anything is checked or stored: a locked change changes nothing.
      const guarded = guardedChanges(patch, before);
      if (guarded.length > 0) deps.lock.guard(guarded.join(', '));
      const spec = targetOf(patch, before);
      const switching = spec !== null && !sameTarget(spec, deps.session().spec);
      const rule = {
        timeZone: patch.timeZone ?? before.timeZone,
        cutoffHour: patch.cutoffHour ?? before.cutoffHour,
      };
      const ruleChanges = rule.timeZone !== before.timeZone || rule.cutoffHour !== before.cutoffHour;
      if (ruleChanges && !isTimeZone(rule.timeZone)) {
        throw new AppFailure('VALIDATION', `Unknown time zone: ${rule.timeZone}.`, {
          key: 'settings.timeZoneUnknown',
          params: { zone: rule.timeZone },
        });
      }
      // The business day goes first: a refused rule changes nothing, not even the environment;
      // stored at once, so an environment opened next opens its journal on it.
      if (ruleChanges) {
        await deps.changeBusinessDay(rule);
        writeSettings(deps.journal, { timeZone: rule.timeZone, cutoffHour: rule.cutoffHour });
      }
      // Then the switch: if DropPay (or the sandbox) cannot be opened, the rest is not saved.
      if (switching) await deps.switchTo(spec);
      writeSettings(deps.journal, {
        environment: switching || patch.environment !== undefined ? spec?.environment : undefined,
        customBaseUrl: spec?.environment === 'custom' ? spec.baseUrl : patch.customBaseUrl,
        storeName: patch.storeName,
        language: patch.language,
        customerLanguage: patch.customerLanguage,
        customerDisplayId: patch.customerDisplayId,
        pollIntervalMs: patch.pollIntervalMs,
        confirmFromCents: patch.confirmFromCents,
        firstRunDone: patch.completeFirstRun,
      });
      const after = readSettings(deps.journal);
      if (after.pollIntervalMs !== before.pollIntervalMs) {
        await deps.restartPayments(after.pollIntervalMs);
      }
      deps.changed(after);
      return view();
    },

    async setCredentials(input) {
      deps.lock.guard('the DropPay credentials');
      const spec = deps.session().spec;
      const current = spec.environment;
      const otherAddress = spec.environment === 'custom' && input.baseUrl !== spec.baseUrl;
      if (input.environment !== current || otherAddress) {
        throw new AppFailure(
          'VALIDATION',
          `These credentials are for ${input.environment}${input.baseUrl ? ` at ${input.baseUrl}` : ''}, ` +
            `but the till is on ${current}${spec.environment === 'custom' ? ` at ${spec.baseUrl}` : ''}: ` +
            'save the environment first. Nothing was saved.',
          { key: 'settings.credentialsOtherEnvironment', params: { current, asked: input.environment } },
        );
      }
      const session = notSandbox('entering them');
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
      return view();
    },

    async startConnection() {
      // A connection approved replaces the account (and maybe the POS ID) the till takes money for.
      deps.lock.guard('the DropPay account');
      const session = notSandbox('connecting an account');
      const store = session.target.store;
      if (!(await store.get('applicationKey')) || !(await store.get('applicationSecret'))) {
        throw new AppFailure(
          'VALIDATION',
          'Enter and save the Application Key and Secret first: DropPay asks for them to connect an account.',
          { key: 'connect.needsApplication' },
        );
      }
      // One link at a time: a new one replaces (and withdraws) the one before.
      if (pendingConnection?.session === session) {
        const old = pendingConnection.id;
        pendingConnection = null;
        await session.target.client.connection.cancel(old).catch(() => undefined);
      }
      const created = await session.target.client.connection.create();
      const current = { id: created.id, session, sharingUrl: created.sharing ?? null };
      pendingConnection = current;
      endedConnection = null;
      follow(current);
      return { status: created.status, sharingUrl: current.sharingUrl };
    },

    async connectionStatus() {
      const current = pendingConnection;
      if (current !== null && current.session === deps.session()) return readPending(current);
      const ended = endedConnection;
      if (ended !== null && ended.session === deps.session())
        return { status: ended.status, sharingUrl: null };
      return noneWaiting();
    },

    async cancelConnection() {
      // Free while locked: withdrawing a link nobody approved yet keeps the account as it is.
      const current = pending();
      pendingConnection = null;
      const connection = await current.session.target.client.connection.cancel(current.id);
      const status = connection?.status ?? 'CANCELLED';
      endedConnection = { session: current.session, status };
      return { status, sharingUrl: null };
    },

    close() {
      pendingConnection = null;
    },

    async unlock(pin) {
      await deps.lock.unlock(pin);
      return view();
    },

    lock() {
      deps.lock.lock();
      return view();
    },

    async setManagerPin(input) {
      // The same guard as refunds (the PIN store keeps the count): no extra guesses here. The
      // current PIN is asked even while the settings are unlocked: the PIN is the manager's own.
      await checkPin(
        deps.pins,
        input.currentPin,
        () =>
          new AppFailure('PIN_REQUIRED', 'Changing the manager PIN needs the current one.', {
            key: 'pin.currentRequired',
          }),
      );
      if (input.pin === null) {
        deps.pins.clear();
        deps.lock.lock();
      } else {
        await deps.pins.set(input.pin);
        // Whoever just chose (or proved and changed) the PIN goes on in the settings unlocked.
        deps.lock.renew();
      }
      return view();
    },
  };
}
