/* Statistics for the timing tests: a Mann-Whitney U test (normal approximation with tie and
 * continuity corrections) and interleaved measurement. No wall-clock thresholds anywhere: a timing
 * test fails only when one side is significantly slower than the other at a strict level. */

export interface RankTest {
  readonly n1: number;
  readonly n2: number;
  /** U of the first sample: how often one of its values beats (exceeds) one of the second's. */
  readonly u: number;
  /** Standard normal score of u (0 when every value is tied). */
  readonly z: number;
  /** P(difference at least this large, either way) under "same distribution". */
  readonly pTwoSided: number;
  /** P(the first sample ranks this high or higher) under "same distribution": small when the first
   * sample is larger (slower). */
  readonly pGreater: number;
  /** The same for the first sample ranking low (faster). */
  readonly pLess: number;
  readonly medianA: number;
  readonly medianB: number;
}

/** The complementary error function (Numerical Recipes' erfcc: fractional error below 1.2e-7
 * everywhere, so also for the very small p-values of a strong effect). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  // Horner's rule over the coefficients, highest power first.
  const c = [
    0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196,
    1.00002368, -1.26551223,
  ];
  let poly = 0;
  for (const k of c) poly = poly * t + k;
  const r = t * Math.exp(-z * z + poly);
  return x >= 0 ? r : 2 - r;
}

/** P(Z >= z) for a standard normal Z. */
export const upperTail = (z: number): number => 0.5 * erfc(z / Math.SQRT2);

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Mann-Whitney U test of sample `a` against sample `b`. */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new Error('mannWhitney needs two non-empty samples');
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort(
    (x, y) => x.v - y.v,
  );
  const n = n1 + n2;
  let rankSum = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j + 2) / 2; // ranks are 1-based; the tied run i..j shares their average
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if ((all[k] as { first: boolean }).first) rankSum += rank;
    i = j + 1;
  }
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const base = { n1, n2, u, medianA: median(a), medianB: median(b) };
  if (variance <= 0) return { ...base, z: 0, pTwoSided: 1, pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  const d = u - mean;
  const z = d / sd;
  const pTwoSided = Math.min(1, 2 * upperTail(Math.max(0, Math.abs(d) - 0.5) / sd));
  const pGreater = upperTail((d - 0.5) / sd);
  const pLess = upperTail((-d - 0.5) / sd);
  return { ...base, z, pTwoSided, pGreater, pLess };
}

/** Wilcoxon signed-rank test of paired samples (a[i] measured next to b[i]): the differences a - b,
 * zeros dropped, ranked by size (average ranks for ties). Pairing cancels a drift slower than a pair
 * (a burst of load, the database flushing), which unpaired tests read as noise. `u` is W+, the sum of
 * the ranks of positive differences; pGreater is small when a tends to exceed b. */
export function signedRank(a: readonly number[], b: readonly number[]): RankTest {
  if (a.length !== b.length || a.length === 0) throw new Error('signedRank needs two samples of one length');
  const d = a.map((x, i) => x - (b[i] as number)).filter((x) => x !== 0);
  const base = { n1: a.length, n2: b.length, medianA: median(a), medianB: median(b) };
  const n = d.length;
  if (n === 0) return { ...base, u: 0, z: 0, pTwoSided: 1, pGreater: 1, pLess: 1 };
  const sorted = d.map((x) => ({ size: Math.abs(x), positive: x > 0 })).sort((x, y) => x.size - y.size);
  let wPlus = 0;
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && (sorted[j + 1] as { size: number }).size === (sorted[i] as { size: number }).size)
      j++;
    const rank = (i + j + 2) / 2;
    const t = j - i + 1;
    ties += t * t * t - t;
    for (let k = i; k <= j; k++) if ((sorted[k] as { positive: boolean }).positive) wPlus += rank;
    i = j + 1;
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - ties / 48;
  if (variance <= 0) return { ...base, u: wPlus, z: 0, pTwoSided: 1, pGreater: 1, pLess: 1 };
  const sd = Math.sqrt(variance);
  const dev = wPlus - mean;
  return {
    ...base,
    u: wPlus,
    z: dev / sd,
    pTwoSided: Math.min(1, 2 * upperTail(Math.max(0, Math.abs(dev) - 0.5) / sd)),
    pGreater: upperTail((dev - 0.5) / sd),
    pLess: upperTail((-dev - 0.5) / sd),
  };
}

export interface Interleaved {
  /** Milliseconds of each measured run of `a`, in the order run. */
  readonly a: number[];
  readonly b: number[];
}

/**
 * Runs `a(i)` and `b(i)` for i = 0 … warmup + rounds - 1 alternately, in ABBA order (a b, b a, a b, …)
 * so that a drift of the machine (another process, a cache filling, the store growing) falls on
 * both alike, and times each call; the first `warmup` rounds are run but not kept.
 */
export async function interleaved(
  rounds: number,
  warmup: number,
  a: (i: number) => Promise<unknown>,
  b: (i: number) => Promise<unknown>,
): Promise<Interleaved> {
  const out: Interleaved = { a: [], b: [] };
  const timed = async (run: (i: number) => Promise<unknown>, i: number): Promise<number> => {
    const start = process.hrtime.bigint();
    await run(i);
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let i = 0; i < warmup + rounds; i++) {
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await timed(a, i);
      tb = await timed(b, i);
    } else {
      tb = await timed(b, i);
      ta = await timed(a, i);
    }
    if (i >= warmup) {
      out.a.push(ta);
      out.b.push(tb);
    }
  }
  return out;
}

/** One line for a test's message or log: medians and the test's statistic and p-values. */
export function describeTest(label: string, t: RankTest): string {
  return `${label}: median ${t.medianA.toFixed(3)} ms vs ${t.medianB.toFixed(3)} ms (n=${t.n1}/${t.n2}), statistic ${t.u}, z=${t.z.toFixed(2)}, p(two-sided)=${t.pTwoSided.toExponential(2)}, p(first slower)=${t.pGreater.toExponential(2)}`;
}
