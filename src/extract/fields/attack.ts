import { type AnnotatedSentence, covering, endingNear, startingNear } from '../annotate.js';
import type { TriggerMention } from '../events.js';
import { evidenceOf } from '../evidence.js';
import type { AttackType, Field, TargetType, WeaponType } from '../types.js';
import { isFunctionWord } from './people.js';

/** Attack and weapon types the attack words state ("stormed" → armed assault). Those only what the
 * attackers are called says ("gunmen") are kept apart: they count when nothing else does. */
export function attackTypesOf(
  documentId: string,
  text: string,
  s: AnnotatedSentence,
  mentions: readonly TriggerMention[],
): { attack: Field<AttackType>[]; byAttackerWords: Field<AttackType>[]; weapon: Field<WeaponType>[] } {
  const attack: Field<AttackType>[] = [];
  const byAttackerWords: Field<AttackType>[] = [];
  const weapon: Field<WeaponType>[] = [];
  for (const { match } of mentions) {
    const evidence = [evidenceOf(documentId, text, s, match.from, match.to)];
    for (const e of match.entries) {
      if (e.attackType)
        (e.attackerWord ? byAttackerWords : attack).push({ value: e.attackType, evidence, inferred: false });
      if (e.weaponType) weapon.push({ value: e.weaponType, evidence, inferred: false });
    }
  }
  return { attack, byAttackerWords, weapon };
}

/** Weapons named outright ("Kalashnikov rifles", "a suicide vest"). */
export function weaponsNamed(documentId: string, text: string, s: AnnotatedSentence): Field<WeaponType>[] {
  return s.weapons.flatMap((m) =>
    m.entries
      .filter((w) => w !== 'vehicle')
      .map((w) => ({ value: w, evidence: [evidenceOf(documentId, text, s, m.from, m.to)], inferred: false })),
  );
}

export interface TargetMention {
  readonly type: Field<TargetType>;
  /** The target with the words that qualify it ("electric power substation"). */
  readonly text: Field<string>;
  /** The dictionary word it was found by ("substation"). */
  readonly head: string;
}

const MAX_TARGET_MODIFIERS = 3;

/** Where a target phrase starts once the words that qualify it are taken in ("electric power
 * substation", "Velox bank"): up to three content words, stopping at function words, numbers,
 * punctuation and words the rules already read as something else. */
function modifiersBefore(s: AnnotatedSentence, from: number): number {
  let start = from;
  while (start > 0 && from - start < MAX_TARGET_MODIFIERS) {
    const i = start - 1;
    const token = s.sentence.tokens[i];
    if (token?.kind !== 'word' || isFunctionWord(token.norm)) break;
    if (covering(s.context, i) || covering(s.triggers, i) || covering(s.perpetratorNouns, i)) break;
    if (covering(s.casualtyWords, i) || covering(s.targets, i) || covering(s.names, i)) break;
    if (s.figures.some((f) => f.from <= i && i < f.to)) break;
    start = i;
  }
  return start;
}

const MAX_COMPLEMENT_WORDS = 6;
const ARTICLES = new Set(['the', 'a', 'an']);

/** Where a target phrase ends once an "of" complement is taken in ("the headquarters of the
 * Salvadoran workers federation", "the home of Rolando Archila"): up to six content words after
 * "of" and an article, stopping where the qualifying phrase would end. */
function complementAfter(s: AnnotatedSentence, to: number): number {
  const tokens = s.sentence.tokens;
  if (tokens[to]?.norm !== 'of') return to;
  let i = to + 1;
  if (ARTICLES.has(tokens[i]?.norm ?? '')) i++;
  const first = i;
  while (i < tokens.length && i - first < MAX_COMPLEMENT_WORDS) {
    const token = tokens[i];
    if (token?.kind !== 'word' || isFunctionWord(token.norm)) break;
    if (covering(s.context, i) || covering(s.triggers, i) || covering(s.casualtyWords, i)) break;
    if (s.figures.some((f) => f.from <= i && i < f.to)) break;
    i++;
  }
  return i > first ? i : to;
}

/** What was attacked: target words in a sentence reporting the attack, except those that are only
 * the source of a statement ("police said", "according to officials"). */
export function findTargets(documentId: string, text: string, s: AnnotatedSentence): TargetMention[] {
  const speech = s.context.filter((m) => m.entries.includes('speech'));
  const inquiry = s.context.filter((m) => m.entries.includes('inquiry'));
  const found: TargetMention[] = [];
  for (const m of s.targets) {
    if (startingNear(speech, m.to, 1) || endingNear(speech, m.from, 1)) continue;
    // "Police investigating the bombings": who looks into the attack, not whom it hit.
    if (startingNear(inquiry, m.to, 0)) continue;
    // "a car bomb", "university students": the word qualifies the weapon or the people that follow.
    if (covering(s.weapons, m.from) || covering(s.weapons, m.to - 1)) continue;
    if (covering(s.targets, m.to) || covering(s.perpetratorNouns, m.to)) continue;
    const evidence = [evidenceOf(documentId, text, s, modifiersBefore(s, m.from), complementAfter(s, m.to))];
    const phrase = evidence[0]?.text.toLowerCase() ?? '';
    for (const t of m.entries) {
      found.push({
        type: { value: t, evidence, inferred: false },
        text: { value: phrase, evidence, inferred: false },
        head: text.slice(s.sentence.tokens[m.from]?.start, s.sentence.tokens[m.to - 1]?.end).toLowerCase(),
      });
    }
  }
  return found;
}
