import type { Kysely, Migration } from 'kysely';
import { accessMigration } from './access-schema.js';
import { analysisMigration, incrementalAnalysisMigration } from './analysis-schema.js';
import { audienceMigration } from './audience.js';
import { jobsMigration } from './jobs.js';
import { mediaMigration } from './media.js';
import { alertOrderMigration, overviewMigration } from './overview.js';
import { reactionsMigration } from './reactions.js';
import { queryIndexMigration, searchMigration, sentenceSearchMigration } from './search.js';
import { taxiiDocumentMetaMigration, taxiiMigration } from './taxii.js';

export type StoreKind = 'sqlite' | 'postgres';

/** The schema history, in code so that it runs the same from `src/` and `dist/`. Names sort in order. */
export function migrations(kind: StoreKind): Record<string, Migration> {
  return {
    '0001_initial': initial(kind),
    '0002_phrases': phrases,
    '0003_outcome': outcome,
    '0004_feeds': feeds,
    '0005_group_decisions': groupDecisions(kind),
    '0006_knowledge_base': knowledgeBase(kind),
    '0007_analysis': analysisMigration(kind),
    '0008_access': accessMigration(kind),
    '0009_resolution': resolution(kind),
    '0010_taxii': taxiiMigration(kind),
    '0011_media': mediaMigration(kind),
    '0012_jobs': jobsMigration(kind),
    '0013_reactions': reactionsMigration(kind),
    '0014_search': searchMigration(kind),
    '0016_overview': overviewMigration,
    '0018_alert_order': alertOrderMigration,
    '0015_incremental_analysis': incrementalAnalysisMigration(kind),
    '0017_query_indexes': queryIndexMigration(kind),
    '0020_taxii_document_meta': taxiiDocumentMetaMigration(kind),
    '0021_search_sentences': sentenceSearchMigration(kind),
    '0022_audiences': audienceMigration(kind),
  };
}

