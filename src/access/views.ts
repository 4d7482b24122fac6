import {
  type ClusterConstraints,
  type ClusterMember,
  clusterReports,
  type Incident,
  mergeReports,
  type Report,
} from '../resolve/index.js';
import { withDecisions } from '../store/index.js';
import {
  type Audience,
  audienceLevel,
  type Clearance,
  type MarkingLevel,
  mostRestrictive,
} from '../tlp/index.js';

/* A caller's view of an incident whose documents have different audiences: what Vigil would have
 * made of its reports had the store held only the documents the caller may see. The reports they
 * see are clustered again on their own (two of them joined only through a hidden report come apart)
 * and each cluster merged as resolution merges one, so every value, the id (its first report's, as
 * for any incident), the sources, the evidence, the merge reasons, the time it was first stored and
 * its marking come from what they see. An incident of one audience needs none of this: every caller
 * sees all of it or none (src/store/audience.ts). */

export interface ViewedDocument {
  readonly audience: Audience;
  readonly ingestedAt: string;
}

/** What views of one stored incident are made from. */
export interface ViewMaterial {
  /** Its reports (each one document's account). */
  readonly reports: readonly Report[];
  /** What keeps them together or apart (near-duplicate copies, analysts' decisions). */
  readonly constraints: ClusterConstraints;
  /** Every document it cites, with its audience and when it was stored. */
  readonly documents: ReadonlyMap<string, ViewedDocument>;
  /** Discovered groups as the analysts' decisions in force count them. */
  readonly decisions: ReadonlyMap<string, { readonly id: string; readonly name: string }>;
  /** The stored record before the decisions, for an incident with documents no report stands for
   * (imported, or stored before resolution): shown only to a caller who sees all of them. */
  readonly stored?: Incident;
}

export interface IncidentView {
  /** As the caller is shown it (the analysts' group decisions applied). */
  readonly incident: Incident;
  /** Before the group decisions, as the store's filters and sort orders read an incident. */
  readonly raw: Incident;
  /** The most restrictive marking, for the caller, of the documents it was made from. */
  readonly tlp: MarkingLevel;
  /** When its first document was stored. */
  readonly createdAt: string;
  /** Its reports, with the score and reasons each joined on (empty for a stored record). */
  readonly members: readonly ClusterMember[];
}

/** The caller's views of one stored incident: none, one, or several when the reports they see do not
 * hold together without the ones they do not. */
export function viewsOf(c: Clearance, material: ViewMaterial): IncidentView[] {
  const level = (id: string) => {
    const doc = material.documents.get(id);
    return doc === undefined ? null : audienceLevel(c, doc.audience);
  };
  if (material.stored !== undefined) {
    const cited = citedBy(material.stored);
    const levels = cited.map(level);
    if (levels.some((l) => l === null)) return [];
    return [made(material, material.stored, levels as MarkingLevel[], cited, [])];
  }
  const seen = material.reports.filter((r) => level(r.documentId) !== null);
  if (seen.length === 0) return [];
  const ids = new Set(seen.map((r) => r.id));
  const constraints: ClusterConstraints = {
    together: material.constraints.together.filter(([a, b]) => ids.has(a) && ids.has(b)),
    apart: material.constraints.apart.filter(([a, b]) => ids.has(a) && ids.has(b)),
    ...(material.constraints.relatedGroups === undefined
      ? {}
      : { relatedGroups: material.constraints.relatedGroups }),
  };
  return clusterReports(seen, constraints).map((cluster) => {
    const raw = mergeReports(cluster);
    const cited = citedBy(raw);
    return made(material, raw, cited.map(level) as MarkingLevel[], cited, cluster.members);
  });
}

function made(
  material: ViewMaterial,
  raw: Incident,
  levels: readonly MarkingLevel[],
  cited: readonly string[],
  members: readonly ClusterMember[],
): IncidentView {
  const times = cited.map((id) => material.documents.get(id)?.ingestedAt ?? '').filter((t) => t !== '');
  return {
    incident: withDecisions(raw, material.decisions),
    raw,
    tlp: mostRestrictive(levels) ?? 'red',
    createdAt: times.sort()[0] ?? '',
    members,
  };
}

/** The documents an incident cites: its sources, then those only its evidence names. */
export const citedBy = (i: Incident): string[] => [
  ...new Set([...i.sources, ...i.evidence.map((e) => e.documentId)]),
];
