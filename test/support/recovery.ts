/**
 * The till after the crash, in the test process: the real payments service on the journal a
 * killed child left behind, the real client to the sandbox and the real keychain. `settle`
 * then plays the payer and the cashier until every sale has an outcome: the payer approves
 * whatever still waits, the cashier captures BOOKED grants, and the terminal's clock can be
 * moved on so authorization requests whose answer was lost run out their waiting time.
 */
import type { CredentialStore } from '../../electron/main/credentials';
import { createDropPayClient } from '../../electron/main/droppay';
import { openJournal, type Journal, type SaleDetail } from '../../electron/main/journal';
import {
  createPaymentsService,
  LOST_AUTHORIZATION_GRACE_SECONDS,
  type PaymentsService,
} from '../../electron/main/payments';
import type { SaleEvent } from '../../shared/sale-events';
import { allSaleDetails, unsettled } from './agreement';
import type { TestSandboxControl } from './sim-client';

export const WAITING_SECONDS = 300;
/** How far the terminal's clock must move for a lost authorization request to be over. */
export const PAST_WAITING_MS = (WAITING_SECONDS + LOST_AUTHORIZATION_GRACE_SECONDS + 1) * 1000;

export interface RecoveredTill {
  service: PaymentsService;
  journal: Journal;
  events: SaleEvent[];
  /** Moves the terminal's clock (not DropPay's) forward. */
  advanceClock(ms: number): void;
  details(): SaleDetail[];
  /**
   * Plays payer and cashier until nothing is left open, or throws listing what still is.
   * `expire`: move the terminal's clock past the waiting time first, for lost creations.
   */
  settle(options?: { expire?: boolean; timeoutMs?: number }): Promise<SaleDetail[]>;
  close(): Promise<void>;
}

/** How long a picture that may still move must hold before settle() believes it. */
const SETTLED_FOR_MS = 150;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function openTill(options: {
  /** The journal file to open, or an already opened journal (closed with the till). */
  journalPath: string | Journal;
  sandbox: TestSandboxControl;
  store: CredentialStore;
  pollIntervalMs?: number;
  resolveIntervalMs?: number;
  timeoutMs?: number;
  /** How long a lost POST may still land (the service's inTransitMs). Default 300. */
  inTransitMs?: number;
}): RecoveredTill {
  let offsetMs = 0;
  const journal =
    typeof options.journalPath === 'string'
      ? openJournal({ path: options.journalPath })
      : options.journalPath;
  const client = createDropPayClient({
    baseUrl: options.sandbox.baseUrl,
    store: options.store,
    timeoutMs: options.timeoutMs ?? 3000,
    retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10 },
  });
  const service = createPaymentsService({
    journal,
    client,
    pollIntervalMs: options.pollIntervalMs ?? 5,
    resolveIntervalMs: options.resolveIntervalMs ?? 20,
    inTransitMs: options.inTransitMs ?? 300,
    waitingSeconds: WAITING_SECONDS,
    now: () => new Date(Date.now() + offsetMs),
  });
  const events: SaleEvent[] = [];
  service.onEvent((e) => events.push(e));

  const settle = async (
    settleOptions: { expire?: boolean; timeoutMs?: number } = {},
  ): Promise<SaleDetail[]> => {
    if (settleOptions.expire === true) offsetMs = Math.max(offsetMs, PAST_WAITING_MS);
    const deadline = Date.now() + (settleOptions.timeoutMs ?? 15_000);
    const answered = new Set<string>();
    let settledSince: number | null = null;
    for (;;) {
      const details = allSaleDetails(journal);
      const open = unsettled(details);
      // A CHARGEABLE sale whose charge was just proven not to have happened is `failed` for the
      // moment between that verdict and the resolver's fresh read for the next charge: such a
      // picture counts as settled only once it has held for a while.
      const mayMove = details.some((d) => d.sale.state === 'failed' && d.sale.policy === 'CHARGEABLE');
      if (open.length === 0) {
        settledSince ??= Date.now();
        if (!mayMove || Date.now() - settledSince >= SETTLED_FOR_MS) return details;
      } else {
        settledSince = null;
      }
      if (Date.now() > deadline) throw new Error(`still open after settling:\n${open.join('\n')}`);
      for (const { sale } of details) {
        if (sale.state === 'waiting' && sale.authorizationId !== null && !answered.has(sale.id)) {
          answered.add(sale.id);
          // Refused when DropPay no longer has it waiting (expired, cancelled): fine either way.
          await options.sandbox.grant(sale.authorizationId).catch(() => undefined);
          service.notify(sale.authorizationId);
        } else if (sale.state === 'granted' && sale.policy === 'BOOKED') {
          await service.captureSale({ saleId: sale.id, amount: sale.amount }).catch(() => undefined);
        }
      }
      await sleep(5);
    }
  };

  return {
    service,
    journal,
    events,
    advanceClock: (ms) => {
      offsetMs += ms;
    },
    details: () => allSaleDetails(journal),
    settle,
    close: async () => {
      await service.close();
      journal.close();
    },
  };
}
