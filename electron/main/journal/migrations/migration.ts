import type Database from 'better-sqlite3';

/**
 * One schema version. A released migration is frozen: never edit it, add the next one. Its
 * SQL uses literals rather than constants from the app so later code changes cannot alter
 * what an old version did.
 */
export interface Migration {
  /** 1, 2, 3... with no gaps; becomes PRAGMA user_version once applied. */
  readonly version: number;
  readonly name: string;
  /** Runs inside the runner's transaction; throw to roll the whole version back. */
  up(db: Database.Database): void;
}
