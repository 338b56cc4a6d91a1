/**
 * The names of every IPC channel and push event, without their schemas, so the sandboxed
 * preload can build its methods without bundling zod. contract.ts pairs each name with its
 * schemas, and a type check makes a name missing from either list a compile error.
 */
export const CHANNEL_NAMES = [
  'app:status',
  'app:check-connection',
  'settings:get',
  'settings:update',
  'settings:set-credentials',
  'settings:set-manager-pin',
  'settings:unlock',
  'settings:lock',
  'settings:list-displays',
  'connection:start',
  'connection:status',
  'connection:cancel',
  'sale:start',
  'sale:cancel',
  'sale:capture',
  'sale:retry-charge',
  'sale:get',
  'sale:current',
  'sale:list',
  'sale:timeline',
  'refund:create',
  'payments:pending',
  'payments:recheck',
  'display:state',
  'display:language',
  'day:report',
  'day:check',
  'day:close',
  'day:export',
  'day:closures',
  'day:export-closures',
  'backup:status',
  'backup:now',
  'backup:set-folder',
] as const;

/** A channel name. */
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Events main pushes to the renderer. */
export const EVENT_NAMES = ['sale', 'display', 'status', 'day'] as const;

/** A push event name. */
export type EventName = (typeof EVENT_NAMES)[number];

/** Channels the customer display window may call; every other channel refuses it. */
export const CUSTOMER_CHANNELS: readonly ChannelName[] = ['display:state'];

/** Events the customer display window receives. */
export const CUSTOMER_EVENTS: readonly EventName[] = ['display'];

/** The IPC channel a push event travels on. */
export function eventChannel(event: EventName): string {
  return `event:${event}`;
}

/** The camelCase method name the preload exposes for a channel: `app:check-connection` → `appCheckConnection`. */
export function methodName(channel: string): string {
  return channel.replace(/[:-](\w)/g, (_m, c: string) => c.toUpperCase());
}
