/**
 * Typed calls to the DropPay sandbox's control surface (`/_sim/...`), usable from the test
 * process and from a torture child alike (this module does not pull the sandbox itself in).
 * Ledger amounts come back in integer cents, converted exactly with shared/money.
 */
import { eurosToCents, type Cents } from '../../shared/money';

export interface LedgerCharge {
  id: string;
  authorizationId: string;
  amount: Cents;
  status: string;
}

export interface LedgerRefund {
  id: string;
  chargeId: string;
  amount: Cents;
  status: string;
}

export interface Ledger {
  charges: LedgerCharge[];
  refunds: LedgerRefund[];
}

export interface Faults {
  latency_ms?: number;
  error_rate?: number;
  drop_after_commit_rate?: number;
  seed?: number;
  /** Only these HTTP methods meet the faults; every method when left out. */
  methods?: string[];
}

export interface SimAuthorization {
  id: string;
  status: string;
  charge_success_count: number;
}

export interface TestSandboxControl {
  baseUrl: string;
  grant(authorizationId: string): Promise<SimAuthorization>;
  refuse(authorizationId: string): Promise<SimAuthorization>;
  revoke(authorizationId: string): Promise<SimAuthorization>;
  faults(faults: Faults): Promise<void>;
  clearFaults(): Promise<void>;
  advance(seconds: number): Promise<void>;
  reset(): Promise<void>;
  ledger(): Promise<Ledger>;
  /** Raw control call; throws on a non-2xx answer. */
  sim(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function field(row: Record<string, unknown>, name: string): string {
  const v = row[name];
  if (typeof v !== 'string') throw new Error(`ledger row without a string ${name}: ${JSON.stringify(row)}`);
  return v;
}

export function parseLedger(json: unknown): Ledger {
  if (!isRecord(json) || !Array.isArray(json.charges) || !Array.isArray(json.refunds)) {
    throw new Error(`not a ledger: ${JSON.stringify(json)}`);
  }
  const rows = (list: unknown[]): Record<string, unknown>[] =>
    list.map((r) => {
      if (!isRecord(r)) throw new Error(`ledger row is not an object: ${JSON.stringify(r)}`);
      return r;
    });
  return {
    charges: rows(json.charges).map((c) => ({
      id: field(c, 'id'),
      authorizationId: field(c, 'authorization_id'),
      amount: eurosToCents(c.amount, 'ledger charge amount'),
      status: field(c, 'status'),
    })),
    refunds: rows(json.refunds).map((r) => ({
      id: field(r, 'id'),
      chargeId: field(r, 'charge_id'),
      amount: eurosToCents(r.amount, 'ledger refund amount'),
      status: field(r, 'status'),
    })),
  };
}

/** Calls the sandbox's control surface at `baseUrl` (usable from a child process too). */
export async function simCall(
  baseUrl: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json: unknown = text === '' ? null : JSON.parse(text);
  if (!res.ok) throw new Error(`sim ${method} ${path} → ${res.status} ${text}`);
  return json;
}

export function toAuthorization(json: unknown): SimAuthorization {
  if (!isRecord(json) || typeof json.id !== 'string' || typeof json.status !== 'string') {
    throw new Error(`not an authorization: ${JSON.stringify(json)}`);
  }
  return {
    id: json.id,
    status: json.status,
    charge_success_count: typeof json.charge_success_count === 'number' ? json.charge_success_count : 0,
  };
}
