import { readLexicon } from '../lexicon.js';
import { type Token, tokenize } from './tokens.js';

export interface Sentence {
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tokens: readonly Token[];
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const abbreviations = new Set(readLexicon<string[]>('abbreviations.json'));

/** Whether the text before a full stop ends in an abbreviation ("Gen", "U.S") or an initial ("J"). */
function isAbbreviation(before: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
  return abbreviations.has(word) || /^\p{L}$/u.test(word);
}

const sentenceEnds = readLexicon<{ abbreviations: string[]; continuations: string[] }>('sentence-ends.json');
const endingAbbreviations = new Set(sentenceEnds.abbreviations);
const continuations = new Set(sentenceEnds.continuations);

/** Whether an abbreviation that often ends a sentence ("a.m.") ends this one: the next word starts
 * with a capital and does not carry the time on ("8 a.m. Monday", "9 p.m. GMT"). */
function endsSentence(before: string, next: string): boolean {
  const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
  const following = /^\p{Lu}[\p{L}]*/u.exec(next.trimStart())?.[0];
  return (
    endingAbbreviations.has(word) && following !== undefined && !continuations.has(following.toLowerCase())
  );
}

function endsWithAbbreviation(segment: string, next: string): boolean {
  const trimmed = segment.trimEnd();
  if (!trimmed.endsWith('.') || /\n\s*$/.test(segment)) return false;
  const before = trimmed.slice(0, -1);
  return isAbbreviation(before) && !endsSentence(before, next);
}

/** Sentences with their tokens. Intl.Segmenter does the work for ordinary prose; because UAX #29 will not
 * break before a lower-case letter, each segment is split again at a full stop followed by a space
 * unless the word before it is a known abbreviation or an initial, so all-lower-case wire copy
 * (and MUC-4) splits too. "a.m." and "p.m." end a sentence before a capitalised word that does not
 * carry the time on (data/lexicon/sentence-ends.json). */
export function splitSentences(text: string): Sentence[] {
  const spans: [number, number][] = [];
  for (const seg of segmenter.segment(text)) {
    const from = seg.index;
    const body = seg.segment;
    let last = 0;
    for (const m of body.matchAll(/[.!?]+["'”’)]*\s+(?=\S)/g)) {
      const cut = (m.index ?? 0) + m[0].length;
      const before = body.slice(last, m.index ?? 0);
      if (m[0][0] === '.' && isAbbreviation(before) && !endsSentence(before, body.slice(cut))) continue;
      spans.push([from + last, from + cut]);
      last = cut;
    }
    spans.push([from + last, from + body.length]);
  }
  // Intl.Segmenter breaks after "Gen." or "J." before a capital: join those back.
  const joined: [number, number][] = [];
  for (const span of spans) {
    const last = joined.at(-1);
    if (last && endsWithAbbreviation(text.slice(last[0], last[1]), text.slice(span[0], span[1])))
      last[1] = span[1];
    else joined.push([...span]);
  }
  const sentences: Sentence[] = [];
  for (const [s, e] of joined) {
    const raw = text.slice(s, e);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const start = s + lead;
    sentences.push({
      index: sentences.length,
      start,
      end: start + trimmed.length,
      text: trimmed,
      tokens: tokenize(trimmed, start),
    });
  }
  return sentences;
}
