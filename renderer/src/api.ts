import { CHANNEL_NAMES, methodName } from '../../shared/ipc/channel-names';
import type { CashierApi } from '../../shared/ipc/api';
import type { Result } from '../../shared/result';

const SECRET_KEY = 'cashier-bridge';

/**
 * The renderer's one way to the core. In Electron the preload provides `window.cashier`
 * (IPC). In a browser (no Electron on the machine, and the end-to-end tests) the same methods
 * go over the loopback bridge, authenticated by the per-run secret the page was opened with.
 */
export const api: CashierApi = window.cashier ?? bridgeApi();

function bridgeApi(): CashierApi {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('bridge');
  if (fromUrl) {
    // Keep the secret out of the address bar and history once read.
    sessionStorage.setItem(SECRET_KEY, fromUrl);
    params.delete('bridge');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  const secret = sessionStorage.getItem(SECRET_KEY) ?? '';
  const methods: Record<string, (input?: unknown) => Promise<Result<unknown>>> = {};
  for (const channel of CHANNEL_NAMES) {
    methods[methodName(channel)] = (input?: unknown) => call(secret, channel, input);
  }
  return methods as unknown as CashierApi;
}

async function call(secret: string, channel: string, input: unknown): Promise<Result<unknown>> {
  try {
    const res = await fetch(`/ipc/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cashier-bridge': secret },
      body: JSON.stringify({ input }),
    });
    if (res.status === 403)
      return { ok: false, error: { code: 'AUTH_REQUIRED', message: 'Bridge secret refused.' } };
    if (!res.ok) return { ok: false, error: { code: 'INTERNAL', message: `Bridge answered ${res.status}.` } };
    return (await res.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'The terminal core is not reachable.' } };
  }
}
