import { type AnnotatedSentence, covering, endingNear, startingNear } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import type { AttributionEntry } from '../lexicons.js';
import { institutionWords, nationalityWords, singularArticles } from '../lexicons.js';
import { homeCountries } from '../names.js';
import type { Match } from '../text/gazetteer.js';
import { ATTRIBUTIONS, type Attribution, type Count, type Field, type PerpetratorGroup } from '../types.js';
import { discoveredGroupId, firmAfterCues, newGroupNames, weakCues } from './new-groups.js';

const CUE_BEFORE_WINDOW = 2;
const CUE_AFTER_WINDOW = 8;
const RELATION_WINDOW = 2;
const HEDGE_WINDOW = 8;

/** A group name in a sentence: linked to the knowledge base, or new (`discovered:` id). */
interface GroupMention {
  readonly from: number;
  readonly to: number;
  readonly groupId: string;
  readonly discovered: boolean;
}

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

function groupMentions(
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string>,
): GroupMention[] {
  const known: GroupMention[] = s.names.flatMap((m) => {
    const ids = [...new Set(m.entries.flatMap((e) => (e.kind === 'group' ? [e.groupId] : [])))];
    const groupId = linkedGroup(ids, s, articleCountries);
    return groupId === undefined ? [] : [{ from: m.from, to: m.to, groupId, discovered: false }];
  });
  const found = newGroupNames(s, s.mixedCase)
    .filter(
      (span) =>
        !s.names.some(
          (m) => m.from < span.to && span.from < m.to && m.entries.some((e) => e.kind === 'group'),
        ),
    )
    .map((span) => ({
      ...span,
      groupId: discoveredGroupId(writtenSpan(text, s, span.from, span.to)),
      discovered: true,
    }));
  return [...known, ...found];
}

const writtenSpan = (text: string, s: AnnotatedSentence, from: number, to: number) =>
  text.slice(s.sentence.tokens[from]?.start, s.sentence.tokens[to - 1]?.end);

const cueKey = (s: AnnotatedSentence, c: { from: number; to: number }) =>
  s.sentence.tokens
    .slice(c.from, c.to)
    .map((t) => t.norm)
    .join(' ');

/** Whether a cue is firm enough for a name the knowledge base does not know: a claim, or a phrase
 * before it other than "members of", or "carried out" after it. */
function firmFor(s: AnnotatedSentence, cue: Match<AttributionEntry>, name: GroupMention): boolean {
  if (cue.entries.some((e) => e.attribution === 'claimed')) return true;
  const key = cueKey(s, cue);
  return cue.to <= name.from ? !weakCues.has(key) : firmAfterCues.has(key);
}

/** Groups named as perpetrators, each with the attribution its wording supports. A name with no
 * attribution wording near it is background and is left out: a suspicion is never made a claim. A
 * name the knowledge base does not know needs firmer wording than "members of". */
export function findPerpetratorGroups(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string> = new Set(),
): Field<PerpetratorGroup>[] {
  const found: Field<PerpetratorGroup>[] = [];
  for (const match of groupMentions(text, s, articleCountries)) {
    if (endingNear(s.groupRelations, match.from, RELATION_WINDOW)) continue;
    const cues = [
      ...s.attributionCues.filter(
        (c) =>
          c.to <= match.from &&
          match.from - c.to <= CUE_BEFORE_WINDOW &&
          c.entries.some((e) => e.position === 'before'),
      ),
      ...s.attributionCues.filter(
        (c) =>
          c.from >= match.to &&
          c.from - match.to <= CUE_AFTER_WINDOW &&
          c.entries.some((e) => e.position === 'after'),
      ),
    ]
      .filter((c) => !endingNear(s.attributionNegations, c.from, 2))
      // "the Pakistani Taliban, who have carried out many attacks in the region, distanced
      // themselves": a habit of the group says nothing of who did this attack.
      .filter((c) => !s.context.some((m) => m.entries.includes('habitual') && m.from < c.to && c.from < m.to))
      .filter((c) => !match.discovered || firmFor(s, c, match));
    let best: { attribution: Attribution; from: number; to: number } | null = null;
    for (const cue of cues) {
      const side = cue.to <= match.from ? 'before' : 'after';
      for (const e of cue.entries) {
        if (e.position !== side) continue;
        if (!best || ATTRIBUTIONS.indexOf(e.attribution) < ATTRIBUTIONS.indexOf(best.attribution)) {
          best = {
            attribution: e.attribution,
            from: Math.min(cue.from, match.from),
            to: Math.max(cue.to, match.to),
          };
        }
      }
    }
    if (!best) continue;
    // "believed to be fighters of X": a hedge anywhere before the name keeps it a suspicion.
    const hedged = s.attributionCues.some(
      (c) =>
        c.to <= match.from &&
        match.from - c.to <= HEDGE_WINDOW &&
        c.entries.some((e) => e.attribution === 'suspected'),
    );
    if (hedged && best.attribution === 'identified') best = { ...best, attribution: 'suspected' };
    const alias = writtenSpan(text, s, match.from, match.to);
    found.push({
      value: {
        groupId: match.groupId,
        alias,
        aliasesSeen: [alias],
        attribution: best.attribution,
        discovered: match.discovered,
      },
      evidence: [evidenceOf(documentId, text, s, best.from, best.to)],
      inferred: false,
    });
  }
  return found;
}

