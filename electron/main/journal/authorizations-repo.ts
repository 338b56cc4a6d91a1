/**
 * The DropPay authorization behind a sale: the intent before the POST, what the POST gave,
 * and the statuses read back afterwards. One transaction per call, like every record*.
 */
import type { JsonObject } from './canonical-json';
import type { Core } from './core';
import { JournalStateError } from './errors';
import { type SaleRow, toSale } from './rows';
import { hasOpenCharge, loadSale, saveSale } from './sales-repo';
import {
  AUTHORIZATION_STATUSES,
  FINAL_SALE_STATES,
  type AuthorizationStatus,
  type Policy,
  type Sale,
  type SaleState,
} from './types';
import * as v from './validate';

/** The sale state an authorization status means, before any charge is in play. */
export const AUTHORIZATION_TO_SALE: Record<AuthorizationStatus, SaleState> = {
  WAITING: 'waiting',
  GRANTED: 'granted',
  REFUSED: 'refused',
  CANCELLED: 'cancelled',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
};

/** Before POSTing the authorization. A sale DropPay never accepted ('failed', no id) may try again. */
export function recordAuthorizationIntent(core: Core, saleId: string, extra?: JsonObject): Sale {
  return core.write('recordAuthorizationIntent', (tx) => {
    const sale = loadSale(core, saleId);
    const retry = sale.state === 'failed' && sale.authorization_id === null;
    if (sale.state !== 'created' && !retry) {
      throw new JournalStateError(
        `sale ${saleId} is ${sale.state}; an authorization can only be requested for a new sale`,
      );
    }
    const seq = tx.append(
      'authorization.create.intent',
      { correlationId: saleId, entityId: saleId },
      {
        merchant_ref: sale.merchant_ref,
        amount: sale.amount,
        description: sale.description,
        policy: sale.policy as Policy,
        sale_state: 'authorizing',
      },
      extra,
    );
    return toSale(saveSale(core, tx, sale, { state: 'authorizing', last_error: null }, seq));
  });
}

function assertAwaitingCreation(sale: SaleRow): void {
  const inDoubt =
    sale.state === 'authorizing' || (sale.state === 'unknown' && sale.authorization_id === null);
  if (!inDoubt)
    throw new JournalStateError(`sale ${sale.id} is ${sale.state}; no authorization request is pending`);
}

/** DropPay answered the POST (or recovery found the authorization). */
export function recordAuthorizationCreated(
  core: Core,
  saleId: string,
  created: { authorizationId: string; sharingUrl: string; status?: AuthorizationStatus; extra?: JsonObject },
): Sale {
  const authorizationId = v.id(created.authorizationId, 'authorizationId');
  const sharingUrl = v.text(created.sharingUrl, 'sharingUrl', 2048);
  const status = v.oneOf(created.status ?? 'WAITING', AUTHORIZATION_STATUSES, 'authorization status');
  return core.write('recordAuthorizationCreated', (tx) => {
    const sale = loadSale(core, saleId);
    assertAwaitingCreation(sale);
    const state = AUTHORIZATION_TO_SALE[status];
    const seq = tx.append(
      'authorization.created',
      { correlationId: saleId, entityId: saleId },
      {
        authorization_id: authorizationId,
        sharing_url: sharingUrl,
        authorization_status: status,
        sale_state: state,
      },
      created.extra,
    );
    const changes = {
      state,
      authorization_id: authorizationId,
      authorization_status: status,
      sharing_url: sharingUrl,
      last_error: null,
    };
    return toSale(saveSale(core, tx, sale, changes, seq));
  });
}

/** DropPay rejected the POST, or it certainly never left the terminal: no authorization exists. */
export function recordAuthorizationFailed(
  core: Core,
  saleId: string,
  error: string,
  extra?: JsonObject,
): Sale {
  const message = v.errorText(error) ?? 'authorization failed';
  return core.write('recordAuthorizationFailed', (tx) => {
    const sale = loadSale(core, saleId);
    assertAwaitingCreation(sale);
    const seq = tx.append(
      'authorization.create.failed',
      { correlationId: saleId, entityId: saleId },
      { error: message, sale_state: 'failed' },
      extra,
    );
    return toSale(saveSale(core, tx, sale, { state: 'failed', last_error: message }, seq));
  });
}

