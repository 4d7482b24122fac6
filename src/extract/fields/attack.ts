import { type AnnotatedSentence, endingNear, startingNear } from '../annotate.js';
import type { TriggerMention } from '../events.js';
import { evidenceOf } from '../evidence.js';
import type { AttackType, Field, TargetType, WeaponType } from '../types.js';

/** Attack and weapon types implied by the attack words used ("stormed" → armed assault). Those implied
 * only by what the attackers are called ("gunmen") are kept apart: they count when nothing else does. */
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
        (e.attackerWord ? byAttackerWords : attack).push({ value: e.attackType, evidence, inferred: true });
      if (e.weaponType) weapon.push({ value: e.weaponType, evidence, inferred: true });
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
  readonly text: Field<string>;
}

/** What was attacked: target words in a sentence reporting the attack, except those that are only
 * the source of a statement ("police said", "according to officials"). */
export function findTargets(documentId: string, text: string, s: AnnotatedSentence): TargetMention[] {
  const speech = s.context.filter((m) => m.entries.includes('speech'));
  const found: TargetMention[] = [];
  for (const m of s.targets) {
    if (startingNear(speech, m.to, 1) || endingNear(speech, m.from, 1)) continue;
    const evidence = [evidenceOf(documentId, text, s, m.from, m.to)];
    const phrase = evidence[0]?.text.toLowerCase() ?? '';
    for (const t of m.entries) {
      found.push({
        type: { value: t, evidence, inferred: true },
        text: { value: phrase, evidence, inferred: false },
      });
    }
  }
  return found;
}
