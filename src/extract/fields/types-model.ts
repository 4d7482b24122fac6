/**
 * Attack, target and weapon type of one incident, chosen by learned models among GTD's categories.
 *
 * The rules (attack words, weapon words, target words) propose candidates with their spans; the
 * features describe the incident's sentences (those candidates, the words near the attack words, the
 * lexicon hits, the words of the sentences). One logistic model per field scores every category with
 * features conjoined with the category ("police|w:constable"); the best category comes first, then the
 * rules' other candidates. The first value's evidence is the rule's span when a rule proposed it, else
 * the span of the feature that supports it most. Trained by `scripts/train/types.ts`.
 */

import { type LinearModel, loadModel } from '../../learn/index.js';
import type { AnnotatedSentence } from '../annotate.js';
import type { TriggerMention } from '../events.js';
import { evidenceOf } from '../evidence.js';
import {
  ATTACK_TYPES,
  type AttackType,
  type Evidence,
  type Field,
  TARGET_TYPES,
  type TargetType,
  WEAPON_TYPES,
  type WeaponType,
} from '../types.js';
import { attackTypesOf, findTargets, type TargetMention, weaponsNamed } from './attack.js';

/** What a sentence of the incident contributes (a cluster part). */
export interface TypePart {
  readonly s: AnnotatedSentence;
  readonly role: 'report' | 'reference';
  readonly mentions: readonly TriggerMention[];
}

/** What the rules propose for the incident, each value with its span. */
export interface TypeCandidates {
  readonly attack: Field<AttackType>[];
  /** Attack types implied only by what the attackers are called ("gunmen"). */
  readonly byAttackerWords: Field<AttackType>[];
  readonly weapon: Field<WeaponType>[];
  readonly targets: TargetMention[];
}

const NEAR_CHARS = 40;

/** The rules' candidates over the sentences of one incident. Targets in a sentence that only refers
 * back count when an attack word is near them ("the attack on the concert hall") or they follow a place
 * word ("set off a bomb outside the town hall"); named weapons count in sentences reporting the attack. */
export function typeCandidates(documentId: string, text: string, parts: readonly TypePart[]): TypeCandidates {
  const out: TypeCandidates = { attack: [], byAttackerWords: [], weapon: [], targets: [] };
  for (const { s, role, mentions } of parts) {
    const types = attackTypesOf(documentId, text, s, mentions);
    out.attack.push(...types.attack);
    out.byAttackerWords.push(...types.byAttackerWords);
    out.weapon.push(...types.weapon);
    const near = (t: TargetMention) => {
      const at = t.text.evidence[0]?.start ?? 0;
      return mentions.some((m) => Math.abs(at - (s.sentence.tokens[m.match.from]?.start ?? 0)) < NEAR_CHARS);
    };
    const placed = (t: TargetMention) => {
      const at = s.sentence.tokens.findIndex((k) => k.start === t.text.evidence[0]?.start);
      return s.context.some((c) => c.entries.includes('locative') && c.to <= at && at - c.to <= 2);
    };
    const found = findTargets(documentId, text, s);
    out.targets.push(...(role === 'report' ? found : found.filter((t) => near(t) || placed(t))));
    if (role === 'report') out.weapon.push(...weaponsNamed(documentId, text, s));
  }
  return out;
}

/** A feature with the words it was read from (null for features of the whole incident). */
interface Feature {
  readonly name: string;
  readonly at: { readonly s: AnnotatedSentence; readonly from: number; readonly to: number } | null;
}

/** A crude lemma: plural and past endings off, so "bombs"/"bomb" and "stabbed"/"stab" meet. */
export function lemma(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us'))
    return word.slice(0, -1);
  if (word.length > 5 && word.endsWith('ed')) return word.slice(0, -2);
  return word;
}

const NEAR_TOKENS = 4;

