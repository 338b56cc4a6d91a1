/**
 * Why a read-back did not settle an operation. The resolution rules (charge-resolution.ts,
 * refund-flow.ts, sale-flow.ts) answer only "resolved" or "unknown"; the resolver runs each
 * item with a client that also reports the last DropPay failure it met, so the banner can say
 * "DropPay is not reachable" rather than only "still unknown".
 */
import { DropPayError, type DropPayClient } from '../droppay';

/** `client`, the same in every way, except that each DropPayError it throws is also given to `onError`. */
export function reportingClient(
  client: DropPayClient,
  onError: (error: DropPayError) => void,
): DropPayClient {
  const watch =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await call(...args);
      } catch (error) {
        if (error instanceof DropPayError) onError(error);
        throw error;
      }
    };
  const { authorizations: a, charges: c, refunds: r } = client;
  return {
    tokens: client.tokens,
    reach: client.reach,
    state: () => client.state(),
    brands: client.brands,
    connection: client.connection,
    authorizations: {
      create: watch(a.create.bind(a)),
      get: watch(a.get.bind(a)),
      cancel: watch(a.cancel.bind(a)),
    },
    charges: { create: watch(c.create.bind(c)), get: watch(c.get.bind(c)) },
    refunds: { create: watch(r.create.bind(r)), get: watch(r.get.bind(r)) },
  };
}
