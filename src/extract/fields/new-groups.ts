import { type AnnotatedSentence, covering } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import { Gazetteer } from '../text/gazetteer.js';
import { phraseKey } from '../text/tokens.js';

const words = readLexicon<{
  heads: string[];
  naming: string[];
  generic: string[];
  weak_cues: string[];
  stops: string[];
  complement_heads: string[];
  firm_after_cues: string[];
}>('organisations.json');
const heads = new Set(words.heads.map(phraseKey));
const generic = new Set(words.generic.map(phraseKey));
const stops = new Set(words.stops);
const complementHeads = new Set(words.complement_heads);
const naming = new Gazetteer<true>();
for (const p of words.naming) naming.add(phraseKey(p), true);
/** Attribution phrases too loose for a name Vigil has never seen. */
export const weakCues: ReadonlySet<string> = new Set(words.weak_cues.map(phraseKey));
/** The only phrases after a new name that tie it to an attack, claims aside. */
export const firmAfterCues: ReadonlySet<string> = new Set(words.firm_after_cues.map(phraseKey));

/** A stretch of a sentence's tokens, `to` exclusive. */
export interface NameSpan {
  readonly from: number;
  readonly to: number;
}

const MAX_WORDS_BEFORE_HEAD = 5;
const MAX_NAMED_WORDS = 6;
const MAX_COMPLEMENT_WORDS = 4;

function canBeInName(s: AnnotatedSentence, i: number): boolean {
  const token = s.sentence.tokens[i];
  if (token?.kind !== 'word' || stops.has(token.norm)) return false;
  if (covering(s.triggers, i) || covering(s.casualtyWords, i) || covering(s.context, i)) return false;
  if (covering(s.attributionCues, i) || covering(s.weapons, i) || covering(s.targets, i)) return false;
  return !covering(s.names, i)?.entries.some((e) => e.kind === 'group');
}

/** A name says which group it is: one word at least that is not a generic word for armed men or a
 * country's name ("the Salvadoran army" is not a new group; "the Atlacatl battalion" is), written
 * with a capital when the copy has capitals. */
export function isDistinctive(s: AnnotatedSentence, span: NameSpan, mixedCase: boolean): boolean {
  for (let i = span.from; i < span.to; i++) {
    const token = s.sentence.tokens[i];
    if (token?.kind !== 'word' || stops.has(token.norm) || generic.has(token.norm)) continue;
    if (covering(s.names, i)?.entries.some((e) => e.kind === 'country' || e.kind === 'demonym')) continue;
    if (mixedCase && !/^\p{Lu}/u.test(token.text)) continue;
    return true;
  }
  return false;
}

/** "… army of national liberation": an "of" phrase after the head belongs to the name. */
function withComplement(s: AnnotatedSentence, to: number): number {
  const tokens = s.sentence.tokens;
  if (tokens[to]?.norm !== 'of' || !complementHeads.has(tokens[to - 1]?.norm ?? '')) return to;
  let i = to + 1;
  if (tokens[i]?.norm === 'the') i++;
  const first = i;
  while (i - first < MAX_COMPLEMENT_WORDS && canBeInName(s, i)) i++;
  return i > first ? i : to;
}

/** Group names that the knowledge base does not know: the words before an organisation word ("the
 * Maximiliano Hernandez brigade") or after a naming phrase ("a group calling itself Jund al-Khilafa").
 * Spans only; whether the group did anything is for the attribution rules to say. */
export function newGroupNames(s: AnnotatedSentence, mixedCase: boolean): NameSpan[] {
  const tokens = s.sentence.tokens;
  const spans: NameSpan[] = [];
  for (const m of naming.match(tokens)) {
    let from = m.to;
    while (tokens[from]?.kind === 'punct' || tokens[from]?.norm === 'the') from++;
    let to = from;
    while (to - from < MAX_NAMED_WORDS && canBeInName(s, to)) {
      if (mixedCase && !/^\p{Lu}/u.test(tokens[to]?.text ?? '')) break;
      to++;
      if (heads.has(tokens[to - 1]?.norm ?? '')) break;
    }
    const span = { from, to: withComplement(s, to) };
    if (to > from && isDistinctive(s, span, mixedCase)) spans.push(span);
  }
  for (let h = 0; h < tokens.length; h++) {
    if (!heads.has(tokens[h]?.norm ?? '') || !canBeInName(s, h)) continue;
    if (spans.some((sp) => sp.from <= h && h < sp.to)) continue;
    let from = h;
    while (from > 0 && h - from < MAX_WORDS_BEFORE_HEAD && canBeInName(s, from - 1)) from--;
    let to = h + 1;
    while (heads.has(tokens[to]?.norm ?? '') && canBeInName(s, to)) to++;
    const span = { from, to: withComplement(s, to) };
    if (isDistinctive(s, span, mixedCase)) spans.push(span);
    h = span.to - 1;
  }
  return spans;
}

/** The id a new group gets until an analyst merges or promotes it: its name, normalised. */
export function discoveredGroupId(name: string): string {
  const key = phraseKey(name)
    .replace(/^the /, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `discovered:${key}`;
}
