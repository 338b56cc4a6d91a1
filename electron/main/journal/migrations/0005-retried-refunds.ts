/**
 * 0005: an index of the refunds asked again after a FAILED attempt (attempt > 1), by business
 * day. The end of day counts each earlier failed attempt of such a refund on the day it was
 * asked, and finds them through this index: a handful of rows, where without it every refund
 * after the day was read (a day in the middle of a year of sales paid for half a year of them).
 * Partial, so a refund asked once, nearly every refund, writes nothing more.
 * FROZEN once released: change the schema in a new file.
 */
import type { Migration } from './migration';

export const migration0005: Migration = {
  version: 5,
  name: 'retried-refunds',
  up(db) {
    db.exec('CREATE INDEX refunds_retried_by_day ON refunds (business_day, created_at) WHERE attempt > 1');
  },
};
