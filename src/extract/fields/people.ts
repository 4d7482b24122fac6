import { type AnnotatedSentence, covering } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { readLexicon } from '../lexicon.js';
import { Gazetteer } from '../text/gazetteer.js';
import { phraseKey } from '../text/tokens.js';
import type { Field } from '../types.js';

const people = readLexicon<{
  titles: string[];
  name_stops: string[];
  target_people: string[];
  perpetrator_modifiers: string[];
  noun_followers: string[];
  victim_cues: string[];
  target_areas: string[];
}>('people.json');
/** What introduces a name: a title ("mayor") or words about what was done to the person. */
const introducers = new Gazetteer<'title' | 'victim'>();
for (const t of people.titles) introducers.add(phraseKey(t), 'title');
for (const c of people.victim_cues) introducers.add(phraseKey(c), 'victim');
const nameStops = new Set(people.name_stops);
const targetPeople = new Set(people.target_people.map(phraseKey));
const targetAreas = new Set(people.target_areas.map(phraseKey));
const modifiers = new Set(people.perpetrator_modifiers.map(phraseKey));
const nounFollowers = new Set(people.noun_followers);
/** Perpetrator nouns too vague to name the attackers on their own ("men", "individuals"). */
const VAGUE = new Set(['men', 'man', 'individuals', 'driver', 'suspect', 'suspects']);
const MAX_NAME_WORDS = 4;
const HARM_WINDOW = 10;
const MAX_MODIFIERS = 2;

/** The attackers as the sentence words them: a perpetrator noun with the modifiers before it
 * ("urban guerrillas", "heavily armed men"); a vague noun counts only with a modifier. */
export function perpetratorPhrases(documentId: string, text: string, s: AnnotatedSentence): Field<string>[] {
  const tokens = s.sentence.tokens;
  const found: Field<string>[] = [];
  for (const noun of s.perpetratorNouns) {
    let from = noun.from;
    while (from > 0 && noun.from - from < MAX_MODIFIERS && modifiers.has(tokens[from - 1]?.norm ?? ''))
      from--;
    const head = tokens
      .slice(noun.from, noun.to)
      .map((t) => t.norm)
      .join(' ');
    const next = tokens[noun.to];
    // "guerrilla radio station", "rebel attack": a singular noun before another noun modifies it and
    // names no attackers. A plural one is the subject ("guerrillas attacked").
    const singular = !head.endsWith('s') && !head.endsWith('men');
    const modifiesNext =
      next && (nounFollowers.has(next.norm) || covering(s.triggers, noun.to) || covering(s.targets, noun.to));
    if (singular && modifiesNext) continue;
    if (from === noun.from && VAGUE.has(head)) continue;
    const evidence = evidenceOf(documentId, text, s, from, noun.to);
    found.push({ value: evidence.text, evidence: [evidence], inferred: false });
  }
  return found;
}

/** People named after a title ("mayor Armansio Quispe") or after words about what was done to them
 * ("the assassination of Hector Oqueli"): the name runs over the following words until punctuation or
 * a word that cannot be a name, and must have two words at least. */
export function namedPeople(documentId: string, text: string, s: AnnotatedSentence): Field<string>[] {
  const tokens = s.sentence.tokens;
  const found: Field<string>[] = [];
  const nameEnd = (from: number) => {
    let to = from;
    while (
      to < tokens.length &&
      to - from < MAX_NAME_WORDS &&
      tokens[to]?.kind === 'word' &&
      !nameStops.has(tokens[to]?.norm ?? '') &&
      !covering(s.names, to)?.entries.some((e) => e.kind !== 'city') &&
      !covering(s.triggers, to) &&
      !covering(s.context, to) &&
      !s.figures.some((f) => f.from <= to && to < f.to)
    ) {
      to++;
    }
    // A single word after a title is more often a noun ("the mayor's office") than a name; a name
    // followed by "said" is a source, not a victim.
    return to - from < 2 || covering(s.context, to)?.entries.includes('speech') ? null : to;
  };
  const take = (from: number, to: number) => {
    const evidence = evidenceOf(documentId, text, s, from, to);
    found.push({ value: evidence.text, evidence: [evidence], inferred: false });
  };
  // A person named by a title is a victim only near words about what was done ("President X said"
  // in a sentence about an attack is a source, not a victim).
  const harmed = [...s.casualtyWords, ...s.triggers];
  const nearHarm = (from: number, to: number) =>
    harmed.some((m) =>
      m.to <= from ? from - m.to <= HARM_WINDOW : m.from >= to && m.from - to <= HARM_WINDOW,
    );
  for (const title of introducers.match(tokens)) {
    let from = title.to;
    let to = nameEnd(from);
    if (to === null) continue;
    if (!title.entries.includes('victim') && !nearHarm(title.from, to)) continue;
    take(from, to);
    // After a plural title a list of names follows ("priests Ignacio Ellacuria, Segundo Montes and ...").
    if (!tokens[title.to - 1]?.norm.endsWith('s')) continue;
    while (to !== null) {
      from = to;
      while (tokens[from]?.norm === ',' || tokens[from]?.norm === 'and') from++;
      if (from === to) break;
      to = nameEnd(from);
      if (to !== null) take(from, to);
    }
  }
  return found;
}

/** Words that cannot be part of a name or a target's description ("the", "was", "said"). */
export function isFunctionWord(word: string): boolean {
  return nameStops.has(word);
}

/** Whether a target word names a thing that was hit ("car", "power pylon"), not people ("priests")
 * nor the area where it happened ("in the Miraflores neighborhood"). */
export function isPhysical(head: string): boolean {
  const key = phraseKey(head);
  return !targetPeople.has(key) && !targetAreas.has(key);
}
