import { z } from 'zod';
import type { ChannelName } from './channel-names';

/**
 * Every channel the renderer can reach, with its input and output schemas. This file is the
 * renderer's whole power over the main process: the preload builds one typed method per
 * entry and nothing else, and main must register exactly one handler per entry.
 */

/** Which DropPay the terminal talks to. */
export const EnvironmentSchema = z.enum(['sandbox', 'production', 'custom']);
export type Environment = z.infer<typeof EnvironmentSchema>;

/** What the renderer may know about the DropPay connection: never a secret. */
export const ConnectionStateSchema = z.enum(['not_configured', 'connected', 'reconnect_needed']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

/** The terminal's status, for the first screen. */
export const AppStatusSchema = z.object({
  environment: EnvironmentSchema,
  baseUrl: z.string(),
  connection: ConnectionStateSchema,
  posId: z.string().nullable(),
  merchantName: z.string().nullable(),
  storeName: z.string().nullable(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

const NoInput = z.undefined();

/** The channel table: `domain:action` → schemas and a one-line description. */
export const channels = {
  /** The environment, connection state and merchant identity shown on the status bar. */
  'app:status': { input: NoInput, output: AppStatusSchema },
  /** Re-checks the connection to DropPay (token + brands) and returns the fresh status. */
  'app:check-connection': { input: NoInput, output: AppStatusSchema },
} as const satisfies Record<ChannelName, { input: z.ZodType; output: z.ZodType }>;

/** A channel name. */
export type Channel = keyof typeof channels;

// Both directions: a channel in the contract but not in CHANNEL_NAMES fails here, one in
// CHANNEL_NAMES but not in the contract fails at `satisfies` above.
const _sameChannels: ChannelName extends Channel ? (Channel extends ChannelName ? true : never) : never =
  true;
void _sameChannels;
/** The parsed input type of a channel. */
export type ChannelInput<C extends Channel> = z.infer<(typeof channels)[C]['input']>;
/** The output type of a channel. */
export type ChannelOutput<C extends Channel> = z.infer<(typeof channels)[C]['output']>;
