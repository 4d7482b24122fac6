import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';
import { type Audience, audienceOf, type Marking, type MarkingLevel } from '../tlp/index.js';
import type { AccessDatabase } from './access-schema.js';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';
import { reindexSearch } from './search.js';

/* Audiences (src/tlp/audience.ts) as the store keeps them: `documents.audience` from a document's
 * markings, written with the document (its markings are written first, so it is never readable
 * unmarked); `incidents.audience` and `incidents.mixed` from the documents an incident cites, written
 * with the incident. Reads of a caller's incidents take the incidents of one audience from SQL and
 * leave mixed ones to src/access/views.ts; full-text search carries the audience as tokens
 * (`audienceTokens`), so that a search never finds what the caller may not see. */

const CHUNK = 500;

/** The markings of documents, by document id (documents without markings are missing: CLEAR). */
export async function readMarkings(
  database: Kysely<Database>,
  documentIds: readonly string[],
): Promise<Map<string, Marking[]>> {
  const db = database as unknown as Kysely<AccessDatabase>;
  const result = new Map<string, Marking[]>();
  const ids = [...new Set(documentIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('document_markings')
      .selectAll()
      .where('document_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('id')
      .execute();
    const recipients = new Map<string, string[]>();
    const red = rows.filter((r) => r.tlp === 'red').map((r) => r.id);
    for (let j = 0; j < red.length; j += CHUNK) {
      for (const r of await db
        .selectFrom('marking_recipients')
        .selectAll()
        .where('marking_id', 'in', red.slice(j, j + CHUNK))
        .orderBy('user_id')
        .execute())
        push(recipients, r.marking_id, r.user_id);
    }
    for (const r of rows) {
      push(result, r.document_id, {
        id: r.id,
        documentId: r.document_id,
        tlp: r.tlp as MarkingLevel,
        org: r.org,
        recipients: recipients.get(r.id) ?? [],
      });
    }
  }
  return result;
}

/** Each document's audience, from its markings as stored now. */
export async function audiencesFromMarkings(
  db: Kysely<Database>,
  documentIds: readonly string[],
): Promise<Map<string, Audience>> {
  const markings = await readMarkings(db, documentIds);
  return new Map(documentIds.map((id) => [id, audienceOf(markings.get(id) ?? [])]));
}

/** The audience of an incident citing documents of these audiences: theirs if they share one, else
 * mixed. */
export function incidentAudience(audiences: Iterable<Audience>): { audience: Audience; mixed: boolean } {
  let first: Audience | undefined;
  for (const a of audiences) {
    if (first === undefined) first = a;
    else if (a !== first) return { audience: null, mixed: true };
  }
  return { audience: first ?? null, mixed: false };
}

/** Writes the audiences of documents from their markings, then of every incident citing them (and
 * their search tokens). For a store written before audiences, and after a document's marking was
 * raised. */
export async function refreshAudiences(
  db: Kysely<Database>,
  kind: StoreKind,
  documentIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(documentIds)];
  const audiences = await audiencesFromMarkings(db, ids);
  for (const [id, audience] of audiences)
    await db.updateTable('documents').set({ audience }).where('id', '=', id).execute();
  const incidents = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    for (const r of await db
      .selectFrom('incident_sources')
      .select('incident_id')
      .where('document_id', 'in', chunk)
      .union(db.selectFrom('evidence').select('incident_id').where('document_id', 'in', chunk))
      .execute())
      incidents.add(r.incident_id);
  }
  for (const id of incidents) await refreshIncidentAudience(db, kind, id);
}

