import { z } from 'zod';
import { PositiveCentsSchema } from './sales';
import { LanguageSchema } from './settings';

/**
 * How a payment ended, as the customer is told. `authorized`: a pre-authorization (BOOKED) the
 * payer approved; the shop captures it later. `unconfirmed`: the till has been finding out for
 * too long (an outcome in doubt, a cancel DropPay does not confirm): ask the cashier.
 */
export const DisplayOutcomeSchema = z.enum([
  'approved',
  'authorized',
  'declined',
  'expired',
  'cancelled',
  'failed',
  'unconfirmed',
]);
export type DisplayOutcome = z.infer<typeof DisplayOutcomeSchema>;

const Common = {
  language: LanguageSchema,
  merchantName: z.string().nullable(),
  storeName: z.string().nullable(),
};

/**
 * What the customer display shows. Main decides it from the sale events and pushes it; the
 * customer view has no other input and no other power.
 */
export const DisplayStateSchema = z.discriminatedUnion('mode', [
  /** Between sales: the brand and store. */
  z.object({ mode: z.literal('idle'), ...Common }),
  /** A sale waiting for the payer: amount, QR of the sharing link, countdown. */
  z.object({
    mode: z.literal('pay'),
    ...Common,
    saleId: z.string(),
    amount: PositiveCentsSchema,
    description: z.string(),
    /** A pre-authorization (BOOKED): the amount is held for the shop to capture, not taken. */
    reserve: z.boolean(),
    sharingUrl: z.string(),
    waitingExpiresAt: z.string(),
  }),
  /**
   * The payer approved and the till is charging (or still finding out whether the charge went
   * through): the QR goes away, so nobody scans it again or walks off thinking nothing happened.
   */
  z.object({
    mode: z.literal('processing'),
    ...Common,
    saleId: z.string(),
    amount: PositiveCentsSchema,
  }),
  /**
   * The cashier asked to cancel the sale on screen: the QR goes at once, so nobody approves a
   * sale the till is cancelling, until DropPay answers the cancel.
   */
  z.object({
    mode: z.literal('cancelling'),
    ...Common,
    saleId: z.string(),
    amount: PositiveCentsSchema,
  }),
  /** The sale's outcome, for a few seconds. */
  z.object({
    mode: z.literal('result'),
    ...Common,
    saleId: z.string(),
    amount: PositiveCentsSchema,
    outcome: DisplayOutcomeSchema,
  }),
  /** Thank you, then back to idle. */
  z.object({ mode: z.literal('thanks'), ...Common }),
]);
export type DisplayState = z.infer<typeof DisplayStateSchema>;
