/** Coder-gold incident sets (GTD, RAND, ACLED summaries): reading, the fixed train/blind split, and
 * per-field scoring as `eval/incidents/README.md` prescribes. */
export { attackCode, countryCode, targetCode, weaponCode } from './codes.js';
export {
  type EvaluateOptions,
  evaluateIncidents,
  type FieldAccuracy,
  type IncidentsEvaluation,
  type Miss,
} from './evaluate.js';
export { type CodedIncident, parseCodedLine, readCodedFile, readCodedLines } from './records.js';
export {
  FIELDS,
  type FieldName,
  type FieldOutcome,
  isoDay,
  prepared,
  sameCity,
  scoreRecord,
  vigilIncident,
} from './score.js';
export { type SplitPart, splitPart } from './split.js';
