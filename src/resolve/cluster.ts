import { MERGE_THRESHOLD, type Report, scoreMatch } from './match.js';

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

/** Report ids tied together by `together`, as groups (union-find). */
function tiedGroups(reports: readonly Report[], together: ClusterConstraints['together']): Report[][] {
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
  const groups = new Map<string, Report[]>();
  for (const r of [...reports].sort(canonicalOrder)) {
    const root = find(r.id);
    groups.set(root, [...(groups.get(root) ?? []), r]);
  }
  return [...groups.values()];
}

/**
 * Groups reports into incidents. Reports are taken in canonical order; each joins the incident it
 * matches best (every report of it scored, any veto or analyst's split keeps it out) when the best
 * score reaches MERGE_THRESHOLD, else opens a new incident. Near-duplicates and analysts' merges
 * arrive tied together and stay together.
 */
export function clusterReports(reports: readonly Report[], constraints: ClusterConstraints): ReportCluster[] {
  const apart = new Set(constraints.apart.map(([a, b]) => pairKey(a, b)));
  const clusters: ClusterMember[][] = [];
  for (const unit of tiedGroups(reports, constraints.together)) {
    let best: { cluster: ClusterMember[]; score: number; reasons: readonly string[] } | null = null;
    for (const cluster of clusters) {
      let top: { score: number; reasons: readonly string[] } | null = null;
      let vetoed = false;
      for (const member of cluster) {
        for (const r of unit) {
          // The extractor already told a document's incidents apart ("the airport ... the metro").
          if (apart.has(pairKey(member.report.id, r.id)) || member.report.documentId === r.documentId)
            vetoed = true;
          const m = scoreMatch(forScoring(member.report), forScoring(r), constraints.relatedGroups);
          if (m.veto !== null) vetoed = true;
          else if (!top || m.score > top.score) top = m;
        }
        if (vetoed) break;
      }
      if (!vetoed && top && top.score >= MERGE_THRESHOLD && (!best || top.score > best.score)) {
        best = { cluster, ...top };
      }
    }
    const [first, ...tied] = unit;
    if (!first) continue;
    const tiedMembers = tied.map((report) => ({
      report,
      score: null,
      reasons: ["tied to the report before it (near-duplicate copy or an analyst's merge)"],
    }));
    if (best) best.cluster.push({ report: first, score: best.score, reasons: best.reasons }, ...tiedMembers);
    else clusters.push([{ report: first, score: null, reasons: [] }, ...tiedMembers]);
  }
  return clusters.map((members) => ({
    members: [...members].sort((a, b) => canonicalOrder(a.report, b.report)),
  }));
}
