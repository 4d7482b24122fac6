import { type Expression, type Kysely, type Migration, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Incident } from '../resolve/index.js';
import type { Clearance, DocumentMeta, MarkingLevel } from './access.js';
import { idsCountingAs } from './group-decisions.js';
import { hydrate } from './incidents.js';
import type { StoreKind } from './migrations.js';
import type { Database, IncidentRow } from './schema.js';
import { appearanceKey, storeKindOf, type TaxiiAppearanceTable } from './search.js';

/* What the TAXII 2.1 server (src/server/taxii*.ts) reads and keeps: incidents in the order they
 * were stored (`created_at`, then id: the order of TAXII's `date_added`), filtered by a caller's
 * clearance and a collection's scope, and the status resources of objects posted by analysts
 * (migration 0010_taxii).
 *
 * The clearance filter below is the rule of src/tlp/marking.ts written in SQL, as
 * src/store/access.ts `documentVisible` writes it, over incidents of one audience only (each seen
 * whole or not at all); the TAXII service interleaves the caller's views of mixed ones. */

export interface TaxiiStatusTable {
  id: string;
  /** The organisation of the analyst who posted: only it may read the status. */
  org: string;
  request_timestamp: string;
  /** pending or complete. */
  status: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  pending_count: number;
  /** JSON arrays of status details `{id, version, message?}`. */
  successes: string;
  failures: string;
  pendings: string;
}

interface TaxiiDatabase extends Database {
  taxii_status: TaxiiStatusTable;
  document_markings: { id: string; document_id: string; tlp: string; org: string | null; created_at: string };
  marking_recipients: { marking_id: string; user_id: string };
  taxii_appearances: TaxiiAppearanceTable;
}

export function taxiiMigration(_kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('incidents_created_idx')
        .on('incidents')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createTable('taxii_status')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('request_timestamp', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('total_count', 'integer', (c) => c.notNull())
        .addColumn('success_count', 'integer', (c) => c.notNull())
        .addColumn('failure_count', 'integer', (c) => c.notNull())
        .addColumn('pending_count', 'integer', (c) => c.notNull())
        .addColumn('successes', 'text', (c) => c.notNull())
        .addColumn('failures', 'text', (c) => c.notNull())
        .addColumn('pendings', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Migration 0020: what a page's reports are made of, read from an index alone. A document's row
 * holds its text (a kilobyte or more) before these columns, so looking up a page's few hundred
 * documents read as many table pages; the index is a small fraction of the table. SQLite only:
 * PostgreSQL's B-tree entries have a size limit a long title or URL could pass, and its heap keeps
 * a page's rows fewer pages apart (long text goes out of line). */
export function taxiiDocumentMetaMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'sqlite') return;
      await sql`create index documents_meta_idx on documents (id, published, outlet, title, url, language)`.execute(
        db,
      );
    },
  };
}

/** Which incidents a collection holds (for one caller). */
export interface TaxiiScope {
  /** The incident's marking for the caller (the least restrictive they see) is exactly this. */
  readonly tlp?: MarkingLevel;
  /** The incident happened in one of these countries (ISO 3166-1 alpha-2). */
  readonly countries?: readonly string[];
  /** Perpetrated by one of these groups, or by a group an analyst merged into one of them. */
  readonly groups?: readonly string[];
}

/** A place in a collection: an incident by the time it was stored and its id. */
export interface UnitKey {
  readonly createdAt: string;
  readonly id: string;
}

export interface Unit {
  readonly key: UnitKey;
  readonly incident: Incident;
  /** Its documents' audience (src/tlp/audience.ts): all of one, read from the store. */
  readonly audience: string | null;
}

/** Something an incident's STIX objects share with other incidents' (see `earlier`). */
export type Probe =
  | { readonly kind: 'report'; readonly documentId: string }
  | { readonly kind: 'outlet'; readonly outlet: string }
  | { readonly kind: 'location'; readonly country: string; readonly city: string | null }
  | { readonly kind: 'actor'; readonly group: string }
  | { readonly kind: 'target'; readonly targetType: string }
  | {
      readonly kind: 'actor-location';
      readonly group: string;
      readonly country: string;
      readonly city: string | null;
    }
  | { readonly kind: 'actor-target'; readonly group: string; readonly targetType: string };

