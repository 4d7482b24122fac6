/**
 * The `casualties` model: which candidate tolls of a text (src/extract/fields/casualty-candidates.ts)
 * are the coders' killed and wounded figures, and whether a kept toll adds to the one before it or
 * restates it. Learned from the train parts of gtd-2011, gtd-1993 and rand-rdwti.
 *
 * A candidate is positive when its value is the coder's figure; when none is, the fewest candidates
 * (in text order) whose values add up to it are positive, and each after the first "adds".
 */

import { prepared } from '../../src/eval/incidents/index.js';
import { annotate } from '../../src/extract/annotate.js';
import { addFeatures, tollCandidates } from '../../src/extract/fields/casualties.js';
import type { Candidate } from '../../src/extract/fields/casualty-candidates.js';
import { type Example, type LinearModel, probability, trainLogistic } from '../../src/learn/index.js';
import { trainRecords } from './data.js';

const SETS = ['gtd-2011', 'gtd-1993', 'rand-rdwti'];
const MAX_PHRASES = 10;
const WEIGHT: Readonly<Record<string, number>> = { 'gtd-2011': 3, 'gtd-1993': 2 };
const MAX_PARTS = 4;

interface Placed {
  readonly candidate: Candidate;
  readonly sentence: number;
}

const figureOf = (c: Candidate) => c.count.value ?? c.count.min;
/** Whether a candidate says the coder's figure: "more than 100" says 100 (coders write the number
 * given), "dozens" any number it spans. */
const says = (c: Candidate, gold: number) =>
  figureOf(c) === gold ||
  (c.count.qualifier === 'more_than' && c.count.min - 1 === gold) ||
  (c.count.value === null && c.count.min <= gold && (c.count.max === null || gold <= c.count.max));
const phraseKey = (p: Placed) => `${p.sentence}:${p.candidate.at}`;

/** The fewest distinct phrases, in order, whose values add up to `gold` (none if there are none). */
function partsOf(phrases: readonly Placed[], gold: number): Placed[] {
  const list = phrases.slice(0, MAX_PHRASES);
  for (let size = 2; size <= MAX_PARTS; size++) {
    const pick: number[] = [];
    const search = (from: number, sum: number): boolean => {
      if (pick.length === size) return sum === gold;
      for (let i = from; i < list.length; i++) {
        const v = figureOf((list[i] as Placed).candidate);
        if (sum + v > gold) continue;
        pick.push(i);
        if (search(i + 1, sum + v)) return true;
        pick.pop();
      }
      return false;
    };
    if (search(0, 0)) return pick.map((i) => list[i] as Placed);
  }
  return [];
}

interface Reading {
  readonly tokens: (sentence: number) => readonly { norm: string }[];
  readonly placed: readonly Placed[];
  readonly gold: { readonly killed: number | null; readonly wounded: number | null };
}

function readingOf(text: string, killed: number | null, wounded: number | null): Reading {
  const sentences = annotate(text);
  return {
    tokens: (i) => sentences[i]?.sentence.tokens ?? [],
    placed: sentences.flatMap((s) =>
      tollCandidates(s).map((candidate) => ({ candidate, sentence: s.sentence.index })),
    ),
    gold: { killed, wounded },
  };
}

const KINDS = ['killed', 'wounded'] as const;

/** Stage one: is a candidate (part of) the coder's figure? */
function candidateExamples(r: Reading): Example[] {
  const examples: Example[] = [];
  for (const kind of KINDS) {
    const gold = r.gold[kind];
    if (gold === null) continue;
    const mine = r.placed.filter((p) => p.candidate.kind === kind);
    const equal = mine.filter((p) => says(p.candidate, gold));
    let positive: Set<string>;
    if (equal.length > 0 || gold === 0) positive = new Set(equal.map(phraseKey));
    else {
      const phrases = [...new Map(mine.map((p) => [phraseKey(p), p])).values()];
      positive = new Set(partsOf(phrases, gold).map(phraseKey));
    }
    for (const p of mine)
      examples.push({ features: p.candidate.features, label: positive.has(phraseKey(p)) ? 1 : 0 });
  }
  return examples;
}

/** Stage two: along the candidates the stage-one model keeps, in text order, should each add to the
 * running total or restate it? The label is whichever brings the total nearer the coder's figure. */
function addExamples(r: Reading, model: LinearModel): Example[] {
  const examples: Example[] = [];
  for (const kind of KINDS) {
    const gold = r.gold[kind];
    if (gold === null) continue;
    const kept = [
      ...new Map(
        r.placed
          .filter(
            (p) =>
              p.candidate.kind === kind &&
              probability(model, p.candidate.features) >= (p.candidate.features.includes('old') ? 0.05 : 0.5),
          )
          .sort((a, b) => a.sentence - b.sentence || a.candidate.at - b.candidate.at)
          .map((p) => [phraseKey(p), p]),
      ).values(),
    ];
    let total = kept[0] ? figureOf(kept[0].candidate) : 0;
    for (let i = 1; i < kept.length; i++) {
      const prev = kept[i - 1] as Placed;
      const next = kept[i] as Placed;
      const v = figureOf(next.candidate);
      const adds = Math.abs(total + v - gold) < Math.abs(Math.max(total, v) - gold);
      if (total + v !== Math.max(total, v))
        examples.push({ features: addFeatures(prev, next, r.tokens(next.sentence)), label: adds ? 1 : 0 });
      total = adds ? total + v : Math.max(total, v);
    }
  }
  return examples;
}

export function trainCasualties(): LinearModel {
  const readings: Reading[] = [];
  for (const set of SETS)
    for (const record of trainRecords(set)) {
      if (record.killed === null && record.wounded === null) continue;
      const reading = readingOf(prepared(record).text, record.killed, record.wounded);
      // GTD's coding (the scheme Vigil's records follow) outweighs RAND's larger set where they differ.
      for (let i = 0; i < (WEIGHT[set] ?? 1); i++) readings.push(reading);
    }
  const trainedOn = `train parts of ${SETS.join(', ')} (coders' killed and wounded figures)`;
  const candidates = trainLogistic(readings.flatMap(candidateExamples), {
    name: 'casualties',
    trainedOn,
    epochs: 10,
    minCount: 4,
  });
  const adds = trainLogistic(
    readings.flatMap((r) => addExamples(r, candidates)),
    { name: 'casualties', trainedOn, epochs: 10, minCount: 3 },
  );
  // One model file: the two feature sets do not overlap (every add feature starts "add"), and the
  // "add" feature, present in every add example, carries the add model's own bias.
  const weights: Record<string, number> = { ...candidates.weights };
  for (const [f, w] of Object.entries(adds.weights)) weights[f] = w;
  weights.add = Math.round(((adds.weights.add ?? 0) + adds.bias - candidates.bias) * 1e4) / 1e4;
  return { ...candidates, examples: candidates.examples + adds.examples, weights };
}
