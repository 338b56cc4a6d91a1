import { channels, type Channel, type ChannelInput, type ChannelOutput } from '../../../shared/ipc/contract';
import { fail, type Result } from '../../../shared/result';

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
    const issue = parsed.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : 'input';
    return fail('VALIDATION', `Invalid input for ${channel}${field === 'input' ? '' : ` (${field})`}.`, {
      key: 'input.invalid',
      params: { field },
    });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<Result<unknown>>;
    return await handler(parsed.data);
  } catch {
    // Handlers map their own errors; anything reaching here is a bug, reported without detail.
    return fail('INTERNAL', 'Unexpected error.');
  }
}
