/** Shared set-up for the journal's integration tests: real SQLite files in temp folders. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  openJournal,
  type Journal,
  type JournalOptions,
  type Sale,
} from '../../../electron/main/journal/index';

const dirs: string[] = [];
const journals: Journal[] = [];
const raws: Database.Database[] = [];

afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  for (const db of raws.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-journal-'));
  dirs.push(dir);
  return dir;
}

export function tempPath(): string {
  return join(tempDir(), 'journal.sqlite');
}

/** A clock that starts at `start` and moves 1 ms per reading, so timestamps are distinct. */
export function steppingClock(start = '2026-05-04T10:00:00.000Z'): {
  now: () => Date;
  set: (iso: string) => void;
} {
  let t = Date.parse(start);
  return {
    now: () => new Date(t++),
    set: (iso) => {
      t = Date.parse(iso);
    },
  };
}

export function open(options: Partial<JournalOptions> & { path?: string } = {}): Journal {
  const j = openJournal({ path: options.path ?? tempPath(), now: steppingClock().now, ...options });
  journals.push(j);
  return j;
}

/** A raw connection for inspecting or tampering with the file behind the journal's back. */
export function raw(path: string, options: Database.Options = {}): Database.Database {
  const db = new Database(path, options);
  db.pragma('foreign_keys = ON');
  raws.push(db);
  return db;
}

export function track(db: Database.Database): Database.Database {
  raws.push(db);
  return db;
}

let counter = 0;
export function nextId(prefix: string): string {
  counter += 1;
  return `${prefix}${String(counter).padStart(8, '0')}`;
}

/** A CHARGEABLE sale whose authorization the payer has granted. */
export function grantedSale(j: Journal, amount = 1250, policy: Sale['policy'] = 'CHARGEABLE'): Sale {
  const sale = j.createSale({ amount, description: 'Due caffè e una brioche', policy });
  j.recordAuthorizationIntent(sale.id);
  const authorizationId = nextId('CHT');
  j.recordAuthorizationCreated(sale.id, {
    authorizationId,
    sharingUrl: `https://dp.link/u/10/${authorizationId}`,
  });
  return j.recordAuthorizationStatus(sale.id, 'GRANTED');
}

/** A sale paid with one DONE charge; returns the sale and the charge's local id. */
export function paidSale(j: Journal, amount = 1250): { sale: Sale; chargeId: string } {
  const sale = grantedSale(j, amount);
  const charge = j.recordChargeIntent(sale.id, amount);
  const { sale: paid } = j.recordChargeOutcome(charge.id, { status: 'DONE', droppayId: nextId('CHA') });
  return { sale: paid, chargeId: charge.id };
}

export function count(db: Database.Database, table: string): number {
  return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
