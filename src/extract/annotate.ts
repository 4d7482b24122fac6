import {
  type AttributionEntry,
  attributionCues,
  attributionNegation,
  type CasualtyEntry,
  type ContextKind,
  casualtyWords,
  context,
  groupRelation,
  outcomeWords,
  perpetratorNouns,
  stateActions,
  suicideWords,
  type TriggerEntry,
  targets,
  triggers,
  weapons,
} from './lexicons.js';
import { acceptsForm, type NameEntry, nameGazetteer } from './names.js';
import { type Figure, findFigures } from './numbers.js';
import type { Match } from './text/gazetteer.js';
import { type Sentence, splitSentences } from './text/sentences.js';
import type { TargetType, WeaponType } from './types.js';

/** One sentence with everything the rules look at, found in one pass per word list. */
export interface AnnotatedSentence {
  readonly sentence: Sentence;
  /** Whether the document's capitals carry meaning (see `isMixedCase`). */
  readonly mixedCase: boolean;
  readonly triggers: readonly Match<TriggerEntry>[];
  readonly suicideWords: readonly Match<true>[];
  readonly outcomeWords: readonly Match<'foiled' | 'attempted'>[];
  /** Violence by states ("a drone strike"): not what Vigil records. */
  readonly stateActions: readonly Match<true>[];
  readonly names: readonly Match<NameEntry>[];
  readonly weapons: readonly Match<WeaponType>[];
  readonly targets: readonly Match<TargetType>[];
  readonly perpetratorNouns: readonly Match<true>[];
  readonly casualtyWords: readonly Match<CasualtyEntry>[];
  readonly attributionCues: readonly Match<AttributionEntry>[];
  readonly attributionNegations: readonly Match<true>[];
  readonly groupRelations: readonly Match<true>[];
  readonly context: readonly Match<ContextKind>[];
  readonly figures: readonly Figure[];
}

/** True when capitals carry meaning: neither all-upper nor all-lower copy. */
export function isMixedCase(text: string): boolean {
  let upper = 0;
  let lower = 0;
  for (const ch of text) {
    if (ch >= 'A' && ch <= 'Z') upper++;
    else if (ch >= 'a' && ch <= 'z') lower++;
  }
  const letters = upper + lower;
  return letters > 0 && upper / letters > 0.005 && upper / letters < 0.5;
}

export function annotate(text: string): AnnotatedSentence[] {
  const mixedCase = isMixedCase(text);
  const gazetteer = nameGazetteer();
  return splitSentences(text).map((sentence) => {
    const tokens = sentence.tokens;
    const names = gazetteer
      .match(tokens)
      .map((m) => {
        const written = text.slice(tokens[m.from]?.start, tokens[m.to - 1]?.end);
        return { ...m, entries: m.entries.filter((e) => acceptsForm(e, written, mixedCase, m.from === 0)) };
      })
      .filter((m) => m.entries.length > 0);
    // A word inside a group's name is the name: "Combat 18" says nothing hypothetical.
    const inGroupName = (m: { from: number; to: number }) =>
      names.some((n) => n.from <= m.from && m.to <= n.to && n.entries.some((e) => e.kind === 'group'));
    return {
      sentence,
      mixedCase,
      triggers: triggers.match(tokens),
      stateActions: stateActions.match(tokens),
      suicideWords: suicideWords.match(tokens),
      outcomeWords: outcomeWords.match(tokens),
      names,
      weapons: weapons.match(tokens),
      targets: targets.match(tokens),
      perpetratorNouns: perpetratorNouns.match(tokens),
      casualtyWords: casualtyWords.match(tokens),
      attributionCues: attributionCues.match(tokens),
      attributionNegations: attributionNegation.match(tokens),
      groupRelations: groupRelation.match(tokens),
      context: context.match(tokens).filter((m) => !inGroupName(m)),
      figures: findFigures(tokens),
    };
  });
}

/** Helpers for rules that look at neighbouring tokens. */
export function endingNear<E>(
  matches: readonly Match<E>[],
  at: number,
  window: number,
): Match<E> | undefined {
  return matches.findLast((m) => m.to <= at && at - m.to <= window);
}

export function startingNear<E>(
  matches: readonly Match<E>[],
  at: number,
  window: number,
): Match<E> | undefined {
  return matches.find((m) => m.from >= at && m.from - at <= window);
}

export function covering<E>(matches: readonly Match<E>[], at: number): Match<E> | undefined {
  return matches.find((m) => m.from <= at && at < m.to);
}
