export type { EvidencedField, Incident, IncidentEvidence, IncidentGroup } from './incident.js';
export { type IncidentJson, incidentJson } from './incident-json.js';
export { incidentId, resolveDraft } from './resolve.js';
