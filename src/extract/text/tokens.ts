/** A word, number or punctuation mark with its place in the document. */
export interface Token {
  /** Lower-cased, diacritics removed: what gazetteers and rules compare against. */
  readonly norm: string;
  /** As written. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'word' | 'number' | 'punct';
}

// Numbers keep their thousands separators ("1,000") and decimals; words are letter/digit runs, so
// hyphens and apostrophes split them ("ISIS-K" → isis k, "group's" → group s) the same way in text
// and in dictionaries.
const TOKEN = /(\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:\.\d+)?)|([\p{L}\p{N}]+)|([^\s\p{L}\p{N}'’\-‐–—])/gu;

export function normaliseWord(word: string): string {
  // Most words are plain ASCII: skip Unicode decomposition for them.
  if (!/[^a-zA-Z0-9]/.test(word)) return word.toLowerCase();
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const raw = m[0];
    const start = offset + (m.index ?? 0);
    const kind = m[1] !== undefined ? 'number' : m[2] !== undefined ? 'word' : 'punct';
    tokens.push({
      norm: kind === 'word' ? normaliseWord(raw) : raw,
      text: raw,
      start,
      end: start + raw.length,
      kind,
    });
  }
  return tokens;
}

/** Token sequence of a dictionary phrase, normalised like text tokens. */
export function phraseKey(phrase: string): string {
  return tokenize(phrase)
    .filter((t) => t.kind !== 'punct' || t.norm === '.')
    .map((t) => t.norm)
    .filter((n) => n !== '.')
    .join(' ');
}
