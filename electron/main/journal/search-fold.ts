/**
 * The history search's folding: "CAFFÈ", "caffe" and "Caffè" are the same word to a cashier
 * typing fast. SQLite's own LIKE folds only ASCII letters, so both sides go through
 * `foldForSearch`: the typed text in JS before it is bound, the columns through the SQL
 * function `search_fold`, which every connection preparing the journal's statements registers.
 */
import type Database from 'better-sqlite3';

/** The SQL function's name, as the statements call it. */
export const SEARCH_FOLD_FUNCTION = 'search_fold';

const MARKS = /\p{M}/gu;
const SPELLED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ı: 'i', ς: 'σ' };
const SPELLED_RE = /[ßæœøłđıς]/g;
const ASCII = /^[\x20-\x7e]*$/;

/**
 * Case and accents folded away: compatibility decomposition (so "ﬁ" is "fi" and a full-width
 * "Ａ" is "A"), combining marks dropped, lower case, and a few letters with no decomposition
 * spelled as a keyboard without them would (ß is ss, æ is ae, ø is o; a final ς is σ).
 */
export function foldForSearch(text: string): string {
  // Most of the journal's text is plain ASCII, for which lower case is all there is to do.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(MARKS, '')
    .toLowerCase()
    .replace(SPELLED_RE, (c) => SPELLED[c] ?? c);
}

/**
 * Registers `search_fold(text)` on `db`; a value that is not text (NULL) comes back as it is.
 * Direct use only: no schema (view, trigger, CHECK) may depend on it, so the file stays
 * readable by any SQLite tool.
 */
export function registerSearchFold(db: Database.Database): void {
  db.function(SEARCH_FOLD_FUNCTION, { deterministic: true, directOnly: true }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : value,
  );
}
