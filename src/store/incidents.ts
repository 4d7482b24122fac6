import { type Kysely, sql } from 'kysely';
import type { Incident } from '../resolve/index.js';
import { audienceTokens } from '../tlp/index.js';
import { changed, incidentAudience, refreshIncidentAudience } from './audience.js';
import { decisionsInForce, idsCountingAs, withDecisions } from './group-decisions.js';
import { incidentToRows, rowsToIncident } from './incident-rows.js';
import type { Database, EvidenceRow, IncidentGroupRow, IncidentRow } from './schema.js';
import { countStored, indexIncident, type SearchDatabase, searchColumns, storeKindOf } from './search.js';

export interface IncidentQuery {
  /** At most this many incidents (all by default). */
  readonly limit?: number;
  /** ISO 3166-1 alpha-2. */
  readonly country?: string;
  /** Knowledge-base group id; incidents of discovered groups merged into it count too. */
  readonly group?: string;
  /** Incidents dated on or after this ISO date. */
  readonly since?: string;
  /** Incidents dated on or before this ISO date. */
  readonly until?: string;
}

/** Keeps every statement well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

/** Inserts an incident unless one with its id exists, then links it to `documentId` and its other sources. */
export async function insertIncident(
  db: Kysely<Database>,
  incident: Incident,
  documentId: string,
  createdAt: string,
): Promise<void> {
  const linked = [...new Set([...incident.sources, documentId])];
  const cited = [...new Set([...linked, ...incident.evidence.map((e) => e.documentId)])];
  // The documents cited, for the incident's audience and the TAXII first-appearance keys.
  const documents = new Map<string, { outlet: string | null; audience: string | null }>();
  for (const ids of chunks(cited)) {
    for (const d of await db
      .selectFrom('documents')
      .select(['id', 'outlet', 'audience'])
      .where('id', 'in', ids)
      .execute())
      documents.set(d.id, d);
  }
  const { audience, mixed } = incidentAudience(cited.map((id) => documents.get(id)?.audience ?? null));
  const rows = incidentToRows(incident, createdAt);
  const result = await db
    .insertInto('incidents')
    .values({ ...rows.incident, audience, mixed: mixed ? 1 : 0 })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  // An incident already stored (an import of the same incident) keeps its data and gains sources.
  const inserted = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  await changed(db, 'incidents', ...(inserted && mixed ? (['mixed'] as const) : []));
  if (inserted) {
    for (const chunk of chunks(rows.groups)) await db.insertInto('incident_groups').values(chunk).execute();
    // A group's incidents in date order (migration 0017_query_indexes).
    for (const chunk of chunks(rows.groups))
      await (db as unknown as Kysely<SearchDatabase>)
        .insertInto('incident_group_dates')
        .values(
          chunk.map((g) => ({ incident_id: g.incident_id, group_id: g.group_id, date: rows.incident.date })),
        )
        .execute();
    for (const chunk of chunks(rows.evidence)) await db.insertInto('evidence').values(chunk).execute();
  }
  // A new incident has no sources yet (they reference it): all of them in one statement, numbered in
  // order, as the statement per source below would number them.
  if (inserted) {
    for (let i = 0; i < linked.length; i += CHUNK)
      await db
        .insertInto('incident_sources')
        .values(
          linked
            .slice(i, i + CHUNK)
            .map((sourceId, n) => ({ incident_id: incident.id, document_id: sourceId, position: i + n })),
        )
        .execute();
  } else {
    for (const sourceId of linked) {
      await db
        .insertInto('incident_sources')
        .values({
          incident_id: incident.id,
          document_id: sourceId,
          position: sql<number>`(select coalesce(max(position) + 1, 0) from incident_sources where incident_id = ${incident.id})`,
        })
        .onConflict((oc) => oc.columns(['incident_id', 'document_id']).doNothing())
        .execute();
    }
  }
  // The search text and the TAXII first-appearance keys (migration 0014_search): all of them for a
  // new incident; for one stored before, the keys of the documents linked now.
  const appearing = (inserted ? cited : linked).map((id) => ({
    id,
    outlet: documents.get(id)?.outlet ?? null,
  }));
  if (inserted) {
    await countStored(db, storeKindOf(db));
    await indexIncident(
      db,
      incident.id,
      createdAt,
      {
        country: incident.country,
        city: incident.city,
        targetTypes: incident.targetTypes,
        groupIds: incident.perpetratorGroups.map((g) => g.groupId),
        documents: appearing,
      },
      {
        columns: searchColumns(
          incident.targetText,
          incident.perpetratorText,
          incident.evidence.map((e) => e.sentence),
        ),
        tokens: audienceTokens(audience, mixed),
      },
    );
  } else {
    const stored = await db
      .selectFrom('incidents')
      .select('created_at')
      .where('id', '=', incident.id)
      .executeTakeFirst();
    if (stored !== undefined) {
      await indexIncident(
        db,
        incident.id,
        stored.created_at,
        { country: null, city: null, targetTypes: [], groupIds: [], documents: appearing },
        null,
      );
      // Its documents now may be of another audience than before.
      await refreshIncidentAudience(db, storeKindOf(db), incident.id);
    }
  }
}

