/**
 * shared/sales.ts cannot import the journal (shared/ reaches neither side), so it repeats the
 * journal's closed sets. These lines stop the build the day the two differ in either direction.
 */
import type * as journal from '../journal';
import type * as shared from '../../../shared/sales';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Checks = [
  Same<journal.Policy, shared.Policy>,
  Same<journal.SaleState, shared.SaleState>,
  Same<journal.AuthorizationStatus, shared.AuthorizationStatus>,
  Same<journal.ChargeStatus, shared.ChargeStatus>,
  Same<journal.RefundStatus, shared.RefundStatus>,
  Same<journal.ChargeOrigin, shared.ChargeView['origin']>,
  // A sale's timeline shows every event kind except settings, which belong to no sale.
  Same<Exclude<journal.EventKind, 'setting.changed'>, shared.TimelineKind>,
];
const allSame: Checks = [true, true, true, true, true, true, true];
void allSame;
