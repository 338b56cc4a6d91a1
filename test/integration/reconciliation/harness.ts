/**
 * Set-up for the reconciliation tests: real journal files in temp folders with a settable
 * clock (so rows land on chosen business days, DST days included), and, where DropPay is
 * involved, the real sandbox over HTTP with the real client. Days are built the way the
 * payments core builds them: intent recorded, then the DropPay call, then the outcome.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { DropPayClient, DropPayClientOptions } from '../../../electron/main/droppay';
import {
  openJournal,
  type Charge,
  type Journal,
  type Policy,
  type Sale,
} from '../../../electron/main/journal';
import { closeDay } from '../../../electron/main/reconciliation';
import { markDayChecked } from '../../support/checked-day';
import { openSandbox, openTill, sim, type Sandbox, type Till } from '../droppay/harness';

export { sim } from '../droppay/harness';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'droppay-recon-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A clock set to an instant that then moves 1 ms per reading (distinct timestamps). */
export interface Clock {
  now: () => Date;
  set(iso: string): void;
  /** Moves forward by `ms`. */
  add(ms: number): void;
}

export function clock(start = '2026-05-04T10:00:00.000Z'): Clock {
  let t = Date.parse(start);
  return {
    now: () => new Date(t++),
    set: (iso) => {
      t = Date.parse(iso);
    },
    add: (ms) => {
      t += ms;
    },
  };
}

export interface Book {
  dir: string;
  path: string;
  journal: Journal;
  clock: Clock;
}

export function openBook(options: { timeZone?: string; cutoffHour?: number; start?: string } = {}): Book {
  const dir = tempDir();
  const path = join(dir, 'journal.sqlite');
  const c = clock(options.start);
  const journal = openJournal({
    path,
    now: c.now,
    timeZone: options.timeZone ?? 'Europe/Rome',
    cutoffHour: options.cutoffHour ?? 0,
  });
  cleanups.push(() => journal.close());
  return { dir, path, journal, clock: c };
}

let counter = 0;
const nextId = (prefix: string): string => `${prefix}${String((counter += 1)).padStart(8, '0')}`;

/** A granted sale with a made-up authorization (journal only, no DropPay). */
export function grantedSale(
  j: Journal,
  amount: number,
  policy: Policy = 'CHARGEABLE',
  description = `Vendita ${amount}`,
): Sale {
  const sale = j.createSale({ amount, description, policy });
  j.recordAuthorizationIntent(sale.id);
  const authorizationId = nextId('CHT');
  j.recordAuthorizationCreated(sale.id, {
    authorizationId,
    sharingUrl: `https://dp.link/u/10/${authorizationId}`,
  });
  return j.recordAuthorizationStatus(sale.id, 'GRANTED');
}

/** A charge with the given outcome on a fresh granted sale (journal only). */
export function chargedSale(
  j: Journal,
  amount: number,
  status: 'DONE' | 'ACCOUNTED' | 'FAILED' | 'unknown' | 'pending' | 'intent',
  policy: Policy = 'CHARGEABLE',
  description?: string,
): { sale: Sale; charge: Charge } {
  const sale = grantedSale(j, amount, policy, description);
  const intent = j.recordChargeIntent(sale.id, amount);
  if (status === 'intent') return { sale, charge: intent };
  const droppayId = status === 'unknown' ? undefined : nextId('CHA');
  const out = j.recordChargeOutcome(intent.id, { status, ...(droppayId ? { droppayId } : {}) });
  return out;
}

/** The sandbox and a till client for it, torn down after the test. */
export async function openDropPay(
  options: Partial<DropPayClientOptions> = {},
): Promise<{ sandbox: Sandbox; client: DropPayClient; till: Till }> {
  const sandbox = await openSandbox();
  cleanups.push(() => sandbox.dispose());
  const till = await openTill(sandbox, options);
  return { sandbox, client: till.client, till };
}

export type ChargeMode = 'done' | 'fails' | 'lost-response' | 'never-sent';

/**
 * A real sale: journal intent, real authorization, payer grant, real charge. `lost-response`
 * makes the charge at DropPay but records only "unknown" (the answer never came back);
 * `never-sent` records the intent and stops (a crash before the POST).
 */
