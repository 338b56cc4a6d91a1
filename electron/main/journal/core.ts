/**
 * What every repository module shares: the connection, the cached statements, the clock, and
 * `write`, the single way anything is written: one IMMEDIATE transaction in which events are
 * appended and current-state rows updated together, or nothing at all.
 */
import type Database from 'better-sqlite3';
import { businessDayOfMinute, type BusinessDay } from './business-day';
import { canonicalJson, type JsonObject } from './canonical-json';
import {
  JournalError,
  JournalReadError,
  JournalValidationError,
  JournalWriteError,
  messageOf,
  storageFailureOf,
} from './errors';
import { appendEventRow } from './hash-chain';
import { secretLikePaths } from './secret-keys';
import type { Statements } from './statements';
import type { EventKind, EventPayloads } from './types';

export interface Tx {
  /** The instant of this transaction, ISO UTC with milliseconds; every row it touches gets it. */
  readonly at: string;
  readonly day: BusinessDay;
  /** Appends an event and returns its seq. `extra` is caller-supplied detail, checked for secrets. */
  append<K extends EventKind>(
    kind: K,
    ids: { correlationId: string | null; entityId: string | null },
    payload: EventPayloads[K],
    extra?: JsonObject,
  ): number;
}

export interface Core {
  readonly db: Database.Database;
  readonly st: Statements;
  readonly now: () => Date;
  /** The business-day rule in force; `setRule` changes it for the transactions after. */
  readonly timeZone: string;
  readonly cutoffHour: number;
  setRule(rule: { timeZone: string; cutoffHour: number }): void;
  /** The business day of an instant under the rule in force. */
  dayOf(instant: Date): BusinessDay;
  write<T>(operation: string, fn: (tx: Tx) => T): T;
  /**
   * Several writes committed as one: each `write` inside `fn` becomes a savepoint of one
   * IMMEDIATE transaction, so the batch pays one fsync, and if anything in it fails nothing of
   * it is recorded.
   */
  batch<T>(operation: string, fn: () => T): T;
  read<T>(operation: string, fn: () => T): T;
}

export function createCore(
  db: Database.Database,
  st: Statements,
  clock: { now: () => Date; timeZone: string; cutoffHour: number },
): Core {
  const { now } = clock;
  let rule = { timeZone: clock.timeZone, cutoffHour: clock.cutoffHour };
  let dayOf = businessDayOfMinute(rule.timeZone, rule.cutoffHour);

  const makeTx = (): Tx => {
    const instant = now();
    const at = instant.toISOString();
    const day = dayOf(instant);
    return {
      at,
      day,
      append(kind, ids, payload, extra) {
        const full: Record<string, unknown> = extra === undefined ? { ...payload } : { ...payload, extra };
        const secrets = secretLikePaths(full);
        if (secrets.length > 0) {
          throw new JournalValidationError(
            `refusing to journal ${kind}: secret-like keys ${secrets.join(', ')} (tokens, codes, passwords and PINs never go to disk)`,
          );
        }
        let text: string;
        try {
          text = canonicalJson(full);
        } catch (error) {
          throw new JournalValidationError(`refusing to journal ${kind}: ${messageOf(error)}`);
        }
        const row = appendEventRow(st.chain, {
          at,
          business_day: day,
          kind,
          correlation_id: ids.correlationId,
          entity_id: ids.entityId,
          payload: text,
        });
        return row.seq;
      },
    };
  };

  // Prepared once. IMMEDIATE takes the write lock before the head hash is read, so two
  // writers (even in two processes) cannot both link to the same head. All or nothing errs on
  // the safe side: a recorded intent that was never sent is a harmless pending operation,
  // whereas a DropPay call with no recorded intent is what must never happen.
  const inTransaction = db.transaction((fn: (tx: Tx) => unknown) => fn(makeTx()));
  const inBatch = db.transaction((fn: () => unknown) => fn());
  let batching = 0;

  /** Runs one commit (`outermost`) or a savepoint of one, turning failures into JournalErrors. */
  const guard = <T>(operation: string, run: () => T, outermost: boolean): T => {
    if (!db.open)
      throw new JournalWriteError(
        'CLOSED',
        `${operation}: the journal is closed; nothing was recorded`,
        null,
      );
    try {
      return run();
    } catch (error) {
      // better-sqlite3 rolls back when it can; make sure, since a failed COMMIT can leave
      // the transaction open and a later write would then commit half of this one. Inside a
      // batch the batch does it, for the whole batch.
      if (outermost && db.open && db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // The connection is unusable; the error below says why.
        }
      }
      if (error instanceof JournalError) throw error;
      const { failure, sqliteCode } = storageFailureOf(error);
      throw new JournalWriteError(
        failure,
        `${operation}: the journal could not record it (${messageOf(error)}); nothing was recorded`,
        sqliteCode,
        { cause: error },
      );
    }
  };

  return {
    db,
    st,
    now,
    get timeZone() {
      return rule.timeZone;
    },
    get cutoffHour() {
      return rule.cutoffHour;
    },
    dayOf: (instant) => dayOf(instant),
    setRule(next) {
      try {
        // Checks the rule, and builds the new day function only once it is sound.
        dayOf = businessDayOfMinute(next.timeZone, next.cutoffHour);
      } catch (error) {
        throw new JournalValidationError(`business-day rule: ${messageOf(error)}`);
      }
      rule = { timeZone: next.timeZone, cutoffHour: next.cutoffHour };
    },
    write(operation, fn) {
      // Inside a batch: a savepoint; the batch commits, or rolls back, all of it.
      if (batching > 0) return guard(operation, () => inTransaction(fn) as ReturnType<typeof fn>, false);
      return guard(operation, () => inTransaction.immediate(fn) as ReturnType<typeof fn>, true);
    },
    batch(operation, fn) {
      if (batching > 0) return fn();
      batching += 1;
      try {
        return guard(operation, () => inBatch.immediate(fn) as ReturnType<typeof fn>, true);
      } finally {
        batching -= 1;
      }
    },
    read(operation, fn) {
      if (!db.open) throw new JournalReadError('CLOSED', `${operation}: the journal is closed`, null);
      try {
        return fn();
      } catch (error) {
        if (error instanceof JournalError) throw error;
        const { failure, sqliteCode } = storageFailureOf(error);
        throw new JournalReadError(failure, `${operation}: ${messageOf(error)}`, sqliteCode, {
          cause: error,
        });
      }
    },
  };
}
