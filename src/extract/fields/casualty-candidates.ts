/**
 * Candidate tolls of a sentence: every phrase that may say how many people were killed, wounded or
 * (as attackers) died, with the features the learned scorer (`casualties` model) reads to keep or
 * drop it. Rules here only propose; `casualties.ts` decides.
 *
 * A candidate is a victim phrase linked to a casualty word:
 * - a figure with its noun ("19 Indian Army soldiers", "all four", "dozens of people");
 * - one person ("a traffic police officer", "his wife", "the driver", "he", a two-word name after
 *   "killed"), counted 1; "both" counts 2; "himself" is the attacker;
 * and the casualty word after it ("... were killed") or before it ("killing ...").
 */
import type { AnnotatedSentence } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import { type CasualtyEntry, type CasualtyKind, casualtyFiller } from '../lexicons.js';
import { Gazetteer } from '../text/gazetteer.js';
import { phraseKey, type Token } from '../text/tokens.js';
import type { Count } from '../types.js';
import { isFunctionWord } from './people.js';

const personNouns = new Gazetteer<true>();
for (const p of readLexicon<{ person_nouns: string[] }>('people.json').person_nouns)
  personNouns.add(phraseKey(p), true);

/** Words that open a phrase about one person. */
const SINGULAR_OPENERS = new Set(['a', 'an', 'the', 'his', 'her', 'their', 'its', 'another', 'one', 'each']);
const ORDINALS = new Set(['second', 'third', 'fourth', 'fifth', 'sixth', 'seventh']);
const PRONOUNS = new Set(['he', 'she']);
/** Words that end a noun phrase: a verb, a preposition or a clause starts. */
const PHRASE_STOPS = new Set([
  'was',
  'were',
  'is',
  'are',
  'be',
  'been',
  'has',
  'had',
  'have',
  'who',
  'which',
  'that',
  'when',
  'while',
  'after',
  'before',
  'in',
  'on',
  'at',
  'by',
  'from',
  'with',
  'to',
  'into',
  'near',
  'during',
  'and',
  'or',
  'but',
]);
/** How far (tokens) a casualty word may stand from its victim phrase. */
const AFTER_LINK = 9;
const BEFORE_LINK = 7;
const MAX_MODIFIERS = 7;
/** Verbs that often, not always, mean a death ("shot a policeman"). */
const WEAK_KILL = new Set(['shot', 'shooting', 'assassinated', 'beheaded', 'stabbed', 'executed', 'lynched']);

export type CandidateKind = CasualtyKind | 'perpetrators_killed';

export interface Candidate {
  readonly kind: CasualtyKind;
  readonly count: Count;
  /** Tokens [from, to) of the evidence: the victim phrase and its casualty word. */
  readonly from: number;
  readonly to: number;
  /** Where the victim phrase starts and ends (ordering, coordination). */
  readonly at: number;
  readonly end: number;
  /** The head noun, if any ("soldiers"). */
  readonly head: string;
  readonly perpetrators: boolean;
  readonly features: string[];
}

interface Victims {
  readonly from: number;
  readonly to: number;
  readonly count: Count;
  readonly source: 'figure' | 'one' | 'ordinal' | 'name' | 'name1' | 'pronoun' | 'self' | 'both';
  readonly head: string;
  readonly perpetrators: boolean;
}

const one: Count = { value: 1, min: 1, max: 1, qualifier: 'exact' };
const two: Count = { value: 2, min: 2, max: 2, qualifier: 'exact' };

const isSingularNoun = (words: string) =>
  !/(?:s|men|people|children|police)$/.test(words) || /(?:ss|us|man)$/.test(words);

