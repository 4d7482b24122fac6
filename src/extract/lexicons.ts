import { readLexicon } from './lexicon.js';
import { Gazetteer } from './text/gazetteer.js';
import { phraseKey } from './text/tokens.js';
import type { AttackType, Attribution, TargetType, WeaponType } from './types.js';

/** The rule word lists of `data/lexicon/`, compiled once into gazetteers. */

export interface TriggerEntry {
  readonly attackType: AttackType | null;
  readonly weaponType: WeaponType | null;
  /** Speaks of attacks in general ("attacks", "bombings"). */
  readonly plural: boolean;
  /** Only refers back to an attack already reported ("the incident"). */
  readonly anaphoricOnly: boolean;
  /** Names the attackers ("gunmen"): its attack type counts only when no other is reported. */
  readonly attackerWord: boolean;
}

export type CasualtyKind = 'killed' | 'wounded' | 'kidnapped';
export interface CasualtyEntry {
  readonly kind: CasualtyKind;
  readonly position: 'before' | 'after';
}

export interface AttributionEntry {
  readonly attribution: Attribution;
  readonly position: 'before' | 'after';
}

export type ContextKind =
  | 'determiner'
  | 'modifier'
  | 'sequence'
  | 'separate'
  | 'another'
  | 'hypothetical'
  | 'modal'
  | 'commemoration'
  | 'update'
  | 'motive'
  | 'habitual'
  | 'negation'
  | 'locative'
  | 'speech'
  | 'inquiry';

function compile<E>(lists: Iterable<[string, E]>): Gazetteer<E> {
  const g = new Gazetteer<E>();
  for (const [phrase, entry] of lists) g.add(phraseKey(phrase), entry);
  return g;
}

function* listed<K extends string, E>(
  lists: Partial<Record<K, string[]>>,
  make: (k: K) => E,
): Iterable<[string, E]> {
  for (const [k, phrases] of Object.entries(lists) as [K, string[] | undefined][]) {
    if (k.startsWith('$') || !Array.isArray(phrases)) continue;
    for (const p of phrases) yield [p, make(k)];
  }
}

const triggerData = readLexicon<{
  events: { attack_type: AttackType | null; weapon_type: WeaponType | null; phrases: string[] }[];
  plural: string[];
  anaphoric_only: string[];
  state_action: string[];
  attacker_words: string[];
  suicide_words: string[];
}>('triggers.json');
const plural = new Set(triggerData.plural.map(phraseKey));
const attackerWords = new Set(triggerData.attacker_words.map(phraseKey));
const anaphoricOnly = new Set(triggerData.anaphoric_only.map(phraseKey));

export const triggers = compile<TriggerEntry>(
  triggerData.events.flatMap((group) =>
    group.phrases.map((p): [string, TriggerEntry] => [
      p,
      {
        attackType: group.attack_type,
        weaponType: group.weapon_type,
        plural: plural.has(phraseKey(p)),
        anaphoricOnly: anaphoricOnly.has(phraseKey(p)),
        attackerWord: attackerWords.has(phraseKey(p)),
      },
    ]),
  ),
);

export const suicideWords = compile(triggerData.suicide_words.map((p): [string, true] => [p, true]));

export const outcomeWords = compile(
  listed(readLexicon<Record<'foiled' | 'attempted', string[]>>('outcomes.json'), (k) => k),
);

export const stateActions = compile(triggerData.state_action.map((p): [string, true] => [p, true]));

export const weapons = compile(listed(readLexicon<Record<WeaponType, string[]>>('weapons.json'), (k) => k));
export const targets = compile(listed(readLexicon<Record<TargetType, string[]>>('targets.json'), (k) => k));

const perpetratorData = readLexicon<{
  nouns: string[];
  singular_articles: string[];
  nationality_words: string[];
  institution_words: string[];
}>('perpetrators.json');
export const perpetratorNouns = compile(perpetratorData.nouns.map((p): [string, true] => [p, true]));
export const singularArticles = new Set(perpetratorData.singular_articles.map(phraseKey));
export const nationalityWords = new Set(perpetratorData.nationality_words.map(phraseKey));
export const institutionWords = new Set(perpetratorData.institution_words.map(phraseKey));

const casualtyData = readLexicon<
  Record<CasualtyKind, { before: string[]; after: string[] }> & { people: string[]; held: string[] }
>('casualties.json');
export const casualtyWords = compile<CasualtyEntry>(
  (['killed', 'wounded', 'kidnapped'] as const).flatMap((kind) =>
    (['before', 'after'] as const).flatMap((position) =>
      casualtyData[kind][position].map((p): [string, CasualtyEntry] => [p, { kind, position }]),
    ),
  ),
);
/** People held ("hostages"): killed or wounded when such a word follows, else kidnapped. */
export const heldPeople = new Set(casualtyData.held.map(phraseKey));
/** Words allowed between a figure and its casualty word ("22 people were killed"). */
export const casualtyFiller = new Set(casualtyData.people.flatMap((p) => phraseKey(p).split(' ')));

const attributionData = readLexicon<
  Record<Attribution, { before: string[]; after: string[] }> & {
    negation: string[];
    group_relation: string[];
  }
>('attribution.json');
export const attributionCues = compile<AttributionEntry>(
  (['claimed', 'identified', 'suspected', 'denied'] as const).flatMap((attribution) =>
    (['before', 'after'] as const).flatMap((position) =>
      attributionData[attribution][position].map((p): [string, AttributionEntry] => [
        p,
        { attribution, position },
      ]),
    ),
  ),
);
export const attributionNegation = compile(attributionData.negation.map((p): [string, true] => [p, true]));
export const groupRelation = compile(attributionData.group_relation.map((p): [string, true] => [p, true]));

export const context = compile(listed(readLexicon<Record<ContextKind, string[]>>('context.json'), (k) => k));