/** Every alias of a group written in the sentence (for "aliases seen"). */
export function groupAliases(
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string> = new Set(),
): { groupId: string; alias: string }[] {
  return groupMentions(text, s, articleCountries).map((m) => ({
    groupId: m.groupId,
    alias: writtenSpan(text, s, m.from, m.to),
  }));
}

/** How many attackers: a figure or a singular article right before a perpetrator noun
 * ("at least four gunmen", "a suicide bomber"). */
export function findAttackerCount(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
): Field<Count> | null {
  for (const noun of s.perpetratorNouns) {
    let at = noun.from;
    // allow one adjective between: "four armed men", "two suicide bombers"
    const figure = s.figures.find((f) => f.to === at || f.to === at - 1);
    if (figure) {
      return {
        value: figure.count,
        evidence: [evidenceOf(documentId, text, s, figure.from, noun.to)],
        inferred: false,
      };
    }
    while (at > 0 && at - noun.from > -2) {
      at--;
      const word = s.sentence.tokens[at]?.norm ?? '';
      if (singularArticles.has(word) && !covering(s.context, at)?.entries.includes('determiner')) {
        const plural =
          /s$/.test(s.sentence.tokens[noun.to - 1]?.norm ?? '') &&
          !/(man|men)$/.test(s.sentence.tokens[noun.to - 1]?.norm ?? '');
        if (plural) break;
        return {
          value: { value: 1, min: 1, max: 1, qualifier: 'exact' },
          evidence: [evidenceOf(documentId, text, s, at, noun.to)],
          inferred: true,
        };
      }
    }
  }
  return null;
}

const NATIONALITY_WINDOW = 10;

/** Attackers' nationality: a demonym before a perpetrator noun ("Tajik gunmen", "a Tunisian delivery
 * driver"), or before a nationality word ("Tajik nationals", "a Belgian national") when the sentence
 * is about the attackers, not about victims ("two British nationals were among the dead"). A demonym
 * before a state word ("the Afghan government") is never a nationality. */
export function findNationalities(documentId: string, text: string, s: AnnotatedSentence): Field<string>[] {
  const found: Field<string>[] = [];
  const tokens = s.sentence.tokens;
  const aboutVictims = s.casualtyWords.length > 0;
  for (const match of s.names) {
    const demonym = match.entries.find((e) => e.kind === 'demonym');
    if (demonym?.kind !== 'demonym') continue;
    const nextWord = tokens[match.to]?.norm ?? '';
    if (institutionWords.has(nextWord)) continue;
    const beforeAttacker = startingNear(s.perpetratorNouns, match.to, 2);
    // Russian puts the nationality word first: "граждане Таджикистана" is one name, flagged.
    const namedAsNationality = demonym.nationality === true;
    const nationalityPhrase = nationalityWords.has(nextWord) || namedAsNationality;
    const afterAttacker = endingNear(s.perpetratorNouns, match.from, NATIONALITY_WINDOW) !== undefined;
    if (!beforeAttacker && !(nationalityPhrase && (afterAttacker || !aboutVictims))) continue;
    const to = beforeAttacker
      ? beforeAttacker.to
      : nationalityPhrase && !namedAsNationality
        ? match.to + 1
        : match.to;
    found.push({
      value: demonym.code,
      evidence: [evidenceOf(documentId, text, s, match.from, to)],
      inferred: false,
    });
  }
  return found;
}
