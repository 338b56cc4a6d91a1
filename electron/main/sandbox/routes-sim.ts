import { centsToEuros } from '../../../shared/money';
import { grantAuthorization, refuseAuthorization, revokeAuthorization } from './authorization-flow';
import { connectionMoves } from './connection-flow';
import type { SandboxCore } from './context';
import { formatIso } from './dates';
import { sql, wipeState } from './db';
import { authorizationEntity, connectionEntity } from './entities';
import { fail } from './errors';
import { noFaults } from './faults';
import { route, type Reply, type RequestContext, type Route } from './http-io';
import { settle } from './lifecycle';
import type { ChargeRow, RefundRow } from './rows';
import { ensureMerchantConnection } from './tokens';
import { type Body, optionalEnum, optionalInteger, optionalNumber, optionalString } from './validate';
import { randomInt } from 'node:crypto';

/**
 * The control surface under /_sim/ (loopback only, no bearer; the server enforces both):
 *
 *   POST /_sim/authorization/{id}/grant|refuse|revoke   the payer's side of an authorization
 *   POST /_sim/connection/{id}/grant|refuse|revoke      the merchant's side of a connection [addition]
 *   POST /_sim/charge/next-fails  {count?}              the next charge(s) end FAILED
 *   POST /_sim/refund/next-fails  {count?}              the next refund(s) end FAILED [addition]
 *   POST /_sim/clock/advance      {seconds}             move the simulated clock forward
 *   GET  /_sim/clock                                    the simulated time [addition]
 *   POST /_sim/faults  {latency_ms, error_rate, drop_after_commit_rate, seed, methods}
 *   GET  /_sim/faults                                   the fault settings in force [addition]
 *   POST /_sim/webhooks/faults  {duplicate, hold}       events sent N times, or held [addition]
 *   GET  /_sim/webhooks/faults                          those, events held, deliveries [addition]
 *   POST /_sim/webhooks/release {order, authorization_id}  send what is held [addition]
 *   POST /_sim/reset                                    forget everything but the credentials
 *   GET  /_sim/ledger                                   every charge and refund, amounts in euros
 */

