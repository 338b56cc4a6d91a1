/**
 * The payments service: the one door through which the app starts sales, cancels, captures
 * and refunds them, and learns what happened. It wires the flows (sale-flow, charge-flow,
 * capture-commands, refund-flow), the timers (watchers), webhook hints and recovery together, guards refunds with the manager
 * PIN, and turns every failure into a PaymentsError with a closed code.
 */
import type { DropPayClient } from '../droppay';
import type { Journal } from '../journal';
import {
  CaptureInputSchema,
  RefundInputSchema,
  SaleFilterSchema,
  StartSaleInputSchema,
  type CaptureInput,
  type DamagedSale,
  type PendingSummary,
  type RecoveryReport,
  type RefundInput,
  type SaleEvent,
  type SaleFilter,
  type SaleList,
  type SaleView,
  type StartSaleInput,
  type TimelineEntry,
} from '../../../shared/sales';
import { captureBooked, chargeAgain } from './capture-commands';
import { createCtx } from './context';
import { saleDamage } from './damage';
import type { CrashPoint } from './crash-points';
import { notFound, PaymentsError } from './errors';
import { createHints } from './hints';
import { nonNegative, parse, positive } from './input';
import { checkRefundPin, type PinStore } from './pin-store';
import { createResolver } from './recovery';
import { refundCharge } from './refund-flow';
import { liveSale } from './live-sale';
import { endUnsentSales } from './lost-creation';
import { cancelSale, startSale } from './sale-flow';
import { pendingSummary, toSaleView, toTimeline } from './views';
import { createWatchers } from './watchers';

export interface PaymentsServiceOptions {
  journal: Journal;
  client: DropPayClient;
  /** How often a sale waiting for the payer is polled. Default 1000. */
  pollIntervalMs?: number;
  /** DropPay's waiting time for the payer, for the countdown and lost creations. Default 300. */
  waitingSeconds?: number;
  /** How often the background resolver retries unknown outcomes (with backoff). Default 5000. */
  resolveIntervalMs?: number;
  /**
   * How long after it left a POST whose answer was lost (a charge, a capture, a refund) may still
   * reach DropPay and take effect. Until then a read-back showing nothing leaves the outcome
   * unknown instead of concluding it did not happen. Default 60 000 (the client's 10 s timeout
   * plus a wide margin); 0 trusts the first read-back.
   */
  inTransitMs?: number;
  /** The terminal's clock. */
  now?: () => Date;
  /**
   * Milliseconds that only ever go forward at the pace of real time (default performance.now).
   * In-transit windows are also measured on it, so an NTP correction or a clock set by hand
   * cannot close one early and let a POST still on its way be written off.
   */
  monotonic?: () => number;
  /** Called synchronously at each crash point (the torture tests kill the process there). */
  crashPoint?: CrashPoint;
  /** When set and holding a PIN, refunds need it. */
  managerPin?: PinStore;
  /** Diagnostics; never receives a secret. Default: nothing. */
  log?: (line: string) => void;
  /**
   * Where DropPay should send its events about each new authorization (see webhook-receiver.ts);
   * passed as `webhooks.ALL`. Every event is only a hint to poll at once. Default: none, polling.
   */
  webhookUrl?: string;
}

export interface PaymentsService {
  /** Resolves every intent without outcome by reading DropPay; nothing new starts before it ran once. */
  recover(): Promise<RecoveryReport>;
  /** Returns once the authorization exists (sharingUrl set), its outcome is unknown, or the sale ended. */
  startSale(input: StartSaleInput): Promise<SaleView>;
  /** DELETEs a waiting authorization (or ends a sale whose link nobody saw). */
  cancelSale(saleId: string): Promise<SaleView>;
  /** BOOKED and granted: charges any amount up to the booked one. */
  captureSale(input: CaptureInput): Promise<SaleView>;
  /**
   * CHARGEABLE, failed, authorization still granted and nothing charged: charges it again, so
   * the customer need not scan a new code (e.g. after topping up a wallet DropPay refused).
   */
  retryCharge(saleId: string): Promise<SaleView>;
  refund(input: RefundInput): Promise<SaleView>;
  getSale(id: string): SaleView;
  /** The sale in progress at the customer, if any: what a cashier window opened now shows. */
  currentSale(): SaleView | null;
  listSales(filter?: SaleFilter): SaleList;
  timeline(id: string): TimelineEntry[];
  pending(): PendingSummary;
  /** Reads every operation in doubt back from DropPay now, past any backoff ("check now"). */
  recheck(): Promise<PendingSummary>;
  /**
   * A webhook hint: poll that authorization now. False when the hint cannot be acted on (the
   * service not ready yet, closing, or the journal unreadable), so DropPay may send it again.
   */
  notify(authorizationId: string): boolean;
  /**
   * A webhook hint about a refund (DropPay's id): follow it now if it is still on its way.
   * False when the hint cannot be acted on now, as for notify.
   */
  notifyRefund(refundDropPayId: string): boolean;
  onEvent(listener: (event: SaleEvent) => void): () => void;
  /** Stops pollers and resolvers and waits for in-flight work. */
  close(): Promise<void>;
}

/** See PaymentsServiceOptions.inTransitMs. */
export const DEFAULT_IN_TRANSIT_MS = 60_000;

