import { channels, type Channel, type ChannelInput, type ChannelOutput } from '../../../shared/ipc/contract';
import { fail, invalidInput, unexpectedError, type Result } from '../../../shared/result';

/** Exactly one handler per channel: a missing or extra key is a type error. */
export type Handlers = {
  [C in Channel]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
};

function isChannel(name: string): name is Channel {
  return Object.hasOwn(channels, name);
}

/**
 * One call from the renderer, whichever transport carried it (Electron IPC or the loopback
 * bridge): the channel must exist, the input must match its schema, and the answer is always
 * a Result, never a thrown error.
 */
export async function dispatch(handlers: Handlers, channel: string, raw: unknown): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail('VALIDATION', 'Unknown request.', { key: 'request.unknown' });
  }
  const parsed = channels[channel].input.safeParse(raw);
  if (!parsed.success) {
    const detail = invalidInput(parsed.error.issues);
    const field = detail.params.field;
    return fail(
      'VALIDATION',
      `Invalid input for ${channel}${field === 'input' ? '' : ` (${field})`}.`,
      detail,
    );
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch {
    // Handlers map (and log) their own errors; anything reaching here is a bug, said as one.
    return { ok: false, error: unexpectedError() };
  }
}
