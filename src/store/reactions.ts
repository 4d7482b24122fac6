import type { Kysely, Migration } from 'kysely';
import type { Reaction } from '../extract/index.js';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Reactions of states read from documents (migration 0013_reactions). A reaction belongs to its
 * document and to one of the document's reports (`report_id`, the draft's id); the incident it reacts
 * to is looked up when read, through the report, so merges and splits of incidents carry it along. */

export interface ReactionTable {
  id: string;
  document_id: string;
  /** Order of the reaction in its document. */
  position: number;
  /** The document's draft (report) it reacts to, or null when the document has no incident. */
  report_id: string | null;
  /** The incident when stored (used when the report is not, as for imported incidents). */
  incident_id: string | null;
  kind: string;
  actor_country: string;
  actor_text: string;
  actor_form: string;
  target_country: string | null;
  cue: string;
  start_offset: number;
  end_offset: number;
  text: string;
  sentence: string;
}

interface ReactionDatabase extends Database {
  reactions: ReactionTable;
}

export function reactionsMigration(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('reactions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('report_id', 'text')
        .addColumn('incident_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_country', 'text', (c) => c.notNull())
        .addColumn('actor_text', 'text', (c) => c.notNull())
        .addColumn('actor_form', 'text', (c) => c.notNull())
        .addColumn('target_country', 'text')
        .addColumn('cue', 'text', (c) => c.notNull())
        .addColumn('start_offset', 'integer', (c) => c.notNull())
        .addColumn('end_offset', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('sentence', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reactions_document_idx').on('reactions').column('document_id').execute();
      await db.schema.createIndex('reactions_actor_idx').on('reactions').column('actor_country').execute();
      await db.schema.createIndex('reactions_target_idx').on('reactions').column('target_country').execute();
      await db.schema.createIndex('reactions_report_idx').on('reactions').column('report_id').execute();
    },
  };
}

/** Where a reaction was read: the document's outlet, title, address and date. */
export interface ReactionSource {
  readonly documentId: string;
  readonly title: string | null;
  readonly outlet: string | null;
  readonly url: string | null;
  readonly published: string | null;
  readonly origin: string;
}

/** A stored reaction, `incident` being the incident its report belongs to now. */
export interface StoredReaction extends Reaction {
  readonly source: ReactionSource;
}

export interface ReactionQuery {
  /** Reactions by this state or aimed at it (ISO 3166-1 alpha-2). */
  readonly country?: string;
  /** Reactions to these incidents. */
  readonly incidents?: readonly string[];
}

export interface ReactionStore {
  /** Makes the document's stored reactions these (running it twice changes nothing). `incidentOf`
   * maps a draft id to the incident it joined when stored. */
  saveReactions(
    documentId: string,
    reactions: readonly Reaction[],
    incidentOf?: ReadonlyMap<string, string>,
  ): Promise<void>;
  /** Stored reactions, oldest document first (then position in it). */
  listReactions(query?: ReactionQuery): Promise<StoredReaction[]>;
  /** Reactions of incidents' documents, by incident id. */
  reactionsOfIncident(incidentId: string): Promise<StoredReaction[]>;
}

const CHUNK = 200;

export function reactionStore(database: Kysely<Database>): ReactionStore {
  const db = database as unknown as Kysely<ReactionDatabase>;
  const list = async (query: ReactionQuery = {}) => {
    let select = db
      .selectFrom('reactions')
      .innerJoin('documents', 'documents.id', 'reactions.document_id')
      .leftJoin('incident_reports', 'incident_reports.report_id', 'reactions.report_id')
      .select([
        'reactions.id',
        'reactions.document_id',
        'reactions.position',
        'reactions.report_id',
        'reactions.incident_id',
        'reactions.kind',
        'reactions.actor_country',
        'reactions.actor_text',
        'reactions.actor_form',
        'reactions.target_country',
        'reactions.cue',
        'reactions.start_offset',
        'reactions.end_offset',
        'reactions.text',
        'reactions.sentence',
        'documents.title',
        'documents.outlet',
        'documents.url',
        'documents.published',
        'documents.origin',
        'incident_reports.incident_id as current_incident',
      ]);
    if (query.country !== undefined) {
      const cc = query.country.toUpperCase();
      select = select.where((eb) =>
        eb.or([eb('reactions.actor_country', '=', cc), eb('reactions.target_country', '=', cc)]),
      );
    }
    const ids = query.incidents;
    if (ids !== undefined && ids.length <= 500) {
      if (ids.length === 0) return [];
      select = select.where((eb) =>
        eb.or([
          eb('incident_reports.incident_id', 'in', ids),
          eb.and([eb('incident_reports.incident_id', 'is', null), eb('reactions.incident_id', 'in', ids)]),
        ]),
      );
    }
    const rows = await select
      .orderBy('documents.published', (ob) => ob.asc().nullsLast())
      .orderBy('reactions.document_id')
      .orderBy('reactions.position')
      .execute();
    const wanted = query.incidents === undefined ? null : new Set(query.incidents);
    const out: StoredReaction[] = [];
    for (const r of rows) {
      const incident = r.current_incident ?? r.incident_id;
      if (wanted !== null && (incident === null || !wanted.has(incident))) continue;
      out.push({
        id: r.id,
        documentId: r.document_id,
        kind: r.kind as Reaction['kind'],
        actor: {
          country: r.actor_country,
          text: r.actor_text,
          form: r.actor_form as Reaction['actor']['form'],
        },
        target: r.target_country,
        cue: r.cue,
        incident,
        evidence: {
          documentId: r.document_id,
          start: Number(r.start_offset),
          end: Number(r.end_offset),
          text: r.text,
          sentence: r.sentence,
        },
        source: {
          documentId: r.document_id,
          title: r.title,
          outlet: r.outlet,
          url: r.url,
          published: r.published,
          origin: r.origin,
        },
      });
    }
    return out;
  };
  return {
    saveReactions: (documentId, reactions, incidentOf = new Map()) =>
      db.transaction().execute(async (trx) => {
        await trx.deleteFrom('reactions').where('document_id', '=', documentId).execute();
        const rows: ReactionTable[] = reactions.map((r, position) => ({
          id: r.id,
          document_id: documentId,
          position,
          report_id: r.incident,
          incident_id: r.incident === null ? null : (incidentOf.get(r.incident) ?? r.incident),
          kind: r.kind,
          actor_country: r.actor.country,
          actor_text: r.actor.text,
          actor_form: r.actor.form,
          target_country: r.target,
          cue: r.cue,
          start_offset: r.evidence.start,
          end_offset: r.evidence.end,
          text: r.evidence.text,
          sentence: r.evidence.sentence,
        }));
        for (let i = 0; i < rows.length; i += CHUNK)
          await trx
            .insertInto('reactions')
            .values(rows.slice(i, i + CHUNK))
            .execute();
      }),
    listReactions: list,
    reactionsOfIncident: (incidentId) => list({ incidents: [incidentId] }),
  };
}
