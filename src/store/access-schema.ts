import { type Kysely, type Migration, sql } from 'kysely';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Organisations, users, API keys, TLP markings of documents and the full-text search index
 * (migration 0008_access). The tables are typed here rather than in schema.ts: only the access
 * store reads them. */

export interface OrgTable {
  /** The organisation's name is its id (`vigil keys create --org <name>`). */
  name: string;
  created_at: string;
}

/** `owner` shares its TLP:AMBER with `with_org` (`vigil orgs share <owner> <with>`). */
export interface OrgShareTable {
  owner_org: string;
  with_org: string;
  created_at: string;
}

export interface UserTable {
  /** `<org>/<name>`. */
  id: string;
  org: string;
  name: string;
  created_at: string;
}

export interface ApiKeyTable {
  /** Public id of the key (hex), shown by `vigil keys list`; not the key. */
  id: string;
  org: string;
  user_id: string | null;
  role: string;
  /** SHA-256 (hex) of the key; the key itself is never stored. */
  key_hash: string;
  created_at: string;
  revoked_at: string | null;
}

/** One organisation's (or the local CLI's) holding of a document under a TLP 2.0 marking. A
 * document with no marking row is TLP:CLEAR (documents stored by `vigil ingest`, `watch`, `import`). */
export interface DocumentMarkingTable {
  id: string;
  document_id: string;
  tlp: string;
  /** The owning organisation; null for the local CLI (CLEAR and GREEN only). */
  org: string | null;
  created_at: string;
}

/** Named recipients of a TLP:RED marking. */
export interface MarkingRecipientTable {
  marking_id: string;
  user_id: string;
}

/** The server's secrets and counters, shared by its processes (migration 0022_audiences). */
export interface ServerStateTable {
  name: string;
  /** Hex. */
  value: string;
}

export interface AccessDatabase extends Database {
  server_state: ServerStateTable;
  orgs: OrgTable;
  org_shares: OrgShareTable;
  users: UserTable;
  api_keys: ApiKeyTable;
  document_markings: DocumentMarkingTable;
  marking_recipients: MarkingRecipientTable;
}

/** The access tables, and a full-text index over evidence sentences and incidents' target and
 * perpetrator text: SQLite FTS5 external-content tables kept by triggers; PostgreSQL GIN indexes on
 * `to_tsvector('simple', …)` expressions. */
export function accessMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('orgs')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('org_shares')
        .addColumn('owner_org', 'text', (c) => c.notNull().references('orgs.name').onDelete('cascade'))
        .addColumn('with_org', 'text', (c) => c.notNull().references('orgs.name').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('org_shares_pk', ['owner_org', 'with_org'])
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull().references('orgs.name').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull().references('orgs.name').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.references('users.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createTable('document_markings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .addColumn('tlp', 'text', (c) => c.notNull())
        .addColumn('org', 'text', (c) => c.references('orgs.name').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('document_markings_document_idx')
        .on('document_markings')
        .column('document_id')
        .execute();
      await db.schema
        .createTable('marking_recipients')
        .addColumn('marking_id', 'text', (c) =>
          c.notNull().references('document_markings.id').onDelete('cascade'),
        )
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('marking_recipients_pk', ['marking_id', 'user_id'])
        .execute();

      if (kind === 'postgres') {
        await sql`create index evidence_sentence_fts on evidence using gin (to_tsvector('simple', sentence))`.execute(
          db,
        );
        await sql`create index incidents_text_fts on incidents using gin (to_tsvector('simple', target_text || ' ' || perpetrator_text))`.execute(
          db,
        );
        return;
      }
      for (const statement of SQLITE_FTS) await sql.raw(statement).execute(db);
    },
  };
}

// History: migration 0021_search_sentences drops both tables (search reads incident_search only).
const SQLITE_FTS = [
  `create virtual table evidence_fts using fts5(sentence, content='evidence', content_rowid='id')`,
  `create trigger evidence_fts_insert after insert on evidence begin
     insert into evidence_fts(rowid, sentence) values (new.id, new.sentence); end`,
  `create trigger evidence_fts_delete after delete on evidence begin
     insert into evidence_fts(evidence_fts, rowid, sentence) values ('delete', old.id, old.sentence); end`,
  `create trigger evidence_fts_update after update of sentence on evidence begin
     insert into evidence_fts(evidence_fts, rowid, sentence) values ('delete', old.id, old.sentence);
     insert into evidence_fts(rowid, sentence) values (new.id, new.sentence); end`,
  `insert into evidence_fts(evidence_fts) values ('rebuild')`,
  `create virtual table incident_fts using fts5(target_text, perpetrator_text, content='incidents')`,
  `create trigger incident_fts_insert after insert on incidents begin
     insert into incident_fts(rowid, target_text, perpetrator_text)
     values (new.rowid, new.target_text, new.perpetrator_text); end`,
  `create trigger incident_fts_delete after delete on incidents begin
     insert into incident_fts(incident_fts, rowid, target_text, perpetrator_text)
     values ('delete', old.rowid, old.target_text, old.perpetrator_text); end`,
  `create trigger incident_fts_update after update of target_text, perpetrator_text on incidents begin
     insert into incident_fts(incident_fts, rowid, target_text, perpetrator_text)
     values ('delete', old.rowid, old.target_text, old.perpetrator_text);
     insert into incident_fts(rowid, target_text, perpetrator_text)
     values (new.rowid, new.target_text, new.perpetrator_text); end`,
  `insert into incident_fts(incident_fts) values ('rebuild')`,
];
