import { type MatchScore, MERGE_THRESHOLD, type Report, scoreMatch } from './match.js';

/** Pairs of report ids that must share an incident (near-duplicate copies, an analyst's merge) or
 * must not (an analyst's split). */
export interface ClusterConstraints {
  readonly together: readonly (readonly [string, string])[];
  readonly apart: readonly (readonly [string, string])[];
  /** Whether two groups are kin in the knowledge base (parent, branch, affiliate). */
  readonly relatedGroups?: (a: string, b: string) => boolean;
}

export interface ClusterMember {
  readonly report: Report;
  /** Why this report joined the incident; null for the report that opened it. */
  readonly score: number | null;
  readonly reasons: readonly string[];
}

export interface ReportCluster {
  readonly members: readonly ClusterMember[];
}

/** Reports in the order that decides incident ids and ties: earliest published, then by document and
 * position; the same set in any order of arrival gives the same clusters. */
export function canonicalOrder(a: Report, b: Report): number {
  const pa = a.published ?? '9999';
  const pb = b.published ?? '9999';
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.documentId !== b.documentId) return a.documentId < b.documentId ? -1 : 1;
  return a.ordinal - b.ordinal;
}

/** A report that gives no date is scored as dated around its publication (month precision): it can
 * join an incident on other evidence, but earns no points for the day. */
function forScoring(r: Report): Report['incident'] {
  if (r.incident.date !== null || r.published === null) return r.incident;
  return { ...r.incident, date: { date: r.published.slice(0, 10), precision: 'month' } };
}

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/** Reports tied together by `together`, as groups of positions in `reports` (union-find), in
 * canonical order. */
function tiedGroups(reports: readonly Report[], together: ClusterConstraints['together']): number[][] {
  const parent = new Map(reports.map((r) => [r.id, r.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const [a, b] of together) {
    if (!parent.has(a) || !parent.has(b)) continue;
    const [ra, rb] = [find(a), find(b)];
    // The smaller id becomes the root, so the grouping does not depend on the order of the pairs.
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  }
  const groups = new Map<string, number[]>();
  const order = reports
    .map((_, i) => i)
    .sort((a, b) => canonicalOrder(reports[a] as Report, reports[b] as Report));
  for (const i of order) {
    const root = find((reports[i] as Report).id);
    const group = groups.get(root);
    if (group === undefined) groups.set(root, [i]);
    else group.push(i);
  }
  return [...groups.values()];
}

/** How alike two reports are, as `scoreMatch` says of the two as clustering sees them, for reports
 * given by their position in the list being clustered (the incident's member first, the candidate
 * second). Clustering a neighbourhood again for every new report scores the same pairs over and over;
 * a caller that keeps reports across calls can pass scores it remembers (see
 * `src/store/resolution.ts`). */
export interface PairScorer {
  /** The score, NaN for a veto (scores are sums of finite points, never NaN themselves). */
  score(member: number, candidate: number): number;
  /** The whole verdict, reasons included. */
  match(member: number, candidate: number): MatchScore;
}

/** Makes the scorer of one call from the reports being clustered. */
export type PairScoring = (reports: readonly Report[]) => PairScorer;

/** The number `PairScorer.score` gives for a verdict. */
export const scoreNumber = (m: MatchScore): number =>
  m.veto !== null ? Number.NaN : Number.isNaN(m.score) ? Number.NEGATIVE_INFINITY : m.score;

/** Scores every pair afresh, each report dated for scoring once. */
export function freshScoring(related?: (a: string, b: string) => boolean): PairScoring {
  return (reports) => {
    const views = reports.map(forScoring);
    const match = (member: number, candidate: number) =>
      scoreMatch(views[member] as Report['incident'], views[candidate] as Report['incident'], related);
    return { match, score: (member, candidate) => scoreNumber(match(member, candidate)) };
  };
}

/**
 * Groups reports into incidents. Reports are taken in canonical order; each joins the incident it
 * matches best (every report of it scored, any veto or analyst's split keeps it out) when the best
 * score reaches MERGE_THRESHOLD, else opens a new incident. Near-duplicates and analysts' merges
 * arrive tied together and stay together.
 *
 * `scoring` must give what `scoreMatch` gives for each pair (by default it computes it); only the
 * speed depends on it.
 */
export function clusterReports(
  reports: readonly Report[],
  constraints: ClusterConstraints,
  scoring: PairScoring = freshScoring(constraints.relatedGroups),
): ReportCluster[] {
  const scorer = scoring(reports);
  const apart = new Set(constraints.apart.map(([a, b]) => pairKey(a, b)));
  // Reports by position, documents by number: the loops below run millions of times.
  const documents = new Map<string, number>();
  const documentOf = Int32Array.from(reports, (r) => {
    let n = documents.get(r.documentId);
    if (n === undefined) {
      n = documents.size;
      documents.set(r.documentId, n);
    }
    return n;
  });
  const clusters: number[][] = [];
  const joined = new Map<number, { score: number | null; reasons: readonly string[] }>();
  for (const unit of tiedGroups(reports, constraints.together)) {
    let best: { cluster: number[]; score: number; member: number; candidate: number } | null = null;
    for (const cluster of clusters) {
      // The first best-scoring pair, member by member; any veto rules the incident out.
      let top = Number.NEGATIVE_INFINITY;
      let topMember = -1;
      let topCandidate = -1;
      let vetoed = false;
      pairs: for (const member of cluster) {
        for (const r of unit) {
          // The extractor already told a document's incidents apart ("the airport ... the metro").
          if (
            documentOf[member] === documentOf[r] ||
            (apart.size > 0 && apart.has(pairKey((reports[member] as Report).id, (reports[r] as Report).id)))
          ) {
            vetoed = true;
            break pairs;
          }
          const s = scorer.score(member, r);
          if (Number.isNaN(s)) {
            vetoed = true;
            break pairs;
          }
          if (topMember < 0 || s > top) {
            top = s;
            topMember = member;
            topCandidate = r;
          }
        }
      }
      if (!vetoed && topMember >= 0 && top >= MERGE_THRESHOLD && (!best || top > best.score)) {
        best = { cluster, score: top, member: topMember, candidate: topCandidate };
      }
    }
    const [first, ...tied] = unit;
    if (first === undefined) continue;
    for (const r of tied)
      joined.set(r, {
        score: null,
        reasons: ["tied to the report before it (near-duplicate copy or an analyst's merge)"],
      });
    if (best) {
      const m = scorer.match(best.member, best.candidate);
      joined.set(first, { score: m.score, reasons: m.reasons });
      best.cluster.push(first, ...tied);
    } else {
      joined.set(first, { score: null, reasons: [] });
      clusters.push([first, ...tied]);
    }
  }
  return clusters.map((members) => ({
    members: members
      .map((i) => ({ report: reports[i] as Report, ...(joined.get(i) as Omit<ClusterMember, 'report'>) }))
      .sort((a, b) => canonicalOrder(a.report, b.report)),
  }));
}
