import { z } from 'zod';
import type { ChannelName, EventName } from './channel-names';
import { ConnectionStateSchema, EnvironmentSchema, ReachSchema } from './environment';
import {
  CheckSectionSchema,
  ClosedDaySchema,
  ClosedDaysExportInputSchema,
  DayCheckInputSchema,
  DayCheckProgressSchema,
  DayCloseInputSchema,
  DayExportInputSchema,
  DayInputSchema,
  DayReportSchema,
  ExportFileSchema,
} from '../day';
import { BackupFolderInputSchema, BackupStatusSchema } from '../backup';
import { DisplayStateSchema } from '../display';
import {
  CaptureInputSchema,
  RefundInputSchema,
  SaleFilterSchema,
  SaleListSchema,
  SaleViewSchema,
  StartSaleInputSchema,
  TimelineEntrySchema,
} from '../sales';
import { PendingSummarySchema, SaleEventSchema } from '../sale-events';
import {
  AccountConnectionSchema,
  CredentialsInputSchema,
  DisplayInfoSchema,
  LanguageSchema,
  ManagerPinInputSchema,
  SettingsUnlockInputSchema,
  SettingsUpdateSchema,
  SettingsViewSchema,
} from '../settings';

/**
 * Every channel the renderer can reach, with its input and output schemas, and every event
 * main pushes. This file is the renderer's whole power over the main process: the preload
 * builds one typed method per channel and nothing else, and main must register exactly one
 * handler per channel. Inputs are validated in main; outputs are checked in tests.
 */

export { ConnectionStateSchema, EnvironmentSchema };
export type { ConnectionState, Environment } from './environment';

/** The terminal's status, for the status bar. */
export const AppStatusSchema = z.object({
  environment: EnvironmentSchema,
  baseUrl: z.string(),
  connection: ConnectionStateSchema,
  /** Whether DropPay answered the latest call, and since when (ISO instant; null while unknown). */
  reach: ReachSchema,
  reachSince: z.string().nullable(),
  posId: z.string().nullable(),
  merchantName: z.string().nullable(),
  storeName: z.string().nullable(),
  /** When the newest copy of the journal failed (none since succeeded); null when all is well. */
  backupFailedAt: z.string().nullable(),
  /**
   * The business day it is now, when it is already closed (a sale made now is booked on it, as
   * a change after its closing), with the instant it ends; null while today is open.
   */
  dayClosed: z.object({ day: z.string(), endsAt: z.string() }).nullable(),
});
export type AppStatus = z.infer<typeof AppStatusSchema>;

const NoInput = z.undefined();
const SaleRef = z.object({ saleId: z.string().min(1).max(64) });

