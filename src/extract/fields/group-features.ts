import { type AnnotatedSentence, covering, endingNear, startingNear } from '../annotate.js';
import { readLexicon } from '../lexicon.js';
import type { AttributionEntry } from '../lexicons.js';
import type { Match } from '../text/gazetteer.js';
import { Gazetteer } from '../text/gazetteer.js';
import { phraseKey } from '../text/tokens.js';
import { ATTRIBUTIONS, type Attribution } from '../types.js';
import type { GroupCandidate } from './group-candidates.js';
import { firmAfterCues, weakCues } from './new-groups.js';

/* What the perpetrator model sees of one candidate name: the attribution wording around it (the
 * rules' cue lists), the words next to it, its shape and how it was found. Shared by extraction and
 * by its trainer (scripts/train/perpetrators.ts), so both describe a candidate the same way. */

const CUE_BEFORE_WINDOW = 2;
const CUE_AFTER_WINDOW = 8;
const RELATION_WINDOW = 2;
const HEDGE_WINDOW = 8;

/** The attribution the rules read from cue phrases next to a name, with the span that states it. */
export interface CueReading {
  readonly attribution: Attribution;
  readonly from: number;
  readonly to: number;
  /** The cue is firm enough for a name the knowledge base does not know. */
  readonly firm: boolean;
}

const cueKey = (s: AnnotatedSentence, c: { from: number; to: number }) =>
  s.sentence.tokens
    .slice(c.from, c.to)
    .map((t) => t.norm)
    .join(' ');

/** A claim, or a phrase before the name other than "members of", or "carried out" after it. */
function firmCue(s: AnnotatedSentence, cue: Match<AttributionEntry>, from: number): boolean {
  if (cue.entries.some((e) => e.attribution === 'claimed')) return true;
  const key = cueKey(s, cue);
  return cue.to <= from ? !weakCues.has(key) : firmAfterCues.has(key);
}

/** The end of a name with its bracketed short form: cues after "X (XY)" follow the brackets. */
export const nameEnd = (c: GroupCandidate) => (c.acronym ? c.acronym.to + 1 : c.to);

/** Cues before (close) and after (within a clause) the name, neither negated ("has not claimed")
 * nor about the group's habits ("who have carried out many attacks"). */
function cuesOf(s: AnnotatedSentence, c: GroupCandidate): Match<AttributionEntry>[] {
  const end = nameEnd(c);
  return [
    ...s.attributionCues.filter(
      (m) =>
        m.to <= c.from &&
        c.from - m.to <= CUE_BEFORE_WINDOW &&
        m.entries.some((e) => e.position === 'before'),
    ),
    ...s.attributionCues.filter(
      (m) =>
        m.from >= end && m.from - end <= CUE_AFTER_WINDOW && m.entries.some((e) => e.position === 'after'),
    ),
  ]
    .filter((m) => !endingNear(s.attributionNegations, m.from, 2))
    .filter((m) => !s.context.some((x) => x.entries.includes('habitual') && x.from < m.to && m.from < x.to));
}

/** The strongest attribution the cue phrases around a name support, a hedge before it ("believed to
 * be fighters of X") keeping it a suspicion. Null when no cue names it. */
export function cueReading(s: AnnotatedSentence, c: GroupCandidate): CueReading | null {
  let best: CueReading | null = null;
  for (const cue of cuesOf(s, c)) {
    const side = cue.to <= c.from ? 'before' : 'after';
    for (const e of cue.entries) {
      if (e.position !== side) continue;
      const firm = firmCue(s, cue, c.from);
      if (
        !best ||
        (firm && !best.firm) ||
        (firm === best.firm && ATTRIBUTIONS.indexOf(e.attribution) < ATTRIBUTIONS.indexOf(best.attribution))
      ) {
        best = {
          attribution: e.attribution,
          from: Math.min(cue.from, c.from),
          to: Math.max(cue.to, nameEnd(c)),
          firm,
        };
      }
    }
  }
  if (!best) return null;
  const hedged = s.attributionCues.some(
    (m) =>
      m.to <= c.from &&
      c.from - m.to <= HEDGE_WINDOW &&
      m.entries.some((e) => e.attribution === 'suspected') &&
      !endingNear(s.attributionNegations, m.from, 2),
  );
  return hedged && best.attribution === 'identified' ? { ...best, attribution: 'suspected' } : best;
}

