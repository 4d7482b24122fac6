export {
  type ClusterConstraints,
  type ClusterMember,
  canonicalOrder,
  clusterReports,
  type ReportCluster,
} from './cluster.js';
export {
  blankIncident,
  type EvidencedField,
  type Incident,
  type IncidentEvidence,
  type IncidentGroup,
} from './incident.js';
export { evidenceJson, type IncidentJson, incidentJson } from './incident-json.js';
export { APPROXIMATE_DAYS, type MatchScore, MERGE_THRESHOLD, type Report, scoreMatch } from './match.js';
export { mergeReports } from './merge.js';
export { countriesWithTown } from './names.js';
export { lshBands, minhashSignature, NEAR_DUPLICATE_SIMILARITY, similarity } from './near-duplicates.js';
export { incidentId, resolveDraft } from './resolve.js';
