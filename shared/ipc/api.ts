import type { Result } from '../result';
import type { EventName } from './channel-names';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from './contract';

type CamelCase<S extends string> = S extends `${infer A}:${infer B}`
  ? `${A}${Capitalize<CamelCase<B>>}`
  : S extends `${infer A}-${infer B}`
    ? `${A}${Capitalize<CamelCase<B>>}`
    : S;

/** One method: no argument when the channel takes no input. */
type Method<C extends Channel> =
  ChannelInput<C> extends undefined
    ? () => Promise<Result<ChannelOutput<C>>>
    : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;

/** Subscribes to a push event; returns the function that unsubscribes. */
export type Subscribe = <E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
) => () => void;

/**
 * The API the preload exposes as `window.cashier`, derived from the channel table so the two
 * cannot drift: one method per channel, plus `on` for push events, nothing else.
 */
export type CashierApi = { [C in Channel as CamelCase<C>]: Method<C> } & { on: Subscribe };
