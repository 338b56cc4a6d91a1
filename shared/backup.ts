import { z } from 'zod';
import { ErrorDetailSchema } from './sale-events';

/** The last copy of the journal written for safe keeping. */
export const BackupCopySchema = z.object({
  at: z.string().min(1),
  /** The copy's full path. */
  file: z.string().min(1),
  bytes: z.number().int().min(0),
  /** Events in the copy; null for a copy an earlier run wrote (found in the folder). */
  events: z.number().int().min(0).nullable(),
  /** The business day it was taken on (one copy a day is kept, the latest of that day). */
  day: z.string().min(1),
  /**
   * The first event whose hash link is broken, in the copy and so in the journal it is a
   * faithful copy of (altered outside the till); null when the chain holds, or not read (an
   * earlier run's copy found in the folder).
   */
  chainBrokenAt: z.number().int().min(1).nullable(),
});
export type BackupCopy = z.infer<typeof BackupCopySchema>;

/** Where copies of the journal go, the last one written, and the last failure since. */
export const BackupStatusSchema = z.object({
  folder: z.string().min(1),
  /** True when the folder is the default one inside the data folder (same disk as the journal). */
  defaultFolder: z.boolean(),
  /** How many daily copies are kept; older ones are removed. */
  keep: z.number().int().min(1),
  last: BackupCopySchema.nullable(),
  /** The newest attempt, when it failed (the folder gone: a USB stick unplugged, say). */
  failure: z.object({ at: z.string().min(1), detail: ErrorDetailSchema, message: z.string() }).nullable(),
});
export type BackupStatus = z.infer<typeof BackupStatusSchema>;

/** A folder for the copies (absolute); null puts them back in the data folder. */
export const BackupFolderInputSchema = z.object({ folder: z.string().trim().min(1).max(500).nullable() });
export type BackupFolderInput = z.infer<typeof BackupFolderInputSchema>;
