export {
  isTlpLevel,
  type StixBundle,
  type StixObject,
  stixId,
  TLP_EXTENSION_ID,
  TLP_LEVELS,
  type TlpLevel,
  tlpLevelOf,
  tlpMarking,
  tlpMarkingId,
  VIGIL_EXTENSION_ID,
  VIGIL_IDENTITY_ID,
  VIGIL_NAMESPACE,
} from './common.js';
export {
  ATTRIBUTION_CONFIDENCE,
  bundleText,
  type ExportDocument,
  type ExportInput,
  exportBundle,
  exportObjects,
  incidentName,
} from './export.js';
export {
  type IncidentExtension,
  incidentExtensionSchema,
  type NoteExtension,
  type ReportExtension,
  vigilExtensionDefinition,
} from './extension.js';
export { heldImportId, renamed } from './held.js';
export { type ImportPlan, type PlannedIncident, planImport, type RaisedBy, tlpOf } from './import.js';
export { type BundleCheck, type CheckOptions, checkBundle, checkObject, type StixIssue } from './validate.js';
