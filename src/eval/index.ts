/**
 * MUC-4 evaluation: Vigil's incidents as GTT templates, the two standard metrics (the GTT template
 * metric and CEAF-REE) and readers for the GTT and GRIT JSON Lines files.
 */
export {
  addCounts,
  type CeafReeDocument,
  type CeafReeScore,
  ceafRee,
  documentEntities,
  entityMatches,
  type MatchCounts,
  maxBipartiteMatching,
  NO_COUNTS,
  type RoleScore,
  scoreEntities,
  withPrf,
} from './ceaf-ree.js';
export {
  evaluateMuc4,
  type Muc4Evaluation,
  type Muc4Input,
  type Muc4Predictor,
  vigilPredictor,
} from './evaluate.js';
export {
  addGttCounts,
  dedupeTemplates,
  GTT_KEYS,
  type GttCounts,
  type GttDocumentPair,
  type GttDocumentScore,
  type GttKey,
  type GttOptions,
  type GttScore,
  type GttScoreRow,
  goldTemplates,
  gttDocument,
  gttScore,
  NO_GTT_COUNTS,
} from './gtt-metric.js';
export {
  DEFAULT_MAX_TEXT_BYTES,
  type GritDocument,
  type GttDocument,
  type LineResult,
  type Muc4ReadOptions,
  type ReadAll,
  type ReadProblem,
  readAll,
  readGritLines,
  readGttLines,
} from './readers.js';
export { normaliseMention, type Prf, prf, prf2 } from './scores.js';
export {
  MUC4_INCIDENT_TYPES,
  MUC4_ROLES,
  type Muc4Entity,
  type Muc4Role,
  type Muc4Roles,
  type Muc4Template,
} from './types.js';
export { muc4IncidentType, muc4Template, muc4Templates } from './view.js';
