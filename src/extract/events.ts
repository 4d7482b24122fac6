import { type AnnotatedSentence, covering, endingNear } from './annotate.js';
import { learnedTrigger, reportsAttack } from './attack-report.js';
import type { TriggerEntry } from './lexicons.js';
import type { Match } from './text/gazetteer.js';

/** How an attack word is used where it stands. */
export type TriggerUse =
  /** Reports an attack: may open a new incident. */
  | 'report'
  /** Refers back to an attack already reported ("the attack", "this incident"). */
  | 'reference'
  /** Attacks in general, in the past as background, or that might happen: not an incident. */
  | 'background';

export interface TriggerMention {
  readonly match: Match<TriggerEntry>;
  readonly use: TriggerUse;
}

const HYPOTHETICAL_WINDOW = 5;
/** Tokens on either side of an attack word taken as its clause (habits, violence by the state). */
const CLAUSE_WINDOW = 8;
const NEGATION_WINDOW = 2;
const DETERMINER_WINDOW = 5;

/** Walks back from an attack word over modifiers, names and target words to a determiner. */
function isDefiniteReference(s: AnnotatedSentence, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && at - i <= DETERMINER_WINDOW) {
    const token = s.sentence.tokens[i];
    const ctx = covering(s.context, i);
    if (ctx?.entries.includes('determiner')) return true;
    const skippable =
      ctx?.entries.includes('modifier') ||
      covering(s.names, i) ||
      covering(s.targets, i) ||
      token?.norm === 's' ||
      token?.norm === 'high' ||
      token?.norm === 'profile' ||
      token?.kind === 'number';
    if (!skippable) return false;
    i--;
  }
  return false;
}

/** Whether a match lies within `window` tokens of an attack word, on either side, or overlaps it. */
const near = (m: { from: number; to: number }, at: { from: number; to: number }, window: number) =>
  m.from < at.to + window + 1 && at.from < m.to + window + 1;

/** How the rules read an attack word; `plural` is left to the learned scorer: "bombs went off in
 * four offices" reports an attack, "bombs are a growing threat" does not. */
function ruleUse(s: AnnotatedSentence, match: Match<TriggerEntry>): TriggerUse | 'plural' {
  const entries = match.entries;
  // "has carried out many attacks", "attacks have often targeted": habits of a group, in the clause
  // of the attack word; "an Afghan who had lived in Pakistan for years" says nothing of the attack.
  const habitual = s.context.some((m) => m.entries.includes('habitual') && near(m, match, CLAUSE_WINDOW));
  // Violence by the state ("shot dead by police", "a drone strike killed") around the attack word; a
  // raid by police at the end of a long sentence does not make its attack a state's.
  const stateAction = s.stateActions.some((m) => near(m, match, CLAUSE_WINDOW));
  // "could carry out attacks" before the word, or "an attack may be imminent" right after it (a
  // modal verb only: "gunmen in combat fatigues" is no hypothesis).
  const hypothetical = s.context.some(
    (m) =>
      (m.entries.includes('hypothetical') &&
        m.to <= match.from &&
        match.from - m.to <= HYPOTHETICAL_WINDOW) ||
      (m.entries.includes('modal') && m.from >= match.to && m.from - match.to <= 1),
  );
  const negation = endingNear(
    s.context.filter((m) => m.entries.includes('negation')),
    match.from,
    NEGATION_WINDOW,
  );
  if (hypothetical || negation || habitual || stateAction) return 'background';
  // Only nouns take a determiner: before a past-tense verb "that" is a relative pronoun ("attacks that killed").
  const verb = /ed$/.test(s.sentence.tokens[match.to - 1]?.norm ?? '');
  if (entries.every((e) => e.anaphoricOnly) || (!verb && isDefiniteReference(s, match.from)))
    return 'reference';
  if (entries.every((e) => e.plural)) return 'plural';
  return 'report';
}

/** Whether the rules leave the sentence to the learned scorer: no attack word they can read, or
 * only plural ones. */
export function leftToScorer(s: AnnotatedSentence): boolean {
  return s.triggers.every((m) => ruleUse(s, m) === 'plural');
}

const classified = new WeakMap<AnnotatedSentence, TriggerMention[]>();

/** Each attack word of the sentence and how it is used. Where the rules cannot tell (see
 * `leftToScorer`), the learned scorer decides whether the sentence reports an attack. */
export function classifyTriggers(s: AnnotatedSentence): TriggerMention[] {
  let mentions = classified.get(s);
  if (mentions) return mentions;
  const uses = s.triggers.map((match) => ({ match, use: ruleUse(s, match) }));
  mentions = uses.every((u) => u.use === 'plural')
    ? scored(s, uses)
    : uses.map(({ match, use }) => ({ match, use: use === 'plural' ? 'background' : use }));
  classified.set(s, mentions);
  return mentions;
}

/** The scorer's reading of a sentence the rules leave open: its plural attack words report an
 * attack or speak of attacks in general; a sentence with none gets one, on its weapon, attackers,
 * casualty or target word, if it has any (the scorer is not asked otherwise). */
function scored(s: AnnotatedSentence, plurals: readonly { match: Match<TriggerEntry> }[]): TriggerMention[] {
  if (plurals.length > 0) {
    const use = reportsAttack(s) ? 'report' : 'background';
    return plurals.map(({ match }) => ({ match, use }));
  }
  const word = learnedTrigger(s);
  return word !== null && ruleUse(s, word) === 'report' && reportsAttack(s)
    ? [{ match: word, use: 'report' }]
    : [];
}
