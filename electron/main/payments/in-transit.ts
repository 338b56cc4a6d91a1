/**
 * A POST whose answer was lost may still be on its way. The till gave up waiting, but the
 * request left this machine and DropPay can receive it and act on it later: a read-back that
 * shows nothing only proves the POST has not taken effect *yet*. So "it did not happen" is
 * concluded only once the POST can no longer take effect:
 *
 * - DropPay itself answered it (a 5xx other than a gateway's 502 or 504): it is done with it;
 * - or it left longer than `inTransitMs` ago. "Left" is taken at its latest: when the till gave
 *   up on it (the `unknown` outcome), not its intent, since getting a token can hold a POST back
 *   long after its intent is on file; after a crash, no earlier than this run's start, since
 *   the run that sent it ended before that. Measured on the terminal's clock, and also on a
 *   monotonic one (from when this run gave up on it, or from this run's start for a POST an
 *   earlier run sent): the window ends only when both say so, so a clock moved forward by
 *   hand or by NTP cannot end it early;
 * - or, for a charge, the pay token it carried can no longer charge (see charge-resolution.ts).
 *
 * Until then the charge or refund stays `unknown` and the resolver reads it back again when the
 * window closes.
 */
import { waitingNote as sharedWaitingNote } from '../../../shared/core-texts';
import { createHash } from 'node:crypto';
import { DropPayError } from '../droppay';
import type { Ctx } from './context';

/** Set on the `unknown` outcome of a POST DropPay answered itself. */
export const ANSWERED = 'answered_by_droppay';

/** A gateway's 502 and 504 say nothing about the server behind it, which may still be at work. */
const GATEWAY_STATUSES = new Set([502, 504]);

/** True when DropPay (not the network, nor a gateway in front of it) ended this POST. */
export function answeredByDropPay(error: unknown): boolean {
  if (!(error instanceof DropPayError) || error.status === undefined) return false;
  return !GATEWAY_STATUSES.has(error.status);
}

/** The `extra` of the `unknown` outcome recorded when a POST fails in doubt. */
export function inDoubtExtra(error: unknown): { [ANSWERED]: true } | Record<string, never> {
  return answeredByDropPay(error) ? { [ANSWERED]: true } : {};
}

/**
 * A short digest of the pay token a charge POST carried, kept in the charge intent so a
 * read-back can tell whether DropPay has replaced it. The token itself never reaches the journal.
 */
export function payKeyDigest(val: string): string {
  return createHash('sha256').update(val).digest('hex').slice(0, 16);
}

/**
 * Until when (epoch ms, terminal clock) the last POST of a charge or refund may still take
 * effect at DropPay, or null once it no longer can.
 */
export function inTransitUntil(
  ctx: Ctx,
  saleId: string,
  kind: 'charge' | 'refund',
  entityId: string,
): number | null {
  const events = ctx.journal.saleTimeline(saleId).filter((e) => e.entityId === entityId);
  const intent = events.findLastIndex((e) => e.kind === `${kind}.intent`);
  const sent = events[intent];
  if (sent === undefined) return null;
  const after = events.slice(intent + 1);
  if (after.some((e) => e.kind === `${kind}.unknown` && e.payload.extra?.[ANSWERED] === true)) return null;
  const gaveUp = after.find((e) => e.kind === `${kind}.unknown`);
  const left = gaveUp === undefined ? Math.max(Date.parse(sent.at), ctx.startedAt) : Date.parse(gaveUp.at);
  const now = ctx.now().getTime();
  const byClock = left + ctx.inTransitMs;
  // Unmarked: sent by an earlier run (gone before this one began), or never left this one.
  const leftMono = ctx.gaveUp.get(entityId) ?? ctx.startedMono;
  const byMonotonic = now + (leftMono + ctx.inTransitMs - ctx.monotonic());
  const until = Math.max(byClock, byMonotonic);
  return Number.isFinite(until) && now < until ? until : null;
}

/** The note for a charge or refund that shows nothing yet while its POST may still land. */
export function waitingNote(what: 'charge' | 'refund', until: number, now: number): string {
  return sharedWaitingNote(what, Math.max(1, Math.ceil((until - now) / 1000)));
}