/** Whether the words just before the name make it another group's relative ("a faction of X",
 * "a spokesman for X"). */
export const relatedGroup = (s: AnnotatedSentence, c: GroupCandidate) =>
  endingNear(s.groupRelations, c.from, RELATION_WINDOW) !== undefined;

/** Relations that make a group never the doer: its enemies' ("a rival of X", "fighting X"), its
 * allies' or examples' ("allied with X", "groups such as X"), or one of its people's ("the second in
 * command of X was shot"). A spokesman's group, or the parent of a faction, may well be. */
const OTHER_SIDE = new Set(
  [
    'rival of',
    'rivals',
    'rival',
    'against',
    'fight against',
    'war on',
    'fighting',
    'enemy of',
    'enemies of',
    'opponent of',
    'opponents of',
    'victim of',
    'victims of',
    'in command of',
    'second in command of',
    'leader of',
    'leaders of',
    'commander of',
    'founder of',
    'allied with',
    'ally of',
    'allies of',
    'like',
    'such as',
  ].map(phraseKey),
);

export function otherSide(s: AnnotatedSentence, c: GroupCandidate): boolean {
  const m = endingNear(s.groupRelations, c.from, RELATION_WINDOW);
  return m !== undefined && OTHER_SIDE.has(cueKey(s, m));
}

/** The short form in brackets starts with the name's first initial and holds most of the initials
 * of its capitalised words ("Baloch Republican Army (BRA)"): it names an organisation, not a place. */
function initialsMatch(s: AnnotatedSentence, c: GroupCandidate): boolean {
  if (!c.acronym) return false;
  const tokens = s.sentence.tokens;
  const short = tokens
    .slice(c.acronym.from, c.acronym.to)
    .map((t) => t.text)
    .join('')
    .replace(/[^\p{Lu}]/gu, '');
  const initials = tokens
    .slice(c.from, c.to)
    .filter((t) => t.kind === 'word' && /^\p{Lu}/u.test(t.text))
    .map((t) => t.text[0] ?? '');
  if (short.length < 2 || initials[0] !== short[0]) return false;
  const hits = initials.filter((i) => short.includes(i)).length;
  return hits >= Math.min(initials.length, short.length) - 1;
}

const reactionWords = readLexicon<{ kinds: Record<string, string[]> }>('reactions.json').kinds;
/** Words of a reaction to an attack ("condemned", "offered condolences"): who says them is not who
 * carried it out. */
const reactions = new Gazetteer<true>();
for (const kind of ['condemn', 'concern', 'condolence', 'support'])
  for (const p of reactionWords[kind] ?? []) reactions.add(phraseKey(p), true);
const REACTION_WINDOW = 20;

/** The name is the subject of a reaction ("the Taliban, who seized Kabul, condemned the bombing"). */
export function reactsAfter(s: AnnotatedSentence, c: GroupCandidate): boolean {
  const end = nameEnd(c);
  return reactions.match(s.sentence.tokens).some((m) => m.from >= end && m.from - end <= REACTION_WINDOW);
}

const TIME_WORDS = new Set(['after', 'before', 'since', 'until']);

/** The name opens a clause about another time: "days after the Taliban ...", "since X ...". */
export function inTimeClause(s: AnnotatedSentence, c: GroupCandidate): boolean {
  const tokens = s.sentence.tokens;
  let i = c.from - 1;
  if (tokens[i]?.norm === 'the') i--;
  return TIME_WORDS.has(tokens[i]?.norm ?? '');
}

/** Words before an attacker noun that say who the attackers are is not known. */
const UNNAMED = new Set(['unidentified', 'unknown', 'unnamed']);

const bucket = (n: number, max: number) => String(Math.min(n, max));

function wordAt(s: AnnotatedSentence, i: number): string {
  const t = s.sentence.tokens[i];
  if (!t) return i < 0 ? '<s>' : '</s>';
  if (t.kind === 'number') return '<num>';
  // Names around a name say what kind of words stand there, not which: a place or person seen in
  // training says nothing of the next text.
  if (s.mixedCase && t.kind === 'word' && /^\p{Lu}/u.test(t.text) && i > 0) return '<Cap>';
  return t.norm;
}

