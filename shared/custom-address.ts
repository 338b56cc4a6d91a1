/**
 * The rule for a custom DropPay's address. No dependency: the renderer checks it as it is
 * typed, without pulling in the schemas.
 */

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Whether an address names this very machine (loopback). False for anything not a URL. */
export function isLoopbackAddress(address: string): boolean {
  try {
    return LOOPBACK.test(new URL(address).hostname);
  } catch {
    return false;
  }
}

/**
 * Why an address cannot be a custom DropPay's, or null when it can. The till sends the
 * application secret and the connection code there: https only (plain http only to this very
 * machine, a test server), and nothing beyond scheme, host, port and path (no user:password,
 * query or fragment, which would also swallow the API paths joined to it).
 */
export function customAddressProblem(address: string): string | null {
  // Not every URL parser refuses a space (Chromium's takes "exa mple.com" as a host): said here.
  if (/\s/.test(address)) return 'it must not contain spaces';
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    return 'it must be https (plain http only to this machine)';
  }
  // A host of letters, digits, dots and hyphens (an international name arrives as punycode),
  // or a bracketed IPv6 address: nothing escaped into it.
  if (!/^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname))
    return 'its host name is not valid';
  if (url.username !== '' || url.password !== '') return 'it must not carry a user name or password';
  if (url.search !== '' || url.hash !== '' || address.includes('?') || address.includes('#')) {
    return 'it must not carry a query or a fragment';
  }
  return null;
}
