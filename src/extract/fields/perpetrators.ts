import { loadModel, probability } from '../../learn/index.js';
import { type AnnotatedSentence, covering, endingNear, startingNear } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { institutionWords, nationalityWords, singularArticles } from '../lexicons.js';
import type { Count, Field, PerpetratorGroup } from '../types.js';
import { type GroupCandidate, groupCandidates } from './group-candidates.js';
import { inDocument } from './group-document.js';
import {
  candidateFeatures,
  cueReading,
  inTimeClause,
  nameEnd,
  otherSide,
  reactsAfter,
  relatedGroup,
} from './group-features.js';

/** The model that decides which candidate names are the responsible group (trained by
 * scripts/train/perpetrators.ts on the train parts of the coder-gold sets, and on news). */
const MODEL = 'perpetrators';
/** Probability above which a candidate is named a perpetrator: a little over even, so that on news
 * copy a name is chosen by the model alone only when it is clearly the doer. */
const THRESHOLD = 0.6;

const writtenSpan = (text: string, s: AnnotatedSentence, from: number, to: number) =>
  text.slice(s.sentence.tokens[from]?.start, s.sentence.tokens[to - 1]?.end);

/** A candidate with everything the model needs to judge it. */
export interface DescribedCandidate {
  readonly candidate: GroupCandidate;
  readonly written: string;
  /** The bracketed short form as written ("BMDT"), if any. */
  readonly acronym: string | null;
  /** Worked out when first asked for: the rules settle many candidates without the model. */
  readonly features: readonly string[];
}

/** Counts whole-word occurrences of a name in a text (case-insensitive). */
let lowered = { text: '', lower: '', counts: new Map<string, number>() };

function occurrences(text: string, name: string): number {
  if (name.length < 2) return 0;
  // One document's sentences come one after another: lower-case its text once, count a name once.
  if (lowered.text !== text) lowered = { text, lower: text.toLowerCase(), counts: new Map() };
  const { lower, counts } = lowered;
  const needle = name.toLowerCase();
  const seen = counts.get(needle);
  if (seen !== undefined) return seen;
  let n = 0;
  for (let at = lower.indexOf(needle); at >= 0 && n < 4; at = lower.indexOf(needle, at + needle.length)) n++;
  counts.set(needle, n);
  return n;
}

/** The sentence's candidate names as the whole document reads them (group-document.ts): pieces of a
 * known group's name are that group, names the text writes as places are none. */
function documentCandidates(
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string>,
): GroupCandidate[] {
  const written = (from: number, to: number) => writtenSpan(text, s, from, to);
  return groupCandidates(s, articleCountries, written).flatMap((c) => {
    const read = inDocument(text, c, written(c.from, c.to));
    return read ? [read] : [];
  });
}

/** Every candidate name of the sentence with its features (extraction and training share this). */
export function describeCandidates(
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string> = new Set(),
): DescribedCandidate[] {
  const written = (from: number, to: number) => writtenSpan(text, s, from, to);
  // A capitalised name in a sentence with no attack, toll, attacker or attribution word is
  // background (a person, a place, an institution): not worth the model's time.
  const quiet =
    s.triggers.length === 0 &&
    s.casualtyWords.length === 0 &&
    s.perpetratorNouns.length === 0 &&
    s.attributionCues.length === 0;
  const all = documentCandidates(text, s, articleCountries);
  return (quiet ? all.filter((c) => c.source !== 'caps') : all).map((candidate, index) => {
    const name = written(candidate.from, candidate.to);
    let features: string[] | undefined;
    return {
      candidate,
      written: name,
      acronym: candidate.acronym ? written(candidate.acronym.from, candidate.acronym.to) : null,
      get features() {
        features ??= candidateFeatures(s, candidate, index, name, occurrences(text, name));
        return features;
      },
    };
  });
}

/** Groups named as perpetrators, each with the attribution its wording supports. Rules propose the
 * names (knowledge-base names, names ending in an organisation word, capitalised names); the model
 * decides which of them the text makes responsible. The attribution comes from the cue words: a
 * suspicion is never made a claim, and a name chosen with no cue word is a suspicion. */
export function findPerpetratorGroups(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string> = new Set(),
): Field<PerpetratorGroup>[] {
  const found: Field<PerpetratorGroup>[] = [];
  const candidates = describeCandidates(text, s, articleCountries);
  if (candidates.length === 0) return found;
  const model = loadModel(MODEL);
  const chosen: { d: DescribedCandidate; reading: ReturnType<typeof cueReading> }[] = [];
  for (const d of candidates) {
    const c = d.candidate;
    // An enemy's, ally's or member's group ("fighting X", "second in command of X"), or a name in
    // a clause about another time ("days after the Taliban took power"), is never the doer; unless
    // that clause is the claim itself ("after al-Shabaab said it carried out the bombing").
    if (otherSide(s, c)) continue;
    const reading = cueReading(s, c);
    if (inTimeClause(s, c) && reading?.attribution !== 'claimed') continue;
    // The rules' reading stands: a knowledge-base name, or a new name ending in an organisation
    // word, next to attribution wording (firm wording for the new name), and not another group's
    // relative. Where a name denies, the cue words say so (the model has seen few denials).
    // Otherwise the model decides, unless the name is the subject of a reaction.
    const ruled =
      reading !== null && c.source !== 'caps' && (!c.discovered || reading.firm) && !relatedGroup(s, c);
    if (!ruled && (probability(model, d.features) < THRESHOLD || reactsAfter(s, c))) continue;
    chosen.push({ d, reading });
  }
  // "ISKP, a wing of the Islamic State": a relative of another chosen group is not a second doer.
  for (const { d, reading } of chosen) {
    const c = d.candidate;
    if (
      relatedGroup(s, c) &&
      chosen.some((o) => o.d.candidate.groupId !== c.groupId && !relatedGroup(s, o.d.candidate))
    )
      continue;
    const attribution = reading?.attribution ?? 'suspected';
    found.push({
      value: {
        groupId: c.groupId,
        alias: d.written,
        aliasesSeen: d.acronym ? [d.written, d.acronym] : [d.written],
        attribution,
        discovered: c.discovered,
      },
      evidence: [evidenceOf(documentId, text, s, reading?.from ?? c.from, reading?.to ?? nameEnd(c))],
      inferred: reading === null,
    });
  }
  return found;
}

/** Every alias of a group written in the sentence (for "aliases seen"), bracketed short forms too. */
export function groupAliases(
  text: string,
  s: AnnotatedSentence,
  articleCountries: ReadonlySet<string> = new Set(),
): { groupId: string; alias: string }[] {
  const written = (from: number, to: number) => writtenSpan(text, s, from, to);
  return documentCandidates(text, s, articleCountries).flatMap((c) => [
    { groupId: c.groupId, alias: written(c.from, c.to) },
    ...(c.acronym ? [{ groupId: c.groupId, alias: written(c.acronym.from, c.acronym.to) }] : []),
  ]);
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
