import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isLoopbackAddress } from '../../../shared/custom-address';
import { isDropPayError, type ConnectionState, type Reach } from '../droppay';
import { openJournal, type Journal } from '../journal';
import {
  createPaymentsService,
  startWebhookReceiver,
  type PaymentsService,
  type PinStore,
  type RunningWebhookReceiver,
} from '../payments';
import type { RecoveryReport, SaleEvent } from '../../../shared/sale-events';
import { journalPathFor, openTarget, type DropPayTarget, type TargetDeps, type TargetSpec } from './target';

/** Merchant and store as DropPay's brands name them; null until read. */
export interface BrandIdentity {
  merchantName: string | null;
  storeName: string | null;
}

export interface SessionDeps extends TargetDeps {
  /** The main journal (settings); production's sales go there too. */
  mainJournal: Journal;
  timeZone: string;
  cutoffHour: number;
  pollIntervalMs: number;
  managerPin: PinStore;
  log: (line: string) => void;
  onSaleEvent: (event: SaleEvent) => void;
  /**
   * A payments service was built (the session opened, or a new poll interval) and is heard:
   * called before its recovery pass starts, so nothing the pass does is missed.
   */
  onPayments?: (service: PaymentsService) => void;
  onConnection: (state: ConnectionState) => void;
  /** DropPay began or stopped answering the till's calls. */
  onReach: (reach: Reach) => void;
  /** While DropPay does not answer, how often it is asked again (default 15 s). */
  reachProbeMs?: number;
  /** How often outcomes in doubt and held pre-authorizations are looked at again (5 s). */
  resolveIntervalMs?: number;
  onIdentity: (identity: BrandIdentity) => void;
  /** Whether the embedded sandbox's events reach the till (RuntimeOptions.sandboxEvents). */
  sandboxEvents: boolean;
  /** How long a failed recovery waits before trying again. */
  recoveryRetryMs?: number;
}

/**
 * Everything tied to one DropPay: the target (client, keychain entry, embedded sandbox), its
 * sales journal and the payments service over both. Switching environment opens a new
 * session and closes the old one; nothing of one leaks into the other.
 */
