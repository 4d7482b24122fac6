import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Alerts and the history of threat levels (migrations 0007_analysis, 0015_incremental_analysis). Both are derived from the
 * incidents by `src/analyze`; what the store adds is memory: when an alert was first raised (and
 * withdrawn, if later data undid it) and every change of level with its reasons. Typed here rather
 * than in schema.ts: only the analysis store reads them. */

export interface AlertTable {
  /** The alert's stable id (kind, group and incident hashed). */
  id: string;
  kind: string;
  severity: string;
  group_id: string | null;
  incident_id: string;
  incident_date: string | null;
  country: string | null;
  title: string;
  explanation: string;
  /** JSON of the whole alert (numbers, evidence, sources). */
  record: string;
  /** When Vigil first raised it (ISO date-time). */
  raised_at: string;
  /** When it stopped following from the data (an earlier attack in the country came in), else null. */
  withdrawn_at: string | null;
}

export interface ThreatChangeTable {
  subject_kind: string;
  subject_id: string;
  /** Order of the change among the subject's (0, 1, …). */
  seq: number;
  subject_name: string;
  /** The day of the change (ISO date). */
  date: string;
  /** Replay key (`date id`) of the incident being replayed when the level changed. */
  step: string;
  /** The subject's position among those that incident touches (its groups, then its country). */
  ord: number;
  incident_id: string | null;
  cause: string;
  from_level: string | null;
  to_level: string;
  score_before: number | null;
  score_after: number;
  reason: string;
  /** JSON array of the components after the change. */
  components: string;
  computed_at: string;
}

/** Each subject's state after its last incident: what the assessment on a later day starts from. */
export interface ThreatStateTable {
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  incidents: number;
  last_date: string;
  level: string;
  /** JSON array of the last measure (`MEASURE_FIELDS` of src/analyze/threat.ts). */
  measure: string;
  first_step: string;
  first_ord: number;
  computed_at: string;
}

/** An incident as the analysis last read it: the fields alerts and levels rest on. */
export interface AnalysedIncidentTable {
  id: string;
  /** ISO date, or null (undated incidents take no part in the replay). */
  date: string | null;
  country: string | null;
  /** JSON: the incident without its evidence and texts (see `lightIncident`). */
  record: string;
}

/** Groups of an analysed incident (as the analysts' decisions say), to find a group's incidents. */
export interface AnalysedGroupTable {
  incident_id: string;
  position: number;
  group_id: string;
  attribution: string;
}

/** Incidents written since the analysis last ran; filled by triggers on every write path. */
export interface AnalysisDirtyTable {
  incident_id: string;
}

export interface AnalysisMetaTable {
  key: string;
  value: string;
}

export interface AnalysisDatabase extends Database {
  alerts: AlertTable;
  threat_changes: ThreatChangeTable;
  threat_states: ThreatStateTable;
  analysed_incidents: AnalysedIncidentTable;
  analysed_groups: AnalysedGroupTable;
  analysis_dirty: AnalysisDirtyTable;
  analysis_meta: AnalysisMetaTable;
}