/** One re-clustering at a time on PostgreSQL, until the transaction ends (see `recluster`). */
export async function lockResolution(db: Kysely<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('vigil-resolve'))`.execute(db);
}

/** Counters of changes, in server_state: readers keep what they made of the store until one moves
 * (src/access/reader.ts: what views are made of; the dashboard: analyses per clearance). */
export const CHANGES = {
  /** An incident stored, rewritten or removed, or a group decision taken or undone. */
  incidents: 'incident-changes',
  /** The same of a mixed incident, or a change of audience. */
  mixed: 'mixed-changes',
} as const;

export async function changed(db: Kysely<Database>, ...what: (keyof typeof CHANGES)[]): Promise<void> {
  // Every writer bumps these rows, and re-clustering holds the resolution lock: a transaction that
  // bumped one first and asked for the lock after would deadlock with one doing it the other way round.
  // So the rows are written only under the lock (re-entrant: re-clustering takes it again for free).
  if (db.getExecutor().adapter instanceof PostgresAdapter) await lockResolution(db);
  await (db as unknown as Kysely<AccessDatabase>)
    .updateTable('server_state')
    .set((eb) => ({ value: sql<string>`cast(cast(${eb.ref('value')} as integer) + 1 as text)` }))
    .where(
      'name',
      'in',
      what.map((w) => CHANGES[w]),
    )
    .execute();
}

/** The counters (see `changed`). */
export async function changes(db: Kysely<Database>): Promise<Record<keyof typeof CHANGES, string>> {
  const rows = await (db as unknown as Kysely<AccessDatabase>)
    .selectFrom('server_state')
    .select(['name', 'value'])
    .where('name', 'in', Object.values(CHANGES))
    .execute();
  const of = (name: string) => rows.find((r) => r.name === name)?.value ?? '0';
  return { incidents: of(CHANGES.incidents), mixed: of(CHANGES.mixed) };
}

/** Writes an incident's audience from the documents it cites now, and its search tokens. */
export async function refreshIncidentAudience(
  db: Kysely<Database>,
  kind: StoreKind,
  incidentId: string,
): Promise<void> {
  const cited = await db
    .selectFrom('documents')
    .select('audience')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('incident_sources')
        .select('document_id')
        .where('incident_id', '=', incidentId)
        .union(eb.selectFrom('evidence').select('document_id').where('incident_id', '=', incidentId)),
    )
    .execute();
  const { audience, mixed } = incidentAudience(cited.map((d) => d.audience));
  await db
    .updateTable('incidents')
    .set({ audience, mixed: mixed ? 1 : 0 })
    .where('id', '=', incidentId)
    .execute();
  await reindexSearch(db, kind, [incidentId]);
  await changed(db, 'incidents', 'mixed');
}

/** Migration 0022_audiences: the audiences of documents and incidents, and the server's secrets
 * and counters (the key that seals cursors, src/access/cursor.ts; the changes to mixed incidents). Stores written before have audiences only
 * where documents were marked: those, and the incidents citing them, are computed here. */
export function audienceMigration(kind: StoreKind): Migration {
  return {
    async up(database: Kysely<unknown>) {
      const db = database as unknown as Kysely<Database>;
      await sql`alter table documents add column audience text`.execute(db);
      await sql`alter table incidents add column audience text`.execute(db);
      await sql`alter table incidents add column mixed integer not null default 0`.execute(db);
      // Mixed incidents are read apart from the rest on every caller's request: few, found at once.
      await sql`create index incidents_mixed_idx on incidents (created_at, id) where mixed = 1`.execute(db);
      // What the overview counts by (src/store/overview.ts): the restricted audiences present, a
      // marked document's audience. Partial: most incidents and documents are CLEAR, and a write
      // should not pay for them. Never an index led by `mixed`: SQLite would read every incident of
      // one audience through it, then sort them, instead of walking a list's order.
      await sql`create index incidents_audience_idx on incidents (audience) where audience is not null`.execute(
        db,
      );
      await sql`create index documents_audience_idx on documents (audience) where audience is not null`.execute(
        db,
      );
      await sql`create table server_state (name text primary key, value text not null)`.execute(db);
      for (const name of Object.values(CHANGES))
        await sql`insert into server_state (name, value) values (${name}, '0')`.execute(db);
      if (kind === 'postgres') {
        // Search narrows by incident_search only (its lexemes by audience): these indexes let the
        // planner start from every evidence sentence, a caller's hidden ones too (its time followed
        // them), and nothing reads them otherwise.
        await sql`drop index if exists evidence_sentence_fts`.execute(db);
        await sql`drop index if exists incidents_text_fts`.execute(db);
      }
      const marked = await sql<{ id: string }>`select distinct document_id as id from document_markings
        where document_id in (select id from documents)`.execute(db);
      await refreshAudiences(
        db,
        kind,
        marked.rows.map((r) => r.id),
      );
    },
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
