import type { Kysely } from 'kysely';
import type { Incident } from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { audiencesFromMarkings } from './audience.js';
import { documentRow } from './documents.js';
import { insertIncident } from './incidents.js';
import type { Database } from './schema.js';

export interface ImportResult {
  /** Incidents that were not stored before, in the order given. */
  readonly stored: readonly string[];
  /** Incidents already stored, left as they were (their new sources are linked). */
  readonly known: readonly string[];
}

/**
 * Stores incidents read from elsewhere (a STIX bundle) with the documents they cite, in one
 * transaction. A document or incident already stored is kept as it is, so importing the same
 * thing twice stores it once. Every document an incident cites must be stored or given.
 */
export async function saveImported(
  db: Kysely<Database>,
  documents: readonly Document[],
  incidents: readonly Incident[],
): Promise<ImportResult> {
  return db.transaction().execute(async (trx) => {
    const now = new Date().toISOString();
    const audiences = await audiencesFromMarkings(
      trx,
      documents.map((d) => d.id),
    );
    for (const doc of [...documents].sort((a, b) => compare(a.id, b.id))) {
      await trx
        .insertInto('documents')
        .values(documentRow(doc, now, audiences.get(doc.id) ?? null))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
    const stored: string[] = [];
    const known: string[] = [];
    for (const incident of [...incidents].sort((a, b) => compare(a.id, b.id))) {
      const first = incident.sources[0] ?? incident.evidence[0]?.documentId;
      if (first === undefined) throw new Error(`incident ${incident.id} cites no document`);
      const exists = await trx
        .selectFrom('incidents')
        .select('id')
        .where('id', '=', incident.id)
        .executeTakeFirst();
      await insertIncident(trx, incident, first, now);
      (exists === undefined ? stored : known).push(incident.id);
    }
    const order = new Map(incidents.map((i, n) => [i.id, n]));
    const byInput = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    return { stored: stored.sort(byInput), known: known.sort(byInput) };
  });
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
