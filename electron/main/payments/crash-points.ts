/**
 * Named moments in the flows where a crash is most dangerous. The service calls its
 * `crashPoint` option synchronously at each one; the torture tests SIGKILL the process there
 * and check that recovery loses nothing. The names are a contract with those tests: keep them.
 */
export const CRASH_POINTS = [
  'authorization.after-intent', // intent committed, before the POST
  'authorization.after-response', // response received, before the journal write
  'charge.after-intent',
  'charge.after-response',
  'refund.after-intent',
  'refund.after-response',
  'capture.after-intent',
  'capture.after-response',
  'cancel.after-intent',
] as const;

export type CrashPointName = (typeof CRASH_POINTS)[number];

export type CrashPoint = (name: CrashPointName) => void;
