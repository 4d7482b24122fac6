import { type Insertable, type Kysely, sql } from 'kysely';
import { loadGroups } from '../knowledge/groups.js';
import { freshScoring, type PairScoring, scoreNumber } from '../resolve/cluster.js';
import {
  APPROXIMATE_DAYS,
  type ClusterConstraints,
  canonicalOrder,
  clusterReports,
  countriesWithTown,
  type Incident,
  lshBands,
  type MatchScore,
  mergeReports,
  minhashSignature,
  NEAR_DUPLICATE_SIMILARITY,
  type Report,
  type ReportCluster,
  similarity,
} from '../resolve/index.js';
import type { Document } from '../sources/index.js';
import { changed, lockResolution } from './audience.js';
import { StoreError } from './errors.js';
import { insertIncident } from './incidents.js';
import type { Database, IncidentReportTable } from './schema.js';

/* Many reports, one incident. Each document's drafts are kept as reports; incidents are the clusters
 * of reports (src/resolve/cluster.ts), recomputed for the neighbourhood of every new report — the
 * reports of the same country within a few days, and the incidents they belong to — so that the
 * same articles in any order give the same incidents. */

/** Days around a new report within which stored reports are clustered again. */
const WINDOW_DAYS = 3;
/* An undated report (dated by its publication, approximate) may be up to APPROXIMATE_DAYS after the
 * attack: a dated report's neighbourhood reaches that far after its day, an undated one's that far
 * before its publication. */
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
  kind: 'sqlite' | 'postgres' = 'sqlite',
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
  const signatureRow = {
    document_id: documentId,
    signature: JSON.stringify(signature),
    near_duplicate_of: best?.documentId ?? null,
    similarity: best?.similarity ?? null,
  };
  const bandRows = bands.map((band) => ({ band, document_id: documentId }));
  if (kind === 'postgres') {
    // One round trip for both (a data-modifying WITH runs whether or not it is read).
    await db
      .with('signature', (w) =>
        w
          .insertInto('document_signatures')
          .values(signatureRow)
          .onConflict((oc) => oc.column('document_id').doNothing()),
      )
      .insertInto('document_bands')
      .values(bandRows)
      .onConflict((oc) => oc.columns(['band', 'document_id']).doNothing())
      .execute();
    return best;
  }
  await db
    .insertInto('document_signatures')
    .values(signatureRow)
    .onConflict((oc) => oc.column('document_id').doNothing())
    .execute();
  await db
    .insertInto('document_bands')
    .values(bandRows)
    .onConflict((oc) => oc.columns(['band', 'document_id']).doNothing())
    .execute();
  return best;
}

/** A stored report as clustering knows it, with the pair scores computed with it so far. */
interface CachedReport {
  readonly report: Report;
  /** Numbers the entry: a report loaded again after eviction is a new entry with new scores. */
  readonly serial: number;
  /** The document its document copies (near-duplicate), null for none; undefined until known. */
  copyOf: string | null | undefined;
  /** What `scoreMatch` gave with this report as the candidate, by the member's serial. */
  scores: PairRow | null;
}

/** Pair scores kept at most (about 40 bytes each, and the reasons of those that are not vetoes);
 * past that every report's scores start over. */
const MAX_PAIRS = 1 << 18;

/** One candidate's scores by the member's serial: an open-addressing table on typed arrays, the
 * scores as numbers beside the verdicts. Clustering looks pairs up millions of times, one candidate
 * against every member in turn, so a candidate's scores lie together (one Map of verdicts for all
 * pairs cost over 100 ns a lookup). */
class PairRow {
  #mask = 0;
  #members = new Int32Array(0);
  #numbers = new Float64Array(0);
  #verdicts: (MatchScore | undefined)[] = [];
  size = 0;

  constructor(readonly generation: number) {
    this.#allocate(16);
  }

