import { type Kysely, sql } from 'kysely';
import { loadGroups } from '../knowledge/groups.js';
import {
  type ClusterConstraints,
  canonicalOrder,
  clusterReports,
  type Incident,
  lshBands,
  mergeReports,
  minhashSignature,
  NEAR_DUPLICATE_SIMILARITY,
  type Report,
  type ReportCluster,
  similarity,
} from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { StoreError } from './errors.js';
import { insertIncident } from './incidents.js';
import type { Database } from './schema.js';

/* Many reports, one incident. Each document's drafts are kept as reports; incidents are the clusters
 * of reports (src/resolve/cluster.ts), recomputed for the neighbourhood of every new report — the
 * reports of the same country within a few days, and the incidents they belong to — so that the
 * same articles in any order give the same incidents. */

/** Days around a new report within which stored reports are clustered again. */
const WINDOW_DAYS = 3;
const MONTH_DAYS = 31;

export interface NearDuplicate {
  readonly documentId: string;
  readonly similarity: number;
}

const shiftDays = (date: string, n: number) =>
  new Date(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** Stores a document's MinHash signature and bands, and returns the most similar stored document at
 * or above the near-duplicate threshold. */
export async function recordSignature(
  db: Kysely<Database>,
  documentId: string,
  text: string,
): Promise<NearDuplicate | null> {
  const signature = minhashSignature(text);
  const bands = lshBands(signature);
  const candidates = await db
    .selectFrom('document_bands')
    .innerJoin('document_signatures', 'document_signatures.document_id', 'document_bands.document_id')
    .select(['document_signatures.document_id', 'document_signatures.signature'])
    .distinct()
    .where('document_bands.band', 'in', bands)
    .where('document_bands.document_id', '<>', documentId)
    .execute();
  let best: NearDuplicate | null = null;
  for (const c of candidates) {
    const s = similarity(signature, JSON.parse(c.signature) as number[]);
    if (s < NEAR_DUPLICATE_SIMILARITY) continue;
    if (!best || s > best.similarity || (s === best.similarity && c.document_id < best.documentId)) {
      best = { documentId: c.document_id, similarity: s };
    }
  }
  await db
    .insertInto('document_signatures')
    .values({
      document_id: documentId,
      signature: JSON.stringify(signature),
      near_duplicate_of: best?.documentId ?? null,
      similarity: best?.similarity ?? null,
    })
    .onConflict((oc) => oc.column('document_id').doNothing())
    .execute();
  await db
    .insertInto('document_bands')
    .values(bands.map((band) => ({ band, document_id: documentId })))
    .onConflict((oc) => oc.columns(['band', 'document_id']).doNothing())
    .execute();
  return best;
}

/** Keeps a document's drafts as reports, then clusters their neighbourhood again and rewrites the
 * incidents it holds. Returns the incident id of each draft, in order. */
export async function resolveReports(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  doc: Document,
  drafts: readonly Incident[],
  now: string,
): Promise<string[]> {
  if (drafts.length === 0) return [];
  const published = doc.published?.slice(0, 10) ?? null;
  await db
    .insertInto('reports')
    .values(
      drafts.map((incident, ordinal) => ({
        id: incident.id,
        document_id: doc.id,
        ordinal,
        published,
        country: incident.country,
        day: incident.date?.date ?? null,
        record: JSON.stringify(incident),
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return recluster(
    db,
    kind,
    drafts,
    now,
    drafts.map((d) => d.id),
  );
}

/** Clusters the neighbourhood of `seeds` again and rewrites its incidents; returns the incident of each
 * report id asked for. */
async function recluster(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  seeds: readonly Incident[],
  now: string,
  asked: readonly string[],
): Promise<string[]> {
  // Two workers re-clustering overlapping neighbourhoods at once would each miss the other's report
  // and rewrite the same incidents (duplicate incident_reports rows). A lock per country no longer
  // covers a neighbourhood: reports that name no country belong to every country's (see
  // neighbourhood), so every re-clustering takes the one lock; extraction, the slow part, stays parallel.
  if (kind === 'postgres') await sql`select pg_advisory_xact_lock(hashtext('vigil-resolve'))`.execute(db);
  const reports = await neighbourhood(db, seeds);
  const constraints = await constraintsFor(db, reports);
  const clusters = clusterReports(reports, constraints);
  const owners = await db
    .selectFrom('incident_reports')
    .select(['incident_id', 'report_id'])
    .where(
      'report_id',
      'in',
      reports.map((r) => r.id),
    )
    .execute();
  const previous = new Map<string, Set<string>>();
  for (const o of owners)
    previous.set(o.incident_id, (previous.get(o.incident_id) ?? new Set()).add(o.report_id));
  // Only incidents whose reports changed are rewritten: most of a neighbourhood stays as it was.
  const sameMembers = (id: string, cluster: ReportCluster) => {
    const before = previous.get(id);
    return before?.size === cluster.members.length && cluster.members.every((m) => before.has(m.report.id));
  };
  const changed = clusters.filter((c) => !sameMembers(c.members[0]?.report.id ?? '', c));
  const kept = new Set(clusters.filter((c) => !changed.includes(c)).map((c) => c.members[0]?.report.id));
  const stale = [...previous.keys()].filter((id) => !kept.has(id));
  const created = stale.length
    ? await db.selectFrom('incidents').select(['id', 'created_at']).where('id', 'in', stale).execute()
    : [];
  const createdAt = new Map(created.map((c) => [c.id, c.created_at]));
  await deleteIncidents(db, stale);
  const incidentOf = new Map<string, string>();
  for (const cluster of clusters) {
    const first = cluster.members[0]?.report;
    if (!first) continue;
    for (const m of cluster.members) incidentOf.set(m.report.id, first.id);
    if (!changed.includes(cluster)) continue;
    const incident = mergeReports(cluster);
    await insertIncident(db, incident, first.documentId, createdAt.get(incident.id) ?? now);
    await db
      .insertInto('incident_reports')
      .values(
        cluster.members.map((m) => ({
          incident_id: incident.id,
          report_id: m.report.id,
          score: m.score,
          reasons: JSON.stringify(m.reasons),
        })),
      )
      .execute();
  }
  return asked.map((id) => incidentOf.get(id) ?? id);
}

async function deleteIncidents(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  for (const table of ['evidence', 'incident_groups', 'incident_sources', 'incident_reports'] as const) {
    await db.deleteFrom(table).where('incident_id', 'in', ids).execute();
  }
  await db.deleteFrom('incidents').where('id', 'in', ids).execute();
}

function toReport(row: {
  id: string;
  document_id: string;
  ordinal: number;
  published: string | null;
  record: string;
}): Report {
  return {
    id: row.id,
    documentId: row.document_id,
    ordinal: row.ordinal,
    published: row.published,
    incident: JSON.parse(row.record) as Incident,
  };
}

/** The new reports, the stored reports of their countries (or of none) dated near them, and every
 * report of the incidents those belong to. Undated reports are their own neighbourhood. */
async function neighbourhood(db: Kysely<Database>, drafts: readonly Incident[]): Promise<Report[]> {
  const ids = new Set(drafts.map((d) => d.id));
  for (const d of drafts) {
    if (d.date === null) continue;
    const span = d.date.precision === 'day' ? WINDOW_DAYS : MONTH_DAYS;
    const country = d.country;
    // Reports that name no country may be of any; one that names none may match any.
    const near = await db
      .selectFrom('reports')
      .select('id')
      .where((eb) =>
        country === null ? eb.lit(true) : eb.or([eb('country', '=', country), eb('country', 'is', null)]),
      )
      .where('day', '>=', shiftDays(d.date.date, -span))
      .where('day', '<=', shiftDays(d.date.date, span + (d.date.precision === 'month' ? MONTH_DAYS : 0)))
      .execute();
    for (const r of near) ids.add(r.id);
  }
  const partners = await db
    .selectFrom('report_decisions')
    .select(['report_a', 'report_b'])
    .where('undone_at', 'is', null)
    .where((eb) => eb.or([eb('report_a', 'in', [...ids]), eb('report_b', 'in', [...ids])]))
    .execute();
  for (const p of partners) ids.add(p.report_a).add(p.report_b);
  const siblings = await db
    .selectFrom('incident_reports as mine')
    .innerJoin('incident_reports as other', 'other.incident_id', 'mine.incident_id')
    .select('other.report_id')
    .where('mine.report_id', 'in', [...ids])
    .execute();
  for (const s of siblings) ids.add(s.report_id);
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'document_id', 'ordinal', 'published', 'record'])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map(toReport);
}

/** Reports of near-duplicate documents at the same position are one report told twice. */
async function constraintsFor(db: Kysely<Database>, reports: readonly Report[]): Promise<ClusterConstraints> {
  const documents = [...new Set(reports.map((r) => r.documentId))];
  const copies = await db
    .selectFrom('document_signatures')
    .select(['document_id', 'near_duplicate_of'])
    .where('document_id', 'in', documents)
    .where('near_duplicate_of', 'is not', null)
    .execute();
  const together: [string, string][] = [];
  for (const c of copies) {
    for (const r of reports.filter((x) => x.documentId === c.document_id)) {
      const twin = reports.find((x) => x.documentId === c.near_duplicate_of && x.ordinal === r.ordinal);
      if (twin) together.push([twin.id, r.id]);
    }
  }
  const ids = reports.map((r) => r.id);
  const decided = await db
    .selectFrom('report_decisions')
    .select(['kind', 'report_a', 'report_b'])
    .where('undone_at', 'is', null)
    .where((eb) => eb.or([eb('report_a', 'in', ids), eb('report_b', 'in', ids)]))
    .execute();
  const apart: [string, string][] = [];
  for (const d of decided) (d.kind === 'merge' ? together : apart).push([d.report_a, d.report_b]);
  return { together, apart, relatedGroups: kinship() };
}

let kin: ((a: string, b: string) => boolean) | undefined;

/** Groups tied in the knowledge base: one the parent of the other, related by offshoot, affiliate,
 * faction or successor, or branches of one parent. */
function kinship(): (a: string, b: string) => boolean {
  if (kin) return kin;
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  const parentOf = (id: string) => groups.get(id)?.parent ?? null;
  const tied = (a: string, b: string) =>
    parentOf(a) === b || (groups.get(a)?.relations ?? []).some((r) => r.group === b && r.type !== 'rival-of');
  kin = (a, b) => tied(a, b) || tied(b, a) || (parentOf(a) !== null && parentOf(a) === parentOf(b));
  return kin;
}

export interface IncidentDecisionRequest {
  readonly by: string;
  readonly reason: string;
}

/** Reports of an incident, canonical order first. */
async function reportsOf(db: Kysely<Database>, incidentId: string): Promise<Report[]> {
  const rows = await db
    .selectFrom('incident_reports')
    .innerJoin('reports', 'reports.id', 'incident_reports.report_id')
    .select(['reports.id', 'reports.document_id', 'reports.ordinal', 'reports.published', 'reports.record'])
    .where('incident_reports.incident_id', '=', incidentId)
    .execute();
  return rows.map(toReport).sort(canonicalOrder);
}

/** An analyst's merge: the two incidents are one from now on, whatever the scores say, on every
 * re-clustering. Returns the id of the merged incident. */
export async function mergeIncidents(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  location: string,
  ids: readonly [string, string],
  request: IncidentDecisionRequest,
  now: string,
): Promise<string> {
  const refuse = (message: string) => new StoreError('invalid_option', message, location);
  if (!request.by.trim() || !request.reason.trim()) throw refuse('a merge needs who decides it and why');
  const [a, b] = await Promise.all(ids.map((id) => reportsOf(db, id)));
  const [ra, rb] = [a?.[0], b?.[0]];
  if (!ra || !rb)
    throw refuse(`no reports behind ${!ra ? ids[0] : ids[1]} (stored before resolution, or imported)`);
  if (ids[0] === ids[1]) throw refuse('an incident cannot be merged with itself');
  await db
    .insertInto('report_decisions')
    .values({
      kind: 'merge',
      report_a: ra.id,
      report_b: rb.id,
      decided_by: request.by,
      reason: request.reason,
      decided_at: now,
    })
    .execute();
  const [merged] = await recluster(db, kind, [ra.incident, rb.incident], now, [ra.id]);
  return merged ?? ids[0];
}

/** An analyst's split: one document's report leaves the incident and stays apart from its other
 * reports on every re-clustering. Returns the incident ids of the two parts. */
export async function splitIncident(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  location: string,
  incidentId: string,
  documentId: string,
  request: IncidentDecisionRequest,
  now: string,
): Promise<[string, string]> {
  const refuse = (message: string) => new StoreError('invalid_option', message, location);
  if (!request.by.trim() || !request.reason.trim()) throw refuse('a split needs who decides it and why');
  const reports = await reportsOf(db, incidentId);
  const leaving = reports.filter((r) => r.documentId === documentId);
  const staying = reports.filter((r) => r.documentId !== documentId);
  if (leaving.length === 0) throw refuse(`document ${documentId} is not a source of incident ${incidentId}`);
  if (staying.length === 0) throw refuse(`incident ${incidentId} has no other source to split from`);
  for (const l of leaving) {
    for (const s of staying) {
      await db
        .insertInto('report_decisions')
        .values({
          kind: 'split',
          report_a: l.id,
          report_b: s.id,
          decided_by: request.by,
          reason: request.reason,
          decided_at: now,
        })
        .execute();
    }
  }
  const [left, stayed] = await recluster(
    db,
    kind,
    reports.map((r) => r.incident),
    now,
    [leaving[0]?.id ?? '', staying[0]?.id ?? ''],
  );
  return [stayed ?? incidentId, left ?? incidentId];
}

export interface IncidentReport {
  readonly reportId: string;
  readonly documentId: string;
  readonly published: string | null;
  readonly outlet: string | null;
  readonly title: string | null;
  readonly url: string | null;
  /** The document this one copies, when it is a near-duplicate (wire copy). */
  readonly copyOf: string | null;
  readonly score: number | null;
  readonly reasons: readonly string[];
  /** What this report alone said. */
  readonly incident: Incident;
}

/** The reports an incident was merged from, in canonical order: for each source what it said (the
 * figures over time) and why it was merged. */
export async function incidentReports(db: Kysely<Database>, incidentId: string): Promise<IncidentReport[]> {
  const rows = await db
    .selectFrom('incident_reports')
    .innerJoin('reports', 'reports.id', 'incident_reports.report_id')
    .innerJoin('documents', 'documents.id', 'reports.document_id')
    .leftJoin('document_signatures', 'document_signatures.document_id', 'reports.document_id')
    .select([
      'reports.id',
      'reports.document_id',
      'reports.ordinal',
      'reports.published',
      'reports.record',
      'documents.outlet',
      'documents.title',
      'documents.url',
      'document_signatures.near_duplicate_of',
      'incident_reports.score',
      'incident_reports.reasons',
    ])
    .where('incident_reports.incident_id', '=', incidentId)
    .execute();
  return rows
    .map((r) => ({ row: r, report: toReport(r) }))
    .sort((a, b) => canonicalOrder(a.report, b.report))
    .map(({ row, report }) => ({
      reportId: report.id,
      documentId: report.documentId,
      published: report.published,
      outlet: row.outlet,
      title: row.title,
      url: row.url,
      copyOf: row.near_duplicate_of,
      score: row.score,
      reasons: JSON.parse(row.reasons) as string[],
      incident: report.incident,
    }));
}