export interface Session {
  readonly spec: TargetSpec;
  readonly target: DropPayTarget;
  readonly journal: Journal;
  payments(): PaymentsService;
  /** The first recovery pass (nothing can be sold before it). Null if it failed (it is retried). */
  readonly recovery: Promise<RecoveryReport | null>;
  identity(): BrandIdentity;
  /** Reads the merchant and store from DropPay; throws what the client throws. */
  refreshIdentity(): Promise<BrandIdentity>;
  /** Rebuilds the payments service (a new poll interval); waiting sales resume polling. */
  restartPayments(pollIntervalMs: number): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_REACH_PROBE_MS = 15_000;

/** A call that reached for DropPay and got no answer from it (what keeps the probe going). */
function unanswered(error: unknown): boolean {
  return (
    isDropPayError(error, 'TIMEOUT') || isDropPayError(error, 'NETWORK') || isDropPayError(error, 'SERVER')
  );
}

export async function openSession(spec: TargetSpec, deps: SessionDeps): Promise<Session> {
  const target = await openTarget(spec, deps);
  const path = journalPathFor(deps.dataDir, spec);
  const ownJournal = path !== deps.mainJournal.path;
  let journal: Journal;
  try {
    if (ownJournal) mkdirSync(dirname(path), { recursive: true });
    journal = ownJournal
      ? openJournal({ path, timeZone: deps.timeZone, cutoffHour: deps.cutoffHour })
      : deps.mainJournal;
  } catch (error) {
    await target.close();
    throw error;
  }

  let closed = false;
  let identity: BrandIdentity = { merchantName: null, storeName: null };
  let retry: NodeJS.Timeout | null = null;
  // While DropPay does not answer, the status bar says so; with no sale to find out, a read of
  // the brands (which the status bar shows anyway) every reachProbeMs tells when it is back.
  // Only while that read reaches DropPay and gets no answer: one stopped before asking (not set
  // up, credentials refused, the keychain locked) waits for the connection to change instead,
  // rather than reading the keychain every few seconds for nothing.
  let probe: NodeJS.Timeout | null = null;
  const reach = target.client.reach;
  const probeLater = (): void => {
    if (probe !== null || closed) return;
    probe = setTimeout(() => {
      probe = null;
      if (closed || reach.state() !== 'not_answering') return;
      refreshIdentity().then(
        () => undefined,
        (error: unknown) => {
          if (reach.state() === 'not_answering' && unanswered(error)) probeLater();
        },
      );
    }, deps.reachProbeMs ?? DEFAULT_REACH_PROBE_MS);
    probe.unref();
  };
  const stopConnection = target.client.tokens.onStateChange((state) => {
    if (closed) return;
    deps.onConnection(state);
    if (reach.state() === 'not_answering') probeLater();
  });
  const stopReach = reach.onChange((state) => {
    if (closed) return;
    deps.onReach(state);
    if (state === 'not_answering') probeLater();
  });

  // DropPay's events tell of the payer's answer at once instead of at the next poll. Only a
  // DropPay on this machine can reach a loopback receiver: the embedded sandbox, or one run
  // alone at a custom loopback address (`npm run sandbox`). Without one (or if it cannot
  // listen) polling alone carries on.
  let hinted: PaymentsService | null = null;
  let receiver: RunningWebhookReceiver | null = null;
  if (deps.sandboxEvents && (target.sandbox !== null || isLoopbackAddress(target.baseUrl))) {
    try {
      receiver = await startWebhookReceiver({
        onAuthorization: (id) => hinted?.notify(id) ?? false,
        onRefund: (id) => hinted?.notifyRefund(id) ?? false,
        log: deps.log,
      });
    } catch (error) {
      deps.log(
        `webhooks: cannot listen, polling only: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  const build = (pollIntervalMs: number): { service: PaymentsService; stop: () => void } => {
    const service = createPaymentsService({
      journal,
      client: target.client,
      pollIntervalMs,
      ...(deps.resolveIntervalMs === undefined ? {} : { resolveIntervalMs: deps.resolveIntervalMs }),
      managerPin: deps.managerPin,
      log: deps.log,
      ...(receiver === null ? {} : { webhookUrl: receiver.url }),
      ...(deps.sandbox?.waitingSeconds === undefined || spec.environment !== 'sandbox'
        ? {}
        : { waitingSeconds: deps.sandbox.waitingSeconds }),
    });
    const stop = service.onEvent(deps.onSaleEvent);
    hinted = service;
    deps.onPayments?.(service);
    return { service, stop };
  };
  let current: ReturnType<typeof build>;
  try {
    current = build(deps.pollIntervalMs);
  } catch (error) {
    // Nothing of this session is left running: no receiver, journal handle or sandbox.
    stopConnection();
    stopReach();
    await receiver?.close();
    if (ownJournal) journal.close();
    await target.close();
    throw error;
  }

  const recover = async (): Promise<RecoveryReport | null> => {
    const service = current.service;
    try {
      return await service.recover();
    } catch (error) {
      if (closed || service !== current.service) return null;
      // Only storage trouble gets here (DropPay being unreachable leaves items unknown, not an
      // error); sales stay refused until a pass succeeds.
      deps.log(`recovery failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
      retry = setTimeout(() => void recover(), deps.recoveryRetryMs ?? 10_000);
      retry.unref();
      return null;
    }
  };

  const refreshIdentity = async (): Promise<BrandIdentity> => {
    const brands = await target.client.brands.list();
    const brand = brands[0];
    identity = { merchantName: brand?.name ?? null, storeName: brand?.stores[0]?.name ?? null };
    if (!closed) deps.onIdentity(identity);
    return identity;
  };

  return {
    spec,
    target,
    journal,
    payments: () => current.service,
    recovery: recover(),
    identity: () => identity,
    refreshIdentity,
    async restartPayments(pollIntervalMs) {
      const old = current;
      // Events meanwhile are refused (503) and sent again by DropPay, to the new service.
      hinted = null;
      // Heard until it has finished: a charge still on its way ends with an event the cashier's
      // screen and the customer display must get.
      await old.service.close();
      old.stop();
      current = build(pollIntervalMs);
      await recover();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (retry) clearTimeout(retry);
      if (probe) clearTimeout(probe);
      stopConnection();
      stopReach();
      current.stop();
      try {
        await current.service.close();
      } finally {
        await receiver?.close();
        if (ownJournal) journal.close();
        await target.close();
      }
    },
  };
}
