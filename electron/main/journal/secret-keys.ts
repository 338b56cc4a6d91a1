/**
 * Secrets (tokens, the connection code, passwords, PINs) must never reach the journal file.
 * Values cannot be recognised reliably, but the usual way a secret leaks is by dumping an API
 * entity whose field is named after it (`pay_token`, `code`, `access_token`), so keys are
 * checked. Migration 0001 repeats a snake_case version of this rule in SQL as a backstop.
 */

/** Fragments that mark a key as secret wherever they appear in it. */
const SECRET_FRAGMENTS = ['token', 'secret', 'passw', 'passphrase', 'credential'] as const;
/** Words that mark a key as secret only as a whole word ("barcode" is fine, "pin_code" is not). */
const SECRET_WORDS = new Set(['code', 'pin', 'pwd', 'otp']);

/** Splits `payToken`, `pay_token`, `pay-token`, `pay.token` into lowercase words. */
function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function judge(key: string): boolean {
  const lower = key.toLowerCase();
  if (SECRET_FRAGMENTS.some((f) => lower.includes(f))) return true;
  return wordsOf(key).some((w) => SECRET_WORDS.has(w));
}

/** Every record checks the same few dozen keys: their verdicts are kept (up to a bound). */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 1024;

export function isSecretLikeKey(key: string): boolean {
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = judge(key);
    if (verdicts.size < MAX_VERDICTS) verdicts.set(key, verdict);
  }
  return verdict;
}

/** Every secret-like key at any depth of `value`, as dotted paths, for the error message. */
export function secretLikePaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretLikePaths(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    const here = path === '' ? key : `${path}.${key}`;
    if (isSecretLikeKey(key)) found.push(here);
    found.push(...secretLikePaths(member, here));
  }
  return found;
}
