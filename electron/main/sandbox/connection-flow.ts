import type { SandboxCore } from './context';
import { sql } from './db';
import { fail } from './errors';
import { newId, newSecret } from './ids';
import { getConnection, type ConnectionRow, type ConnectionStatus } from './rows';

/**
 * Onboarding another merchant account: each granted connection is a merchant of its own with
 * its own POS, so tokens from it can reach only that POS's resources.
 */

export function createConnection(
  core: SandboxCore,
  webhooks: Record<string, string> | null,
  loopbackUri: string | null,
  now: number,
): ConnectionRow {
  const id = newId.connection();
  sql(
    core.db,
    `INSERT INTO connections (id, status, pos_id, webhooks, loopback_uri, created_at, updated_at, waiting_until)
       VALUES (?, 'WAITING', ?, ?, ?, ?, ?, ?)`,
  ).run(
    id,
    newId.pos(),
    webhooks === null ? null : JSON.stringify(webhooks),
    loopbackUri,
    now,
    now,
    now + core.timings.waitingSeconds * 1000,
  );
  return mustGet(core, id);
}

export function mustGetConnection(core: SandboxCore, id: string): ConnectionRow {
  return mustGet(core, id);
}

function mustGet(core: SandboxCore, id: string): ConnectionRow {
  const row = getConnection(core.db, id);
  if (!row) throw fail.notFound(`connection ${id}`);
  return row;
}

function move(
  core: SandboxCore,
  id: string,
  from: ConnectionStatus,
  to: ConnectionStatus,
  now: number,
): ConnectionRow {
  const row = mustGet(core, id);
  if (row.status === to && to === 'CANCELLED') return row;
  if (row.status !== from) throw fail.notAllowed(`connection ${id} is ${row.status}, not ${from}`);
  const code = to === 'GRANTED' ? newSecret() : row.code;
  sql(core.db, 'UPDATE connections SET status = ?, code = ?, updated_at = ? WHERE id = ?').run(
    to,
    code,
    now,
    id,
  );
  return mustGet(core, id);
}

export const connectionMoves = {
  grant: (core: SandboxCore, id: string, now: number) => move(core, id, 'WAITING', 'GRANTED', now),
  refuse: (core: SandboxCore, id: string, now: number) => move(core, id, 'WAITING', 'REFUSED', now),
  cancel: (core: SandboxCore, id: string, now: number) => move(core, id, 'WAITING', 'CANCELLED', now),
  /** Revoking kills the code and every token issued from it (checked at each request). */
  revoke: (core: SandboxCore, id: string, now: number) => move(core, id, 'GRANTED', 'REVOKED', now),
} as const;
