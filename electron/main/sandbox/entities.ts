import { centsToEuros } from '../../../shared/money';
import { SANDBOX_MERCHANT, SANDBOX_PAYER_NAME } from './config';
import type { SandboxCore } from './context';
import { formatIso } from './dates';
import {
  chargesOf,
  latestRefundOf,
  parseWebhooks,
  type AuthorizationRow,
  type ChargeRow,
  type ConnectionRow,
  type RefundRow,
} from './rows';

/**
 * Rows to the wire: euros instead of cents, ISO dates instead of epoch ms. Optional fields
 * that were never given are left out rather than sent as null.
 */

type Json = Record<string, unknown>;

function optional(key: string, value: string | number | null | undefined | Json): Json {
  return value === null || value === undefined ? {} : { [key]: value };
}

export function authorizationEntity(core: SandboxCore, row: AuthorizationRow): Json {
  const charges = chargesOf(core.db, row.id);
  const entity: Json = {
    id: row.id,
    pos_id: row.pos_id,
    description: row.description,
    charge_amount: centsToEuros(row.amount_cents),
    policy: row.policy,
    charge_max_count: row.max_count,
    charge_date_start: formatIso(row.date_start),
    ...optional('charge_date_end', row.date_end === null ? null : formatIso(row.date_end)),
    ...optional('merchant_custom_id', row.merchant_custom_id),
    ...optional('webhooks', parseWebhooks(row.webhooks)),
    ...optional('loopback_uri', row.loopback_uri),
    status: row.status,
    charge_success_count: row.success_count,
    date_creation: formatIso(row.created_at),
    date_last_update: formatIso(row.updated_at),
    sharing: `${core.publicBase}/pay/${row.id}`,
    charges: charges.map((c) => ({ id: c.id, amount: centsToEuros(c.amount_cents), status: c.status })),
    ...optional('charge_id', row.charge_id),
  };
  if (row.pay_token_val !== null && row.pay_token_issued !== null && row.pay_token_expiring !== null) {
    entity['pay_token'] = {
      val: row.pay_token_val,
      date_issued: formatIso(row.pay_token_issued),
      date_expiring: formatIso(row.pay_token_expiring),
      charge_available: row.status === 'GRANTED' ? row.max_count - row.success_count : 0,
    };
  }
  return entity;
}

export function refundEntity(row: RefundRow): Json {
  return {
    id: row.id,
    charge_id: row.charge_id,
    amount: centsToEuros(row.amount_cents),
    reason: row.reason,
    status: row.status,
    date_creation: formatIso(row.created_at),
    date_last_update: formatIso(row.updated_at),
  };
}

export function chargeEntity(core: SandboxCore, row: ChargeRow): Json {
  const refund = latestRefundOf(core.db, row.id);
  return {
    id: row.id,
    authorization_id: row.authorization_id,
    ...optional('pay_token_val', row.pay_token_val),
    amount: centsToEuros(row.amount_cents),
    description: row.description,
    ...optional('merchant_custom_id', row.merchant_custom_id),
    ...optional('merchant_custom_label', row.merchant_custom_label),
    status: row.status,
    date_creation: formatIso(row.created_at),
    ...optional('date_done', row.done_at === null ? null : formatIso(row.done_at)),
    pos_id: row.pos_id,
    merchant_business_name: SANDBOX_MERCHANT.name,
    payer_name: SANDBOX_PAYER_NAME,
    ...optional('refund', refund === undefined ? undefined : refundEntity(refund)),
  };
}

export function connectionEntity(core: SandboxCore, row: ConnectionRow): Json {
  const granted = row.status === 'GRANTED';
  return {
    id: row.id,
    status: row.status,
    sharing: `${core.publicBase}/connect/${row.id}`,
    ...optional('webhooks', parseWebhooks(row.webhooks)),
    ...optional('loopback_uri', row.loopback_uri),
    date_creation: formatIso(row.created_at),
    date_last_update: formatIso(row.updated_at),
    // The code is the merchant's long-lived secret: shown only while the connection stands.
    ...optional('code', granted ? row.code : null),
    ...optional('pos_id', granted ? row.pos_id : null),
  };
}

export function brandsEntity(): Json {
  const m = SANDBOX_MERCHANT;
  return {
    brands: [
      {
        id: m.brandId,
        name: m.name,
        image: null,
        description: m.description,
        business_categories: [...m.businessCategories],
        status: 'ACTIVE',
        stores: [{ id: m.store.id, name: m.store.name, place: m.store.place, address: m.store.address }],
      },
    ],
  };
}
