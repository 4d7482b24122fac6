import { loadModel, probability } from '../../learn/index.js';
import type { AnnotatedSentence } from '../annotate.js';
import { evidenceOf } from '../evidence.js';
import { type CasualtyKind, casualtyFiller, heldPeople } from '../lexicons.js';
import type { Figure } from '../numbers.js';
import type { Count, Field } from '../types.js';
import { type Candidate, casualtyCandidates } from './casualty-candidates.js';

const AFTER_WINDOW = 6;
const BEFORE_WINDOW = 4;
/** How far (in tokens) the toll's verb may stand from "death toll" ("the death toll from the car bomb
 * that exploded outside a crowded market in Mogadishu, Somalia on Tuesday rose to 19"): the phrase
 * that says which attack may be long; no other figure and no sentence break may stand between. */
const TOLL_WINDOW = 30;
const TOLL_VERBS = new Set(['rose', 'risen', 'climbed', 'increased', 'jumped', 'reached']);
const BEFORE_FILLER = new Set([
  'to',
  'at',
  'of',
  'the',
  'some',
  'about',
  'has',
  'had',
  'now',
  'stood',
  'rose',
  'reached',
  'climbed',
]);

/** What a figure counts: victims killed, wounded or kidnapped, or attackers killed (GTD counts
 * those apart: "two of the attackers were shot dead"). */
export type FigureKind = CasualtyKind | 'perpetrators_killed';

export interface CasualtyFigure {
  readonly kind: FigureKind;
  readonly field: Field<Count>;
  /** For killed and wounded: the candidate the scorer kept (how tolls combine reads it). */
  readonly toll?: Toll;
}

/** What a figure counts: the casualty word after it ("22 people were killed") or before it
 * ("killing 22", "the death toll rose to 139"). A figure that counts attackers ("four gunmen") or
 * stands before another figure's words counts nothing here. */
function kindOf(
  s: AnnotatedSentence,
  figure: Figure,
  next: Figure | undefined,
): { kind: FigureKind; from: number; to: number } | null {
  const tokens = s.sentence.tokens;
  const attackers = s.perpetratorNouns.find((p) => p.from >= figure.to && p.from - figure.to <= 1);
  if (attackers) {
    // "three gunmen were killed": attackers killed; "four gunmen stormed": a count of attackers.
    const word = fateAfter(s, attackers.to);
    return word?.entries.some((e) => e.kind === 'killed' && e.position === 'after')
      ? { kind: 'perpetrators_killed', from: figure.from, to: word.to }
      : null;
  }
  const limit = Math.min(figure.to + AFTER_WINDOW, next?.from ?? Number.POSITIVE_INFINITY);
  let best: { kind: CasualtyKind; from: number; to: number; distance: number } | null = null;
  const consider = (kind: CasualtyKind, from: number, to: number, distance: number) => {
    if (!best || distance < best.distance) best = { kind, from, to, distance };
  };
  for (const w of s.casualtyWords) {
    if (w.from < figure.to || w.from >= limit) continue;
    const entry = w.entries.find((e) => e.position === 'after');
    const between = tokens.slice(figure.to, w.from);
    if (entry && between.every((t) => casualtyFiller.has(t.norm) || t.norm === ',')) {
      // "330 hostages were killed": the people held are the dead (or wounded), not the kidnapped.
      const words = tokens
        .slice(w.from, w.to)
        .map((t) => t.norm)
        .join(' ');
      const fate = heldPeople.has(words) ? fateAfter(s, w.to) : null;
      const died = fate?.entries.find((e) => e.position === 'after' && e.kind !== 'kidnapped');
      if (fate && died) consider(died.kind, figure.from, fate.to, w.from - figure.to);
      else consider(entry.kind, figure.from, w.to, w.from - figure.to);
      break;
    }
  }
  for (const w of s.casualtyWords) {
    if (w.to > figure.from) continue;
    const entry = w.entries.find((e) => e.position === 'before');
    const between = tokens.slice(w.to, figure.from);
    if (entry && figure.from - w.to <= BEFORE_WINDOW && between.every((t) => BEFORE_FILLER.has(t.norm)))
      consider(entry.kind, w.from, figure.to, figure.from - w.to);
    // "the death toll from Wednesday's bombing in Kabul rose to 90": the toll's verb is next to the figure.
    else if (
      entry?.kind === 'killed' &&
      tokens[w.to - 1]?.norm === 'toll' &&
      figure.from - w.to <= TOLL_WINDOW &&
      TOLL_VERBS.has(tokens[figure.from - 2]?.norm ?? '') &&
      tokens[figure.from - 1]?.norm === 'to' &&
      !between.some((t) => t.norm === '.' || t.norm === ';') &&
      !s.figures.some((f) => f.from >= w.to && f.to <= figure.from - 2)
    )
      consider(entry.kind, w.from, figure.to, figure.from - w.to);
  }
  return best;
}