/** The POST may or may not have created an authorization (timeout, 5xx, dropped connection). */
export function recordAuthorizationUnknown(
  core: Core,
  saleId: string,
  error: string,
  extra?: JsonObject,
): Sale {
  const message = v.errorText(error) ?? 'authorization outcome unknown';
  return core.write('recordAuthorizationUnknown', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.state === 'unknown' && sale.authorization_id === null) return toSale(sale);
    assertAwaitingCreation(sale);
    const seq = tx.append(
      'authorization.create.unknown',
      { correlationId: saleId, entityId: saleId },
      { error: message, sale_state: 'unknown' },
      extra,
    );
    return toSale(saveSale(core, tx, sale, { state: 'unknown', last_error: message }, seq));
  });
}

/**
 * What DropPay says the authorization is now (a poll or a webhook read back). Recording the
 * status already on file writes nothing, so polling does not flood the journal. The sale
 * follows the authorization only before any charge: once money is in play, the charge's
 * outcome decides, and a final sale stays final.
 */
export function recordAuthorizationStatus(
  core: Core,
  saleId: string,
  status: AuthorizationStatus,
  detail: { note?: string; extra?: JsonObject } = {},
): Sale {
  v.oneOf(status, AUTHORIZATION_STATUSES, 'authorization status');
  const note = v.errorText(detail.note);
  return core.write('recordAuthorizationStatus', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.authorization_id === null)
      throw new JournalStateError(`sale ${saleId} has no authorization yet`);
    if (sale.authorization_status === status) return toSale(sale);
    const frozen = FINAL_SALE_STATES.has(sale.state as SaleState) || hasOpenCharge(core, saleId);
    const state = frozen ? (sale.state as SaleState) : AUTHORIZATION_TO_SALE[status];
    const seq = tx.append(
      'authorization.status',
      { correlationId: saleId, entityId: saleId },
      { authorization_status: status, sale_state: state, note },
      detail.extra,
    );
    return toSale(saveSale(core, tx, sale, { state, authorization_status: status }, seq));
  });
}

/**
 * The link DropPay gives now for a waiting authorization, when it is not the one on record (the
 * embedded sandbox's links carry the port it listens on, which changes when the app restarts).
 * The same link writes nothing; a sale no longer waiting keeps the link it had.
 */
export function recordAuthorizationLink(core: Core, saleId: string, link: string, extra?: JsonObject): Sale {
  const sharingUrl = v.text(link, 'sharingUrl', 2048);
  return core.write('recordAuthorizationLink', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.authorization_id === null)
      throw new JournalStateError(`sale ${saleId} has no authorization yet`);
    if (sale.sharing_url === sharingUrl || sale.state !== 'waiting') return toSale(sale);
    const seq = tx.append(
      'authorization.link',
      { correlationId: saleId, entityId: saleId },
      { sharing_url: sharingUrl },
      extra,
    );
    return toSale(saveSale(core, tx, sale, { sharing_url: sharingUrl }, seq));
  });
}

/** Before DELETEing a waiting authorization; the outcome arrives as status CANCELLED. */
export function recordAuthorizationCancelIntent(core: Core, saleId: string, extra?: JsonObject): Sale {
  return core.write('recordAuthorizationCancelIntent', (tx) => {
    const sale = loadSale(core, saleId);
    if (sale.authorization_id === null || sale.state !== 'waiting') {
      throw new JournalStateError(
        `sale ${saleId} is ${sale.state}; only a waiting authorization can be cancelled`,
      );
    }
    const seq = tx.append(
      'authorization.cancel.intent',
      { correlationId: saleId, entityId: saleId },
      { authorization_id: sale.authorization_id },
      extra,
    );
    return toSale(saveSale(core, tx, sale, {}, seq));
  });
}
