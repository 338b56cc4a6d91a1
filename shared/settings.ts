import { z } from 'zod';
import { customAddressProblem } from './custom-address';
import { EnvironmentSchema } from './ipc/environment';
import { LANGUAGES } from './languages';
import { MAX_CENTS } from './money';

export { LANGUAGES, type Language } from './languages';
export const LanguageSchema = z.enum(LANGUAGES);

/** What the renderer may know about DropPay credentials: whether each is set, never its value. */
export const CredentialPresenceSchema = z.object({
  applicationKey: z.boolean(),
  applicationSecret: z.boolean(),
  connectionCode: z.boolean(),
  /** The POS ID is not a secret, so it is shown. */
  posId: z.string().nullable(),
  /**
   * False when the keychain could not be read just now (locked, its service gone): the fields
   * above then say nothing either way, and the rest of the settings still work.
   */
  readable: z.boolean(),
});
export type CredentialPresence = z.infer<typeof CredentialPresenceSchema>;

/** The terminal's settings as the settings screen shows them. Never holds a secret. */
export const SettingsViewSchema = z.object({
  environment: EnvironmentSchema,
  /** The DropPay address for the custom environment (null otherwise). */
  customBaseUrl: z.string().nullable(),
  storeName: z.string(),
  language: LanguageSchema,
  /** The customer display's language between sales; null = the till's. */
  customerLanguage: LanguageSchema.nullable(),
  /** The display the customer screen goes to (Electron display id); null = automatic. */
  customerDisplayId: z.number().int().nullable(),
  /** How often a waiting sale is polled, in milliseconds. */
  pollIntervalMs: z.number().int(),
  /**
   * Sales of this many cents or more ask the cashier to confirm the amount before DropPay is
   * asked (a missed comma: 1250 for 12,50). 0 = never ask.
   */
  confirmFromCents: z.number().int().min(0).max(MAX_CENTS),
  /** The shop's time zone (IANA), the business day's: times on screen are shown in it. */
  timeZone: z.string().min(1).max(64),
  /** The local hour the business day ends at (0 = midnight; 3 = a bar's 01:30 sale is the evening's). */
  cutoffHour: z.number().int().min(0).max(23),
  /** Whether refunds ask for a manager PIN. */
  managerPinSet: z.boolean(),
  /**
   * Seconds the manager PIN still refuses every PIN, as of this answer (too many wrong ones in
   * a row); 0: not locked. A form asking for the PIN says so before one is typed.
   */
  managerPinLockedSeconds: z.number().int().min(0),
  /**
   * True when a manager PIN is set and the settings are not unlocked with it: the environment,
   * credentials and account, business day, confirmation amount and backup folder then refuse
   * changes (SETTINGS_LOCKED). Never true during the first-run setup.
   */
  settingsLocked: z.boolean(),
  /**
   * Milliseconds the unlock still lasts as of this answer, unless a guarded change renews it;
   * 0 when locked or nothing is guarded. The settings screen locks itself when it runs out.
   */
  settingsUnlockMs: z.number().int().min(0),
  credentials: CredentialPresenceSchema,
  /** True until the first setup has been completed (first-run wizard). */
  firstRun: z.boolean(),
  /**
   * The environment this computer opens at every start whatever is chosen here (DROPPAY_ENV
   * is set): a different choice lasts until the app restarts. Null when the choice holds.
   */
  startsOn: EnvironmentSchema.nullable(),
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;

/** How often a waiting sale may be polled: the bounds the settings accept. */
export const POLL_INTERVAL_MIN_MS = 250;
export const POLL_INTERVAL_MAX_MS = 10_000;

/** Non-secret settings to change; omitted fields stay as they are. */
export const SettingsUpdateSchema = z.object({
  environment: EnvironmentSchema.optional(),
  // The length first, and final: a huge string is refused before any URL parsing.
  customBaseUrl: z
    .string()
    .max(500, { abort: true })
    .pipe(z.url({ protocol: /^https?$/ }))
    .refine((address) => customAddressProblem(address) === null, {
      message:
        'a custom DropPay address must be https (http only to this machine), with no user, query or fragment',
    })
    .nullable()
    .optional(),
  storeName: z.string().trim().min(1).max(80).optional(),
  language: LanguageSchema.optional(),
  customerLanguage: LanguageSchema.nullable().optional(),
  customerDisplayId: z.number().int().nullable().optional(),
  pollIntervalMs: z.number().int().min(POLL_INTERVAL_MIN_MS).max(POLL_INTERVAL_MAX_MS).optional(),
  confirmFromCents: z.number().int().min(0).max(MAX_CENTS).optional(),
  /**
   * The business-day rule, for sales from now on (past ones keep their day). Refused while a
   * sale is in progress, or when it would put the present moment in a day already closed.
   */
  timeZone: z.string().trim().min(1).max(64).optional(),
  cutoffHour: z.number().int().min(0).max(23).optional(),
  /** Marks the first-run setup as done. */
  completeFirstRun: z.literal(true).optional(),
});
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>;

const Secret = z.string().trim().min(1).max(512);

/**
 * Credentials for the current (production or custom) environment. Write-only: the answer is
 * the presence view, never the values. Omitted fields stay as they are.
 */
export const CredentialsInputSchema = z.object({
  /**
   * The environment the form showed them for. Refused when the till is on another one (a
   * choice on screen not saved yet): credentials never land in another environment's keychain.
   */
  environment: EnvironmentSchema,
  /** For custom, the address they were typed for: each custom address has its own entry. */
  baseUrl: z.string().max(500).optional(),
  applicationKey: Secret.optional(),
  applicationSecret: Secret.optional(),
  connectionCode: Secret.optional(),
  posId: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{4,32}$/, 'a POS ID is 4 to 32 letters and digits')
    .optional(),
});
export type CredentialsInput = z.infer<typeof CredentialsInputSchema>;

/**
 * Connecting the merchant's DropPay account from the till: DropPay's Connection API gives a
 * link the account holder opens (a QR on screen) and approves in the DropPay app; the till
 * then keeps the connection code in the keychain. The code itself never reaches the renderer.
 */
export const AccountConnectionSchema = z.object({
  status: z.enum(['WAITING', 'GRANTED', 'REFUSED', 'EXPIRED', 'REVOKED', 'CANCELLED']),
  /** The link to show as a QR while WAITING; null after. */
  sharingUrl: z.string().nullable(),
});
export type AccountConnection = z.infer<typeof AccountConnectionSchema>;

/** Sets, changes or (pin: null) removes the manager PIN; changing an existing one needs it. */
export const ManagerPinInputSchema = z.object({
  pin: z
    .string()
    .regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits')
    .nullable(),
  currentPin: z.string().max(8).optional(),
});
export type ManagerPinInput = z.infer<typeof ManagerPinInputSchema>;

/** The manager PIN, to unlock the guarded settings for a few minutes. */
export const SettingsUnlockInputSchema = z.strictObject({
  pin: z.string().min(1).max(8),
});
export type SettingsUnlockInput = z.infer<typeof SettingsUnlockInputSchema>;

/** A monitor the customer display can be put on. */
export const DisplayInfoSchema = z.object({
  id: z.number().int(),
  label: z.string(),
  primary: z.boolean(),
  width: z.number().int(),
  height: z.number().int(),
});
export type DisplayInfo = z.infer<typeof DisplayInfoSchema>;

export { customAddressProblem };
