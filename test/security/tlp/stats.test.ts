import { describe, expect, it } from 'vitest';
import { erfc, interleaved, mannWhitney, median, signedRank, upperTail } from './stats.js';

// The statistics the timing tests rest on, against values worked out by hand (normal approximation
// with continuity and tie corrections, as scipy.stats.mannwhitneyu(method='asymptotic') computes it).

describe('statistics of the timing tests', () => {
  it('erfc and the normal tail', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1)).toBeCloseTo(0.157299207, 6);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 6);
    expect(upperTail(1.959964)).toBeCloseTo(0.025, 5);
    // Relative precision holds far out in the tail, where the strict levels are.
    expect(upperTail(5) / 2.866515719e-7).toBeCloseTo(1, 4);
    expect(upperTail(8) / 6.22096057e-16).toBeCloseTo(1, 3);
  });

  it('median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('Mann-Whitney U: complete separation, ties, no difference', () => {
    const apart = mannWhitney([6, 7, 8, 9, 10], [1, 2, 3, 4, 5]);
    expect(apart.u).toBe(25);
    // mean 12.5, sd sqrt(25 * 11 / 12) = 4.787, z = (12.5 - 0.5) / 4.787 = 2.507
    expect(apart.pTwoSided).toBeCloseTo(0.01219, 4);
    expect(apart.pGreater).toBeCloseTo(0.00609, 4);
    expect(apart.pLess).toBeGreaterThan(0.99);
    const reversed = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(reversed.u).toBe(0);
    expect(reversed.pTwoSided).toBeCloseTo(apart.pTwoSided, 10);
    expect(reversed.pLess).toBeCloseTo(apart.pGreater, 10);
    // With ties: ranks 1, 3, 3, 6, 8.5 for the first sample (sum 21.5, U = 6.5); ties 2s, 3s (3 each)
    // and 4s (2): variance 30 / 12 * (12 - 54 / 110) = 28.77, z = (8.5 - 0.5) / 5.364 = 1.491.
    const tied = mannWhitney([1, 2, 2, 3, 4], [2, 3, 3, 4, 5, 6]);
    expect(tied.u).toBe(6.5);
    expect(tied.pTwoSided).toBeCloseTo(0.1359, 3);
    const same = mannWhitney([1, 1, 1], [1, 1, 1]);
    expect(same).toMatchObject({ z: 0, pTwoSided: 1 });
    const interleavedSamples = mannWhitney([1, 3, 5, 7, 9, 11], [2, 4, 6, 8, 10, 12]);
    expect(interleavedSamples.pTwoSided).toBeGreaterThan(0.5);
  });

  it('a consistent shift over 300 samples is far beyond 1e-4, and the same distribution is not', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const noise = () => -Math.log(1 - random()); // exponential, as latencies are skewed
    const slow = Array.from({ length: 300 }, () => 2.5 + noise());
    const fast = Array.from({ length: 300 }, () => 2.0 + noise());
    expect(mannWhitney(slow, fast).pGreater).toBeLessThan(1e-4);
    const a = Array.from({ length: 300 }, () => 2 + noise());
    const b = Array.from({ length: 300 }, () => 2 + noise());
    expect(mannWhitney(a, b).pTwoSided).toBeGreaterThan(1e-4);
  });

  it('Wilcoxon signed-rank: by hand, with ties, and immune to a drift shared by each pair', () => {
    // All five differences positive: W+ = 15, mean 7.5, sd sqrt(5 * 6 * 11 / 24) = 3.708, z' = 1.888.
    const up = signedRank([2, 4, 6, 8, 10], [1, 2, 3, 4, 5]);
    expect(up.u).toBe(15);
    expect(up.pTwoSided).toBeCloseTo(0.05905, 4);
    expect(up.pGreater).toBeCloseTo(0.02952, 4);
    // Differences 1, 1, -2, 3 (and a zero, dropped): W+ = 1.5 + 1.5 + 4 = 7, variance 7.5 - 6 / 48.
    const tied = signedRank([2, 2, 1, 6, 5], [1, 1, 3, 3, 5]);
    expect(tied.u).toBe(7);
    expect(tied.pTwoSided).toBeCloseTo(0.5807, 3);
    expect(signedRank([1, 2], [1, 2])).toMatchObject({ z: 0, pTwoSided: 1 });
    // A drift far larger than the effect, shared by both members of each pair: the pairs still tell.
    const drift = Array.from({ length: 32 }, (_, i) => 1000 * Math.sin(i) + 10 * Math.cos(7 * i));
    const slower = drift.map((x, i) => x + 0.5 + 0.01 * (i % 3));
    expect(signedRank(slower, drift).pGreater).toBeLessThan(1e-4);
    expect(mannWhitney(slower, drift).pGreater).toBeGreaterThan(0.1);
  });

  it('interleaves in ABBA order and drops the warm-up rounds', async () => {
    const calls: string[] = [];
    const result = await interleaved(
      4,
      2,
      async (i) => calls.push(`a${i}`),
      async (i) => calls.push(`b${i}`),
    );
    expect(calls).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'b2', 'b3', 'a3', 'a4', 'b4', 'b5', 'a5']);
    expect(result.a).toHaveLength(4);
    expect(result.b).toHaveLength(4);
    for (const t of [...result.a, ...result.b]) expect(t).toBeGreaterThanOrEqual(0);
  });
});