/** The casualty word that says what became of the people named just before `at` ("gunmen were
 * killed", "hostages died"): the first within AFTER_WINDOW tokens, with only filler words between. */
function fateAfter(s: AnnotatedSentence, at: number): AnnotatedSentence['casualtyWords'][number] | null {
  const word = s.casualtyWords.find((w) => w.from >= at && w.from - at <= AFTER_WINDOW);
  if (word === undefined) return null;
  return s.sentence.tokens.slice(at, word.from).every((t) => casualtyFiller.has(t.norm)) ? word : null;
}

/** Candidate tolls of a sentence, each marked with what the older, stricter rule (`kindOf`) says of
 * its figure; a figure that only that rule reads (a toll far from its "death toll") is added. */
export function tollCandidates(s: AnnotatedSentence): Candidate[] {
  const candidates = casualtyCandidates(s);
  s.figures.forEach((figure, i) => {
    const phrase = kindOf(s, figure, s.figures[i + 1]);
    if (!phrase) return;
    const kind = phrase.kind === 'perpetrators_killed' ? 'killed' : phrase.kind;
    if (kind === 'kidnapped') return;
    const same = candidates.filter((c) => c.kind === kind && c.at <= figure.from && figure.from < c.end);
    for (const c of same) c.features.push('old', `${kind}:old`);
    if (same.length === 0)
      candidates.push({
        kind,
        count: figure.count,
        from: phrase.from,
        to: phrase.to,
        at: figure.from,
        end: figure.to,
        head: '',
        perpetrators: phrase.kind === 'perpetrators_killed',
        features: [`k=${kind}`, 'src=old', `${kind}:src=old`, 'old', `${kind}:old`],
      });
  });
  // A suicide attacker dies with the victims: GTD counts the bomber, RAND often does not.
  for (const m of s.suicideWords)
    candidates.push({
      kind: 'killed',
      count: { value: 1, min: 1, max: 1, qualifier: 'exact' },
      from: m.from,
      to: m.to,
      at: m.from,
      end: m.to,
      head: '',
      perpetrators: true,
      features: ['k=killed', 'src=suicide', 'killed:src=suicide', `suicide=${words(s, m.from, m.to)}`],
    });
  return candidates;
}

const words = (s: AnnotatedSentence, from: number, to: number) =>
  s.sentence.tokens
    .slice(from, to)
    .map((t) => t.norm)
    .join(' ');

/** Below this the scorer's probability drops a candidate. */
const KEEP = 0.5;
/** A figure the older rule reads needs less. */
const OLD_KEEP = 0.05;

export function findCasualties(documentId: string, text: string, s: AnnotatedSentence): CasualtyFigure[] {
  const found: CasualtyFigure[] = [];
  // Kidnappings and attackers killed (as such) by the rule.
  s.figures.forEach((figure, i) => {
    const phrase = kindOf(s, figure, s.figures[i + 1]);
    if (!phrase || (phrase.kind !== 'kidnapped' && phrase.kind !== 'perpetrators_killed')) return;
    found.push({
      kind: phrase.kind,
      field: {
        value: figure.count,
        evidence: [evidenceOf(documentId, text, s, phrase.from, phrase.to)],
        inferred: false,
      },
    });
  });
  // Killed (victims and attackers) and wounded: the candidates the learned scorer keeps.
  const model = loadModel('casualties');
  const english = !/\p{Script=Cyrillic}/u.test(s.sentence.text);
  for (const c of tollCandidates(s)) {
    // What the older rule reads stays: it was written for news copy, which the coders' summaries
    // the scorer learned from do not resemble ("the death toll ... rose to 90", "police said").
    // The scorer learned from English only: in other languages the rule alone decides.
    const p = probability(model, c.features);
    const old = c.features.includes('old');
    if (english ? p < (old ? OLD_KEEP : KEEP) : !old) continue;
    found.push({
      // Vigil keeps the attackers' deaths apart from the victims' (GTD's nkill is their sum).
      kind: c.kind === 'killed' && c.perpetrators ? 'perpetrators_killed' : c.kind,
      field: { value: c.count, evidence: [evidenceOf(documentId, text, s, c.from, c.to)], inferred: false },
      toll: { candidate: c, sentence: s.sentence.index, probability: p },
    });
  }
  return found;
}