/** What a STIX report needs of a document (its metadata, not its text). */
export type ReportDocument = Pick<DocumentMeta, 'id' | 'title' | 'url' | 'outlet' | 'published' | 'language'>;

export interface StatusDetail {
  readonly id: string;
  readonly version: string;
  readonly message?: string;
}

export interface TaxiiStatus {
  readonly id: string;
  readonly org: string;
  readonly requestTimestamp: string;
  readonly status: 'pending' | 'complete';
  readonly successes: readonly StatusDetail[];
  readonly failures: readonly StatusDetail[];
  readonly pendings: readonly StatusDetail[];
}

export interface TaxiiStore {
  /** Incidents of the scope the caller sees, from `from` (inclusive) on, stored after `addedAfter`,
   * oldest first. */
  units(
    c: Clearance,
    scope: TaxiiScope,
    options: { from: UnitKey | null; addedAfter: string | null; limit: number },
  ): Promise<Unit[]>;
  /** The first incident of the scope the caller sees, or null if they see none. */
  firstUnit(c: Clearance, scope: TaxiiScope): Promise<UnitKey | null>;
  /** For each probe, whether an incident of the scope the caller sees, stored before `before`,
   * shares it (so the shared object was in the collection before). */
  earlier(c: Clearance, scope: TaxiiScope, before: UnitKey, probes: readonly Probe[]): Promise<boolean[]>;
  /** Metadata of documents by id (the caller's clearance for them is checked by the service). */
  documentMetas(ids: readonly string[]): Promise<ReportDocument[]>;
  saveStatus(status: TaxiiStatus): Promise<void>;
  getStatus(id: string): Promise<TaxiiStatus | null>;
}

const CHUNK = 500;