/** Which knowledge base (content hash of the groups, user files) the groups table was synced from. */
function knowledgeBase(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('knowledge_base')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('groups', 'integer', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('loaded_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Reports (each document's drafts) behind incidents, and MinHash signatures for near-duplicates.
 * Incidents stored before this migration have no reports and are left as they were. */
function resolution(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
        .addColumn('ordinal', 'integer', (c) => c.notNull())
        .addColumn('published', 'text')
        .addColumn('country', 'text')
        .addColumn('day', 'text')
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reports_country_day_idx')
        .on('reports')
        .columns(['country', 'day'])
        .execute();
      await db.schema
        .createTable('incident_reports')
        .addColumn('incident_id', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.primaryKey())
        .addColumn('score', 'real')
        .addColumn('reasons', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('incident_reports_incident_idx')
        .on('incident_reports')
        .column('incident_id')
        .execute();
      await db.schema
        .createTable('document_signatures')
        .addColumn('document_id', 'text', (c) => c.primaryKey())
        .addColumn('signature', 'text', (c) => c.notNull())
        .addColumn('near_duplicate_of', 'text')
        .addColumn('similarity', 'real')
        .execute();
      await db.schema
        .createTable('document_bands')
        .addColumn('band', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_bands_pk', ['band', 'document_id'])
        .execute();
      await db.schema
        .createTable('report_decisions')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('report_a', 'text', (c) => c.notNull())
        .addColumn('report_b', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('undone_at', 'text')
        .execute();
    },
  };
}

/** Analysts' merges and promotions of discovered groups (an overlay on incident_groups). */
function groupDecisions(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('group_decisions')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('into_group_id', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addColumn('undone_at', 'text')
        .addColumn('undone_by', 'text')
        .execute();
      await db.schema
        .createIndex('group_decisions_group_idx')
        .on('group_decisions')
        .column('group_id')
        .execute();
    },
  };
}

/** What `vigil watch` remembers per feed: the validators of a conditional GET, its schedule and health,
 * and the entries already read. */
const feeds: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('feeds')
      .addColumn('url', 'text', (c) => c.primaryKey())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('last_attempt', 'text')
      .addColumn('last_success', 'text')
      .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('next_attempt', 'text')
      .execute();
    await db.schema
      .createTable('feed_entries')
      .addColumn('feed_url', 'text', (c) => c.notNull().references('feeds.url').onDelete('cascade'))
      .addColumn('entry_key', 'text', (c) => c.notNull())
      .addColumn('seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('feed_entries_pk', ['feed_url', 'entry_key'])
      .execute();
  },
};

/** Kidnapped and attackers killed as counts, suicide attacks, and whether the attack was carried out. */
const outcome: Migration = {
  async up(db: Kysely<unknown>) {
    for (const count of ['kidnapped', 'perpetrators_killed']) {
      for (const [suffix, type] of [
        ['value', 'integer'],
        ['min', 'integer'],
        ['max', 'integer'],
        ['qualifier', 'text'],
      ] as const) {
        await db.schema.alterTable('incidents').addColumn(`${count}_${suffix}`, type).execute();
      }
    }
    await db.schema
      .alterTable('incidents')
      .addColumn('suicide', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable('incidents')
      .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('carried_out'))
      .execute();
  },
};

/** The attackers, victims, weapons and physical targets as the text words them (JSON arrays). */
const phrases: Migration = {
  async up(db: Kysely<unknown>) {
    for (const column of ['perpetrator_text', 'victim_text', 'weapon_text', 'physical_target_text']) {
      await db.schema
        .alterTable('incidents')
        .addColumn(column, 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
    }
  },
};

function initial(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('title', 'text')
        .addColumn('url', 'text')
        .addColumn('outlet', 'text')
        .addColumn('published', 'text')
        .addColumn('language', 'text')
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'text', (c) => c.notNull())
        .execute();

      let incidents = db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('date', 'text')
        .addColumn('date_precision', 'text')
        .addColumn('country', 'text')
        .addColumn('city', 'text')
        .addColumn('lat', 'double precision')
        .addColumn('lon', 'double precision')
        .addColumn('place_precision', 'text');
      for (const column of [
        'attack_types',
        'weapon_types',
        'target_types',
        'target_text',
        'perpetrator_nationalities',
      ]) {
        incidents = incidents.addColumn(column, 'text', (c) => c.notNull());
      }
      incidents = incidents.addColumn('perpetrators_min', 'integer').addColumn('perpetrators_max', 'integer');
      for (const count of ['killed', 'wounded']) {
        incidents = incidents
          .addColumn(`${count}_value`, 'integer')
          .addColumn(`${count}_min`, 'integer')
          .addColumn(`${count}_max`, 'integer')
          .addColumn(`${count}_qualifier`, 'text');
      }
      await incidents.addColumn('created_at', 'text', (c) => c.notNull()).execute();

      await db.schema
        .createTable('incident_sources')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_sources_pk', ['incident_id', 'document_id'])
        .execute();

      await db.schema
        .createTable('incident_groups')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('group_name', 'text', (c) => c.notNull())
        .addColumn('aliases_seen', 'text', (c) => c.notNull())
        .addColumn('attribution', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_groups_pk', ['incident_id', 'group_id'])
        .execute();

      // The one column that cannot be spelled the same way in both databases.
      await db.schema
        .createTable('evidence')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('start_offset', 'integer', (c) => c.notNull())
        .addColumn('end_offset', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sentence', 'text', (c) => c.notNull())
        .addColumn('inferred', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('groups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('ideology', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text')
        .addColumn('home_countries', 'text', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();

      await db.schema.createIndex('incidents_date_idx').on('incidents').column('date').execute();
      await db.schema.createIndex('incidents_country_idx').on('incidents').column('country').execute();
      await db.schema
        .createIndex('incident_sources_document_idx')
        .on('incident_sources')
        .column('document_id')
        .execute();
      await db.schema
        .createIndex('incident_groups_group_idx')
        .on('incident_groups')
        .column('group_id')
        .execute();
      await db.schema.createIndex('evidence_incident_idx').on('evidence').column('incident_id').execute();
    },
  };
}
