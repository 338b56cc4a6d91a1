/**
 * Builds the whole payments stack from paths and URLs, for the app and for a child process
 * (the crash torture tests start the service in one and SIGKILL it at a crash point).
 */
import type { CredentialStore } from '../credentials';
import { createDropPayClient, type DropPayClient, type DropPayClientOptions } from '../droppay';
import { openJournal, type Journal } from '../journal';
import type { CrashPoint } from './crash-points';
import type { PinStore } from './pin-store';
import { createPaymentsService, type PaymentsService } from './service';

export interface OpenPaymentsOptions {
  journalPath: string;
  /** DropPay's address (production or a sandbox's base_url). */
  baseUrl: string;
  store: CredentialStore;
  posId?: string;
  timeZone?: string;
  cutoffHour?: number;
  pollIntervalMs?: number;
  waitingSeconds?: number;
  resolveIntervalMs?: number;
  inTransitMs?: number;
  crashPoint?: CrashPoint;
  managerPin?: PinStore;
  /** Client tuning (timeouts, retries), e.g. short ones in tests. */
  client?: Pick<DropPayClientOptions, 'timeoutMs' | 'retry' | 'fetch'>;
  log?: (line: string) => void;
}

export interface OpenPayments {
  service: PaymentsService;
  journal: Journal;
  client: DropPayClient;
  /** Closes the service (waiting for in-flight work), then the journal. */
  close(): Promise<void>;
}

/** Opens the journal, builds the client and the service. Call `service.recover()` before selling. */
export function openPayments(options: OpenPaymentsOptions): OpenPayments {
  const journal = openJournal({
    path: options.journalPath,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.cutoffHour === undefined ? {} : { cutoffHour: options.cutoffHour }),
  });
  const client = createDropPayClient({
    baseUrl: options.baseUrl,
    store: options.store,
    ...(options.posId === undefined ? {} : { posId: options.posId }),
    ...options.client,
  });
  const service = createPaymentsService({
    journal,
    client,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.waitingSeconds === undefined ? {} : { waitingSeconds: options.waitingSeconds }),
    ...(options.resolveIntervalMs === undefined ? {} : { resolveIntervalMs: options.resolveIntervalMs }),
    ...(options.inTransitMs === undefined ? {} : { inTransitMs: options.inTransitMs }),
    ...(options.crashPoint === undefined ? {} : { crashPoint: options.crashPoint }),
    ...(options.managerPin === undefined ? {} : { managerPin: options.managerPin }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  let closing: Promise<void> | null = null;
  return {
    service,
    journal,
    client,
    close() {
      closing ??= (async () => {
        try {
          await service.close();
        } finally {
          journal.close();
        }
      })();
      return closing;
    },
  };
}
