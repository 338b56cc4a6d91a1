/**
 * The settings screen's one door into the core. It puts the saved settings and the choices
 * that reach further (the environment, the business day, the poll interval) in force in the
 * order that keeps a refused change from half-applying, and answers every call with the fresh
 * view; the secrets (settings-credentials.ts) and the account connection (account-connection.ts)
 * are composed in here so the screen still sees a single service.
 */
import type { Journal } from '../journal';
import type { PinStore } from '../payments';
import type { Environment } from '../../../shared/ipc/environment';
import {
  customAddressProblem,
  type AccountConnection,
  type CredentialsInput,
  type ManagerPinInput,
  type SettingsUpdate,
  type SettingsView,
} from '../../../shared/settings';
import { createAccountConnections } from './account-connection';
import { AppFailure } from './errors';
import type { Session } from './session';
import { presenceIn, saveCredentials } from './settings-credentials';
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
   * it when none is set or when it replaces another connection (see account-connection.ts).
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

export function createSettingsService(deps: SettingsDeps): SettingsService {
  const connections = createAccountConnections(deps);

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
      await saveCredentials(deps, input);
      return view();
    },

    startConnection: () => connections.start(),
    connectionStatus: () => connections.status(),
    cancelConnection: () => connections.cancel(),
    close: () => connections.close(),

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