/** A sale whose authorization is real on the sandbox and granted by the payer; nothing charged by the till. */
export async function grantedOnDropPay(
  book: Book,
  dp: { sandbox: Sandbox; client: DropPayClient },
  amount: number,
  policy: Policy = 'CHARGEABLE',
): Promise<{ sale: Sale; authorizationId: string }> {
  const { journal: j } = book;
  const sale = j.createSale({ amount, description: `Vendita ${amount}`, policy });
  j.recordAuthorizationIntent(sale.id);
  const auth = await dp.client.authorizations.create({
    description: sale.description,
    amount,
    policy,
    merchantCustomId: sale.merchantRef,
  });
  j.recordAuthorizationCreated(sale.id, { authorizationId: auth.id, sharingUrl: auth.sharing ?? 'x' });
  await sim(dp.sandbox, 'POST', `/_sim/authorization/${auth.id}/grant`);
  return { sale: j.recordAuthorizationStatus(sale.id, 'GRANTED'), authorizationId: auth.id };
}

export async function realSale(
  book: Book,
  dp: { sandbox: Sandbox; client: DropPayClient },
  amount: number,
  options: { policy?: Policy; mode?: ChargeMode } = {},
): Promise<{ sale: Sale; charge: Charge | null; authorizationId: string }> {
  const { journal: j } = book;
  const policy = options.policy ?? 'CHARGEABLE';
  const { sale, authorizationId } = await grantedOnDropPay(book, dp, amount, policy);
  const granted = await dp.client.authorizations.get(authorizationId);
  if (policy === 'CHARGED') {
    const remote = await dp.client.charges.get(granted.chargeId ?? '');
    const { charge } = j.recordChargeObserved(sale.id, {
      droppayId: remote.id,
      amount: remote.amount,
      status: remote.status === 'PENDING' ? 'pending' : remote.status,
    });
    return { sale, charge, authorizationId };
  }
  const mode = options.mode ?? 'done';
  const intent = j.recordChargeIntent(sale.id, amount);
  if (mode === 'never-sent') return { sale, charge: intent, authorizationId };
  if (mode === 'fails') await sim(dp.sandbox, 'POST', '/_sim/charge/next-fails');
  const remote = await dp.client.charges.create({
    authorizationId: authorizationId,
    payTokenVal: granted.payToken?.val ?? '',
    amount,
    merchantCustomLabel: intent.id,
  });
  const { charge } =
    mode === 'lost-response'
      ? j.recordChargeOutcome(intent.id, { status: 'unknown', error: 'timeout' })
      : j.recordChargeOutcome(intent.id, {
          status: remote.status === 'PENDING' ? 'pending' : remote.status,
          droppayId: remote.id,
        });
  return { sale, charge, authorizationId };
}

/** A real refund of a DONE charge: intent, POST, outcome as DropPay answered. */
export async function realRefund(
  book: Book,
  dp: { sandbox: Sandbox; client: DropPayClient },
  charge: Charge,
  amount: number,
  options: { failsAtDropPay?: boolean } = {},
) {
  const intent = book.journal.recordRefundIntent(charge.id, amount, 'Reso merce');
  if (options.failsAtDropPay) await sim(dp.sandbox, 'POST', '/_sim/refund/next-fails');
  const remote = await dp.client.refunds.create({
    chargeId: charge.droppayId ?? '',
    amount,
    reason: 'Reso merce',
  });
  return book.journal.recordRefundOutcome(intent.id, {
    status: remote.status === 'PENDING' ? 'ENQUEUED' : remote.status,
    droppayId: remote.id,
  });
}

/**
 * A book whose 2026-05-04 took 10.00 and was closed at 18:00 in Rome; its clock is then at
 * 19:00 the same business day, for what happens after the close.
 */
export function bookClosedAtSix(): Book {
  const book = openBook();
  book.clock.set('2026-05-04T08:00:00.000Z');
  chargedSale(book.journal, 1000, 'DONE');
  markDayChecked(book.path, '2026-05-04', '2026-05-04T15:55:00.000Z');
  closeDay(book.journal, '2026-05-04', { now: () => new Date('2026-05-04T16:00:00.000Z') });
  book.clock.set('2026-05-04T17:00:00.000Z');
  return book;
}