export function analysisMigration(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('incident_date', 'text')
        .addColumn('country', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('explanation', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('raised_at', 'text', (c) => c.notNull())
        .addColumn('withdrawn_at', 'text')
        .execute();
      await db.schema.createIndex('alerts_group_idx').on('alerts').column('group_id').execute();
      await db.schema.createIndex('alerts_country_idx').on('alerts').column('country').execute();
      await db.schema
        .createTable('threat_changes')
        .addColumn('position', 'integer', (c) => c.primaryKey())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('subject_name', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('from_level', 'text')
        .addColumn('to_level', 'text', (c) => c.notNull())
        .addColumn('score_before', 'double precision')
        .addColumn('score_after', 'double precision', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('components', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('threat_changes_subject_idx')
        .on('threat_changes')
        .columns(['subject_kind', 'subject_id'])
        .execute();
    },
  };
}

/* Migration 0015_incremental_analysis: alerts and levels kept up to date as incidents are written
 * (docs/analysis.md, "Incremental analysis"). Triggers note every incident written — inserted,
 * deleted, its date, place or toll changed, its groups or sources changed, a decision about one of its groups
 * taken or undone — in `analysis_dirty`, in the writer's own transaction, whatever the write path
 * (ingest, a merge of reports, a STIX import, the history, an analyst's decision). The analysis then
 * recomputes the groups and countries those incidents touch(ed). The history of levels is now kept
 * per subject (it was one sequence); it is rebuilt on the first run after this migration. */
const INCIDENT_COLUMNS =
  'date, country, city, killed_value, killed_min, wounded_value, wounded_min, killed_max, wounded_max';

export function incrementalAnalysisMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropTable('threat_changes').execute();
      await db.schema
        .createTable('threat_changes')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('subject_name', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('step', 'text', (c) => c.notNull())
        .addColumn('ord', 'integer', (c) => c.notNull())
        .addColumn('incident_id', 'text')
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('from_level', 'text')
        .addColumn('to_level', 'text', (c) => c.notNull())
        .addColumn('score_before', 'double precision')
        .addColumn('score_after', 'double precision', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('components', 'text', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('threat_changes_pk', ['subject_kind', 'subject_id', 'seq'])
        .execute();
      await db.schema
        .createTable('threat_states')
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('subject_name', 'text', (c) => c.notNull())
        .addColumn('incidents', 'integer', (c) => c.notNull())
        .addColumn('last_date', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('measure', 'text', (c) => c.notNull())
        .addColumn('first_step', 'text', (c) => c.notNull())
        .addColumn('first_ord', 'integer', (c) => c.notNull())
        .addColumn('computed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('threat_states_pk', ['subject_kind', 'subject_id'])
        .execute();
      await db.schema
        .createTable('analysed_incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('date', 'text')
        .addColumn('country', 'text')
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('analysed_incidents_date_idx')
        .on('analysed_incidents')
        .column('date')
        .execute();
      await db.schema
        .createIndex('analysed_incidents_country_idx')
        .on('analysed_incidents')
        .column('country')
        .execute();
      await db.schema
        .createTable('analysed_groups')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('attribution', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('analysed_groups_pk', ['incident_id', 'position'])
        .execute();
      await db.schema
        .createIndex('analysed_groups_group_idx')
        .on('analysed_groups')
        .column('group_id')
        .execute();
      await db.schema
        .createTable('analysis_dirty')
        .addColumn('incident_id', 'text', (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable('analysis_meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alerts_incident_idx').on('alerts').column('incident_id').execute();
      if (kind === 'sqlite') await sqliteTriggers(db);
      else await postgresTriggers(db);
    },
  };
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const mark = (id: string) => `insert or ignore into analysis_dirty (incident_id) values (${id});`;
  const statements = [
    `create trigger analysis_incident_insert after insert on incidents begin ${mark('new.id')} end`,
    `create trigger analysis_incident_delete after delete on incidents begin ${mark('old.id')} end`,
    `create trigger analysis_incident_update after update of id, ${INCIDENT_COLUMNS} on incidents begin ${mark('old.id')} ${mark('new.id')} end`,
    `create trigger analysis_group_insert after insert on incident_groups begin ${mark('new.incident_id')} end`,
    `create trigger analysis_group_delete after delete on incident_groups begin ${mark('old.incident_id')} end`,
    `create trigger analysis_group_update after update on incident_groups begin ${mark('old.incident_id')} ${mark('new.incident_id')} end`,
    `create trigger analysis_source_insert after insert on incident_sources begin ${mark('new.incident_id')} end`,
    `create trigger analysis_source_delete after delete on incident_sources begin ${mark('old.incident_id')} end`,
    `create trigger analysis_decision_insert after insert on group_decisions begin
       insert or ignore into analysis_dirty (incident_id)
         select incident_id from incident_groups where group_id = new.group_id; end`,
    `create trigger analysis_decision_update after update on group_decisions begin
       insert or ignore into analysis_dirty (incident_id)
         select incident_id from incident_groups where group_id = new.group_id; end`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // `set search_path from current`: the functions find the tables of the schema they were made in.
  const fn = (name: string, body: string) =>
    `create function ${name}() returns trigger language plpgsql set search_path from current as $$
     begin ${body} return null; end $$`;
  const mark = (id: string) =>
    `insert into analysis_dirty (incident_id) values (${id}) on conflict (incident_id) do nothing;`;
  const statements = [
    fn(
      'analysis_mark_incident',
      `if tg_op <> 'INSERT' then ${mark('old.id')} end if; if tg_op <> 'DELETE' then ${mark('new.id')} end if;`,
    ),
    fn(
      'analysis_mark_group',
      `if tg_op <> 'INSERT' then ${mark('old.incident_id')} end if; if tg_op <> 'DELETE' then ${mark('new.incident_id')} end if;`,
    ),
    fn(
      'analysis_mark_decision',
      `insert into analysis_dirty (incident_id) select distinct incident_id from incident_groups
         where group_id = new.group_id on conflict (incident_id) do nothing;`,
    ),
    `create trigger analysis_incident_write after insert or delete on incidents
       for each row execute function analysis_mark_incident()`,
    `create trigger analysis_incident_update after update of id, ${INCIDENT_COLUMNS} on incidents
       for each row execute function analysis_mark_incident()`,
    `create trigger analysis_group_write after insert or update or delete on incident_groups
       for each row execute function analysis_mark_group()`,
    `create trigger analysis_source_write after insert or delete on incident_sources
       for each row execute function analysis_mark_group()`,
    `create trigger analysis_decision_write after insert or update on group_decisions
       for each row execute function analysis_mark_decision()`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}