/** Ledger totals may exceed the per-amount ceiling of shared/money, so they skip its check. */
function totalToEuros(cents: number): number {
  return Number(`${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
}

function ledger(core: SandboxCore): Reply {
  const charges = sql(core.db, 'SELECT * FROM charges ORDER BY rowid').all() as ChargeRow[];
  const refunds = sql(core.db, 'SELECT * FROM refunds ORDER BY rowid').all() as RefundRow[];
  const settled = (s: string) => s === 'DONE' || s === 'ACCOUNTED';
  const charged = charges.filter((c) => settled(c.status)).reduce((sum, c) => sum + c.amount_cents, 0);
  const refunded = refunds.filter((r) => settled(r.status)).reduce((sum, r) => sum + r.amount_cents, 0);
  return {
    status: 200,
    json: {
      charges: charges.map((c) => ({
        id: c.id,
        authorization_id: c.authorization_id,
        pos_id: c.pos_id,
        amount: centsToEuros(c.amount_cents),
        status: c.status,
        date_creation: formatIso(c.created_at),
        ...(c.done_at === null ? {} : { date_done: formatIso(c.done_at) }),
      })),
      refunds: refunds.map((r) => ({
        id: r.id,
        charge_id: r.charge_id,
        pos_id: r.pos_id,
        amount: centsToEuros(r.amount_cents),
        status: r.status,
        date_creation: formatIso(r.created_at),
        date_last_update: formatIso(r.updated_at),
      })),
      totals: {
        charged: totalToEuros(charged),
        refunded: totalToEuros(refunded),
        net: totalToEuros(charged - refunded),
      },
    },
  };
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods the faults apply to [addition]: a list (`["POST"]`, or `"POST,DELETE"` from a
 * form), every method when left out or empty.
 */
function faultMethods(b: Body): string[] {
  const value = b['methods'];
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? value.split(',').map((m) => m.trim()) : value;
  if (!Array.isArray(list)) throw fail.wrong('methods', 'must be a list of HTTP methods');
  const methods = new Set<string>();
  for (const m of list) {
    const found = HTTP_METHODS.find((h) => typeof m === 'string' && h === m.toUpperCase());
    if (found === undefined) throw fail.wrong('methods', `must name only ${HTTP_METHODS.join(', ')}`);
    methods.add(found);
  }
  return [...methods];
}

function configureFaults(core: SandboxCore, ctx: RequestContext): Reply {
  const b = ctx.body;
  const settings = {
    latency_ms: optionalInteger(b, 'latency_ms', 0, 60_000) ?? 0,
    error_rate: optionalNumber(b, 'error_rate', 0, 1) ?? 0,
    drop_after_commit_rate: optionalNumber(b, 'drop_after_commit_rate', 0, 1) ?? 0,
    // Without a seed the sequence is still reproducible once read back from the reply.
    seed: optionalInteger(b, 'seed', 0, 0xffffffff) ?? randomInt(0, 0x7fffffff),
    methods: faultMethods(b),
  };
  core.faults.configure(settings);
  return { status: 200, json: settings };
}

/**
 * Events as a real network delivers them: `duplicate` copies of each (1 to 10, default 1), and
 * with `hold` new events kept back until released, so they can arrive late and out of order
 * (the newest 1000 at most: older ones are dropped and counted in `held_dropped`). Like
 * /_sim/faults, a field left out is back to its default; events held stay held.
 */
function configureDeliveryFaults(core: SandboxCore, ctx: RequestContext): Reply {
  const hold = ctx.body['hold'] ?? false;
  if (typeof hold !== 'boolean') throw fail.wrong('hold', 'must be true or false');
  core.webhooks.configureFaults({ duplicate: optionalInteger(ctx.body, 'duplicate', 1, 10) ?? 1, hold });
  return { status: 200, json: core.webhooks.faultState() };
}

/** Sends the held events (of one authorization if named), newest first unless `original`. */
function releaseEvents(core: SandboxCore, ctx: RequestContext): Reply {
  const order = optionalEnum(ctx.body, 'order', ['reverse', 'original'] as const) ?? 'reverse';
  const authorizationId = optionalString(ctx.body, 'authorization_id', 64);
  const released = core.webhooks.release(order, authorizationId);
  return { status: 200, json: { released, order } };
}

/**
 * Forgets everything but the credentials. Events raised before it never reach a till after it
 * has answered: held ones are dropped, and a release, copies or retries under way are stopped.
 */
function reset(core: SandboxCore): Reply {
  core.db.transaction(() => {
    wipeState(core.db);
    core.clock.reload();
    ensureMerchantConnection(core);
  })();
  core.chargeFailuresPending = 0;
  core.refundFailuresPending = 0;
  core.faults.configure(noFaults());
  core.webhooks.resetFaults();
  return { status: 200, json: { reset: true } };
}

export function simRoutes(core: SandboxCore): Route[] {
  const id = (ctx: RequestContext): string => ctx.params[0] ?? '';
  const auth = (move: typeof grantAuthorization): ((ctx: RequestContext) => Reply) => {
    return (ctx) => {
      const row = core.tx((out) => move(core, out, id(ctx), core.now()));
      return { status: 200, json: authorizationEntity(core, row) };
    };
  };
  const conn = (move: (typeof connectionMoves)['grant']): ((ctx: RequestContext) => Reply) => {
    return (ctx) => ({
      status: 200,
      json: connectionEntity(
        core,
        core.tx(() => move(core, id(ctx), core.now())),
      ),
    });
  };
  const count = (ctx: RequestContext): number => optionalInteger(ctx.body, 'count', 1, 1000) ?? 1;
  return [
    route('POST', '/_sim/authorization/:id/grant', auth(grantAuthorization)),
    route('POST', '/_sim/authorization/:id/refuse', auth(refuseAuthorization)),
    route('POST', '/_sim/authorization/:id/revoke', auth(revokeAuthorization)),
    route('POST', '/_sim/connection/:id/grant', conn(connectionMoves.grant)),
    route('POST', '/_sim/connection/:id/refuse', conn(connectionMoves.refuse)),
    route('POST', '/_sim/connection/:id/revoke', conn(connectionMoves.revoke)),
    route('POST', '/_sim/charge/next-fails', (ctx) => {
      core.chargeFailuresPending += count(ctx);
      return { status: 200, json: { pending_failures: core.chargeFailuresPending } };
    }),
    route('POST', '/_sim/refund/next-fails', (ctx) => {
      core.refundFailuresPending += count(ctx);
      return { status: 200, json: { pending_failures: core.refundFailuresPending } };
    }),
    route('POST', '/_sim/clock/advance', (ctx) => {
      const seconds = optionalNumber(ctx.body, 'seconds', 0, 10 * 365 * 24 * 3600);
      if (seconds === null) throw fail.missing('seconds');
      core.clock.advance(seconds);
      settle(core);
      return { status: 200, json: { now: formatIso(core.now()), offset_seconds: core.clock.offsetSeconds } };
    }),
    route('GET', '/_sim/clock', () => ({
      status: 200,
      json: { now: formatIso(core.now()), offset_seconds: core.clock.offsetSeconds },
    })),
    route('POST', '/_sim/faults', (ctx) => configureFaults(core, ctx)),
    route('GET', '/_sim/faults', () => ({ status: 200, json: core.faults.current() })),
    route('POST', '/_sim/webhooks/faults', (ctx) => configureDeliveryFaults(core, ctx)),
    route('GET', '/_sim/webhooks/faults', () => ({ status: 200, json: core.webhooks.faultState() })),
    route('POST', '/_sim/webhooks/release', (ctx) => releaseEvents(core, ctx)),
    route('POST', '/_sim/reset', () => reset(core)),
    route('GET', '/_sim/ledger', () => ledger(core)),
  ];
}
