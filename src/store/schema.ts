import type { Generated, Selectable } from 'kysely';

/* One schema for SQLite and PostgreSQL: arrays and records are JSON in TEXT columns, booleans are
 * integers 0/1 and dates are ISO strings, so every column means the same thing in both databases. */

export interface DocumentTable {
  id: string;
  text: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  language: string | null;
  origin: string;
  ingested_at: string;
  /** Who may see it (src/tlp/audience.ts), from its markings; null is CLEAR (migration 0022). */
  audience: Generated<string | null>;
}

export interface IncidentTable {
  id: string;
  date: string | null;
  date_precision: string | null;
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
  place_precision: string | null;
  /** JSON arrays. */
  attack_types: string;
  weapon_types: string;
  target_types: string;
  target_text: string;
  perpetrator_nationalities: string;
  perpetrator_text: string;
  victim_text: string;
  weapon_text: string;
  physical_target_text: string;
  perpetrators_min: number | null;
  perpetrators_max: number | null;
  killed_value: number | null;
  killed_min: number | null;
  killed_max: number | null;
  killed_qualifier: string | null;
  wounded_value: number | null;
  wounded_min: number | null;
  wounded_max: number | null;
  wounded_qualifier: string | null;
  kidnapped_value: number | null;
  kidnapped_min: number | null;
  kidnapped_max: number | null;
  kidnapped_qualifier: string | null;
  perpetrators_killed_value: number | null;
  perpetrators_killed_min: number | null;
  perpetrators_killed_max: number | null;
  perpetrators_killed_qualifier: string | null;
  /** 1 for a suicide attack. */
  suicide: number;
  outcome: string;
  created_at: string;
  /** The first perpetrator group's name, for sorting (migration 0014_search). */
  primary_group: string | null;
  /** The audience its documents share (null: CLEAR), or null when they differ (migration 0022). */
  audience: Generated<string | null>;
  /** 1 when its documents have different audiences: callers may see it in part (src/access/views.ts). */
  mixed: Generated<number>;
}

export interface IncidentSourceTable {
  incident_id: string;
  document_id: string;
  /** Order in which the sources were linked. */
  position: number;
}

export interface IncidentGroupTable {
  incident_id: string;
  group_id: string;
  group_name: string;
  /** JSON array. */
  aliases_seen: string;
  attribution: string;
  /** Order of the group in the incident's list. */
  position: number;
}

export interface EvidenceTable {
  id: Generated<number>;
  incident_id: string;
  field: string;
  value: string;
  document_id: string;
  start_offset: number;
  end_offset: number;
  text: string;
  sentence: string;
  /** 0 or 1. */
  inferred: number;
}

export interface GroupTable {
  id: string;
  name: string;
  ideology: string;
  parent_id: string | null;
  /** JSON array. */
  home_countries: string;
  /** JSON of the whole ArmedGroup. */
  record: string;
}

/** One watched feed (`vigil watch`); times are ISO 8601 date-times. */
export interface FeedTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_attempt: string | null;
  last_success: string | null;
  /** Consecutive failed polls; 0 after a success. */
  failures: number;
  last_error: string | null;
  next_attempt: string | null;
}

/** An entry of a feed already read (its guid, id or link). */
export interface FeedEntryTable {
  feed_url: string;
  entry_key: string;
  seen_at: string;
}

/** An analyst's merge or promotion of a discovered group; undone ones are kept as history. */
export interface GroupDecisionTable {
  id: Generated<number>;
  kind: string;
  group_id: string;
  into_group_id: string;
  decided_by: string;
  reason: string;
  decided_at: string;
  undone_at: string | null;
  undone_by: string | null;
}

/** A sync of the knowledge base into `groups`; the row with the highest id is in effect. */
export interface KnowledgeBaseTable {
  id: Generated<number>;
  /** sha256 of the effective groups. */
  version: string;
  /** How many groups it had. */
  groups: number;
  /** JSON array of the user files applied, `{path, sha256}`. */
  files: string;
  loaded_at: string;
}

/** One document's account of one incident (its draft, resolved alone), kept for re-clustering. */
export interface ReportTable {
  id: string;
  document_id: string;
  ordinal: number;
  published: string | null;
  country: string | null;
  /** The report's incident date (ISO), for the neighbourhood lookup. */
  day: string | null;
  /** The Incident as JSON. */
  record: string;
}

export interface IncidentReportTable {
  incident_id: string;
  report_id: string;
  /** Match score when the report joined; null for the first report or a tied copy. */
  score: number | null;
  /** JSON array of the reasons. */
  reasons: string;
}

export interface DocumentSignatureTable {
  document_id: string;
  /** MinHash signature, JSON array. */
  signature: string;
  near_duplicate_of: string | null;
  similarity: number | null;
}

/** An analyst's decision that two reports are (merge) or are not (split) one incident. */
export interface ReportDecisionTable {
  id: Generated<number>;
  kind: string;
  report_a: string;
  report_b: string;
  decided_by: string;
  reason: string;
  decided_at: string;
  undone_at: string | null;
}

export interface DocumentBandTable {
  band: string;
  document_id: string;
}

export interface Database {
  documents: DocumentTable;
  incidents: IncidentTable;
  incident_sources: IncidentSourceTable;
  incident_groups: IncidentGroupTable;
  evidence: EvidenceTable;
  groups: GroupTable;
  feeds: FeedTable;
  feed_entries: FeedEntryTable;
  group_decisions: GroupDecisionTable;
  knowledge_base: KnowledgeBaseTable;
  reports: ReportTable;
  incident_reports: IncidentReportTable;
  document_signatures: DocumentSignatureTable;
  document_bands: DocumentBandTable;
  report_decisions: ReportDecisionTable;
}

export type DocumentRow = Selectable<DocumentTable>;
export type IncidentRow = Selectable<IncidentTable>;
export type IncidentGroupRow = Selectable<IncidentGroupTable>;
export type EvidenceRow = Selectable<EvidenceTable>;
export type GroupRow = Selectable<GroupTable>;
export type FeedRow = Selectable<FeedTable>;
export type GroupDecisionRow = Selectable<GroupDecisionTable>;
