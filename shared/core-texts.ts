/**
 * The core's own English texts that end up on screen from the journal: the notes and errors
 * it writes on sales, charges and refunds, and the client's words for DropPay's answers. The
 * journal keeps them in English, as the record; the renderer recognises them here and words
 * them in the cashier's language (renderer/src/i18n/details.ts). Writers use these constants,
 * so the two sides cannot drift apart; a text not listed is shown as it was written.
 */
import type { DropPayErrorKindName } from './result';

/** The DropPay client's text for each kind of failure (droppay/errors.ts). */
export const DROPPAY_ERROR_MESSAGES: Record<DropPayErrorKindName, string> = {
  VALIDATION: 'DropPay rejected the request as invalid.',
  AUTH_INVALID_CREDENTIALS: 'DropPay did not accept the application credentials.',
  AUTH_TOKEN: 'The DropPay session expired.',
  RECONNECT_NEEDED: 'The DropPay connection is no longer valid: reconnect the merchant account.',
  NOT_CONFIGURED: 'DropPay is not set up on this till yet.',
  FORBIDDEN_RESOURCE: 'This DropPay item belongs to another merchant.',
  CHARGE_NOT_ALLOWED: 'The payment cannot be charged: it is not approved or does not allow it.',
  CHARGE_OUT_OF_SCOPE: 'The payment cannot be charged: amount, time window or number of charges not allowed.',
  ALREADY_REFUNDED: 'This payment has already been refunded.',
  NOT_FOUND: 'DropPay does not know this item.',
  PAY_TOKEN_EXPIRED: 'The payment approval has expired or been replaced.',
  RATE_LIMITED: 'DropPay is busy: try again in a moment.',
  SERVER: 'DropPay is having trouble: try again in a moment.',
  NETWORK: 'DropPay cannot be reached: check the internet connection.',
  TIMEOUT: 'DropPay did not answer in time.',
  OUTCOME_UNKNOWN: 'DropPay did not confirm the request: checking whether it went through.',
  MALFORMED_RESPONSE: 'DropPay sent an answer the till cannot read.',
  UNEXPECTED: 'DropPay answered in an unexpected way.',
};

/** Notes and errors the payments flows write in the journal. */
export const JOURNAL_TEXTS = {
  notChargedRetryCharge:
    'Not charged, and DropPay could not be read to charge again: the till tries again by itself.',
  notChargedRetryCapture:
    'Not charged, and DropPay could not be read to charge again: the till tries again when the capture is repeated.',
  notChargedTwice:
    'Not charged: DropPay took neither attempt. The approval still stands: charge again from the sale.',
  payTokenExpired: 'Not charged: the pay token had expired or been replaced (410).',
  chargeOnceMore: 'Charged once more on the same approval, with a fresh pay token.',
  noSuchCharge: 'Not charged: DropPay lists no such charge and its success count did not change.',
  chargedAtGrant: 'charged by DropPay at grant',
  foundOnAuthorization: 'found on the authorization',
  noSuchRefund: 'Not refunded: DropPay shows no refund on this charge.',
  stoppedBeforeAsking: 'The till stopped before asking DropPay for this payment: nothing was sent.',
  cancelledAfterApproval: 'Cancelled by the cashier; the payer had approved, but nothing was charged.',
  cancelledBeforeLink: 'Cancelled by the cashier before any payment link was shown.',
  cancelledUnknownToDropPay:
    'Cancelled by the cashier. DropPay no longer knows this authorization (404); the till makes ' +
    'every charge itself and made none, so no money moved.',
  expiredUnknownToDropPay:
    'Its waiting time is over and DropPay no longer knows this authorization (404); the till ' +
    'makes every charge itself and made none, so no money moved.',
  readBack: 'read back',
  foundByReadBack: 'found by reading the authorization back',
  foundByReadingCharge: 'found by reading the charge back',
  idFoundOnAuthorization: 'DropPay id found on the authorization',
  neverConfirmed:
    'DropPay never confirmed the authorization request and it cannot be looked up. Its payment ' +
    'link was never shown and its waiting time is over, so nothing can be charged: no money moved.',
} as const;
export type JournalTextKey = keyof typeof JOURNAL_TEXTS;

/** "DropPay shows no charge yet…": a read-back that is not proof yet, with the seconds left. */
export function waitingNote(what: 'charge' | 'refund', seconds: number): string {
  return `DropPay shows no ${what} yet, but the request may still reach it: read back again in ${seconds} s.`;
}
const WAITING =
  /^DropPay shows no (charge|refund) yet, but the request may still reach it: read back again in (\d+) s\.$/;