/** Everything the models see of one incident, deduplicated by name (the first span kept). */
export function typeFeatures(
  parts: readonly TypePart[],
  candidates: TypeCandidates,
  sentences: readonly AnnotatedSentence[] = [],
): Feature[] {
  const byName = new Map<string, Feature>();
  const add = (name: string, at: Feature['at']) => {
    if (!byName.has(name)) byName.set(name, { name, at });
  };
  const spanOf = (f: Field<unknown>) => {
    const e = f.evidence[0];
    if (!e) return null;
    for (const { s } of parts) {
      const from = s.sentence.tokens.findIndex((t) => t.start === e.start);
      if (from < 0) continue;
      const to = s.sentence.tokens.findIndex((t) => t.end === e.end);
      return { s, from, to: Math.max(from, to) + 1 };
    }
    return null;
  };
  // The rules' candidates, the first of each apart (the rules' order is the text's order).
  const ruled = (prefix: string, fields: readonly Field<string>[]) =>
    fields.forEach((f, i) => {
      const at = spanOf(f);
      if (i === 0) add(`${prefix}1:${f.value}`, at);
      add(`${prefix}:${f.value}`, at);
    });
  ruled('ra', candidates.attack);
  ruled('rb', candidates.byAttackerWords);
  ruled('rw', candidates.weapon);
  ruled(
    'rt',
    candidates.targets.map((t) => t.type),
  );
  for (const t of candidates.targets) add(`th:${t.head}`, spanOf(t.type));
  if (candidates.attack.length === 0) add('ra:none', null);
  if (candidates.weapon.length === 0) add('rw:none', null);
  if (candidates.targets.length === 0) add('rt:none', null);
  parts.forEach(({ s, role, mentions }, p) => {
    const tokens = s.sentence.tokens;
    for (const m of mentions) {
      const words = tokens.slice(m.match.from, m.match.to).map((t) => t.norm);
      add(`tr:${words.join('_')}`, { s, from: m.match.from, to: m.match.to });
      // Words right around the attack word say whom or how ("shot the mayor", "set fire to").
      for (let i = Math.max(0, m.match.from - NEAR_TOKENS); i < m.match.to + NEAR_TOKENS; i++) {
        const t = tokens[i];
        if (t?.kind === 'word' && (i < m.match.from || i >= m.match.to))
          add(`${i < m.match.from ? 'nb' : 'na'}:${lemma(t.norm)}`, { s, from: i, to: i + 1 });
      }
    }
    for (const m of s.weapons) add(`wp:${m.entries.join('+')}`, { s, from: m.from, to: m.to });
    for (const m of s.targets) add(`tg:${m.entries.join('+')}`, { s, from: m.from, to: m.to });
    for (const m of s.casualtyWords)
      for (const e of m.entries) add(`cw:${e.kind}`, { s, from: m.from, to: m.to });
    for (const m of s.suicideWords) add('suicide', { s, from: m.from, to: m.to });
    for (const m of s.perpetratorNouns) add('attackers', { s, from: m.from, to: m.to });
    for (const m of s.names) for (const e of m.entries) add(`nm:${e.kind}`, { s, from: m.from, to: m.to });
    tokens.forEach((t, i) => {
      if (t.kind !== 'word') return;
      const at = { s, from: i, to: i + 1 };
      const w = lemma(t.norm);
      add(`w:${w}`, at);
      const next = tokens[i + 1];
      if (next?.kind === 'word') add(`b:${w}_${lemma(next.norm)}`, { s, from: i, to: i + 2 });
      if (p === 0 && role === 'report') add(`w0:${w}`, at);
    });
  });
  // The document's words: a sentence naming the victim may not be one the incident holds.
  for (const s of sentences)
    s.sentence.tokens.forEach((t, i) => {
      if (t.kind === 'word') add(`d:${lemma(t.norm)}`, { s, from: i, to: i + 1 });
    });
  return [...byName.values()];
}

/** A model read for scoring: per feature, its weight for every category (one lookup per feature). */
interface Scorer<T extends string> {
  readonly labels: readonly T[];
  readonly bias: Float64Array;
  readonly byFeature: ReadonlyMap<string, Float64Array>;
}

function scorerOf<T extends string>(model: LinearModel, labels: readonly T[]): Scorer<T> {
  const index = new Map<string, number>(labels.map((l, i) => [l, i]));
  const bias = new Float64Array(labels.length);
  const byFeature = new Map<string, Float64Array>();
  for (const [key, w] of Object.entries(model.weights)) {
    const bar = key.indexOf('|');
    const i = index.get(key.slice(0, bar));
    if (i === undefined) continue;
    const name = key.slice(bar + 1);
    if (name === 'bias') bias[i] = w;
    else {
      const row = byFeature.get(name) ?? new Float64Array(labels.length);
      row[i] = w;
      byFeature.set(name, row);
    }
  }
  return { labels, bias, byFeature };
}

type Scorers = {
  attack: Scorer<AttackType> | null;
  target: Scorer<TargetType> | null;
  weapon: Scorer<WeaponType> | null;
};
let scorers: Scorers | undefined;

/** The three models, or none before `npm run train` has built them (the rules' order stands then). */
function typeScorers(): Scorers {
  if (!scorers) {
    const load = <T extends string>(name: string, labels: readonly T[]) => {
      try {
        return scorerOf(loadModel(name), labels);
      } catch {
        return null;
      }
    };
    scorers = {
      attack: load('attack-type', ATTACK_TYPES),
      target: load('target-type', TARGET_TYPES),
      weapon: load('weapon-type', WEAPON_TYPES),
    };
  }
  return scorers;
}

/** The category to put first. The rules' first candidate stands unless another candidate of theirs
 * scores higher by `margins.other` (log-odds), or a category they did not propose scores higher by
 * `margins.unproposed`; with no candidate, the model's best. */
export function preferred(
  labels: readonly string[],
  scores: ArrayLike<number>,
  proposed: readonly string[],
  margins: { readonly other: number; readonly unproposed: number },
): number {
  const at = (label: string | undefined) => (label === undefined ? -1 : labels.indexOf(label));
  let top = -1;
  for (let i = 0; i < labels.length; i++)
    if (top < 0 || (scores[i] as number) > (scores[top] as number)) top = i;
  const first = at(proposed[0]);
  if (first < 0) return top;
  let choice = first;
  for (const label of proposed) {
    const i = at(label);
    if (i >= 0 && (scores[i] as number) - (scores[first] as number) > margins.other)
      if ((scores[i] as number) > (scores[choice] as number)) choice = i;
  }
  if (
    !proposed.includes(labels[top] as string) &&
    (scores[top] as number) - (scores[choice] as number) > margins.unproposed
  )
    return top;
  return choice;
}