/** Victim phrases of a sentence. */
function victimPhrases(s: AnnotatedSentence, people: ReturnType<typeof personNouns.match>): Victims[] {
  const tokens = s.sentence.tokens;
  const found: Victims[] = [];
  const perps = new Map(s.perpetratorNouns.map((p) => [p.from, p]));
  const persons = new Map(people.map((p) => [p.from, p]));
  const perpAt = (i: number) => perps.get(i);
  const personAt = (i: number) => persons.get(i);
  const casualtyAt = (i: number) => s.casualtyWords.some((w) => w.from <= i && i < w.to);
  /** The noun phrase's head from `at`: up to MAX_MODIFIERS words, then a person or attacker noun. */
  const headFrom = (at: number) => {
    for (let j = at; j < tokens.length && j - at <= MAX_MODIFIERS; j++) {
      const t = tokens[j] as Token;
      // An age among the modifiers: "a 23-year-old Muslim civilian", "a fifty-four year old teacher".
      const age = s.figures.find((f) => f.from === j);
      if (
        age &&
        (tokens[age.to]?.norm === 'year' || tokens[age.to]?.norm === 'years') &&
        tokens[age.to + 1]?.norm === 'old'
      ) {
        j = age.to + 1;
        continue;
      }
      const perp = perpAt(j);
      if (perp) return { to: perp.to, head: words(perp.from, perp.to), perpetrators: true };
      const person = personAt(j);
      if (person) {
        // "police officers": take the longest run of person nouns.
        let to = person.to;
        while (personAt(to)) to = (personAt(to) as { to: number }).to;
        return { to, head: words(j, to), perpetrators: false };
      }
      // A bracketed acronym among the modifiers: "a Tehrik-e-Taliban (TTP) commander".
      if (t.norm === '(' && tokens[j + 2]?.norm === ')') {
        j += 2;
        continue;
      }
      if (t.kind !== 'word' || PHRASE_STOPS.has(t.norm) || casualtyAt(j)) return null;
    }
    return null;
  };
  const words = (from: number, to: number) =>
    tokens
      .slice(from, to)
      .map((t) => t.norm)
      .join(' ');
  for (const figure of s.figures) {
    // An age is no count: "a 27-year-old vendor", "Salit Cohen, 28, was killed".
    const after = tokens[figure.to]?.norm;
    if ((after === 'year' || after === 'years') && tokens[figure.to + 1]?.norm === 'old') continue;
    if (after === ',' && tokens[figure.from - 1]?.norm === ',' && isName(s, figure.from - 2)) continue;
    // "two of the attackers", "three of them"
    let at = figure.to;
    if (tokens[at]?.norm === 'of' && tokens[at + 1]?.norm === 'the') at += 2;
    else if (tokens[at]?.norm === 'of' && tokens[at + 1]?.norm === 'them') at += 2;
    const head = headFrom(at);
    found.push({
      from: tokens[figure.from - 1]?.norm === 'all' ? figure.from - 1 : figure.from,
      to: head?.to ?? figure.to,
      count: figure.count,
      source: 'figure',
      head: head?.head ?? '',
      perpetrators: head?.perpetrators ?? false,
    });
  }
  const inFigure = (i: number) => s.figures.some((f) => f.from <= i && i < f.to);
  for (let i = 0; i < tokens.length; i++) {
    const w = (tokens[i] as Token).norm;
    if (inFigure(i)) continue;
    if (w === 'and' && !isName(s, i + 1)) {
      // "his two wives, two sons and daughter": a bare noun after "and" is one more person.
      const person = personAt(i + 1);
      if (person && isSingularNoun(words(person.from, person.to)))
        found.push({
          from: i + 1,
          to: person.to,
          count: one,
          source: 'one',
          head: words(person.from, person.to),
          perpetrators: false,
        });
    } else if (SINGULAR_OPENERS.has(w) || (w === 'a' && ORDINALS.has(tokens[i + 1]?.norm ?? ''))) {
      const ordinal = ORDINALS.has(tokens[i + 1]?.norm ?? '');
      const head = headFrom(i + 1);
      if (head && isSingularNoun(head.head)) found.push({ from: i, count: one, source: 'one', ...head });
      else if (ordinal)
        found.push({ from: i, to: i + 2, count: one, source: 'ordinal', head: '', perpetrators: false });
    } else if (PRONOUNS.has(w)) {
      found.push({ from: i, to: i + 1, count: one, source: 'pronoun', head: w, perpetrators: false });
    } else if (w === 'himself' || w === 'herself') {
      found.push({ from: i, to: i + 1, count: one, source: 'self', head: w, perpetrators: true });
    } else if (w === 'both') {
      found.push({ from: i, to: i + 1, count: two, source: 'both', head: '', perpetrators: false });
    } else if (s.mixedCase && isName(s, i) && !isName(s, i - 1)) {
      let to = i + 1;
      while (to < tokens.length && isName(s, to)) to++;
      // One word is a name only right before its fate ("Saleh was killed", "Hafeez died").
      const fate = tokens[to]?.norm === 'was' || casualtyAt(to) || casualtyAt(i - 1);
      if (to - i >= 2 || fate)
        found.push({
          from: i,
          to,
          count: one,
          source: to - i >= 2 ? 'name' : 'name1',
          head: '',
          perpetrators: false,
        });
    }
  }
  return found;
}

