import { describe, expect, it } from 'vitest';
import {
  type ArticleTruth,
  canonicalClusters,
  components,
  countError,
  goldPairs,
  pairKey,
  pairsOf,
  pairwiseScores,
  seededShuffle,
  splitsAndMerges,
  spuriousClusters,
  wirePairs,
} from '../../bench/resolution-metrics.js';

// Four reports of incident A (a2 is a wire copy of a1), two of B, one article reporting both B and
// C, one report of C, and a background piece.
const truth: Record<string, ArticleTruth> = {
  a1: { incidents: ['A'], wire: 'w1' },
  a2: { incidents: ['A'], wire: 'w1' },
  a3: { incidents: ['A'] },
  a4: { incidents: ['A'] },
  b1: { incidents: ['B'] },
  b2: { incidents: ['B'] },
  bc: { incidents: ['B', 'C'] },
  c1: { incidents: ['C'] },
  bg: { incidents: [] },
};

describe('pairs', () => {
  it('keys a pair the same way whatever the order', () => {
    expect(pairKey('x', 'y')).toBe(pairKey('y', 'x'));
    expect(pairKey('x', 'y')).not.toBe(pairKey('x', 'z'));
  });

  it('takes every pair inside each group once, ignoring repeats and singletons', () => {
    expect(pairsOf([['a', 'b', 'c'], ['c', 'b'], ['d'], ['e', 'e']])).toEqual(
      new Set([pairKey('a', 'b'), pairKey('a', 'c'), pairKey('b', 'c')]),
    );
  });

  it('pairs articles that report a common incident; background pairs with nothing', () => {
    const gold = goldPairs(truth);
    // A: C(4,2) = 6; B: b1 b2 bc → 3; C: bc c1 → 1.
    expect(gold.size).toBe(10);
    expect(gold.has(pairKey('bc', 'b1'))).toBe(true);
    expect(gold.has(pairKey('bc', 'c1'))).toBe(true);
    expect(gold.has(pairKey('b1', 'c1'))).toBe(false);
    expect([...gold].some((p) => p.includes('bg'))).toBe(false);
    expect(wirePairs(truth)).toEqual(new Set([pairKey('a1', 'a2')]));
  });
});

describe('pairwiseScores', () => {
  it('is perfect when the clusters are the gold incidents', () => {
    const s = pairwiseScores(
      pairsOf([
        ['a1', 'a2', 'a3', 'a4'],
        ['b1', 'b2', 'bc'],
        ['bc', 'c1'],
      ]),
      goldPairs(truth),
    );
    expect(s).toEqual({
      truePositives: 10,
      falsePositives: 0,
      falseNegatives: 0,
      precision: 1,
      recall: 1,
      f1: 1,
    });
  });

  it('loses recall when an incident is split, and precision when two are merged', () => {
    // A split in two (a1 a2 | a3 a4): 2 of its 6 pairs found. B and C merged: b1-c1 and b2-c1 wrong.
    const s = pairwiseScores(
      pairsOf([
        ['a1', 'a2'],
        ['a3', 'a4'],
        ['b1', 'b2', 'bc', 'c1'],
      ]),
      goldPairs(truth),
    );
    expect(s.truePositives).toBe(2 + 4);
    expect(s.falsePositives).toBe(2);
    expect(s.falseNegatives).toBe(4);
    expect(s.precision).toBeCloseTo(6 / 8);
    expect(s.recall).toBeCloseTo(6 / 10);
    expect(s.f1).toBeCloseTo((2 * 0.75 * 0.6) / 1.35);
  });

  it('counts a background article merged into an incident as false positives', () => {
    const s = pairwiseScores(pairsOf([['a1', 'a2', 'a3', 'a4', 'bg']]), goldPairs(truth));
    expect(s.truePositives).toBe(6);
    expect(s.falsePositives).toBe(4);
    expect(s.precision).toBeCloseTo(0.6);
  });

  it('gives null rather than a number for 0/0', () => {
    expect(pairwiseScores(new Set(), new Set())).toEqual({
      truePositives: 0,
      falsePositives: 0,
      falseNegatives: 0,
      precision: null,
      recall: null,
      f1: null,
    });
    const none = pairwiseScores(new Set(), goldPairs(truth));
    expect(none.precision).toBeNull();
    expect(none.recall).toBe(0);
    expect(none.f1).toBeNull();
  });
});

describe('countError', () => {
  it('is relative to the gold count, signed', () => {
    expect(countError(42, 40)).toEqual({ predicted: 42, truth: 40, difference: 2, relative: 0.05 });
    expect(countError(30, 40).relative).toBeCloseTo(-0.25);
    expect(countError(40, 40).relative).toBe(0);
    expect(countError(3, 0).relative).toBeNull();
  });
});

describe('diagnosis', () => {
  it('counts incidents made only of background articles as spurious', () => {
    expect(spuriousClusters([['bg'], ['a1', 'bg'], ['unknown:1234']], truth)).toBe(2);
  });

  it('names split, missed and over-merged gold incidents', () => {
    const d = splitsAndMerges(
      [
        ['a1', 'a2'],
        ['a3', 'a4'],
        ['b1', 'c1'],
      ],
      truth,
    );
    expect(d.split).toEqual(['A']);
    expect(d.overMerged).toEqual([['B', 'C']]);
    expect(d.missed).toEqual([]);
    // An article reporting B and C may sit with both: that is no over-merge.
    expect(splitsAndMerges([['b1', 'bc', 'c1']], truth).overMerged).toEqual([]);
    expect(splitsAndMerges([['b1']], truth).missed).toEqual(['A', 'C']);
  });
});

describe('order independence helpers', () => {
  it('compares clusters whatever their order and the order inside them', () => {
    expect(canonicalClusters([['b', 'a'], ['c']])).toBe(canonicalClusters([['c'], ['a', 'b']]));
    expect(canonicalClusters([['a', 'b'], ['c']])).not.toBe(canonicalClusters([['a'], ['b', 'c']]));
  });

  it('joins near-duplicate links into groups', () => {
    expect(
      components([
        ['x', 'y'],
        ['z', 'y'],
        ['p', 'q'],
      ]).sort(),
    ).toEqual([
      ['p', 'q'],
      ['x', 'y', 'z'],
    ]);
  });

  it('shuffles the same way for the same seed, and keeps every item', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = seededShuffle(items, 7);
    expect(seededShuffle(items, 7)).toEqual(a);
    expect(seededShuffle(items, 8)).not.toEqual(a);
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
  });
});
