import { webhookTargets, type Outbox, type SandboxCore } from './context';
import { authorizationEntity, chargeEntity, refundEntity } from './entities';
import { getAuthorization, getCharge, getRefund, parseWebhooks } from './rows';

/**
 * Raising status-update events. Charges and refunds have no webhooks of their own: their
 * events go where the authorization they descend from asked for.
 */

function authorizationHooks(core: SandboxCore, authorizationId: string): Record<string, string> | undefined {
  const row = getAuthorization(core.db, authorizationId);
  return row === undefined ? undefined : parseWebhooks(row.webhooks);
}

export function emitAuthorization(core: SandboxCore, out: Outbox, id: string, at: number): void {
  const row = getAuthorization(core.db, id);
  if (!row) return;
  const etype = 'pos.authorization.status_update';
  const urls = webhookTargets(parseWebhooks(row.webhooks), etype);
  if (urls.length === 0) return;
  out.push({ urls, etype, edata: authorizationEntity(core, row), at, authorizationId: id });
}

export function emitCharge(core: SandboxCore, out: Outbox, id: string, at: number): void {
  const row = getCharge(core.db, id);
  if (!row) return;
  const etype = 'pos.charge.status_update';
  const urls = webhookTargets(authorizationHooks(core, row.authorization_id), etype);
  if (urls.length === 0) return;
  out.push({ urls, etype, edata: chargeEntity(core, row), at, authorizationId: row.authorization_id });
}

export function emitRefund(core: SandboxCore, out: Outbox, id: string, at: number): void {
  const row = getRefund(core.db, id);
  if (!row) return;
  const charge = getCharge(core.db, row.charge_id);
  if (!charge) return;
  const etype = 'pos.refund.status_update';
  const urls = webhookTargets(authorizationHooks(core, charge.authorization_id), etype);
  if (urls.length === 0) return;
  out.push({ urls, etype, edata: refundEntity(row), at, authorizationId: charge.authorization_id });
}
