/**
 * Metrics of `bench/resolution.ts`: how well stored incidents match the gold incidents of
 * test/fixtures/resolution/truth.json. Plain functions over article ids, so they can be tested with
 * hand-made inputs (test/resolve/resolution-metrics.test.ts).
 *
 * A cluster is the set of article ids one stored incident came from (its sources, mapped back to
 * articles). Two articles are a gold pair when they report a common incident key; a predicted pair
 * when some cluster holds both.
 */

/** Gold for one article: the incident keys it reports ([] for background) and its wire group. */
export interface ArticleTruth {
  readonly incidents: readonly string[];
  readonly wire?: string;
}

export interface PairScores {
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  /** null when nothing was predicted (0/0). */
  readonly precision: number | null;
  /** null when there is nothing to find (0/0). */
  readonly recall: number | null;
  readonly f1: number | null;
}

export interface CountError {
  readonly predicted: number;
  readonly truth: number;
  /** predicted − truth. */
  readonly difference: number;
  /** (predicted − truth) / truth; null when truth is 0. */
  readonly relative: number | null;
}

/** Canonical key of an unordered pair of distinct ids. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Every unordered pair of distinct ids inside each group, deduplicated across groups. */
export function pairsOf(groups: Iterable<Iterable<string>>): Set<string> {
  const pairs = new Set<string>();
  for (const group of groups) {
    const ids = [...new Set(group)].sort();
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) pairs.add(pairKey(ids[i] as string, ids[j] as string));
    }
  }
  return pairs;
}

/** Articles grouped by the incident key they report; an article with several keys is in several
 * groups, background articles (no key) in none. */
export function articlesByIncident(truth: Readonly<Record<string, ArticleTruth>>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const [article, t] of Object.entries(truth)) {
    for (const key of t.incidents) {
      const list = byKey.get(key) ?? [];
      list.push(article);
      byKey.set(key, list);
    }
  }
  return byKey;
}

/** Gold pairs: two articles that report a common incident. */
export function goldPairs(truth: Readonly<Record<string, ArticleTruth>>): Set<string> {
  return pairsOf(articlesByIncident(truth).values());
}

/** Articles in the same wire (near-duplicate) group, as pairs. */
export function wirePairs(truth: Readonly<Record<string, ArticleTruth>>): Set<string> {
  const byWire = new Map<string, string[]>();
  for (const [article, t] of Object.entries(truth)) {
    if (t.wire === undefined) continue;
    byWire.set(t.wire, [...(byWire.get(t.wire) ?? []), article]);
  }
  return pairsOf(byWire.values());
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Pairwise precision and recall of predicted pairs against gold pairs. A predicted pair with a
 * background article is a false positive, since background articles report no incident. */
export function pairwiseScores(predicted: ReadonlySet<string>, gold: ReadonlySet<string>): PairScores {
  let tp = 0;
  for (const p of predicted) if (gold.has(p)) tp++;
  const fp = predicted.size - tp;
  const fn = gold.size - tp;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 =
    precision === null || recall === null || precision + recall === 0
      ? null
      : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1 };
}

/** How far the number of stored incidents is from the number of gold incidents. */
export function countError(predicted: number, truth: number): CountError {
  return {
    predicted,
    truth,
    difference: predicted - truth,
    relative: truth === 0 ? null : (predicted - truth) / truth,
  };
}

/** Clusters made only of background articles (or of articles that map to no gold article): every
 * one is a spurious incident. */
export function spuriousClusters(
  clusters: readonly (readonly string[])[],
  truth: Readonly<Record<string, ArticleTruth>>,
): number {
  return clusters.filter((c) => c.every((a) => (truth[a]?.incidents.length ?? 0) === 0)).length;
}

/** Gold incidents whose reports ended up in more than one cluster (split), and clusters that hold
 * reports of more than one gold incident with no article reporting them all (over-merged). */
export function splitsAndMerges(
  clusters: readonly (readonly string[])[],
  truth: Readonly<Record<string, ArticleTruth>>,
): { readonly split: string[]; readonly overMerged: string[][]; readonly missed: string[] } {
  const clusterOf = new Map<string, number[]>();
  clusters.forEach((c, i) => {
    for (const a of c) clusterOf.set(a, [...(clusterOf.get(a) ?? []), i]);
  });
  const split: string[] = [];
  const missed: string[] = [];
  for (const [key, articles] of articlesByIncident(truth)) {
    // A cluster counts for this key only if one of its articles reports the key and no other key.
    const found = new Set(
      articles.filter((a) => truth[a]?.incidents.length === 1).flatMap((a) => clusterOf.get(a) ?? []),
    );
    const any = articles.some((a) => (clusterOf.get(a) ?? []).length > 0);
    if (!any) missed.push(key);
    else if (found.size > 1) split.push(key);
  }
  const overMerged: string[][] = [];
  for (const c of clusters) {
    const keys = new Set(c.flatMap((a) => truth[a]?.incidents ?? []));
    if (keys.size < 2) continue;
    const coveredByOne = c.some((a) => [...keys].every((k) => truth[a]?.incidents.includes(k)));
    if (!coveredByOne) overMerged.push([...keys].sort());
  }
  return { split: split.sort(), overMerged, missed: missed.sort() };
}

/** Canonical form of a set of clusters: sorted ids in sorted clusters, so two stores can be compared
 * whatever their incident ids and order. */
export function canonicalClusters(clusters: readonly (readonly string[])[]): string {
  return JSON.stringify(clusters.map((c) => [...new Set(c)].sort()).sort((a, b) => cmp(a.join(), b.join())));
}

/** Connected components of the graph whose edges are the given links (pairs of ids). */
export function components(links: readonly (readonly [string, string])[]): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(x, root);
    return root;
  };
  for (const [a, b] of links) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    const [low, high] = ra < rb ? [ra, rb] : [rb, ra];
    parent.set(high, low);
  }
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    groups.set(r, [...(groups.get(r) ?? []), x]);
  }
  return [...groups.values()].map((g) => g.sort());
}

/** A deterministic shuffle (Fisher–Yates driven by mulberry32), so a seed gives the same order on
 * every machine. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
