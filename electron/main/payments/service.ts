/**
 * The payments service: the one door through which the app starts sales, cancels, captures
 * and refunds them, and learns what happened. It wires the flows (sale-flow, charge-flow,
 * refund-flow), the timers (watchers) and recovery together, guards refunds with the manager
 * PIN, and turns every failure into a PaymentsError with a closed code.
 */
import type { z } from 'zod';
import type { DropPayClient } from '../droppay';
import { messageOf, type Journal } from '../journal';
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
import { invalidInput } from '../../../shared/result';
import { chargeSale } from './charge-flow';
import { createCtx } from './context';
import { saleDamage } from './damage';
import type { CrashPoint } from './crash-points';
import { notFound, PaymentsError } from './errors';
import { pinRefusal, type PinCheck, type PinStore } from './pin-store';
import { createResolver } from './recovery';
import { refundCharge } from './refund-flow';
import { adoptByWebhook, cancelSale, endUnsentSales, liveSale, mustBeOnlySale, startSale } from './sale-flow';
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

function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new PaymentsError('VALIDATION', `${where}${issue?.message ?? 'invalid input'}`, {
    detail: invalidInput(result.error.issues),
  });
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
  return v;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be zero or more`);
  return v;
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
  let recovering: Promise<RecoveryReport> | null = null;
  /** A "check now" running: a second click joins it rather than reading everything twice. */
  let rechecking: Promise<void> | null = null;

  const logHint = (what: string, id: string, err: unknown): void => {
    ctx.log(`payments: webhook for ${what}${id}: ${messageOf(err)}`);
  };
  /**
   * A webhook's hint (`what` names it in the log), which must never throw into whoever received
   * it. False when the service cannot take it now (not ready, closing) or the journal could not
   * be read, so DropPay sends it again.
   */
  const takeHint = <T>(
    what: string,
    id: unknown,
    lookup: (id: string) => T,
    act: (found: T, id: string) => void,
  ): boolean => {
    if (ctx.isClosed() || !ready || typeof id !== 'string' || id === '') return false;
    let found: T;
    try {
      found = lookup(id);
    } catch (err) {
      logHint(what, id, err);
      return false;
    }
    act(found, id);
    return true;
  };

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

  const checkPin = async (pin: string | undefined): Promise<void> => {
    const guard = options.managerPin;
    if (guard === undefined || !guard.isSet()) return;
    // The guard's count lives in the PIN store: shared with PIN changes, kept across restarts.
    const locked = guard.lockedSeconds();
    if (locked > 0) throw pinRefused({ lockedSeconds: locked });
    if (pin === undefined)
      throw new PaymentsError('PIN_REQUIRED', 'Refunds need the manager PIN.', {
        detail: { key: 'pin.required' },
      });
    const result = await guard.check(pin);
    if (result !== 'ok') throw pinRefused(result);
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
        return ctx.withSale(saleId, async () => {
          const sale = journal.getSale(saleId);
          if (sale === null) throw notFound('sale', saleId);
          if (sale.policy !== 'BOOKED') {
            throw new PaymentsError('INVALID_STATE', 'Only a BOOKED sale is captured.', {
              saleId,
              detail: { key: 'sale.captureNotBooked' },
            });
          }
          const capturable =
            sale.state === 'granted' || (sale.state === 'failed' && sale.authorizationStatus === 'GRANTED');
          if (!capturable) {
            throw new PaymentsError('INVALID_STATE', `A ${sale.state} sale cannot be captured.`, {
              saleId,
              detail: { key: 'sale.cannotCapture', params: { state: sale.state } },
            });
          }
          if (amount > sale.amount) {
            throw new PaymentsError('VALIDATION', 'The capture is above the booked amount.', {
              saleId,
              detail: { key: 'sale.captureAboveBooked' },
            });
          }
          await chargeSale(ctx, saleId, amount, 'capture');
          return ctx.view(saleId);
        });
      });
    },
    retryCharge(saleId) {
      return run(async () => {
        mustBeReady();
        const id = parse(CaptureInputSchema.shape.saleId, saleId);
        // Another sale at the customer (started after this one failed, maybe for the same
        // customer): charging this one again could take their money twice.
        mustBeOnlySale(ctx, id);
        return ctx.withSale(id, async () => {
          const view = ctx.view(id);
          const retryable =
            view.policy === 'CHARGEABLE' &&
            view.state === 'failed' &&
            view.authorizationStatus === 'GRANTED' &&
            view.charges.every((c) => c.status === 'FAILED');
          if (!retryable) {
            throw new PaymentsError(
              'INVALID_STATE',
              `This sale cannot be charged again (${view.state}, authorization ${view.authorizationStatus ?? 'none'}).`,
              { saleId: id, detail: { key: 'sale.cannotChargeAgain', params: { state: view.state } } },
            );
          }
          await chargeSale(ctx, id, view.amount, 'charge');
          return ctx.view(id);
        });
      });
    },
    refund(input) {
      return run(async () => {
        mustBeReady();
        const parsed = parse(RefundInputSchema, input);
        await checkPin(parsed.managerPin);
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
    notify(authorizationId) {
      return takeHint(
        '',
        authorizationId,
        (id) => journal.getSaleByAuthorization(id),
        (sale, id) => {
          if (sale !== null) {
            if (sale.state === 'waiting' || sale.state === 'granted') ctx.watch(sale.id, 0);
            return;
          }
          void ctx.track(adoptByWebhook(ctx, id).catch((err: unknown) => logHint('', id, err)));
        },
      );
    },
    notifyRefund(refundDropPayId) {
      return takeHint(
        'refund ',
        refundDropPayId,
        (id) => journal.getRefundByDropPayId(id),
        (refund) => {
          // Not ours, or settled for good: nothing to read. ENQUEUED (or in doubt) is read now, and
          // DONE too, on its way to ACCOUNTED.
          if (
            refund !== null &&
            (refund.status === 'ENQUEUED' || refund.status === 'unknown' || refund.status === 'DONE')
          ) {
            ctx.follow('refund', refund.id, 0);
          }
        },
      );
    },
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

/** A PIN the guard did not take: wrong (with the tries left), unverifiable, or locked. */
function pinRefused(result: Exclude<PinCheck, 'ok'>): PaymentsError {
  const { refusal, message, detail } = pinRefusal(result);
  return new PaymentsError(refusal === 'locked' ? 'PIN_LOCKED' : 'PIN_INVALID', message, { detail });
}
