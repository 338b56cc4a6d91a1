import { grantAuthorization, refuseAuthorization } from './authorization-flow';
import { SANDBOX_MERCHANT } from './config';
import { connectionMoves } from './connection-flow';
import type { SandboxCore } from './context';
import { ApiError } from './errors';
import { route, type Reply, type RequestContext, type Route } from './http-io';
import { renderPage, type PageModel } from './payer-page';
import { getAuthorization, getConnection, type AuthorizationRow } from './rows';

/**
 * GET /pay/{id}       the payer's page for an authorization (its `sharing` URL)
 * POST /pay/{id}/approve {pin}, /pay/{id}/decline  then 303 back to the page
 * GET /connect/{id}   the merchant's page for a connection, same shape
 */

const STATUS_LABELS: Record<string, string> = {
  WAITING: 'In attesa della tua conferma',
  GRANTED: 'Autorizzato',
  REFUSED: 'Rifiutato',
  CANCELLED: 'Annullato dal negozio',
  EXPIRED: 'Scaduto',
  REVOKED: 'Revocato',
};

/** Only these outcome keys are shown: the query string is never echoed into the page. */
const OUTCOMES: Record<string, { text: string; error: boolean }> = {
  approved: { text: 'Fatto: hai autorizzato la richiesta.', error: false },
  declined: { text: 'Hai rifiutato la richiesta.', error: false },
  'wrong-pin': { text: 'PIN errato: inserisci le 5 cifre del tuo PIN.', error: true },
  'not-waiting': { text: 'Questa richiesta non è più in attesa: non si può più rispondere.', error: true },
};

const euro = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' });

function outcomeOf(ctx: RequestContext): PageModel['outcome'] {
  const key = ctx.query.get('outcome') ?? '';
  const found = OUTCOMES[key];
  return found ? { key, ...found } : null;
}

function policyLine(row: AuthorizationRow): string {
  if (row.policy === 'BOOKED') return 'Prenotazione: il negozio addebiterà al massimo questo importo';
  if (row.policy === 'CHARGED') return 'Pagamento immediato alla conferma';
  return row.max_count > 1
    ? `Fino a ${row.max_count} addebiti di questo importo`
    : 'Un addebito di questo importo';
}

function notFoundPage(what: string): Reply {
  return renderPage(
    {
      title: 'DropPay',
      lines: [{ id: 'missing', label: 'Richiesta', value: `${what} inesistente` }],
      status: 'NOT_FOUND',
      statusLabel: 'Non trovata',
      outcome: null,
      actions: null,
    },
    404,
  );
}

function paymentPage(core: SandboxCore, ctx: RequestContext): Reply {
  const id = ctx.params[0] ?? '';
  const row = getAuthorization(core.db, id);
  if (!row) return notFoundPage('Autorizzazione');
  const waiting = row.status === 'WAITING';
  const path = `/pay/${encodeURIComponent(row.id)}`;
  return renderPage({
    title: `DropPay – ${SANDBOX_MERCHANT.name}`,
    lines: [
      { id: 'merchant', label: 'Esercente', value: SANDBOX_MERCHANT.name },
      // Display only: the one place cents become a fractional number, for Intl to format.
      { id: 'amount', label: 'Importo', value: euro.format(row.amount_cents / 100), big: true },
      { id: 'description', label: 'Causale', value: row.description },
      { id: 'policy', label: 'Tipo', value: policyLine(row) },
    ],
    status: row.status,
    statusLabel: waiting
      ? (STATUS_LABELS['WAITING'] ?? row.status)
      : `${STATUS_LABELS[row.status] ?? row.status} (${row.status})`,
    outcome: outcomeOf(ctx),
    actions: waiting
      ? {
          approvePath: `${path}/approve`,
          declinePath: `${path}/decline`,
          approveLabel: 'Autorizza',
          declineLabel: 'Rifiuta',
        }
      : null,
  });
}

function connectionPage(core: SandboxCore, ctx: RequestContext): Reply {
  const id = ctx.params[0] ?? '';
  const row = getConnection(core.db, id);
  if (!row) return notFoundPage('Connessione');
  const waiting = row.status === 'WAITING';
  const path = `/connect/${encodeURIComponent(row.id)}`;
  return renderPage({
    title: 'DropPay – Collega la cassa',
    lines: [
      { id: 'merchant', label: 'Conto', value: SANDBOX_MERCHANT.name },
      {
        id: 'description',
        label: 'Richiesta',
        value: 'DropPay Cashier chiede di incassare per conto del tuo negozio',
      },
    ],
    status: row.status,
    statusLabel: STATUS_LABELS[row.status] ?? row.status,
    outcome: outcomeOf(ctx),
    actions: waiting
      ? {
          approvePath: `${path}/approve`,
          declinePath: `${path}/decline`,
          approveLabel: 'Collega',
          declineLabel: 'Rifiuta',
        }
      : null,
  });
}

function redirect(location: string): Reply {
  return { status: 303, headers: { location } };
}

/** Runs a payer decision; a request no longer WAITING becomes the "not-waiting" outcome. */
function decide(back: string, withPin: boolean, ctx: RequestContext, act: () => void): Reply {
  if (withPin) {
    const pin = ctx.body['pin'];
    if (typeof pin !== 'string' || !/^\d{5}$/.test(pin)) return redirect(`${back}?outcome=wrong-pin`);
  }
  try {
    act();
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return redirect(`${back}?outcome=not-waiting`);
    if (err instanceof ApiError && err.status === 404) return notFoundPage('Richiesta');
    throw err;
  }
  return redirect(`${back}?outcome=${withPin ? 'approved' : 'declined'}`);
}

export function pageRoutes(core: SandboxCore): Route[] {
  const pay = (ctx: RequestContext) => `/pay/${encodeURIComponent(ctx.params[0] ?? '')}`;
  const connect = (ctx: RequestContext) => `/connect/${encodeURIComponent(ctx.params[0] ?? '')}`;
  const id = (ctx: RequestContext) => ctx.params[0] ?? '';
  return [
    route('GET', '/pay/:id', (ctx) => paymentPage(core, ctx)),
    route('POST', '/pay/:id/approve', (ctx) =>
      decide(pay(ctx), true, ctx, () => core.tx((out) => grantAuthorization(core, out, id(ctx), core.now()))),
    ),
    route('POST', '/pay/:id/decline', (ctx) =>
      decide(pay(ctx), false, ctx, () =>
        core.tx((out) => refuseAuthorization(core, out, id(ctx), core.now())),
      ),
    ),
    route('GET', '/connect/:id', (ctx) => connectionPage(core, ctx)),
    route('POST', '/connect/:id/approve', (ctx) =>
      decide(connect(ctx), true, ctx, () => core.tx(() => connectionMoves.grant(core, id(ctx), core.now()))),
    ),
    route('POST', '/connect/:id/decline', (ctx) =>
      decide(connect(ctx), false, ctx, () =>
        core.tx(() => connectionMoves.refuse(core, id(ctx), core.now())),
      ),
    ),
  ];
}
