/**
 * Whether a sentence with no attack word in the lexicon still reports an attack ("unidentified
 * militants cut a hand off a boy", "the embassy was struck by machine-gun fire"): a learned scorer
 * over the sentence's words and what the rules found in it, trained by `npm run train` on coders'
 * summaries (attacks) against news and notes that report none (see scripts/train/attack-report.ts).
 * It proposes an attack word where the rules saw none; the rules still decide everything else.
 */
import { loadModel, probability } from '../learn/index.js';
import type { AnnotatedSentence } from './annotate.js';
import type { TriggerEntry } from './lexicons.js';
import type { Match } from './text/gazetteer.js';

export const ATTACK_REPORT_MODEL = 'attack-report';
/** Chosen on the train parts (GTD, RAND) and MUC-4 dev: above it, news that reports no attack gains
 * no incident while the coders' attacks are found. */
const THRESHOLD = 0.65;

/** The features the scorer reads: words (lower-case) and the kinds of things the lexicons found. */
export function attackReportFeatures(s: AnnotatedSentence): string[] {
  const out = new Set<string>();
  // Names stand for their kind: where the training attacks happened is no evidence of an attack.
  s.sentence.tokens.forEach((t, i) => {
    if (t.kind !== 'word') return;
    const name = s.names.find((n) => n.from <= i && i < n.to);
    out.add(name ? `name:${name.entries[0]?.kind}` : `w:${t.norm}`);
  });
  for (const w of s.weapons) for (const e of w.entries) out.add(`weapon:${e}`);
  for (const t of s.targets) for (const e of t.entries) out.add(`target:${e}`);
  for (const c of s.casualtyWords) for (const e of c.entries) out.add(`casualty:${e.kind}`);
  for (const c of s.context) for (const e of c.entries) out.add(`context:${e}`);
  if (s.perpetratorNouns.length > 0) out.add('attackers');
  if (s.stateActions.length > 0) out.add('state');
  if (s.figures.length > 0) out.add('figure');
  if (s.names.some((n) => n.entries.some((e) => e.kind === 'group'))) out.add('group');
  return [...out];
}

/** Where the learned attack word stands: a weapon, else the attackers, else a casualty word, else a
 * target. A sentence with none of them has nothing concrete to report. */
function anchorOf(
  s: AnnotatedSentence,
): { from: number; to: number; weapon: TriggerEntry['weaponType'] } | null {
  const weapon = s.weapons[0];
  if (weapon) return { from: weapon.from, to: weapon.to, weapon: weapon.entries[0] ?? null };
  const other = s.perpetratorNouns[0] ?? s.casualtyWords[0] ?? s.targets[0];
  return other ? { from: other.from, to: other.to, weapon: null } : null;
}

/** Whether the scorer takes the sentence for a report of an attack. */
export function reportsAttack(s: AnnotatedSentence): boolean {
  let yes = scored.get(s);
  if (yes === undefined) {
    yes = probability(loadModel(ATTACK_REPORT_MODEL), attackReportFeatures(s)) >= THRESHOLD;
    scored.set(s, yes);
  }
  return yes;
}

const scored = new WeakMap<AnnotatedSentence, boolean>();

/** An attack word for a sentence with none in the lexicon that reports an attack, or null when it
 * has nothing concrete to stand on. */
export function learnedTrigger(s: AnnotatedSentence): Match<TriggerEntry> | null {
  const anchor = anchorOf(s);
  if (anchor === null) return null;
  return {
    from: anchor.from,
    to: anchor.to,
    entries: [
      {
        attackType: null,
        weaponType: anchor.weapon,
        plural: false,
        anaphoricOnly: false,
        attackerWord: false,
      },
    ],
  };
}