/** The channel table: `domain:action` → schemas. */
export const channels = {
  /** The environment, connection state and merchant identity shown on the status bar. */
  'app:status': { input: NoInput, output: AppStatusSchema },
  /** Re-checks the connection to DropPay (token + brands) and returns the fresh status. */
  'app:check-connection': { input: NoInput, output: AppStatusSchema },
  /** The settings screen's view: non-secret settings and which credentials are set. */
  'settings:get': { input: NoInput, output: SettingsViewSchema },
  /**
   * Changes non-secret settings (environment, store name, language, display, poll interval); the
   * environment, business day and confirmation amount only while unlocked when a PIN is set.
   */
  'settings:update': { input: SettingsUpdateSchema, output: SettingsViewSchema },
  /** Writes DropPay credentials to the OS keychain (unlocked, with a PIN); never read back. */
  'settings:set-credentials': { input: CredentialsInputSchema, output: SettingsViewSchema },
  /** Sets, changes or removes the manager PIN that guards refunds and the settings that move money (stored as a hash). */
  'settings:set-manager-pin': { input: ManagerPinInputSchema, output: SettingsViewSchema },
  /** Checks the manager PIN (refunds' count and lock) and unlocks the guarded settings for a while. */
  'settings:unlock': { input: SettingsUnlockInputSchema, output: SettingsViewSchema },
  /** Locks the guarded settings again now (the settings screen was left). */
  'settings:lock': { input: NoInput, output: SettingsViewSchema },
  /** The monitors the customer display can go to. */
  'settings:list-displays': { input: NoInput, output: z.array(DisplayInfoSchema) },
  /** Asks DropPay for a link that connects the merchant's account (key and secret set first). */
  'connection:start': { input: NoInput, output: AccountConnectionSchema },
  /** Reads the connection back; once approved its code goes to the keychain, never here. */
  'connection:status': { input: NoInput, output: AccountConnectionSchema },
  /** Withdraws a connection the account holder has not approved yet. */
  'connection:cancel': { input: NoInput, output: AccountConnectionSchema },
  /** Starts a sale: records it, creates the DropPay authorization, returns it with its link. */
  'sale:start': { input: StartSaleInputSchema, output: SaleViewSchema },
  /** Cancels a sale still waiting for the payer. */
  'sale:cancel': { input: SaleRef, output: SaleViewSchema },
  /** Captures an open pre-authorization (BOOKED) for up to the booked amount. */
  'sale:capture': { input: CaptureInputSchema, output: SaleViewSchema },
  /** Charges a failed CHARGEABLE sale again while DropPay still has it granted (no new QR). */
  'sale:retry-charge': { input: SaleRef, output: SaleViewSchema },
  /** One sale with its charges and refunds. */
  'sale:get': { input: SaleRef, output: SaleViewSchema },
  /** The sale in progress at the customer (its QR out, being charged...), or null. */
  'sale:current': { input: NoInput, output: SaleViewSchema.nullable() },
  /** The history: sales matching a filter, newest first. */
  'sale:list': { input: SaleFilterSchema, output: SaleListSchema },
  /** A sale's history from the journal. */
  'sale:timeline': { input: SaleRef, output: z.array(TimelineEntrySchema) },
  /** Refunds a charge (once, up to its amount), with the manager PIN when one is set. */
  'refund:create': { input: RefundInputSchema, output: SaleViewSchema },
  /** Operations whose outcome is not known yet, for the banner. */
  'payments:pending': { input: NoInput, output: PendingSummarySchema },
  /** Reads every operation in doubt back from DropPay now ("check now"), then lists what is left. */
  'payments:recheck': { input: NoInput, output: PendingSummarySchema },
  /** What the customer display shows now (its first paint; then it follows `display` events). */
  'display:state': { input: NoInput, output: DisplayStateSchema },
  /**
   * The language of the customer display for the customer there now (null: the shop's again),
   * or, with `sameCustomerAs`, the one chosen for that sale's customer, for the next sale
   * (*Try again*); it goes back by itself once their sale is done. The cashier's only.
   */
  'display:language': {
    input: z.union([
      z.strictObject({ language: LanguageSchema.nullable() }),
      z.strictObject({ sameCustomerAs: SaleRef.shape.saleId }),
    ]),
    output: DisplayStateSchema,
  },
  /** The end-of-day report of a business day (today's by default); a closed day's is the stored one. */
  'day:report': { input: DayInputSchema, output: DayReportSchema },
  /** Checks a day line by line with DropPay (resumable; progress arrives as `day` events). */
  'day:check': { input: DayCheckInputSchema, output: CheckSectionSchema },
  /** Closes a day for good (refused while outcomes are unknown, unless forced with a reason). */
  'day:close': { input: DayCloseInputSchema, output: DayReportSchema },
  /** A day's report as a CSV, PDF or JSON file for the renderer to save. */
  'day:export': { input: DayExportInputSchema, output: ExportFileSchema },
  /** The closed days, newest first. */
  'day:closures': { input: NoInput, output: z.array(ClosedDaySchema) },
  /** Every closed day as one CSV line with a total, for the accountant. */
  'day:export-closures': { input: ClosedDaysExportInputSchema, output: ExportFileSchema },
  /** Where copies of the journal go, and the last one written (or the last failure). */
  'backup:status': { input: NoInput, output: BackupStatusSchema },
  /** Writes today's copy of the journal now and checks it. */
  'backup:now': { input: NoInput, output: BackupStatusSchema },
  /** Sets the folder for the copies (a full path; null: the data folder); unlocked, with a PIN. */
  'backup:set-folder': { input: BackupFolderInputSchema, output: BackupStatusSchema },
} as const satisfies Record<ChannelName, { input: z.ZodType; output: z.ZodType }>;

/** The push events: name → payload schema. */
export const events = {
  /** A sale changed, its link is ready, or a recovery pass ran. */
  sale: SaleEventSchema,
  /** The customer display's new state. */
  display: DisplayStateSchema,
  /** The connection status changed (e.g. reconnect needed). */
  status: AppStatusSchema,
  /** A check of a day with DropPay made progress (or ended). */
  day: DayCheckProgressSchema,
} as const satisfies Record<EventName, z.ZodType>;

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
/** The payload type of a push event. */
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;