/** Features for whether a toll adds to the one kept before it ("two soldiers were killed ... a third
 * died later") or restates it ("... killing 12. The 12 victims were ..."). */
export function addFeatures(
  previous: { candidate: Candidate; sentence: number },
  next: { candidate: Candidate; sentence: number },
  tokens: readonly { norm: string }[],
): string[] {
  const a = previous.candidate;
  const b = next.candidate;
  const va = a.count.value ?? a.count.min;
  const vb = b.count.value ?? b.count.min;
  const same = previous.sentence === next.sentence;
  const f = [
    'add',
    `add:same=${same}`,
    `add:rel=${vb === va ? 'eq' : vb < va ? 'lt' : 'gt'}`,
    `add:src=${a.features[1] ?? ''}>${b.features[1] ?? ''}`,
    `add:k=${b.kind}`,
    `add:perp=${a.perpetrators}>${b.perpetrators}`,
    `add:headsame=${a.head !== '' && a.head === b.head}`,
  ];
  if (b.perpetrators !== a.perpetrators) f.push('add:perpdiff');
  for (let i = Math.max(0, b.at - 3); i < b.at; i++) f.push(`add:prev=${tokens[i]?.norm ?? ''}`);
  if (same) {
    const between = tokens.slice(a.end, b.at).map((t) => t.norm);
    if (between.length <= 3 && between.every((w) => w === 'and' || w === ',' || w === 'his' || w === 'her'))
      f.push('add:coord');
    if (between.length <= 3) f.push(`add:between=${between.join('_')}`);
    if (b.at < a.at) f.push('add:before');
  }
  return f;
}

/** What the kept tolls of one kind add up to: in document order, each adds to the total or restates
 * it (then the larger stands), as the scorer decides; all figures stay as evidence. */
export function tollOf(
  figures: readonly CasualtyFigure[],
  tokensOf: (sentence: number) => readonly { norm: string }[],
): Field<Count> | null {
  const scored = figures.filter((f) => f.toll);
  if (scored.length === 0) return bestCount(figures.map((f) => f.field));
  const ordered = [...scored].sort(
    (x, y) =>
      (x.toll?.sentence ?? 0) - (y.toll?.sentence ?? 0) ||
      (x.toll?.candidate.at ?? 0) - (y.toll?.candidate.at ?? 0),
  );
  const model = loadModel('casualties');
  const first = ordered[0] as CasualtyFigure;
  let total = first.field.value;
  let summed = false;
  const figureOf = (c: Count) => c.value ?? c.min;
  for (let i = 1; i < ordered.length; i++) {
    const prev = ordered[i - 1] as CasualtyFigure;
    const next = ordered[i] as CasualtyFigure;
    // The same phrase read twice (two casualty words) is one toll.
    if (prev.toll?.sentence === next.toll?.sentence && prev.toll?.candidate.at === next.toll?.candidate.at)
      continue;
    const p = probability(
      model,
      addFeatures(prev.toll as Toll, next.toll as Toll, tokensOf(next.toll?.sentence ?? 0)),
    );
    if (p >= KEEP) {
      const sum = figureOf(total) + figureOf(next.field.value);
      total = { value: sum, min: sum, max: sum, qualifier: 'exact' };
      summed = true;
    } else if (figureOf(next.field.value) > figureOf(total)) total = next.field.value;
  }
  // Attackers' deaths are evidence only where they were counted in.
  const evidence = ordered
    .filter((f) => summed || !f.toll?.candidate.perpetrators || figureOf(f.field.value) === figureOf(total))
    .flatMap((f) => f.field.evidence);
  return { value: total, evidence, inferred: false };
}

interface Toll {
  readonly candidate: Candidate;
  readonly sentence: number;
  readonly probability: number;
}

/** The figure an incident shows when a report gives several: the highest lower bound, since in one
 * article later, larger tolls update earlier ones; all figures stay as evidence. */
export function bestCount(figures: readonly Field<Count>[]): Field<Count> | null {
  if (figures.length === 0) return null;
  const best = figures.reduce((a, b) => (b.value.min > a.value.min ? b : a));
  const rest = figures.filter((f) => f !== best).flatMap((f) => f.evidence);
  return { value: best.value, evidence: [...best.evidence, ...rest], inferred: best.inferred };
}