/** Texts with values in them: how each is written, and how it is recognised. */
export const JOURNAL_PATTERNS = {
  successCountRose: {
    write: (from: number, to: number) =>
      `charge_success_count went from ${from} to ${to}: charged; DropPay id to be found at reconciliation`,
    read: /^charge_success_count went from (?<from>\d+) to (?<to>\d+): charged; DropPay id to be found at reconciliation$/,
  },
  successCountStill: {
    write: (count: number) => `read back: charge_success_count still ${count}`,
    read: /^read back: charge_success_count still (?<count>\d+)$/,
  },
  answerMismatch: {
    /** Amounts as decimal strings ("12.50"), each with the DropPay entity it is on. */
    write: (id: string, got: readonly [string, string], asked: readonly [string, string]) =>
      `DropPay answered with ${id}, which does not match the request (${got[0]} € on ${got[1]} instead of ${asked[0]} € on ${asked[1]}): left in doubt for the day's check.`,
    read: /^DropPay answered with (?<id>\S+), which does not match the request \((?<gotAmount>\d+\.\d{2}) € on (?<gotOn>\S+) instead of (?<askedAmount>\d+\.\d{2}) € on (?<askedOn>\S+)\): left in doubt for the day's check\.$/,
  },
  labelledOther: {
    write: (chargeId: string, label: string) =>
      `DropPay lists charge ${chargeId}, labelled ${label}, not this one: left in doubt for the day's check.`,
    read: /^DropPay lists charge (?<chargeId>\S+), labelled (?<label>\S+), not this one: left in doubt for the day's check\.$/,
  },
  settledAtCheck: {
    write: (day: string) => `settled by reconciling ${day}`,
    read: /^settled by reconciling (?<day>\d{4}-\d\d-\d\d)$/,
  },
  placedAtCheck: {
    write: (day: string) => `placed by reconciling ${day}`,
    read: /^placed by reconciling (?<day>\d{4}-\d\d-\d\d)$/,
  },
  successCountAtCheck: {
    write: (day: string, count: number, known: number) =>
      `reconciling ${day}: charge_success_count ${count}, ${known} known`,
    read: /^reconciling (?<day>\d{4}-\d\d-\d\d): charge_success_count (?<count>\d+), (?<known>\d+) known$/,
  },
  idFoundAtCheck: {
    write: (day: string) => `DropPay id found on the authorization while reconciling ${day}`,
    read: /^DropPay id found on the authorization while reconciling (?<day>\d{4}-\d\d-\d\d)$/,
  },
  foundAtCheck: {
    write: (day: string) => `found on the authorization while reconciling ${day}`,
    read: /^found on the authorization while reconciling (?<day>\d{4}-\d\d-\d\d)$/,
  },
  otherRefund: {
    write: (refundId: string) => `Not refunded: the charge already has refund ${refundId} of another amount.`,
    read: /^Not refunded: the charge already has refund (?<refundId>\S+) of another amount\.$/,
  },
} as const;
export type JournalPatternName = keyof typeof JOURNAL_PATTERNS;

/** What a core text on screen is, for the renderer to word it; null when it is not ours. */
export type CoreText =
  | { kind: 'journal'; key: JournalTextKey }
  | { kind: 'pattern'; name: JournalPatternName; params: Record<string, string> }
  | { kind: 'droppay'; error: DropPayErrorKindName; description: string | null }
  | { kind: 'waiting'; what: 'charge' | 'refund'; seconds: number };

const byText = new Map<string, JournalTextKey>(
  (Object.entries(JOURNAL_TEXTS) as [JournalTextKey, string][]).map(([k, t]) => [t, k]),
);

export function parseCoreText(text: string): CoreText | null {
  const key = byText.get(text);
  if (key !== undefined) return { kind: 'journal', key };
  const waiting = WAITING.exec(text);
  if (waiting)
    return { kind: 'waiting', what: waiting[1] as 'charge' | 'refund', seconds: Number(waiting[2]) };
  for (const [name, pattern] of Object.entries(JOURNAL_PATTERNS) as [
    JournalPatternName,
    (typeof JOURNAL_PATTERNS)[JournalPatternName],
  ][]) {
    const match = pattern.read.exec(text);
    if (match?.groups) return { kind: 'pattern', name, params: { ...match.groups } };
  }
  for (const [error, message] of Object.entries(DROPPAY_ERROR_MESSAGES) as [DropPayErrorKindName, string][]) {
    if (text === message) return { kind: 'droppay', error, description: null };
    // droppayErrorText: the client's words, then DropPay's own in brackets.
    if (text.startsWith(`${message} (`) && text.endsWith(')')) {
      return { kind: 'droppay', error, description: text.slice(message.length + 2, -1) };
    }
  }
  return null;
}
