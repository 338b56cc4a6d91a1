/**
 * shared/sale-states.ts cannot import the journal (shared/ reaches neither side), so it repeats
 * the journal's closed sets. These lines stop the build the day the two differ in either direction.
 */
import type * as journal from '../journal';
import type * as sets from '../../../shared/sale-states';
import type * as shared from '../../../shared/sales';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

type Checks = [
  Same<journal.Policy, sets.Policy>,
  Same<journal.SaleState, sets.SaleState>,
  Same<journal.AuthorizationStatus, sets.AuthorizationStatus>,
  Same<journal.ChargeStatus, sets.ChargeStatus>,
  Same<journal.RefundStatus, sets.RefundStatus>,
  Same<journal.ChargeOrigin, shared.ChargeView['origin']>,
  // A sale's timeline shows every event kind except settings, which belong to no sale.
  Same<Exclude<journal.EventKind, 'setting.changed'>, sets.TimelineKind>,
];
const allSame: Checks = [true, true, true, true, true, true, true];
void allSame;
