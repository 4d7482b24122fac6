import type { Kysely, Migration } from 'kysely';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Alerts and the history of threat levels (migration 0007_analysis). Both are derived from the
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
  /** Order of the change in the replay. */
  position: number;
  subject_kind: string;
  subject_id: string;
  subject_name: string;
  /** The day of the change (ISO date). */
  date: string;
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

export interface AnalysisDatabase extends Database {
  alerts: AlertTable;
  threat_changes: ThreatChangeTable;
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
