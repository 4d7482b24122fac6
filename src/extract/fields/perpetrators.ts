import { type AnnotatedSentence, covering, endingNear, startingNear } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { institutionWords, nationalityWords, singularArticles } from '../lexicons.js';
import { ATTRIBUTIONS, type Attribution, type Count, type Field, type PerpetratorGroup } from '../types.js';

const CUE_BEFORE_WINDOW = 2;
const CUE_AFTER_WINDOW = 8;
const RELATION_WINDOW = 2;
const HEDGE_WINDOW = 8;

/** Groups named as perpetrators, each with the attribution its wording supports. A name with no
 * attribution wording near it is background and is left out: a suspicion is never made a claim. */
export function findPerpetratorGroups(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
): Field<PerpetratorGroup>[] {
  const found: Field<PerpetratorGroup>[] = [];
  for (const match of s.names) {
    const group = match.entries.find((e) => e.kind === 'group');
    if (group?.kind !== 'group') continue;
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
    ].filter((c) => !endingNear(s.attributionNegations, c.from, 2));
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
    const alias = text.slice(s.sentence.tokens[match.from]?.start, s.sentence.tokens[match.to - 1]?.end);
    found.push({
      value: { groupId: group.groupId, alias, aliasesSeen: [alias], attribution: best.attribution },
      evidence: [evidenceOf(documentId, text, s, best.from, best.to)],
      inferred: false,
    });
  }
  return found;
}

/** Every alias of a group written in the sentence, linked or not (for "aliases seen"). */
export function groupAliases(text: string, s: AnnotatedSentence): { groupId: string; alias: string }[] {
  return s.names.flatMap((m) => {
    const g = m.entries.find((e) => e.kind === 'group');
    if (g?.kind !== 'group') return [];
    return [
      {
        groupId: g.groupId,
        alias: text.slice(s.sentence.tokens[m.from]?.start, s.sentence.tokens[m.to - 1]?.end),
      },
    ];
  });
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
    const nationalityPhrase = nationalityWords.has(nextWord);
    const afterAttacker = endingNear(s.perpetratorNouns, match.from, NATIONALITY_WINDOW) !== undefined;
    if (!beforeAttacker && !(nationalityPhrase && (afterAttacker || !aboutVictims))) continue;
    const to = beforeAttacker ? beforeAttacker.to : nationalityPhrase ? match.to + 1 : match.to;
    found.push({
      value: demonym.code,
      evidence: [evidenceOf(documentId, text, s, match.from, to)],
      inferred: false,
    });
  }
  return found;
}