/** A word that may be part of a person's name: capitalised, not a function word, not a known place
 * or group. */
const isName = (s: AnnotatedSentence, i: number) => {
  const t = s.sentence.tokens[i];
  return (
    t !== undefined &&
    t.kind === 'word' &&
    /^\p{Lu}\p{Ll}/u.test(t.text) &&
    !isFunctionWord(t.norm) &&
    !s.names.some((n) => n.from <= i && i < n.to)
  );
};

interface Link {
  readonly kind: CasualtyKind;
  readonly word: string;
  /** Where the word's entries say the victims stand: "shot and killed" is only followed by them. */
  readonly positions: string;
  readonly direction: 'after' | 'before' | 'weak';
  readonly from: number;
  readonly to: number;
}

/** Casualty words that may say what became of the victims in [from, to). */
function linksOf(s: AnnotatedSentence, v: Victims, all: readonly Victims[]): Link[] {
  const tokens = s.sentence.tokens;
  const links: Link[] = [];
  const breaks = (a: number, b: number) => tokens.slice(a, b).some((t) => t.norm === '.' || t.norm === ';');
  // Other victims in a list between the phrase and its word do not count as distance ("killing three
  // soldiers from the task force and one civilian").
  const distance = (a: number, b: number) => {
    if (b - a <= Math.min(AFTER_LINK, BEFORE_LINK)) return b - a;
    let n = 0;
    for (let i = a; i < b; i++) if (!all.some((o) => o !== v && o.from <= i && i < o.to)) n++;
    return n;
  };
  const seen = new Set<string>();
  for (const w of s.casualtyWords) {
    if (w.from >= v.to && distance(v.to, w.from) <= AFTER_LINK && !breaks(v.to, w.from)) {
      for (const e of w.entries) {
        if (seen.has(`a${e.kind}`)) continue;
        seen.add(`a${e.kind}`);
        links.push({
          kind: e.kind,
          word: words(tokens, w.from, w.to),
          positions: positionsOf(w.entries, e.kind),
          direction: 'after',
          from: w.from,
          to: w.to,
        });
      }
    }
  }
  for (const w of [...s.casualtyWords].reverse()) {
    if (w.to <= v.from && distance(w.to, v.from) <= BEFORE_LINK && !breaks(w.to, v.from)) {
      for (const e of w.entries) {
        if (seen.has(`b${e.kind}`)) continue;
        seen.add(`b${e.kind}`);
        links.push({
          kind: e.kind,
          word: words(tokens, w.from, w.to),
          positions: positionsOf(w.entries, e.kind),
          direction: 'before',
          from: w.from,
          to: w.to,
        });
      }
    }
  }
  // "shot a policeman", "assassinated the mayor"
  for (let i = v.from - 1; i >= 0 && v.from - i <= 3; i--) {
    const w = tokens[i]?.norm ?? '';
    if (WEAK_KILL.has(w) && !seen.has('bkilled') && !seen.has('wkilled')) {
      seen.add('wkilled');
      links.push({ kind: 'killed', word: w, positions: 'before', direction: 'weak', from: i, to: i + 1 });
    }
  }
  return links;
}

const positionsOf = (entries: readonly CasualtyEntry[], kind: CasualtyKind) =>
  [...new Set(entries.filter((e) => e.kind === kind).map((e) => e.position))].sort().join('+');

