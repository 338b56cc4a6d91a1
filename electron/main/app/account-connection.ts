/**
 * Connecting a DropPay account through the DropPay app: a link the merchant approves on the
 * phone, which can take minutes. It lives apart from the settings screen because it outlives
 * it: the till follows a waiting link in the background, so an approval lands in the keychain
 * even when nobody keeps the screen open, and the screen's own reads join that one instead of
 * adopting the same approval twice.
 */
import type { AccountConnection } from '../../../shared/settings';
import { AppFailure } from './errors';
import type { Session } from './session';
import { dropTokens, notSandbox, type CredentialDeps } from './settings-credentials';

/** The connection side of the settings service (see SettingsService for each). */
export interface AccountConnections {
  start(): Promise<AccountConnection>;
  status(): Promise<AccountConnection>;
  cancel(): Promise<AccountConnection>;
  close(): void;
}

/** How often a waiting connection is read back in the background, and for how long at most. */
const FOLLOW_EVERY_MS = 2_000;
const FOLLOW_FOR_MS = 15 * 60_000;

interface PendingConnection {
  id: string;
  session: Session;
  sharingUrl: string | null;
}

export function createAccountConnections(deps: CredentialDeps): AccountConnections {
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

  /** The pending connection of the current session, or a refusal naming what to do. */
  const pending = (): PendingConnection => {
    if (pendingConnection === null || pendingConnection.session !== deps.session()) {
      pendingConnection = null;
      return noneWaiting();
    }
    return pendingConnection;
  };
  const noneWaiting = (): never => {
    throw new AppFailure('INVALID_STATE', 'No DropPay connection is waiting: start one first.', {
      key: 'connect.noneWaiting',
    });
  };

  return {
    async start() {
      // A connection approved replaces the account (and maybe the POS ID) the till takes money for.
      deps.lock.guard('the DropPay account');
      const session = notSandbox(deps.session(), 'connecting an account');
      const store = session.target.store;
      if (!(await store.get('applicationKey')) || !(await store.get('applicationSecret'))) {
        throw new AppFailure(
          'INVALID_STATE',
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

    async status() {
      const current = pendingConnection;
      if (current !== null && current.session === deps.session()) return readPending(current);
      const ended = endedConnection;
      if (ended !== null && ended.session === deps.session())
        return { status: ended.status, sharingUrl: null };
      return noneWaiting();
    },

    async cancel() {
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
  };
}
