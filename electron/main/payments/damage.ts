/**
 * A sale whose stored record names a time or a day that does not exist. The schema's CHECKs
 * hold every column to its pattern, and the journal refuses to open when a row breaks one
 * (quick_check at start-up), but a flipped digit can keep the pattern and still name no real
 * date: month 13, 31 February, 25 o'clock. Such a sale cannot be shown (its countdown, its
 * times) and must not be shown wrongly either: it is named as damaged instead, and everything
 * else on the till goes on working.
 */
import { isBusinessDay, type SaleDetail } from '../journal';
import { PaymentsError } from './errors';

export interface SaleDamage {
  /** The damaged column as `what.field`, e.g. `sale.createdAt`, `charge.updatedAt`. */
  field: string;
  /** The stored text, as it is. */
  value: string;
}

/** True for a stored instant that names a real time (the journal writes them with toISOString). */
export function isRealInstant(value: string): boolean {
  const t = Date.parse(value);
  return Number.isFinite(t) && new Date(t).toISOString() === value;
}

type Dated = { createdAt: string; updatedAt: string; businessDay: string };

function damageIn(what: string, row: Dated): SaleDamage | null {
  if (!isRealInstant(row.createdAt)) return { field: `${what}.createdAt`, value: row.createdAt };
  if (!isRealInstant(row.updatedAt)) return { field: `${what}.updatedAt`, value: row.updatedAt };
  if (!isBusinessDay(row.businessDay)) return { field: `${what}.businessDay`, value: row.businessDay };
  return null;
}

/** The first date of the sale, its charges or its refunds that names no real time; null when all do. */
export function saleDamage(detail: SaleDetail): SaleDamage | null {
  const rows: [string, Dated][] = [
    ['sale', detail.sale],
    ...detail.charges.map((c): [string, Dated] => ['charge', c]),
    ...detail.refunds.map((r): [string, Dated] => ['refund', r]),
  ];
  for (const [what, row] of rows) {
    const damage = damageIn(what, row);
    if (damage !== null) return damage;
  }
  return null;
}

/** The error for a damaged sale: what is wrong, in words, and what to do. */
export function damagedSaleError(detail: SaleDetail, damage: SaleDamage): PaymentsError {
  const ref = detail.sale.merchantRef;
  return new PaymentsError(
    'STORAGE',
    `The journal's record of sale ${ref} is damaged: its ${damage.field} "${damage.value}" is not a real date. ` +
      'The sale cannot be shown; restore the journal from a backup, or ask for support.',
    {
      saleId: detail.sale.id,
      detail: { key: 'journal.saleDamaged', params: { ref, field: damage.field, value: damage.value } },
    },
  );
}
