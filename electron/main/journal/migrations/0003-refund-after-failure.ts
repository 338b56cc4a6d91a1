/**
 * 0003: a refund DropPay accepted and then marked FAILED moved no money, so the charge may be
 * refunded again (the contract's choice: a FAILED refund does not use up the charge's one
 * refund). Version 1 allowed a new attempt only after a refund DropPay never accepted (FAILED
 * with no DropPay id): the two triggers that kept a refund's DropPay id and terms fixed now
 * also let a FAILED refund with an id go back to `intent`, clearing the id for the new attempt.
 * The old DropPay id stays in the event log. FROZEN once released: change the schema in a new
 * file.
 */
import type { Migration } from './migration';

const SQL = `
DROP TRIGGER refunds_droppay_id_once;
CREATE TRIGGER refunds_droppay_id_once BEFORE UPDATE OF droppay_id ON refunds
  WHEN OLD.droppay_id IS NOT NULL AND NEW.droppay_id IS NOT OLD.droppay_id
    AND NOT (OLD.status = 'FAILED' AND NEW.status = 'intent' AND NEW.droppay_id IS NULL)
  BEGIN SELECT RAISE(ABORT, 'refunds: droppay_id cannot change once set'); END;
DROP TRIGGER refunds_terms_fixed;
-- Amount and reason may change only for a new attempt after one that FAILED.
CREATE TRIGGER refunds_terms_fixed BEFORE UPDATE OF amount, reason ON refunds
  WHEN (NEW.amount IS NOT OLD.amount OR NEW.reason IS NOT OLD.reason)
    AND NOT (OLD.status = 'FAILED' AND NEW.status = 'intent')
  BEGIN SELECT RAISE(ABORT, 'refunds: amount and reason are fixed once sent'); END;
`;

export const migration0003: Migration = {
  version: 3,
  name: 'refund-after-failure',
  up(db) {
    db.exec(SQL);
  },
};
