/**
 * The names of every IPC channel, without their schemas, so the sandboxed preload can build
 * its methods without bundling zod. contract.ts pairs each name with its schemas and a type
 * check makes a name missing from either list a compile error.
 */
export const CHANNEL_NAMES = ['app:status', 'app:check-connection'] as const;

/** A channel name. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The camelCase method name the preload exposes for a channel: `app:check-connection` → `appCheckConnection`. */
export function methodName(channel: string): string {
  return channel.replace(/[:-](\w)/g, (_m, c: string) => c.toUpperCase());
}
