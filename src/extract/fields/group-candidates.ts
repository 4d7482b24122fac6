import { type AnnotatedSentence, covering } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import { homeCountries } from '../names.js';
import { isDistinctive, newGroupNames } from './new-groups.js';

/** A name in a sentence that may be the responsible group: linked to the knowledge base, or new. */
export interface GroupCandidate {
  readonly from: number;
  readonly to: number;
  readonly groupId: string;
  readonly discovered: boolean;
  /** Which rule proposed it: a knowledge-base name, an organisation word, or a capitalised name. */
  readonly source: 'kb' | 'head' | 'caps';
  /** "(BMDT)" right after the name: the short form the text goes on to use. */
  readonly acronym?: { readonly from: number; readonly to: number };
}

const words = readLexicon<{ connectors: string[]; calendar: string[]; stops: string[] }>(
  'organisations.json',
);
/** Small words inside a capitalised name ("Army of the Republic", "al-Qaida", "Tehrik-e-Taliban"). */
const connectors = new Set(words.connectors);
const calendar = new Set(words.calendar);
const stops = new Set(words.stops);

const MAX_RUN = 12;
const MAX_ACRONYM_WORDS = 4;

/** Countries a sentence names outright (by name or demonym), and those of the towns it names. */
function countriesIn(s: AnnotatedSentence): { named: Set<string>; ofTowns: Set<string> } {
  const named = new Set<string>();
  const ofTowns = new Set<string>();
  for (const m of s.names) {
    for (const e of m.entries) {
      if (e.kind === 'country' || e.kind === 'demonym') named.add(e.code);
      else if (e.kind === 'city') ofTowns.add(e.city.country);
    }
  }
  return { named, ofTowns };
}

/** The group a name links to. A name two groups share ("ELN") goes to the one whose home country the
 * sentence names (outright, else by its towns) or else the article names; when that does not settle
 * it, it stays unlinked rather than guessed. */
function linkedGroup(ids: readonly string[], s: AnnotatedSentence, articleCountries: ReadonlySet<string>) {
  if (ids.length <= 1) return ids[0];
  const { named, ofTowns } = countriesIn(s);
  for (const countries of [named, ofTowns, articleCountries]) {
    const fitting = ids.filter((id) => homeCountries(id).some((c) => countries.has(c)));
    if (fitting.length === 1) return fitting[0];
    if (fitting.length > 1) return undefined;
  }
  return undefined;
}

const isCapital = (text: string) => /^\p{Lu}/u.test(text);
const upperLetters = (text: string) => (text.match(/\p{Lu}/gu) ?? []).length;

/** The other name in brackets right after a name: a short form ("(BMDT)", "(LI/LeI)") or the name
 * in another language or in translation ("(Shining Path)"), every word capitalised, not a place. */
function acronymAfter(s: AnnotatedSentence, to: number): { from: number; to: number } | undefined {
  const tokens = s.sentence.tokens;
  if (tokens[to]?.text !== '(') return undefined;
  let end = to + 1;
  while (end < tokens.length && tokens[end]?.text !== ')' && end - to <= MAX_ACRONYM_WORDS) end++;
  if (tokens[end]?.text !== ')' || end === to + 1) return undefined;
  const first = tokens[to + 1];
  if (first?.kind !== 'word') return undefined;
  if (upperLetters(first.text) >= 2) return { from: to + 1, to: end };
  for (let i = to + 1; i < end; i++) {
    const t = tokens[i];
    if (t?.kind === 'word' && !isCapital(t.text) && !connectors.has(t.norm)) return undefined;
  }
  const place = covering(s.names, to + 1);
  if (place && place.to >= end && place.entries.some((e) => e.kind !== 'group')) return undefined;
  return { from: to + 1, to: end };
}

/** A word at the start of a run that is not part of the name: a stop or calendar word, or a cue,
 * count or attacker word capitalised because it opens the sentence. */
function leading(s: AnnotatedSentence, i: number): boolean {
  const norm = s.sentence.tokens[i]?.norm ?? '';
  if (stops.has(norm) || calendar.has(norm)) return true;
  return (
    covering(s.attributionCues, i) !== undefined ||
    covering(s.perpetratorNouns, i) !== undefined ||
    s.figures.some((f) => f.from <= i && i < f.to) ||
    covering(s.context, i) !== undefined
  );
}

/** Maximal runs of capitalised words, with the small words a name holds inside it: where copy has
 * meaningful capitals, a group's name is one of them whatever its last word. Runs made only of
 * places, calendar words or words for armed men are left out. */