/** Incidents, newest first (undated last), then by id. */
export async function listIncidents(db: Kysely<Database>, query: IncidentQuery = {}): Promise<Incident[]> {
  let select = db.selectFrom('incidents').selectAll();
  if (query.country !== undefined) select = select.where('country', '=', query.country.toUpperCase());
  if (query.group !== undefined) {
    const ids = await idsCountingAs(db, query.group);
    select = select.where('id', 'in', (eb) =>
      eb.selectFrom('incident_groups').select('incident_id').where('group_id', 'in', ids),
    );
  }
  if (query.since !== undefined) select = select.where('date', '>=', query.since);
  if (query.until !== undefined) select = select.where('date', '<=', query.until);
  select = select.orderBy('date', (ob) => ob.desc().nullsLast()).orderBy('id');
  if (query.limit !== undefined) select = select.limit(query.limit);
  return hydrate(db, await select.execute());
}

export async function loadIncident(db: Kysely<Database>, id: string): Promise<Incident | null> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : ((await hydrate(db, [row]))[0] ?? null);
}

/** `[id]` when an incident has exactly this id, else up to `max` ids starting with `prefix`. */
export async function matchIncidentIds(db: Kysely<Database>, prefix: string, max: number): Promise<string[]> {
  const exact = await db.selectFrom('incidents').select('id').where('id', '=', prefix).executeTakeFirst();
  if (exact !== undefined) return [exact.id];
  if (max === 0) return [];
  // substr rather than LIKE: no wildcards to escape, and case-sensitive in both databases.
  const rows = await db
    .selectFrom('incidents')
    .select('id')
    .where(sql<string>`substr(id, 1, ${sql.lit(prefix.length)})`, '=', prefix)
    .orderBy('id')
    .limit(max)
    .execute();
  return rows.map((r) => r.id);
}

/** Incident rows with their groups, evidence and sources, as the analysts' decisions say (unless
 * `decided` is false: as stored). */
export async function hydrate(
  db: Kysely<Database>,
  rows: readonly Omit<IncidentRow, 'audience' | 'mixed'>[],
  decided = true,
): Promise<Incident[]> {
  const groups = new Map<string, IncidentGroupRow[]>();
  const evidence = new Map<string, EvidenceRow[]>();
  const sources = new Map<string, string[]>();
  for (const ids of chunks(rows.map((r) => r.id))) {
    const [groupRows, evidenceRows, sourceRows] = await Promise.all([
      db
        .selectFrom('incident_groups')
        .selectAll()
        .where('incident_id', 'in', ids)
        .orderBy('incident_id')
        .orderBy('position')
        .execute(),
      db.selectFrom('evidence').selectAll().where('incident_id', 'in', ids).orderBy('id').execute(),
      db
        .selectFrom('incident_sources')
        .select(['incident_id', 'document_id'])
        .where('incident_id', 'in', ids)
        .orderBy('incident_id')
        .orderBy('position')
        .orderBy('document_id')
        .execute(),
    ]);
    for (const g of groupRows) push(groups, g.incident_id, g);
    for (const e of evidenceRows) push(evidence, e.incident_id, e);
    for (const s of sourceRows) push(sources, s.incident_id, s.document_id);
  }
  const decisions = decided ? await decisionsInForce(db) : new Map();
  return rows.map((incident) =>
    withDecisions(
      rowsToIncident({
        incident,
        groups: groups.get(incident.id) ?? [],
        evidence: evidence.get(incident.id) ?? [],
        sources: sources.get(incident.id) ?? [],
      }),
      decisions,
    ),
  );
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