  #allocate(slots: number): void {
    this.#mask = slots - 1;
    this.#members = new Int32Array(slots).fill(-1);
    this.#numbers = new Float64Array(slots);
    this.#verdicts = new Array<MatchScore | undefined>(slots).fill(undefined);
    this.size = 0;
  }

  /** The slot of a member, or of the empty slot where it would go. */
  slot(member: number): number {
    const h = Math.imul(member, 0x9e3779b1);
    const members = this.#members;
    const mask = this.#mask;
    let i = (h ^ (h >>> 16)) & mask;
    while (members[i] !== -1 && members[i] !== member) i = (i + 1) & mask;
    return i;
  }

  has(slot: number): boolean {
    return this.#members[slot] !== -1;
  }

  number(slot: number): number {
    return this.#numbers[slot] as number;
  }

  verdict(slot: number): MatchScore | undefined {
    return this.#verdicts[slot];
  }

  /** Keeps a verdict: its number always, the verdict itself only when it is not a veto (clustering
   * asks for the reasons of the pair an incident was joined on, never of a veto). */
  set(member: number, verdict: MatchScore): void {
    this.#put(member, scoreNumber(verdict), verdict.veto === null ? verdict : undefined);
  }

  #put(member: number, number: number, verdict: MatchScore | undefined): void {
    if (2 * (this.size + 1) > this.#mask + 1) {
      const [members, numbers, verdicts] = [this.#members, this.#numbers, this.#verdicts];
      this.#allocate(2 * (this.#mask + 1));
      for (let i = 0; i < members.length; i++)
        if (members[i] !== -1) this.#put(members[i] as number, numbers[i] as number, verdicts[i]);
    }
    const i = this.slot(member);
    if (this.#members[i] === -1) {
      this.size++;
      this.#members[i] = member;
    }
    this.#numbers[i] = number;
    this.#verdicts[i] = verdict;
  }
}

/** Reports stay in memory between re-clusterings, at most this many (least recently used go); the
 * largest MUC-4 neighbourhood holds about 500. */
const CACHED_REPORTS = 2048;

/**
 * Reports and their pair scores kept between re-clusterings of one store. Every new report clusters
 * its neighbourhood again, so the same reports were read, parsed and scored against each other on
 * every document (five million scores for 2,000 MUC-4 articles, a hundred thousand distinct). A
 * report row never changes once written (its id is its document's and position's, its document is
 * its text's), nor does a document's signature, so what is kept stays true; scores depend only on
 * the two reports and the knowledge base's kinship, fixed for the process. Entries of a transaction
 * that did not commit are dropped (`forget`).
 */
export class ReportCache {
  readonly #entries = new Map<string, CachedReport>();
  readonly #byReport = new WeakMap<Report, CachedReport>();
  #serial = 0;
  /** Pair scores kept, and the generation they belong to: past `maxPairs` a new one starts. */
  #pairs = 0;
  #generation = 0;

  /** At most `capacity` reports and about `maxPairs` pair scores are kept (tests make them small). */
  constructor(
    readonly capacity = CACHED_REPORTS,
    readonly maxPairs = MAX_PAIRS,
  ) {}

  /** The entry of a report id, now the most recently used. */
  get(id: string): CachedReport | undefined {
    const entry = this.#entries.get(id);
    if (entry !== undefined) {
      this.#entries.delete(id);
      this.#entries.set(id, entry);
    }
    return entry;
  }