function capitalisedRuns(
  s: AnnotatedSentence,
  written: (from: number, to: number) => string,
): { from: number; to: number }[] {
  const tokens = s.sentence.tokens;
  // "People's Army": a possessive "s" inside a name, between capitalised words.
  const capital = tokens.map((t) => t.kind === 'word' && isCapital(t.text));
  const capAt = (i: number) =>
    capital[i] === true ||
    (i > 0 &&
      tokens[i]?.norm === 's' &&
      capital[i + 1] === true &&
      /^\p{L}+['’]s$/u.test(written(i - 1, i + 1)));
  // "NICE, France — The Islamic State": a dash (not a token) parts two names.
  const dashBefore = (i: number) =>
    (tokens[i]?.start ?? 0) - (tokens[i - 1]?.end ?? 0) > 1 && /[—–]/.test(written(i - 1, i + 1));
  const inWordMark = (i: number) =>
    tokens[i]?.kind === 'punct' &&
    tokens[i + 1]?.kind === 'word' &&
    tokens[i]?.start === tokens[i - 1]?.end &&
    tokens[i + 1]?.start === tokens[i]?.end;
  const runs: { from: number; to: number }[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (!capAt(i) && !(connectors.has(tokens[i]?.norm ?? '') && capAt(i + 1) && i > 0 && !capAt(i - 1))) {
      i++;
      continue;
    }
    let to = i + 1;
    while (to < tokens.length && to - i < MAX_RUN) {
      if (dashBefore(to)) break;
      if (capAt(to)) to++;
      // "Qa`ida", "Shi'a": a mark inside a word, written without spaces.
      else if (inWordMark(to)) to += 2;
      else if (connectors.has(tokens[to]?.norm ?? '')) {
        let k = to;
        while (k < tokens.length && k - to < 3 && connectors.has(tokens[k]?.norm ?? '') && !capAt(k)) k++;
        if (!capAt(k)) break;
        to = k;
      } else break;
    }
    let from = i;
    // "Suspected", "Members of", "Six": attribution and count words that open a sentence are not
    // part of the name after them.
    while (from < to && leading(s, from)) from++;
    let end = to;
    while (
      end > from &&
      (connectors.has(tokens[end - 1]?.norm ?? '') || stops.has(tokens[end - 1]?.norm ?? ''))
    )
      end--;
    if (end > from) runs.push({ from, to: end });
    i = to;
  }
  return runs.filter((r) => {
    for (let k = r.from; k < r.to; k++) {
      const t = tokens[k];
      if (t?.kind !== 'word' || connectors.has(t.norm) || calendar.has(t.norm)) continue;
      const place = covering(s.names, k)?.entries.some((e) => e.kind !== 'group');
      if (!place) return true;
    }
    return false;
  });
}

/** `discoveredGroupId` of the written name, from the sentence's own tokens (no second tokenising). */
function discoveredIdOf(s: AnnotatedSentence, span: { from: number; to: number }): string {
  const words = s.sentence.tokens
    .slice(span.from, span.to)
    .filter((t) => t.kind !== 'punct')
    .map((t) => t.norm);
  if (words[0] === 'the') words.shift();
  const key = words
    .join(' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `discovered:${key}`;
}

const cache = new WeakMap<AnnotatedSentence, GroupCandidate[]>();

/** Every name in the sentence that may be the responsible group, each once (longest wins when a
 * capitalised run and a knowledge-base name cover the same words exactly). */
export function groupCandidates(
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string>,
  written: (from: number, to: number) => string,
): GroupCandidate[] {
  // Asked for again when drafts gather aliases; one document's countries throughout.
  const cached = cache.get(s);
  if (cached) return cached;
  const out: GroupCandidate[] = [];
  for (const m of s.names) {
    if (!m.entries.some((e) => e.kind === 'group')) continue;
    const ids = [...new Set(m.entries.flatMap((e) => (e.kind === 'group' ? [e.groupId] : [])))];
    const groupId = linkedGroup(ids, s, articleCountries);
    if (groupId === undefined) continue;
    const acronym = acronymAfter(s, m.to);
    out.push({
      from: m.from,
      to: m.to,
      groupId,
      discovered: false,
      source: 'kb',
      ...(acronym ? { acronym } : {}),
    });
  }
  const groupNames = s.names.filter((m) => m.entries.some((e) => e.kind === 'group'));
  const overlapsKnown = (span: { from: number; to: number }) =>
    groupNames.some((m) => m.from < span.to && span.from < m.to);
  const sameAsKnown = (span: { from: number; to: number }) =>
    groupNames.some((m) => m.from === span.from && m.to === span.to);
  const inAcronym = (span: { from: number; to: number }) =>
    out.some((c) => c.acronym && c.acronym.from <= span.from && span.to <= c.acronym.to);
  const add = (span: { from: number; to: number }, source: 'head' | 'caps') => {
    if (out.some((c) => c.from === span.from && c.to === span.to) || inAcronym(span)) return;
    const acronym = acronymAfter(s, span.to);
    // "Communist Party of India-Maoists (CPI-Maoist)": a short form the knowledge base knows links
    // the name written in full, and the two are one candidate.
    const known =
      acronym && out.findIndex((c) => c.source === 'kb' && c.from === acronym.from && c.to === acronym.to);
    if (acronym && known !== undefined && known >= 0) {
      const [kb] = out.splice(known, 1);
      out.push({ ...span, groupId: kb?.groupId ?? '', discovered: false, source, acronym });
      return;
    }
    out.push({
      ...span,
      groupId: discoveredIdOf(s, span),
      discovered: true,
      source,
      ...(acronym ? { acronym } : {}),
    });
  };
  for (const span of newGroupNames(s, s.mixedCase)) if (!overlapsKnown(span)) add(span, 'head');
  if (s.mixedCase) {
    for (const span of capitalisedRuns(s, written)) {
      if (sameAsKnown(span) || !isDistinctive(s, span, true)) continue;
      add(span, 'caps');
    }
  }
  cache.set(s, out);
  return out;
}
