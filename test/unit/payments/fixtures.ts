/**
 * For tests of the payments flows that fake the DropPay client over a real journal: DropPay
 * entities as the client hands them over, a flow context, and a sale granted on CHT1.
 */
import type {
  Authorization,
  Charge as RemoteCharge,
  DropPayClient,
} from '../../../electron/main/droppay/index';
import type { Journal } from '../../../electron/main/journal/index';
import { createCtx, type Ctx } from '../../../electron/main/payments/context';

export function auth(over: Partial<Authorization> = {}): Authorization {
  return {
    id: 'CHT1',
    status: 'GRANTED',
    rawStatus: 'GRANTED',
    posId: 'POS1',
    description: 'x',
    amount: 1000,
    policy: 'CHARGEABLE',
    chargeMaxCount: 1,
    chargeSuccessCount: 0,
    chargeDateStart: undefined,
    chargeDateEnd: undefined,
    merchantCustomId: undefined,
    sharing: 'https://dp.link/u/10/CHT1',
    createdAt: undefined,
    updatedAt: undefined,
    payToken: undefined,
    charges: undefined,
    chargeId: undefined,
    ...over,
  };
}

export function remoteCharge(over: Partial<RemoteCharge>): RemoteCharge {
  return {
    id: 'CHA1',
    authorizationId: 'CHT1',
    payTokenVal: undefined,
    amount: 1000,
    description: undefined,
    merchantCustomId: undefined,
    merchantCustomLabel: undefined,
    status: 'DONE',
    rawStatus: 'DONE',
    createdAt: undefined,
    doneAt: undefined,
    posId: undefined,
    merchantBusinessName: undefined,
    payerName: undefined,
    refund: undefined,
    ...over,
  };
}

/** A granted pay token as DropPay shows it. */
export function token(val: string, chargeAvailable = 1): NonNullable<Authorization['payToken']> {
  return { val, issuedAt: undefined, expiresAt: undefined, chargeAvailable };
}

/** A flow context with short timings over `journal` and the fake `client`. */
export function testCtx(
  journal: Journal,
  client: DropPayClient,
  options: {
    inTransitMs?: number;
    resolveIntervalMs?: number;
    now?: () => Date;
    monotonic?: () => number;
  } = {},
): Ctx {
  const now = options.now ?? (() => new Date());
  return createCtx({
    journal,
    client,
    pollIntervalMs: 10,
    waitingSeconds: 300,
    resolveIntervalMs: options.resolveIntervalMs ?? 10,
    inTransitMs: options.inTransitMs ?? 0,
    now,
    // Unless told otherwise, the test's clock is real time passing: both clocks follow it.
    monotonic: options.monotonic ?? (() => now().getTime()),
    crashPoint: undefined,
    log: () => undefined,
  }).ctx;
}

/** A CHARGEABLE sale of 10.00 whose authorization CHT1 the payer granted. Returns its id. */
export function grantedSale(journal: Journal): string {
  const sale = journal.createSale({ amount: 1000, description: 'x' });
  journal.recordAuthorizationIntent(sale.id);
  journal.recordAuthorizationCreated(sale.id, {
    authorizationId: 'CHT1',
    sharingUrl: 'https://dp.link/u/10/CHT1',
  });
  journal.recordAuthorizationStatus(sale.id, 'GRANTED');
  return sale.id;
}
