import type { Insertable, Kysely } from 'kysely';
import type { Incident } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import type { Audience } from '../tlp/index.js';
import { audiencesFromMarkings } from './audience.js';
import type { StoreKind } from './migrations.js';
import {
  type NearDuplicate,
  recordSignature,
  redateReports,
  reportCacheOf,
  resolveReports,
} from './resolution.js';
import type { Database, DocumentTable } from './schema.js';

export interface SaveResult {
  readonly status: 'stored' | 'duplicate';
  readonly documentId: string;
  /** The incident each draft given now belongs to (merged with other reports of it or not), in
   * order; for a duplicate, the ids of the incidents already linked to it. */
  readonly incidentIds: readonly string[];
  /** The stored document this one is a near-duplicate copy of (wire copy republished). */
  readonly nearDuplicateOf?: NearDuplicate;
}

/** The row of a document first stored now, with the audience of its markings (written before it). */
export function documentRow(doc: Document, now: string, audience: Audience): Insertable<DocumentTable> {
  return {
    audience,
    id: doc.id,
    text: doc.text,
    title: doc.title,
    url: doc.url,
    outlet: doc.outlet,
    published: doc.published,
    language: doc.language,
    origin: doc.origin,
    ingested_at: now,
  };
}

/** Stores a document with its incidents in one transaction; a document already stored is left unchanged. */
export async function saveDocument(
  db: Kysely<Database>,
  kind: StoreKind,
  doc: Document,
  incidents: readonly Incident[],
): Promise<SaveResult> {
  const cache = reportCacheOf(db);
  try {
    return await db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      // A document known only from a STIX import has no text: the article itself fills it in.
      const audience = (await audiencesFromMarkings(trx, [doc.id])).get(doc.id) ?? null;
      const result = await trx
        .insertInto('documents')
        .values(documentRow(doc, now, audience))
        .onConflict((oc) =>
          doc.text === ''
            ? oc.column('id').doNothing()
            : oc
                .column('id')
                .doUpdateSet({ text: doc.text, language: doc.language, origin: doc.origin })
                .where('documents.text', '=', ''),
        )
        .executeTakeFirst();
      // Under concurrent writers the loser of the race waits for the winner's commit, then inserts nothing.
      if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) {
        const linked = await trx
          .selectFrom('incident_sources')
          .select('incident_id')
          .where('document_id', '=', doc.id)
          .orderBy('incident_id')
          .execute();
        return { status: 'duplicate', documentId: doc.id, incidentIds: linked.map((r) => r.incident_id) };
      }
      const copyOf = doc.text === '' ? null : await recordSignature(trx, doc.id, doc.text, kind);
      const incidentIds = await resolveReports(
        trx,
        kind,
        doc,
        incidents,
        now,
        cache,
        doc.text === '' ? undefined : (copyOf?.documentId ?? null),
      );
      return {
        status: 'stored',
        documentId: doc.id,
        incidentIds,
        ...(copyOf ? { nearDuplicateOf: copyOf } : {}),
      };
    });
  } catch (error) {
    // Not stored after all: what the cache learnt of these reports may not be what is stored next.
    cache.forget(incidents.map((i) => i.id));
    throw error;
  }
}

/** A stored document met again with an earlier publication date takes it, its reports replaced by
 * `incidents` (extracted with that date) and their incidents clustered again: whichever copy comes
 * first, the store ends the same. Returns the incident of each, or null when the stored date is not
 * later (nothing changes). */
export async function redateDocument(
  db: Kysely<Database>,
  kind: StoreKind,
  doc: Document & { readonly published: string },
  incidents: readonly Incident[],
): Promise<string[] | null> {
  const cache = reportCacheOf(db);
  try {
    return await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('documents')
        .set({ published: doc.published })
        .where('id', '=', doc.id)
        .where((eb) => eb.or([eb('published', 'is', null), eb('published', '>', doc.published)]))
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return null;
      return redateReports(trx, kind, doc, incidents, new Date().toISOString(), cache);
    });
  } catch (error) {
    cache.forget(incidents.map((i) => i.id));
    throw error;
  }
}

export async function getDocument(db: Kysely<Database>, id: string): Promise<Document | null> {
  const row = await db
    .selectFrom('documents')
    .select(['id', 'text', 'title', 'url', 'outlet', 'published', 'language', 'origin'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

export async function nearDuplicates(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 500) {
    for (const r of await db
      .selectFrom('document_signatures')
      .select(['document_id', 'near_duplicate_of'])
      .where('document_id', 'in', unique.slice(i, i + 500))
      .where('near_duplicate_of', 'is not', null)
      .execute())
      out.set(r.document_id, r.near_duplicate_of as string);
  }
  return out;
}

export async function citedDocuments(db: Kysely<Database>, incidentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('incident_sources')
    .select('document_id')
    .where('incident_id', '=', incidentId)
    .union(db.selectFrom('evidence').select('document_id').where('incident_id', '=', incidentId))
    .execute();
  return rows.map((r) => r.document_id).sort();
}