/** The features of one candidate (see the file comment). `occurrences`: how often its written name
 * appears in the whole text. */
export function candidateFeatures(
  s: AnnotatedSentence,
  c: GroupCandidate,
  index: number,
  written: string,
  occurrences: number,
): string[] {
  const tokens = s.sentence.tokens;
  const end = nameEnd(c);
  const f: string[] = [`src:${c.source}`, `known:${!c.discovered}`, `len:${bucket(c.to - c.from, 5)}`];
  if (c.acronym) f.push('acronym', `acronym-known:${!c.discovered}`);
  if (c.acronym && initialsMatch(s, c)) f.push('acronym-initials');
  if (tokens[c.from - 1]?.text === '(' && tokens[c.to]?.text === ')') f.push('in-brackets');
  if (c.to - c.from === 1 && /^[\p{Lu}\d]{2,}$/u.test(written)) f.push('all-caps');
  f.push(`sentence:${bucket(s.sentence.index, 3)}`, `index:${bucket(index, 2)}`);
  f.push(`seen:${bucket(occurrences, 3)}`);
  const p1 = wordAt(s, c.from - 1);
  const p2 = wordAt(s, c.from - 2);
  const p3 = wordAt(s, c.from - 3);
  const n1 = wordAt(s, end);
  const n2 = wordAt(s, end + 1);
  const n3 = wordAt(s, end + 2);
  f.push(`p1:${p1}`, `p2:${p2}`, `p3:${p3}`, `p21:${p2}_${p1}`, `n1:${n1}`, `n2:${n2}`, `n3:${n3}`);
  f.push(`n12:${n1}_${n2}`, `n123:${n1}_${n2}_${n3}`, `p321:${p3}_${p2}_${p1}`);
  f.push(`src-n1:${c.source}_${n1}`, `src-p1:${c.source}_${p1}`);
  const last = tokens[c.to - 1]?.norm ?? '';
  if (startingNear(s.perpetratorNouns, end, 1)) f.push('before-attacker-noun');
  if (endingNear(s.perpetratorNouns, c.from, 1)) f.push('after-attacker-noun');
  if (covering(s.names, c.to - 1)?.entries.some((e) => e.kind !== 'group')) f.push('ends-in-place');
  if (c.source !== 'kb') f.push(`last-len:${bucket(last.length, 8)}`);
  const reading = cueReading(s, c);
  if (reading)
    f.push(`cue:${reading.attribution}`, `cue-firm:${reading.firm}`, `cue-src:${c.source}_${reading.firm}`);
  else f.push('no-cue');
  for (const m of s.attributionCues) {
    const negated = endingNear(s.attributionNegations, m.from, 2) !== undefined;
    const side = m.to <= c.from ? 'before' : m.from >= end ? 'after' : 'inside';
    for (const e of m.entries) f.push(`sentence-cue:${side}_${e.attribution}${negated ? '_neg' : ''}`);
  }
  // The name as the doer of an attack word ("X militants bombed") or after one ("killed a X cadre").
  const near = (ms: readonly { from: number; to: number }[], side: 'after' | 'before', w: number) =>
    ms.some((m) =>
      side === 'after' ? m.from >= end && m.from - end <= w : m.to <= c.from && c.from - m.to <= w,
    );
  if (near(s.triggers, 'after', 4)) f.push('attack-word-after');
  if (near(s.triggers, 'before', 3)) f.push('attack-word-before');
  if (near(s.casualtyWords, 'after', 5)) f.push('casualty-after');
  if (near(s.casualtyWords, 'before', 3)) f.push('casualty-before');
  if (relatedGroup(s, c)) f.push('related');
  // "unidentified militants killed a X cadre": the sentence says the doers are not known.
  if (
    s.perpetratorNouns.some((p) =>
      s.sentence.tokens.slice(Math.max(0, p.from - 2), p.to).some((t) => UNNAMED.has(t.norm)),
    )
  )
    f.push('attackers-unnamed');
  if (s.context.some((m) => m.entries.includes('habitual'))) f.push('habitual');
  return f;
}