/** Margins for `preferred`, chosen by cross-validation on the train part (scripts/train/types-cv.ts). */
export const OVERRIDE_MARGINS = {
  attack: { other: 4, unproposed: 2 },
  target: { other: 4, unproposed: 2 },
  weapon: { other: 4, unproposed: 2 },
} as const;

/** The category to put first, with the span of the feature that supports it most. */
function best<T extends string>(
  scorer: Scorer<T>,
  features: readonly Feature[],
  proposed: readonly Field<T>[],
  margins: { readonly other: number; readonly unproposed: number },
): { value: T; at: Feature['at'] } | null {
  const z = Float64Array.from(scorer.bias);
  const rows = features.map((f) => scorer.byFeature.get(f.name));
  for (const row of rows)
    if (row) for (let i = 0; i < z.length; i++) z[i] = (z[i] as number) + (row[i] as number);
  const top = preferred(
    scorer.labels,
    z,
    unique(proposed, 99).map((f) => f.value),
    margins,
  );
  const value = scorer.labels[top];
  if (value === undefined) return null;
  let at: Feature['at'] = null;
  let strongest = 0;
  rows.forEach((row, k) => {
    const w = row?.[top] ?? 0;
    const f = features[k];
    if (f?.at && w > strongest) [at, strongest] = [f.at, w];
  });
  return { value, at };
}

function unique<T>(fields: readonly Field<T>[], limit: number): Field<T>[] {
  const byValue = new Map<T, Field<T>>();
  for (const f of fields) {
    const seen = byValue.get(f.value);
    if (seen)
      byValue.set(f.value, {
        ...seen,
        evidence: [...seen.evidence, ...f.evidence],
        inferred: seen.inferred && f.inferred,
      });
    else if (byValue.size < limit) byValue.set(f.value, f);
  }
  return [...byValue.values()];
}

/** The chosen value first (with the rule's evidence when a rule proposed it), then the rules' others. */
function ranked<T extends string>(
  documentId: string,
  text: string,
  choice: { value: T; at: Feature['at'] } | null,
  proposed: readonly Field<T>[],
  limit: number,
): Field<T>[] {
  const all = unique(proposed, Number.POSITIVE_INFINITY);
  if (!choice) return all.slice(0, limit);
  const own = all.find((f) => f.value === choice.value);
  const rest = all.filter((f) => f.value !== choice.value);
  if (own) return [own, ...rest].slice(0, limit);
  if (!choice.at) return all.slice(0, limit);
  const evidence: Evidence = evidenceOf(documentId, text, choice.at.s, choice.at.from, choice.at.to);
  return [{ value: choice.value, evidence: [evidence], inferred: true }, ...rest].slice(0, limit);
}

/** The longest text read as a summary like those the models learnt from (GTD's run to about six). */
const SUMMARY_SENTENCES = 8;

/** Attack, weapon and target types of an incident: the models' choice first, then the rules' others. */
export function chooseTypes(
  documentId: string,
  text: string,
  parts: readonly TypePart[],
  candidates: TypeCandidates,
  sentences: readonly AnnotatedSentence[],
): { attackTypes: Field<AttackType>[]; weaponTypes: Field<WeaponType>[]; targetTypes: Field<TargetType>[] } {
  const { attack, target, weapon } = typeScorers();
  const summary = sentences.length <= SUMMARY_SENTENCES;
  const features = summary && (attack || target || weapon) ? typeFeatures(parts, candidates, sentences) : [];
  const attackProposed = candidates.attack.length > 0 ? candidates.attack : candidates.byAttackerWords;
  // "Building" says something was hit but not what kind of target it was.
  const typed = candidates.targets.map((t) => t.type);
  const targetProposed = typed.some((t) => t.value !== 'unknown')
    ? typed.filter((t) => t.value !== 'unknown')
    : typed;
  // Nothing read as the attack: nothing to type. The models learnt from coders' summaries of a few
  // sentences; in a longer article the words of its other stories mislead them, and the rules' order stands.
  const any = parts.length > 0 && features.length > 0;
  return {
    attackTypes: ranked(
      documentId,
      text,
      attack && any ? best(attack, features, attackProposed, OVERRIDE_MARGINS.attack) : null,
      attackProposed,
      3,
    ),
    weaponTypes: ranked(
      documentId,
      text,
      weapon && any ? best(weapon, features, candidates.weapon, OVERRIDE_MARGINS.weapon) : null,
      candidates.weapon,
      4,
    ),
    targetTypes: ranked(
      documentId,
      text,
      target && any ? best(target, features, targetProposed, OVERRIDE_MARGINS.target) : null,
      targetProposed,
      3,
    ),
  };
}
