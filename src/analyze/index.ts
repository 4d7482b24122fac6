/**
 * Analysis: group profiles, expansion alerts, threat levels, international implications and the
 * relations graph. Pure functions over incidents and the knowledge base; no I/O. (Keeping alerts and
 * levels up to date in a store is `./incremental.js`.)
 */
export {
  ALERT_EVIDENCE_FIELDS,
  ALERT_KINDS,
  ALERT_SEVERITIES,
  type Alert,
  type AlertKind,
  type AlertParams,
  type AlertSeverity,
  alertsFor,
  DEFAULT_ALERT_PARAMS,
  replayAlerts,
} from './alerts.js';
export {
  type Brief,
  type BriefDocument,
  type BriefInput,
  type BriefOptions,
  type BriefSubject,
  briefScope,
  briefSourceIds,
  buildBrief,
  escapeMarkdown,
  type Footnote,
  type RenderedMarkdown,
  renderHtml,
  renderMarkdown,
  type Statement,
} from './brief.js';
export { chartSvg, mapSvg, type WorldMap, worldMap } from './brief-svg.js';
export { type CountryInfo, type Knowledge, makeKnowledge } from './common.js';
export {
  type EdgeKind,
  type GraphEdge,
  type GraphNode,
  type NodeKind,
  type RelationsGraph,
  relationsGraph,
  toGraphml,
} from './graph.js';
export {
  type HistoryEntry,
  type HistoryFile,
  type HistoryRecords,
  historyFileSchema,
  historyOrigin,
  historyRecords,
  type Locate,
} from './history.js';
export { type CountryLink, countryLinks, type ImplicationKind, implicationsOf } from './implications.js';
export { type GroupProfile, groupProfile, type Tally } from './profile.js';
export { type ReactionInput, type ReactionLink, reactionCountry, reactionLinks } from './reactions.js';
export {
  assessStates,
  type BacktestResult,
  backtest,
  type ComponentName,
  computeThreat,
  DEFAULT_THREAT_PARAMS,
  type LevelChange,
  levelOf,
  MEASURE_FIELDS,
  type PlacedChange,
  replaySubject,
  type Subject,
  type SubjectState,
  stepOf,
  THREAT_LEVELS,
  type ThreatAssessment,
  type ThreatComponent,
  type ThreatLevel,
  type ThreatParams,
  type ThreatResult,
} from './threat.js';
