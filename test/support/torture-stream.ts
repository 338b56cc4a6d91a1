/**
 * The torture child's stream of sales: what runs between two SIGKILLs in random-kills.
 * Everything goes through the payments service; the payer's side goes to the sandbox.
 */
import { PaymentsError, type PaymentsService } from '../../electron/main/payments';
import type { SaleView } from '../../shared/sales';
import { simCall } from './sim-client';
import type { ChildFailure, StreamOptions } from './torture-protocol';
import { rng } from './rng';

export function failureOf(err: unknown): ChildFailure {
  if (err instanceof PaymentsError) return { name: err.name, code: err.code, message: err.message };
  if (err instanceof Error) return { name: err.name, code: null, message: err.message };
  return { name: 'Error', code: null, message: String(err) };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The payer's answer for a sale, fixed by its id so every life of the child agrees. */
function payerDecision(saleId: string): 'grant' | 'refuse' | 'cancel' {
  let h = 0;
  for (const ch of saleId) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const x = h % 20;
  return x < 16 ? 'grant' : x < 18 ? 'refuse' : 'cancel';
}

const BUSY = new Set(['created', 'authorizing', 'charging']);

export interface StreamIo {
  /** The sandbox, for the payer's answers. */
  baseUrl: string;
  /** Tells the test what happened to a sale (errors, payer answering twice, stuck). */
  note: (what: string, saleId: string, detail?: string) => void;
}

/**
 * Sells forever, `options.lanes` sales at a time, playing the cashier (start, cancel, capture,
 * refund) and the payer (grant, refuse, through the sandbox). Each sale's payer answer is fixed
 * by its id, so a later life answers a leftover sale the way an earlier one would have.
 */
export async function streamSales(
  service: PaymentsService,
  options: StreamOptions,
  io: StreamIo,
): Promise<void> {
  const random = rng(options.seed);
  const { baseUrl, note } = io;
  const tryCall = async <T>(what: string, saleId: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (err) {
      const f = failureOf(err);
      note(`error:${what}`, saleId, `${f.code ?? f.name}: ${f.message}`);
      return null;
    }
  };

  // Woken by the service's own sale.updated events rather than by polling the journal, so a
  // slow machine does not turn into a busy one.
  const waiters = new Map<string, Set<() => void>>();
  service.onEvent((e) => {
    if (e.type !== 'sale.updated') return;
    const set = waiters.get(e.sale.id);
    waiters.delete(e.sale.id);
    for (const wake of set ?? []) wake();
  });
  const changed = (saleId: string, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const set = waiters.get(saleId) ?? new Set<() => void>();
      waiters.set(saleId, set);
      const wake = (): void => {
        clearTimeout(timer);
        set.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });

  /** Takes one sale as far as the payer and the cashier can, without waiting forever. */
  const drive = async (first: SaleView): Promise<void> => {
    let answered = false;
    const giveUp = Date.now() + 5000;
    while (Date.now() < giveUp) {
      // Listen before reading, so a change between the read and the wait is not missed.
      const next = changed(first.id, 50);
      const sale = service.getSale(first.id);
      if (sale.state === 'waiting' && sale.authorizationId !== null && !answered) {
        answered = true;
        const decision = payerDecision(sale.id);
        if (decision === 'cancel') {
          await tryCall('cancel', sale.id, () => service.cancelSale(sale.id));
        } else {
          // The payer may have answered in an earlier life already: DropPay then says 403.
          await simCall(baseUrl, 'POST', `/_sim/authorization/${sale.authorizationId}/${decision}`).catch(
            () => note('payer-already-answered', sale.id),
          );
          service.notify(sale.authorizationId);
        }
        continue;
      }
      if (sale.state === 'granted' && sale.policy === 'BOOKED') {
        const amount = Math.max(1, sale.amount - Math.floor(random() * sale.amount * 0.5));
        await tryCall('capture', sale.id, () => service.captureSale({ saleId: sale.id, amount }));
        continue;
      }
      if (sale.state === 'paid') {
        const charge = sale.charges.find((c) => c.status === 'DONE' || c.status === 'ACCOUNTED');
        if (charge && charge.refund === null && random() < 0.35) {
          const amount = random() < 0.5 ? charge.amount : Math.max(1, Math.floor(charge.amount * random()));
          await tryCall('refund', sale.id, () =>
            service.refund({ chargeId: charge.id, amount, reason: 'Reso' }),
          );
        }
        return;
      }
      if (!BUSY.has(sale.state) && sale.state !== 'waiting' && sale.state !== 'granted') {
        return; // refused, cancelled, expired, revoked, failed, unknown: the resolver's job now
      }
      await next;
    }
    note('stuck', first.id, service.getSale(first.id).state);
  };

  // What earlier lives left half-way: the payer still has to answer, the cashier to capture.
  const leftovers = service.listSales({ state: ['waiting', 'granted'], limit: 50 }).sales;
  const earlier = leftovers.map((s) => drive(s));

  const lane = async (): Promise<void> => {
    for (;;) {
      const r = random();
      const policy = r < 0.8 ? 'CHARGEABLE' : r < 0.9 ? 'BOOKED' : 'CHARGED';
      const amount = 1 + Math.floor(random() * 25_000);
      const sale = await tryCall('start', '', () =>
        service.startSale({ amount, description: `Torture ${amount}`, policy }),
      );
      if (sale === null) {
        await sleep(5);
        continue;
      }
      await drive(sale);
    }
  };
  await Promise.all([...earlier, ...Array.from({ length: options.lanes }, lane)]);
}
