/** Shared pieces of the MUC-4 metrics: the scorers' string normalisation and precision / recall / F1. */

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/**
 * The normalisation of both MUC-4 scorers (GTT and GRIT `eval.py` `normalize_string`): lower-case,
 * drop ASCII punctuation, drop the articles a/an/the as whole words, squeeze whitespace.
 */
export function normaliseMention(s: string): string {
  return s
    .toLowerCase()
    .replace(ASCII_PUNCTUATION, '')
    .replace(ARTICLES, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

export interface Prf {
  /** Precision, recall and F1 as fractions in [0, 1]. */
  readonly p: number;
  readonly r: number;
  readonly f1: number;
}

/** P = matched / predicted, R = matched / gold, F1 their harmonic mean; 0 when a denominator is 0. */
export function prf(matched: number, predicted: number, gold: number): Prf {
  return prf2(matched, predicted, matched, gold);
}

/** P = pNum / pDen, R = rNum / rDen (the GTT metric counts precision and recall hits apart). */
export function prf2(pNum: number, pDen: number, rNum: number, rDen: number): Prf {
  const p = pDen === 0 ? 0 : pNum / pDen;
  const r = rDen === 0 ? 0 : rNum / rDen;
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r) };
}
