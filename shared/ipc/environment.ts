import { z } from 'zod';

/** Which DropPay the terminal talks to. */
export const EnvironmentSchema = z.enum(['sandbox', 'production', 'custom']);
export type Environment = z.infer<typeof EnvironmentSchema>;

/** What the renderer may know about the DropPay connection: never a secret. */
export const ConnectionStateSchema = z.enum(['not_configured', 'connected', 'reconnect_needed']);
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;

/** Whether DropPay answered the till's latest call (`unknown` before the first one ends). */
export const ReachSchema = z.enum(['unknown', 'answering', 'not_answering']);
export type Reach = z.infer<typeof ReachSchema>;
