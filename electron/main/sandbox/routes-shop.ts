import { cancelAuthorization, createAuthorization, renewPayTokenIfDue } from './authorization-flow';
import { chargeAuthorization, refundCharge } from './charge-flow';
import { MAX_CHARGE_COUNT, MAX_REFERENCE_LENGTH, MAX_TEXT_LENGTH } from './config';
import type { SandboxCore } from './context';
import { authorizationEntity, brandsEntity, chargeEntity, refundEntity } from './entities';
import { fail } from './errors';
import { route, type Reply, type RequestContext, type Route } from './http-io';
import { POLICIES, getAuthorization, getCharge, getRefund } from './rows';
import { authenticateMerchant } from './tokens';
import {
  optionalDate,
  optionalEnum,
  optionalInteger,
  optionalString,
  optionalUrl,
  optionalWebhooks,
  requiredAmount,
  requiredString,
} from './validate';

/** The merchant's API: authorizations, charges, refunds, brands. All need an access token. */

function createAuthorizationHandler(core: SandboxCore, ctx: RequestContext): Reply {
  const { posId } = authenticateMerchant(core, ctx.headers, core.now());
  const b = ctx.body;
  const pos = requiredString(b, 'pos_id', MAX_REFERENCE_LENGTH);
  const description = requiredString(b, 'description', MAX_TEXT_LENGTH);
  const amountCents = requiredAmount(b, 'charge_amount');
  const policy = optionalEnum(b, 'policy', POLICIES) ?? 'CHARGEABLE';
  const maxCount = optionalInteger(b, 'charge_max_count', 1, MAX_CHARGE_COUNT) ?? 1;
  if (policy !== 'CHARGEABLE' && maxCount !== 1) {
    throw fail.wrong('charge_max_count', `must be 1 with policy ${policy}: it allows a single charge`);
  }
  const now = core.now();
  const dateStart = optionalDate(b, 'charge_date_start') ?? now;
  const dateEnd = optionalDate(b, 'charge_date_end');
  if (dateEnd !== null && dateEnd <= dateStart)
    throw fail.wrongDate('charge_date_end', 'must be after charge_date_start');
  if (dateEnd !== null && dateEnd <= now) throw fail.wrongDate('charge_date_end', 'is already past');
  const merchantCustomId = optionalString(b, 'merchant_custom_id', MAX_REFERENCE_LENGTH);
  const webhooks = optionalWebhooks(b, 'webhooks');
  const loopbackUri = optionalUrl(b, 'loopback_uri');
  if (pos !== posId) throw fail.notYours(`pos_id ${pos}`);
  const row = core.tx(() =>
    createAuthorization(
      core,
      {
        posId,
        description,
        amountCents,
        policy,
        maxCount,
        dateStart,
        dateEnd,
        merchantCustomId,
        webhooks,
        loopbackUri,
      },
      now,
    ),
  );
  return { status: 201, json: authorizationEntity(core, row) };
}

function ownAuthorization(core: SandboxCore, ctx: RequestContext) {
  const { posId } = authenticateMerchant(core, ctx.headers, core.now());
  const id = ctx.params[0] ?? '';
  const row = getAuthorization(core.db, id);
  if (!row) throw fail.notFound(`authorization ${id}`);
  if (row.pos_id !== posId) throw fail.notYours(`authorization ${id}`);
  return row;
}

function createChargeHandler(core: SandboxCore, ctx: RequestContext): Reply {
  const now = core.now();
  const { posId } = authenticateMerchant(core, ctx.headers, now);
  const b = ctx.body;
  const request = {
    authorizationId: requiredString(b, 'authorization_id', MAX_REFERENCE_LENGTH),
    payTokenVal: requiredString(b, 'pay_token_val', MAX_REFERENCE_LENGTH),
    amountCents: requiredAmount(b, 'amount'),
    description: optionalString(b, 'description', MAX_TEXT_LENGTH),
    merchantCustomId: optionalString(b, 'merchant_custom_id', MAX_REFERENCE_LENGTH),
    merchantCustomLabel: optionalString(b, 'merchant_custom_label', MAX_REFERENCE_LENGTH),
  };
  const row = core.tx((out) => chargeAuthorization(core, out, posId, request, now));
  return { status: 201, json: chargeEntity(core, row) };
}

function createRefundHandler(core: SandboxCore, ctx: RequestContext): Reply {
  const now = core.now();
  const { posId } = authenticateMerchant(core, ctx.headers, now);
  const b = ctx.body;
  const request = {
    chargeId: requiredString(b, 'charge_id', MAX_REFERENCE_LENGTH),
    amountCents: requiredAmount(b, 'amount'),
    reason: optionalString(b, 'reason', MAX_TEXT_LENGTH) ?? '',
  };
  const row = core.tx((out) => refundCharge(core, out, posId, request, now));
  return { status: 201, json: refundEntity(row) };
}

export function shopRoutes(core: SandboxCore): Route[] {
  return [
    route('POST', '/shop/v1/pos/authorization', (ctx) => createAuthorizationHandler(core, ctx)),
    route('GET', '/shop/v1/pos/authorization/:id', (ctx) => {
      const row = ownAuthorization(core, ctx);
      const fresh = core.tx(() => renewPayTokenIfDue(core, row, core.now()));
      return { status: 200, json: authorizationEntity(core, fresh) };
    }),
    route('DELETE', '/shop/v1/pos/authorization/:id', (ctx) => {
      const row = ownAuthorization(core, ctx);
      const cancelled = core.tx((out) => cancelAuthorization(core, out, row.id, core.now()));
      return { status: 200, json: authorizationEntity(core, cancelled) };
    }),
    route('POST', '/shop/v1/pos/charge', (ctx) => createChargeHandler(core, ctx)),
    route('GET', '/shop/v1/pos/charge/:id', (ctx) => {
      const { posId } = authenticateMerchant(core, ctx.headers, core.now());
      const id = ctx.params[0] ?? '';
      const row = getCharge(core.db, id);
      if (!row) throw fail.notFound(`charge ${id}`);
      if (row.pos_id !== posId) throw fail.notYours(`charge ${id}`);
      return { status: 200, json: chargeEntity(core, row) };
    }),
    route('POST', '/shop/v1/pos/refund', (ctx) => createRefundHandler(core, ctx)),
    route('GET', '/shop/v1/pos/refund/:id', (ctx) => {
      const { posId } = authenticateMerchant(core, ctx.headers, core.now());
      const id = ctx.params[0] ?? '';
      const row = getRefund(core.db, id);
      if (!row) throw fail.notFound(`refund ${id}`);
      if (row.pos_id !== posId) throw fail.notYours(`refund ${id}`);
      return { status: 200, json: refundEntity(row) };
    }),
    route('GET', '/shop/v1/brands', (ctx) => {
      authenticateMerchant(core, ctx.headers, core.now());
      return { status: 200, json: brandsEntity() };
    }),
  ];
}
