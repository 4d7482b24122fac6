import { readLexicon } from './lexicon.js';
import { Gazetteer } from './text/gazetteer.js';
import { phraseKey, type Token } from './text/tokens.js';
import type { Count } from './types.js';

interface NumberWords {
  units: Record<string, number>;
  tens: Record<string, number>;
  scales: Record<string, number>;
  vague: Record<string, [number, number | null]>;
  qualifiers: Record<string, Count['qualifier']>;
}

const words = readLexicon<NumberWords>('numbers.json');
const qualifiers = new Gazetteer<Count['qualifier']>();
for (const [p, q] of Object.entries(words.qualifiers)) qualifiers.add(phraseKey(p), q);
const vague = new Gazetteer<[number, number | null]>();
for (const [p, r] of Object.entries(words.vague)) vague.add(phraseKey(p), r);

/** A figure found in a sentence: tokens [from, to) and what it says. */
export interface Figure {
  readonly from: number;
  readonly to: number;
  readonly count: Count;
}

const isSmallNumberWord = (w: string | undefined) => w !== undefined && (w in words.units || w in words.tens);

function wordValue(tokens: readonly Token[], at: number): { value: number; to: number } | null {
  let total = 0;
  let current = 0;
  let i = at;
  let seen = false;
  while (i < tokens.length) {
    const w = (tokens[i] as Token).norm;
    if (w in words.units) current += words.units[w] as number;
    else if (w in words.tens) current += words.tens[w] as number;
    else if (w in words.scales && seen) {
      const scale = words.scales[w] as number;
      if (scale === 100) current *= 100;
      else {
        total += current * scale;
        current = 0;
      }
    } else if (w === 'and' && seen && isSmallNumberWord(tokens[i + 1]?.norm)) {
      // "one hundred and forty": the "and" joins parts of one number
    } else if (
      w === 'a' &&
      !seen &&
      (tokens[i + 1]?.norm === 'hundred' || tokens[i + 1]?.norm === 'thousand')
    ) {
      current = 1;
    } else break;
    seen = true;
    i++;
  }
  return seen ? { value: total + current, to: i } : null;
}

function digitValue(token: Token | undefined): number | null {
  if (token?.kind !== 'number') return null;
  const n = Number(token.norm.replaceAll(',', ''));
  return Number.isFinite(n) ? n : null;
}

const looksLikeYear = (t: Token) => /^(1[89]|20)\d\d$/.test(t.norm);

function exact(value: number, qualifier: Count['qualifier']): Count {
  switch (qualifier) {
    case 'at_least':
      return { value, min: value, max: null, qualifier };
    case 'more_than':
      return { value: value + 1, min: value + 1, max: null, qualifier };
    case 'at_most':
      return { value, min: 0, max: value, qualifier };
    default:
      return { value, min: value, max: value, qualifier };
  }
}

/** Figures in a sentence's tokens, from digits and words, with their qualifiers:
 * "at least four" → {value 4, min 4}, "more than 100" → {min 101}, "dozens" → {min 24, max 99}. */
export function findFigures(tokens: readonly Token[]): Figure[] {
  const qualifierAt = new Map(qualifiers.match(tokens).map((m) => [m.from, m]));
  const vagueAt = new Map(vague.match(tokens).map((m) => [m.from, m]));
  const figures: Figure[] = [];
  let i = 0;
  while (i < tokens.length) {
    const q = qualifierAt.get(i);
    const at = q ? q.to : i;
    const qualifier = q ? (q.entries[0] as Count['qualifier']) : 'exact';
    const token = tokens[at];
    const digits = digitValue(token);
    const word = token?.norm ?? '';
    const spelled =
      digits === null && (word in words.units || word in words.tens || word === 'a')
        ? wordValue(tokens, at)
        : null;
    const fuzzy = digits === null && !spelled ? vagueAt.get(at) : undefined;
    if (digits !== null && token && !looksLikeYear(token)) {
      figures.push({ from: i, to: at + 1, count: exact(digits, qualifier) });
      i = at + 1;
    } else if (spelled) {
      figures.push({ from: i, to: spelled.to, count: exact(spelled.value, qualifier) });
      i = spelled.to;
    } else if (fuzzy) {
      const [min, max] = fuzzy.entries[0] as [number, number | null];
      const count: Count =
        min === max
          ? { value: min, min, max, qualifier: 'approximately' }
          : { value: null, min, max, qualifier: 'range' };
      figures.push({ from: i, to: fuzzy.to, count });
      i = fuzzy.to;
    } else i++;
  }
  return figures;
}