export function taxiiStore(database: Kysely<Database>): TaxiiStore {
  const db = database as unknown as Kysely<TaxiiDatabase>;
  const kind = storeKindOf(database);
  const counting = (group: string) => idsCountingAs(database, group);

  async function scopeSql(
    c: Clearance,
    scope: TaxiiScope,
    i: Expression<unknown>,
  ): Promise<RawBuilder<SqlBool>> {
    // Incidents of one audience (every query here names the incidents `i`): mixed ones are the
    // caller's views (src/access), made above the store.
    const parts: RawBuilder<SqlBool>[] = [sql<SqlBool>`i.mixed = 0`, incidentVisible(c, i)];
    if (scope.tlp !== undefined) parts.push(incidentLevel(c, i, scope.tlp));
    if (scope.countries !== undefined) {
      parts.push(
        scope.countries.length === 0
          ? sql<SqlBool>`1 = 0`
          : sql<SqlBool>`exists (select 1 from incidents ic where ic.id = ${i} and ic.country in (${sql.join([...scope.countries])}))`,
      );
    }
    if (scope.groups !== undefined) {
      const ids = (await Promise.all(scope.groups.map(counting))).flat();
      parts.push(
        ids.length === 0
          ? sql<SqlBool>`1 = 0`
          : sql<SqlBool>`exists (select 1 from incident_groups g where g.incident_id = ${i} and g.group_id in (${sql.join(ids)}))`,
      );
    }
    return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
  }

  /** The first-appearance keys (migration 0014_search) that stand for a probe; `counting` gives
   * the group ids whose incidents count for a group. */
  function probeKeys(probe: Probe, counting: (group: string) => readonly string[]): string[] {
    switch (probe.kind) {
      case 'report':
        return [appearanceKey.report(probe.documentId)];
      case 'outlet':
        return [appearanceKey.outlet(probe.outlet)];
      case 'location':
        return [appearanceKey.location(probe.country, probe.city)];
      case 'target':
        return [appearanceKey.target(probe.targetType)];
      case 'actor':
        return counting(probe.group).map(appearanceKey.actor);
      case 'actor-location':
        return counting(probe.group).map((g) => appearanceKey.actorLocation(g, probe.country, probe.city));
      case 'actor-target':
        return counting(probe.group).map((g) => appearanceKey.actorTarget(g, probe.targetType));
    }
  }

  return {
    async units(c, scope, { from, addedAfter, limit }) {
      const conditions = [await scopeSql(c, scope, sql.ref('i.id'))];
      if (from !== null) {
        conditions.push(
          // A row value: one index range from the cursor on (the OR it replaces was read from the
          // collection's start, slower the deeper the page: 4 ms at the start, 37 ms deep at 250k).
          sql<SqlBool>`(i.created_at, i.id) >= (${from.createdAt}, ${from.id})`,
        );
      }
      if (addedAfter !== null) conditions.push(sql<SqlBool>`i.created_at > ${addedAfter}`);
      const rows =
        await sql<IncidentRow>`select i.* from incidents i where ${sql.join(conditions, sql` and `)}
        order by i.created_at, i.id limit ${limit}`.execute(db);
      const incidents = await hydrate(database, rows.rows);
      return rows.rows.map((r, n) => ({
        key: { createdAt: r.created_at, id: r.id },
        incident: incidents[n] as Incident,
        audience: r.audience,
      }));
    },
    async firstUnit(c, scope) {
      const rows = await sql<{ id: string; created_at: string }>`select i.id, i.created_at from incidents i
        where ${await scopeSql(c, scope, sql.ref('i.id'))} order by i.created_at, i.id limit 1`.execute(db);
      const row = rows.rows[0];
      return row === undefined ? null : { createdAt: row.created_at, id: row.id };
    },
    async earlier(c, scope, key, probes) {
      // Each probe's keys; a probe was in the collection before when one of its keys was. The
      // analysts' merges for every group of the page in one read.
      const merged = await mergedInto(database);
      const counting = (group: string) => [group, ...(merged.get(group) ?? [])];
      const owners = new Map<string, number[]>();
      for (const [n, probe] of probes.entries()) {
        for (const k of probeKeys(probe, counting)) {
          const list = owners.get(k);
          if (list === undefined) owners.set(k, [n]);
          else list.push(n);
        }
      }
      const answers: boolean[] = probes.map(() => false);
      // One range scan of each key's appearances, oldest first, stopping at the first incident of the
      // scope the caller sees (an outlet counts only from a document they see).
      const inScope = await scopeSql(c, scope, sql.ref('i.id'));
      const keys = [...owners.keys()];
      for (let start = 0; start < keys.length; start += CHUNK) {
        const chunk = keys.slice(start, start + CHUNK);
        const found = await sql<{
          key: string;
        }>`with k (key) as (values ${sql.join(chunk.map((k) => sql`(${k})`))})
          select k.key as key from k where exists (select 1 from taxii_appearances a join incidents i on i.id = a.incident_id
            where a.key = k.key and (a.created_at, a.incident_id) < (${key.createdAt}, ${key.id})
            and (a.key not like 'outlet:%' or ${documentVisible(c, sql.ref('a.document_id'))})
            and ${inScope})`.execute(db);
        for (const row of found.rows) for (const n of owners.get(row.key) ?? []) answers[n] = true;
      }
      return answers;
    },
    async documentMetas(ids) {
      const unique = [...new Set(ids)];
      // SQLite would look each id up in the primary key's index, then read the row: named, the
      // index of migration 0020 answers alone.
      const documents = kind === 'sqlite' ? sql`documents indexed by documents_meta_idx` : sql`documents`;
      const out: ReportDocument[] = [];
      for (let n = 0; n < unique.length; n += CHUNK) {
        const chunk = unique.slice(n, n + CHUNK);
        const rows =
          await sql<ReportDocument>`select id, title, url, outlet, published, language from ${documents}
          where id in (${sql.join(chunk)})`.execute(db);
        out.push(...rows.rows);
      }
      return out;
    },
    async saveStatus(s) {
      const row = {
        id: s.id,
        org: s.org,
        request_timestamp: s.requestTimestamp,
        status: s.status,
        total_count: s.successes.length + s.failures.length + s.pendings.length,
        success_count: s.successes.length,
        failure_count: s.failures.length,
        pending_count: s.pendings.length,
        successes: JSON.stringify(s.successes),
        failures: JSON.stringify(s.failures),
        pendings: JSON.stringify(s.pendings),
      };
      await db
        .insertInto('taxii_status')
        .values(row)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            status: row.status,
            total_count: row.total_count,
            success_count: row.success_count,
            failure_count: row.failure_count,
            pending_count: row.pending_count,
            successes: row.successes,
            failures: row.failures,
            pendings: row.pendings,
          }),
        )
        .execute();
    },
    async getStatus(id) {
      const row = await db.selectFrom('taxii_status').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      return {
        id: row.id,
        org: row.org,
        requestTimestamp: row.request_timestamp,
        status: row.status === 'complete' ? 'complete' : 'pending',
        successes: JSON.parse(row.successes) as StatusDetail[],
        failures: JSON.parse(row.failures) as StatusDetail[],
        pendings: JSON.parse(row.pendings) as StatusDetail[],
      };
    },
  };
}

