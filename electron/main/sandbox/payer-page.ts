import { randomBytes } from 'node:crypto';
import type { Reply } from './http-io';

/**
 * The phone-sized pages a payer (or a merchant, for a connection) sees after scanning the
 * QR. No script at all; every piece of dynamic text goes through `escapeHtml`, and the CSP
 * allows only the one inline stylesheet (by nonce) and form posts back to this origin.
 */

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface PageModel {
  title: string;
  /** Label/value lines; the value with id `description` etc. gets that id. */
  lines: { id: string; label: string; value: string; big?: boolean }[];
  status: string;
  statusLabel: string;
  outcome: { key: string; text: string; error: boolean } | null;
  /** Present only while the request can still be answered. */
  actions: { approvePath: string; declinePath: string; approveLabel: string; declineLabel: string } | null;
}

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f2f4f7;color:#1d2433}
  main{max-width:440px;margin:0 auto;padding:20px 16px 32px}
  .brand{font-weight:700;color:#e4003a;letter-spacing:.02em;margin:0 0 16px}
  .brand span{color:#667085;font-weight:500;font-size:.85em}
  .card{background:#fff;border-radius:16px;padding:20px;box-shadow:0 1px 3px rgba(16,24,40,.12)}
  .line{margin:0 0 14px}
  .label{display:block;font-size:.8rem;color:#667085;text-transform:uppercase;letter-spacing:.04em}
  .value{display:block;font-size:1.1rem;word-wrap:break-word;overflow-wrap:anywhere}
  .big{font-size:2.2rem;font-weight:700}
  .status{display:inline-block;margin:4px 0 0;padding:6px 12px;border-radius:999px;background:#eef2f6;font-weight:600}
  .status[data-status=GRANTED]{background:#dcfae6;color:#067647}
  .status[data-status=REFUSED],.status[data-status=EXPIRED],.status[data-status=REVOKED],.status[data-status=CANCELLED]{background:#fee4e2;color:#b42318}
  .outcome{margin:16px 0 0;padding:12px 14px;border-radius:12px;background:#dcfae6}
  .outcome.error{background:#fee4e2;color:#b42318}
  form{margin:16px 0 0}
  label[for=pin]{display:block;margin:0 0 6px;font-weight:600}
  input{width:100%;font-size:1.6rem;letter-spacing:.5em;text-align:center;padding:12px;border:2px solid #d0d5dd;border-radius:12px}
  button{width:100%;min-height:56px;margin-top:12px;font-size:1.2rem;font-weight:700;border:0;border-radius:12px;cursor:pointer}
  #approve{background:#e4003a;color:#fff}
  #decline{background:#fff;color:#1d2433;border:2px solid #d0d5dd}
  .note{margin-top:20px;font-size:.8rem;color:#667085;text-align:center}
`;

export function renderPage(model: PageModel, httpStatus = 200): Reply {
  const nonce = randomBytes(16).toString('base64');
  const lines = model.lines
    .map(
      (l) =>
        `<p class="line"><span class="label">${escapeHtml(l.label)}</span>` +
        `<span class="value${l.big === true ? ' big' : ''}" id="${escapeHtml(l.id)}">${escapeHtml(l.value)}</span></p>`,
    )
    .join('\n');
  const outcome = model.outcome
    ? `<p id="outcome" role="alert" class="outcome${model.outcome.error ? ' error' : ''}" data-outcome="${escapeHtml(model.outcome.key)}">${escapeHtml(model.outcome.text)}</p>`
    : '';
  const a = model.actions;
  const actions = a
    ? `<form method="post" action="${escapeHtml(a.approvePath)}" novalidate>
  <label for="pin">PIN DropPay (5 cifre)</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="12">
  <button id="approve" type="submit">${escapeHtml(a.approveLabel)}</button>
</form>
<form method="post" action="${escapeHtml(a.declinePath)}">
  <button id="decline" type="submit">${escapeHtml(a.declineLabel)}</button>
</form>`
    : '';
  const html = `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(model.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<p class="brand">DropPay <span>sandbox</span></p>
<section class="card">
${lines}
<p class="line"><span class="label">Stato</span><span id="status" class="status" data-status="${escapeHtml(model.status)}">${escapeHtml(model.statusLabel)}</span></p>
</section>
${outcome}
${actions}
<p class="note">Simulatore DropPay: nessun denaro reale viene mosso.</p>
</main>
</body>
</html>`;
  return {
    status: httpStatus,
    html,
    headers: {
      'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    },
  };
}