export function createPaymentsService(options: PaymentsServiceOptions): PaymentsService {
  const { journal } = options;
  const control = createCtx({
    journal,
    client: options.client,
    pollIntervalMs: positive('pollIntervalMs', options.pollIntervalMs, 1000),
    waitingSeconds: positive('waitingSeconds', options.waitingSeconds, 300),
    resolveIntervalMs: positive('resolveIntervalMs', options.resolveIntervalMs, 5000),
    inTransitMs: nonNegative('inTransitMs', options.inTransitMs, DEFAULT_IN_TRANSIT_MS),
    now: options.now ?? (() => new Date()),
    monotonic: options.monotonic ?? (() => performance.now()),
    crashPoint: options.crashPoint,
    log: options.log ?? (() => undefined),
    webhookUrl: options.webhookUrl,
  });
  const { ctx } = control;
  const watchers = createWatchers(ctx);
  control.setWatch(watchers.watch);
  control.setFollow(watchers.follow);
  const resolver = createResolver(ctx);
  let ready = false;
  const hints = createHints(ctx, () => ready);
  let recovering: Promise<RecoveryReport> | null = null;
  /** A "check now" running: a second click joins it rather than reading everything twice. */
  let rechecking: Promise<void> | null = null;

  const open = (): void => {
    if (ctx.isClosed()) {
      throw new PaymentsError('CLOSED', 'The payments service is shutting down.', {
        detail: { key: 'sale.closing' },
      });
    }
  };
  const mustBeReady = (): void => {
    open();
    if (!ready) {
      throw new PaymentsError(
        'NOT_READY',
        'The till is still checking unfinished payments; try again shortly.',
        { detail: { key: 'sale.notReady' } },
      );
    }
  };
  /** Runs a public operation: tracked for close(), and any failure as a PaymentsError. */
  const run = <T>(fn: () => Promise<T>): Promise<T> =>
    ctx.track(
      (async () => {
        try {
          return await fn();
        } catch (err) {
          throw PaymentsError.from(err);
        }
      })(),
    );
  const read = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw PaymentsError.from(err);
    }
  };

  const recoverOnce = async (): Promise<RecoveryReport> => {
    open();
    read(() => endUnsentSales(ctx));
    const report = await resolver.pass(true);
    // Sales still waiting for the payer (or granted and not yet charged) carry on polling.
    const openSales = read(() => journal.pendingOperations().openSales);
    for (const sale of openSales) ctx.watch(sale.id, 0);
    ready = true;
    resolver.start();
    ctx.emit({ type: 'recovery', pending: report.checked, unknown: report.unknown });
    return { ...report, resumed: openSales.length };
  };

  const pending = (): PendingSummary =>
    read(() =>
      pendingSummary(
        journal.pendingOperations(),
        (id) => journal.getSale(id),
        ctx.live,
        ctx.now().getTime(),
        resolver.checks(),
      ),
    );

  return {
    recover() {
      recovering ??= run(recoverOnce).finally(() => {
        recovering = null;
      });
      return recovering;
    },
    startSale(input) {
      return run(async () => {
        mustBeReady();
        return startSale(ctx, parse(StartSaleInputSchema, input));
      });
    },
    cancelSale(saleId) {
      return run(async () => {
        mustBeReady();
        return cancelSale(ctx, parse(CaptureInputSchema.shape.saleId, saleId));
      });
    },
    captureSale(input) {
      return run(async () => {
        mustBeReady();
        const { saleId, amount } = parse(CaptureInputSchema, input);
        return captureBooked(ctx, saleId, amount);
      });
    },
    retryCharge(saleId) {
      return run(async () => {
        mustBeReady();
        return chargeAgain(ctx, parse(CaptureInputSchema.shape.saleId, saleId));
      });
    },
    refund(input) {
      return run(async () => {
        mustBeReady();
        const parsed = parse(RefundInputSchema, input);
        await checkRefundPin(options.managerPin, parsed.managerPin);
        return refundCharge(ctx, parsed);
      });
    },
    getSale: (id) => read(() => ctx.view(id)),
    currentSale: () =>
      read(() => {
        const live = liveSale(ctx);
        return live === null ? null : ctx.view(live.id);
      }),
    listSales(filter = {}) {
      const f = parse(SaleFilterSchema, filter);
      return read(() => {
        const page = journal.listSales(f);
        const sales: SaleView[] = [];
        const damaged: DamagedSale[] = [];
        for (const s of page.sales) {
          const detail = journal.getSaleDetail(s.id);
          if (detail === null) continue;
          // One damaged record names itself; it never takes the rest of the history down with it.
          const damage = saleDamage(detail);
          if (damage === null) sales.push(toSaleView(detail, ctx.waitingSeconds));
          else damaged.push({ id: s.id, merchantRef: s.merchantRef, ...damage });
        }
        return { sales, damaged, total: page.total };
      });
    },
    timeline(id) {
      return read(() => {
        if (journal.getSale(id) === null) throw notFound('sale', id);
        return toTimeline(journal.saleTimeline(id));
      });
    },
    pending,
    recheck() {
      rechecking ??= run(async () => {
        mustBeReady();
        const report = await resolver.pass(true);
        ctx.emit({ type: 'recovery', pending: report.checked, unknown: report.unknown });
      }).finally(() => {
        rechecking = null;
      });
      return rechecking.then(pending);
    },
    notify: hints.notify,
    notifyRefund: hints.notifyRefund,
    onEvent(listener) {
      control.listeners.add(listener);
      return () => {
        control.listeners.delete(listener);
      };
    },
    async close() {
      control.halt();
      await control.drain();
    },
  };
}