/** Group ids merged into each group (the analysts' decisions in force), as `idsCountingAs` reads
 * them one group at a time. */
async function mergedInto(database: Kysely<Database>): Promise<Map<string, string[]>> {
  const rows = await database
    .selectFrom('group_decisions')
    .select(['group_id', 'into_group_id'])
    .where('undone_at', 'is', null)
    .execute();
  const merged = new Map<string, string[]>();
  for (const r of rows) {
    const list = merged.get(r.into_group_id);
    if (list === undefined) merged.set(r.into_group_id, [r.group_id]);
    else list.push(r.group_id);
  }
  return merged;
}

const LEVELS: readonly MarkingLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** SQL: the caller sees the document `doc` under one of `levels` (all levels when omitted); a
 * document without markings is CLEAR. The rule of src/tlp/marking.ts `canSeeHolding`. */
function documentVisible(
  c: Clearance,
  doc: Expression<unknown>,
  levels: readonly MarkingLevel[] = LEVELS,
): RawBuilder<SqlBool> {
  const amber = sql.join(c.amberOrgs.length > 0 ? [...c.amberOrgs] : [c.org]);
  const red =
    c.userId === null
      ? sql`1 = 0`
      : sql`exists (select 1 from marking_recipients r where r.marking_id = m.id and r.user_id = ${c.userId})`;
  const rules: RawBuilder<unknown>[] = [];
  if (levels.includes('clear')) rules.push(sql`m.tlp = 'clear'`);
  if (levels.includes('green')) rules.push(sql`m.tlp = 'green'`);
  if (levels.includes('amber')) rules.push(sql`(m.tlp = 'amber' and m.org in (${amber}))`);
  if (levels.includes('amber+strict')) rules.push(sql`(m.tlp = 'amber+strict' and m.org = ${c.org})`);
  if (levels.includes('red')) rules.push(sql`(m.tlp = 'red' and ${red})`);
  const unmarked = levels.includes('clear')
    ? sql`not exists (select 1 from document_markings m0 where m0.document_id = ${doc}) or `
    : sql``;
  if (rules.length === 0) return sql<SqlBool>`(${unmarked}1 = 0)`;
  return sql<SqlBool>`(${unmarked}exists (select 1 from document_markings m where m.document_id = ${doc} and (${sql.join(rules, sql` or `)})))`;
}

/** SQL: the caller sees at least one source of the incident. */
function incidentVisible(c: Clearance, incident: Expression<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from incident_sources s0 where s0.incident_id = ${incident}
    and ${documentVisible(c, sql.ref('s0.document_id'))})`;
}

/** SQL: the incident's marking for the caller (the least restrictive marking they see of any of its
 * sources) is `level`. */
function incidentLevel(
  c: Clearance,
  incident: Expression<unknown>,
  level: MarkingLevel,
): RawBuilder<SqlBool> {
  const at = LEVELS.indexOf(level);
  const at_level = sql<SqlBool>`exists (select 1 from incident_sources s1 where s1.incident_id = ${incident}
    and ${documentVisible(c, sql.ref('s1.document_id'), [level])})`;
  if (at === 0) return at_level;
  return sql<SqlBool>`(${at_level} and not exists (select 1 from incident_sources s2 where s2.incident_id = ${incident}
    and ${documentVisible(c, sql.ref('s2.document_id'), LEVELS.slice(0, at))}))`;
}
