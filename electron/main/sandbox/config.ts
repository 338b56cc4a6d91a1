/**
 * Fixed facts of the simulated DropPay world. Kept in one place so a demo can be re-skinned
 * (merchant name, store address) without touching behaviour.
 */

export const SANDBOX_MERCHANT = {
  brandId: 'BRDSANDBOX0001',
  name: 'Bar Sandbox',
  description: 'Bar e caffetteria (DropPay sandbox)',
  businessCategories: ['BAR'],
  store: {
    id: 'STRSANDBOX0001',
    name: 'Bar Sandbox',
    place: 'REAL',
    address: 'Via Roma 1, 20121 Milano MI',
  },
} as const;

/** The payer every sandbox authorization belongs to: there is only one phone in this world. */
export const SANDBOX_PAYER_NAME = 'Mario Rossi';

export const ACCESS_TOKEN_SECONDS = 3600;
/** Long enough never to matter in a session; a refresh token dies by being used, not by age. */
export const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
export const PAY_TOKEN_SECONDS = 180;

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_TEXT_LENGTH = 512;
export const MAX_REFERENCE_LENGTH = 256;
export const MAX_URL_LENGTH = 2048;
export const MAX_CHARGE_COUNT = 1000;

/** How often time-driven transitions are looked for when nobody is asking (for webhooks). */
export const SWEEP_INTERVAL_MS = 500;
/** A webhook receiver that hangs longer than this counts as a failed attempt. */
export const WEBHOOK_TIMEOUT_MS = 5000;

export const DEFAULTS = {
  waitingSeconds: 300,
  accountingDelaySeconds: 60,
  refundSettleSeconds: 2,
  webhookRetry: { attempts: 5, baseDelayMs: 500 },
} as const;