  put(report: Report, copyOf: string | null | undefined): CachedReport {
    const entry: CachedReport = { report, serial: this.#serial++, copyOf, scores: null };
    this.#entries.delete(report.id);
    this.#entries.set(report.id, entry);
    this.#byReport.set(report, entry);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  /** The entry a report object of this cache came from (evicted since or not). */
  entryOf(report: Report): CachedReport | undefined {
    return this.#byReport.get(report);
  }

  forget(ids: readonly string[]): void {
    for (const id of ids) this.#entries.delete(id);
  }

  /** The scores of an entry as the candidate, empty when they belong to an earlier generation. */
  #row(entry: CachedReport): PairRow {
    if (entry.scores === null || entry.scores.generation !== this.#generation)
      entry.scores = new PairRow(this.#generation);
    return entry.scores;
  }

  /** `scoreMatch` of two reports as clustering sees them, each pair of cached reports computed once. */
  scoring(related: (a: string, b: string) => boolean): PairScoring {
    const fresh = freshScoring(related);
    return (reports) => {
      const compute = fresh(reports);
      const entries = reports.map((r) => this.#byReport.get(r));
      const serials = Int32Array.from(entries, (e) => e?.serial ?? -1);
      const rows = entries.map((e) => (e === undefined ? null : this.#row(e)));
      const match = (member: number, candidate: number): MatchScore => {
        const a = serials[member] as number;
        let row = rows[candidate];
        if (a < 0 || !row) return compute.match(member, candidate);
        const verdict = row.verdict(row.slot(a));
        if (verdict !== undefined) return verdict;
        const computed = compute.match(member, candidate);
        if (++this.#pairs > this.maxPairs) {
          // Full: every kept score goes (rows of this call start afresh too).
          this.#pairs = 1;
          this.#generation++;
          for (const [i, e] of entries.entries()) rows[i] = e === undefined ? null : this.#row(e);
          row = rows[candidate] as PairRow;
        }
        row.set(a, computed);
        return computed;
      };
      return {
        match,
        score(member, candidate) {
          const row = rows[candidate];
          const a = serials[member] as number;
          if (row && a >= 0) {
            const slot = row.slot(a);
            if (row.has(slot)) return row.number(slot);
          }
          return scoreNumber(match(member, candidate));
        },
      };
    };
  }
}

const caches = new WeakMap<object, ReportCache>();

/** The cache of the store whose (root) Kysely instance this is, made by `create` on first use. */
export function reportCacheOf(db: Kysely<Database>, create = () => new ReportCache()): ReportCache {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = create();
    caches.set(db, cache);
  }
  return cache;
}

/** Keeps a document's drafts as reports, then clusters their neighbourhood again and rewrites the
 * incidents it holds. Returns the incident id of each draft, in order. `copyOf` is what
 * `recordSignature` found for the document (undefined when it was not asked). */
export async function resolveReports(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  doc: Document,
  drafts: readonly Incident[],
  now: string,
  cache: ReportCache = new ReportCache(),
  copyOf?: string | null,
  /** Reports whose incidents were just undone (see redateReports): their neighbourhood too. */
  formerly: readonly Incident[] = [],
): Promise<string[]> {
  if (drafts.length === 0 && formerly.length === 0) return [];
  const published = doc.published?.slice(0, 10) ?? null;
  const rows = drafts.map((incident, ordinal) => ({
    id: incident.id,
    document_id: doc.id,
    ordinal,
    published,
    country: incident.country,
    day: incident.date?.date ?? null,
    record: JSON.stringify(incident),
  }));
  if (rows.length > 0) {
    const inserted = await db
      .insertInto('reports')
      .values(rows)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    // Written now, so read as written (a report stored before keeps its own record: read it back).
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === rows.length) {
      for (const row of rows) cache.put(toReport(row), copyOf);
    } else cache.forget(rows.map((r) => r.id));
  }
  return recluster(
    db,
    kind,
    [...drafts, ...formerly],
    now,
    drafts.map((d) => d.id),
    cache,
  );
}

/**
 * A stored document met again with an earlier publication date (the same text republished): it
 * takes the earlier date, so that the incidents do not depend on which copy came first. Its reports
 * are replaced by `drafts` (extracted with that date: "on Monday" moves with it), the incidents its
 * old reports were in are undone, and their reports clustered again with the new ones.
 */
export async function redateReports(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  doc: Document,
  drafts: readonly Incident[],
  now: string,
  cache: ReportCache,
): Promise<string[]> {
  const old = await db.selectFrom('reports').select('id').where('document_id', '=', doc.id).execute();
  const oldIds = old.map((r) => r.id);
  const touched =
    oldIds.length === 0
      ? []
      : (
          await db
            .selectFrom('incident_reports')
            .select('incident_id')
            .distinct()
            .where('report_id', 'in', oldIds)
            .execute()
        ).map((r) => r.incident_id);
  // Every report of those incidents seeds the re-clustering: a member may lie outside the window of
  // the document's own reports.
  const formerly =
    touched.length === 0
      ? []
      : await db
          .selectFrom('incident_reports')
          .innerJoin('reports', 'reports.id', 'incident_reports.report_id')
          .select(['reports.id', 'reports.record'])
          .where('incident_reports.incident_id', 'in', touched)
          .execute();
  await deleteIncidents(db, kind, touched);
  await db.deleteFrom('reports').where('document_id', '=', doc.id).execute();
  cache.forget(oldIds);
  const others = formerly.filter((r) => !oldIds.includes(r.id));
  return resolveReports(
    db,
    kind,
    doc,
    drafts,
    now,
    cache,
    undefined,
    others.map((r) => JSON.parse(r.record) as Incident),
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
  cache: ReportCache = new ReportCache(),
): Promise<string[]> {
  // Two workers re-clustering overlapping neighbourhoods at once would each miss the other's report
  // and rewrite the same incidents (duplicate incident_reports rows). A lock per country no longer
  // covers a neighbourhood: reports that name no country belong to every country's (see
  // neighbourhood), so every re-clustering takes the one lock; extraction, the slow part, stays parallel.
  if (kind === 'postgres') await lockResolution(db);
  const { reports, owners, createdAt, decisions } = await neighbourhood(db, seeds, cache);
  const constraints = await constraintsFor(db, reports, decisions, cache);
  const clusters = clusterReports(reports, constraints, cache.scoring(kinship()));
  const previous = new Map<string, Set<string>>();
  for (const [reportId, incidentId] of owners)
    previous.set(incidentId, (previous.get(incidentId) ?? new Set()).add(reportId));
  // Only incidents whose reports changed are rewritten: most of a neighbourhood stays as it was.
  const sameMembers = (id: string, cluster: ReportCluster) => {
    const before = previous.get(id);
    return before?.size === cluster.members.length && cluster.members.every((m) => before.has(m.report.id));
  };
  const changed = new Set(clusters.filter((c) => !sameMembers(c.members[0]?.report.id ?? '', c)));
  const kept = new Set(clusters.filter((c) => !changed.has(c)).map((c) => c.members[0]?.report.id));
  const stale = [...previous.keys()].filter((id) => !kept.has(id));
  await deleteIncidents(db, kind, stale);
  const incidentOf = new Map<string, string>();
  const links: Insertable<IncidentReportTable>[] = [];
  for (const cluster of clusters) {
    const first = cluster.members[0]?.report;
    if (!first) continue;
    for (const m of cluster.members) incidentOf.set(m.report.id, first.id);
    if (!changed.has(cluster)) continue;
    const incident = mergeReports(cluster);
    await insertIncident(db, incident, first.documentId, createdAt.get(incident.id) ?? now);
    for (const m of cluster.members) {
      links.push({
        incident_id: incident.id,
        report_id: m.report.id,
        score: m.score,
        reasons: JSON.stringify(m.reasons),
      });
    }
  }
  // One statement for every changed incident's reports (none of them is linked now: each was
  // either new or unlinked with its stale incident above).
  for (let i = 0; i < links.length; i += LINKS_PER_STATEMENT)
    await db
      .insertInto('incident_reports')
      .values(links.slice(i, i + LINKS_PER_STATEMENT))
      .execute();
  return asked.map((id) => incidentOf.get(id) ?? id);
}

/** Rows per multi-row insert, well under SQLite's and PostgreSQL's bound-parameter limits. */
const LINKS_PER_STATEMENT = 1000;

/** Deletes incidents and their links to reports; their evidence, groups, sources and search entries
 * go with them (ON DELETE CASCADE, and on SQLite the search index's trigger). */
async function deleteIncidents(
  db: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  ids: readonly string[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const some = ids.slice(i, i + IDS_PER_STATEMENT);
    let deleted: { mixed: number }[];
    if (kind === 'postgres') {
      // One round trip for both.
      deleted = await db
        .with('unlinked', (w) => w.deleteFrom('incident_reports').where('incident_id', 'in', some))
        .deleteFrom('incidents')
        .where('id', 'in', some)
        .returning('mixed')
        .execute();
    } else {
      await db.deleteFrom('incident_reports').where('incident_id', 'in', some).execute();
      deleted = await db.deleteFrom('incidents').where('id', 'in', some).returning('mixed').execute();
    }
    if (deleted.length > 0)
      await changed(db, 'incidents', ...(deleted.some((d) => d.mixed === 1) ? (['mixed'] as const) : []));
  }
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

interface Neighbourhood {
  readonly reports: Report[];
  /** Report id → the incident it belongs to now (reports not yet in one are missing). */
  readonly owners: Map<string, string>;
  /** Incident id → when it was first stored, for those incidents. */
  readonly createdAt: Map<string, string>;
  /** Analysts' merges and splits in force that concern these reports. */
  readonly decisions: readonly { kind: string; report_a: string; report_b: string }[];
}

/** The new reports, the stored reports of their countries (or of none) dated near them, the reports
 * analysts tied to those by a decision, and every report of the incidents all these belong to; with
 * each one's incident now and the decisions that concern any of them. Undated reports are their own
 * neighbourhood. One statement reads it all (five did; on PostgreSQL each is a round trip), and only
 * reports not in the cache are read in full. */
async function neighbourhood(
  db: Kysely<Database>,
  drafts: readonly Incident[],
  cache: ReportCache,
): Promise<Neighbourhood> {
  // Reports that name no country may be of any; one that names none may match any.
  const windows = drafts.flatMap((d) => {
    if (d.date === null) return [];
    const span = d.date.precision === 'day' ? WINDOW_DAYS : MONTH_DAYS;
    const late = d.date.precision === 'day' ? Math.max(span, APPROXIMATE_DAYS) : span;
    const from = shiftDays(d.date.date, d.date.approximate ? -late : -span);
    const to = shiftDays(
      d.date.date,
      (d.date.approximate ? span : late) + (d.date.precision === 'month' ? MONTH_DAYS : 0),
    );
    // A town named alike in other countries may be this one, its country guessed (see scoreMatch).
    const countries = [d.country, ...(d.city === null ? [] : countriesWithTown(d.city))].filter(
      (c, i, all): c is string => c !== null && all.indexOf(c) === i,
    );
    return [
      d.country === null
        ? sql`(day >= ${from} and day <= ${to})`
        : sql`((country in (${sql.join(countries)}) or country is null) and day >= ${from} and day <= ${to})`,
    ];
  });
  const seeds = sql.join(drafts.map((d) => sql`${d.id}`));
  const near =
    windows.length > 0 ? sql`id in (${seeds}) or ${sql.join(windows, sql` or `)}` : sql`id in (${seeds})`;
  const rows = await sql<{ what: string; a: string; b: string | null; c: string | null }>`
    with near as (select id from reports where ${near}),
    decided as (
      select kind, report_a, report_b from report_decisions
      where undone_at is null and (report_a in (select id from near) or report_b in (select id from near))),
    base as (
      select id from near
      union select report_a from decided
      union select report_b from decided),
    owned as (
      select distinct other.report_id as id, other.incident_id as incident_id
      from incident_reports mine join incident_reports other on other.incident_id = mine.incident_id
      where mine.report_id in (select id from base)),
    everything as (
      select id from reports where id in (select id from base) or id in (select id from owned))
    select 'report' as what, id as a, cast(null as text) as b, cast(null as text) as c from everything
    union all
    select 'owned', owned.id, owned.incident_id, incidents.created_at
    from owned left join incidents on incidents.id = owned.incident_id
    union all
    select 'decision', kind, report_a, report_b from report_decisions
    where undone_at is null
      and (report_a in (select id from everything) or report_b in (select id from everything))`.execute(db);
  const ids = new Set<string>();
  const owned: typeof rows.rows = [];
  const decisions: { kind: string; report_a: string; report_b: string }[] = [];
  for (const row of rows.rows) {
    if (row.what === 'report') ids.add(row.a);
    else if (row.what === 'owned') owned.push(row);
    else decisions.push({ kind: row.a, report_a: row.b as string, report_b: row.c as string });
  }
  const owners = new Map<string, string>();
  const createdAt = new Map<string, string>();
  for (const { a: report, b: incident, c: created } of owned) {
    if (!ids.has(report) || incident === null) continue;
    owners.set(report, incident);
    if (created !== null) createdAt.set(incident, created);
  }
  const reports: Report[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const entry = cache.get(id);
    if (entry === undefined) missing.push(id);
    else reports.push(entry.report);
  }
  for (let i = 0; i < missing.length; i += IDS_PER_STATEMENT) {
    const found = await db
      .selectFrom('reports')
      .leftJoin('document_signatures', 'document_signatures.document_id', 'reports.document_id')
      .select([
        'reports.id',
        'reports.document_id',
        'reports.ordinal',
        'reports.published',
        'reports.record',
        'document_signatures.document_id as signed',
        'document_signatures.near_duplicate_of',
      ])
      .where('reports.id', 'in', missing.slice(i, i + IDS_PER_STATEMENT))
      .execute();
    // A document with no signature yet (known from a STIX import only) may get one later.
    for (const row of found)
      reports.push(cache.put(toReport(row), row.signed === null ? undefined : row.near_duplicate_of).report);
  }
  return { reports, owners, createdAt, decisions };
}

/** Ids per `in (…)` list when reading reports. */
const IDS_PER_STATEMENT = 5000;

/** Reports of near-duplicate documents at the same position are one report told twice; analysts'
 * merges and splits tie reports together or keep them apart. */
async function constraintsFor(
  db: Kysely<Database>,
  reports: readonly Report[],
  decisions: Neighbourhood['decisions'],
  cache: ReportCache,
): Promise<ClusterConstraints> {
  const copyOf = new Map<string, string | null>();
  const unknown = new Set<string>();
  for (const r of reports) {
    const known = cache.entryOf(r)?.copyOf;
    if (known === undefined) unknown.add(r.documentId);
    else copyOf.set(r.documentId, known);
  }
  if (unknown.size > 0) {
    const copies = await db
      .selectFrom('document_signatures')
      .select(['document_id', 'near_duplicate_of'])
      .where('document_id', 'in', [...unknown])
      .where('near_duplicate_of', 'is not', null)
      .execute();
    for (const c of copies) copyOf.set(c.document_id, c.near_duplicate_of);
  }
  const at = new Map(reports.map((r) => [`${r.documentId}\u0000${r.ordinal}`, r]));
  const together: [string, string][] = [];
  for (const r of reports) {
    const original = copyOf.get(r.documentId);
    if (original === null || original === undefined) continue;
    const twin = at.get(`${original}\u0000${r.ordinal}`);
    if (twin) together.push([twin.id, r.id]);
  }
  const apart: [string, string][] = [];
  for (const d of decisions) (d.kind === 'merge' ? together : apart).push([d.report_a, d.report_b]);
  return { together, apart, relatedGroups: kinship() };
}

/** Stored reports by id (those missing are left out), through the store's cache. */
export async function loadReports(db: Kysely<Database>, ids: readonly string[]): Promise<Report[]> {
  const cache = reportCacheOf(db);
  const reports: Report[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const entry = cache.get(id);
    if (entry === undefined) missing.push(id);
    else reports.push(entry.report);
  }
  for (let i = 0; i < missing.length; i += IDS_PER_STATEMENT) {
    const rows = await db
      .selectFrom('reports')
      .select(['id', 'document_id', 'ordinal', 'published', 'record'])
      .where('id', 'in', missing.slice(i, i + IDS_PER_STATEMENT))
      .execute();
    for (const row of rows) reports.push(cache.put(toReport(row), undefined).report);
  }
  return reports;
}

/** What clustering keeps together or apart among these reports: their near-duplicate copies and the
 * analysts' decisions in force between two of them. */
export async function constraintsAmong(
  db: Kysely<Database>,
  reports: readonly Report[],
): Promise<ClusterConstraints> {
  const ids = reports.map((r) => r.id);
  const decisions: { kind: string; report_a: string; report_b: string }[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
    const some = ids.slice(i, i + IDS_PER_STATEMENT);
    decisions.push(
      ...(await db
        .selectFrom('report_decisions')
        .select(['kind', 'report_a', 'report_b'])
        .where('undone_at', 'is', null)
        .where((eb) => eb.or([eb('report_a', 'in', some), eb('report_b', 'in', some)]))
        .execute()),
    );
  }
  const among = new Set(ids);
  return constraintsFor(
    db,
    reports,
    decisions.filter((d) => among.has(d.report_a) && among.has(d.report_b)),
    reportCacheOf(db),
  );
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