const words = (tokens: readonly Token[], from: number, to: number) =>
  tokens
    .slice(from, to)
    .map((t) => t.norm)
    .join(' ');

/** Sentence-wide features: what kind of sentence the toll stands in. */
function sentenceFeatures(s: AnnotatedSentence): string[] {
  const out = new Set<string>();
  for (const c of s.context) for (const e of c.entries) out.add(`ctx=${e}`);
  out.add(`sent=${Math.min(s.sentence.index, 3)}`);
  if (s.triggers.length > 0) out.add('trig');
  if (s.stateActions.length > 0) out.add('state');
  return [...out];
}

/** Every candidate toll of a sentence with its features (kidnappings included: they may be the
 * victims of a later killing). */
export function casualtyCandidates(s: AnnotatedSentence): Candidate[] {
  if (s.casualtyWords.length === 0 && !s.sentence.tokens.some((t) => WEAK_KILL.has(t.norm))) return [];
  const tokens = s.sentence.tokens;
  const people = personNouns.match(tokens);
  const general = sentenceFeatures(s);
  const out: Candidate[] = [];
  const phrases = victimPhrases(s, people);
  for (const v of phrases) {
    for (const link of linksOf(s, v, phrases)) {
      // Kidnappings keep the simpler rule of casualties.ts: the coders' figures say nothing of them.
      if (link.kind === 'kidnapped') continue;
      const [gapFrom, gapTo] = link.direction === 'after' ? [v.to, link.from] : [link.to, v.from];
      const gap = tokens.slice(gapFrom, gapTo).map((t) => t.norm);
      const k = link.kind;
      const f: string[] = [
        `k=${k}`,
        `src=${v.source}`,
        `${k}:src=${v.source}`,
        `dir=${link.direction}`,
        `${k}:dir=${link.direction}:${v.source}`,
        `${k}:cw=${link.direction}:${link.word}`,
        `gap=${Math.min(gap.length, 6)}`,
        `${k}:gap=${link.direction}:${Math.min(gap.length, 6)}`,
        `prev=${tokens[v.from - 1]?.norm ?? '^'}`,
        `${k}:prev=${tokens[v.from - 1]?.norm ?? '^'}`,
        `prev2=${tokens[v.from - 2]?.norm ?? '^'}`,
        `next=${tokens[Math.max(v.to, link.to)]?.norm ?? '$'}`,
        `q=${v.count.qualifier}`,
        // Small values only: a prior against large figures would drop the large tolls of real news.
        `val=${Math.min(v.count.value ?? v.count.min, 4)}`,
      ];
      const pos = `pos=${link.direction}:${link.positions}`;
      f.push(
        pos,
        `${k}:${pos}`,
        `${pos}:perp=${v.perpetrators}`,
        `${k}:cw-src=${link.word}:${v.source}`,
        `${k}:gap-src=${Math.min(gap.length, 6)}:${v.source}:${link.direction}`,
      );
      if (gap.every((w) => casualtyFiller.has(w) || w === ','))
        f.push('gapfill', `${k}:gapfill:${link.direction}`);
      for (const w of gap.slice(0, 6)) f.push(`gw=${w}`);
      if (gap.includes('and')) f.push(`${k}:gap-and`);
      const listed = phrases.filter((o) => o !== v && o.from >= gapFrom && o.to <= gapTo).length;
      if (listed > 0) f.push(`listed=${Math.min(listed, 3)}`, `${k}:listed:${link.direction}`);
      if (v.head) f.push(`head=${v.head}`, `${k}:head=${v.head}`);
      else f.push(`${k}:nohead`);
      if (v.perpetrators) f.push('perp', `${k}:perp`, `${k}:perp:${link.direction}`);
      if (tokens[v.to]?.norm === 'others' || tokens[v.to]?.norm === 'more') f.push('others');
      for (const g of general) f.push(g, `${k}:${g}`);
      out.push({
        kind: k,
        count: v.count,
        from: Math.min(v.from, link.from),
        to: Math.max(v.to, link.to),
        at: v.from,
        end: v.to,
        head: v.head,
        perpetrators: v.perpetrators,
        features: f,
      });
    }
  }
  return out;
}
