/* The exact rule of a full-text search on SQLite, checked in JavaScript (a function registered on
 * the connection, `vigil_has_words(text, words)`) rather than by a full-text probe per row: FTS5
 * answers "does row X match" by reading the query's doclists, milliseconds per probe for a common
 * word, so a search whose words were all present but never in one sentence walked the whole store
 * (35 s at 250k incidents). The tokens are FTS5 unicode61's: letters and digits, case and
 * diacritics folded, so the rule never accepts what the full-text narrowing would refuse. */

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
const tokensOf = (folded: string) => folded.match(/[\p{L}\p{N}]+/gu) ?? [];

/** The searchable tokens of a text: runs of letters and digits, lower case, without diacritics. */
export function searchTokens(text: string): string[] {
  return tokensOf(fold(text));
}

const BEYOND_ASCII = /[^\p{ASCII}]/u;

let lastWords = '';
let lastTokens: readonly string[] = [];

/** 1 when every word of `words` (space-separated) is a token of `text`, else 0 (SQLite's booleans). */
export function hasAllWords(text: unknown, words: unknown): 0 | 1 {
  if (typeof text !== 'string' || typeof words !== 'string') return 0;
  if (words !== lastWords) {
    lastWords = words;
    lastTokens = searchTokens(words);
  }
  if (lastTokens.length === 0) return 0;
  // Most texts lack a word altogether: a substring test settles them without tokenising (a text with
  // no character beyond ASCII folds to its lower case).
  const lower = text.toLowerCase();
  if (!lastTokens.every((w) => lower.includes(w)) && !BEYOND_ASCII.test(text)) return 0;
  const folded = fold(text);
  if (!lastTokens.every((w) => folded.includes(w))) return 0;
  const tokens = new Set(tokensOf(folded));
  return lastTokens.every((w) => tokens.has(w)) ? 1 : 0;
}
