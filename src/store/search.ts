import { type Kysely, type Migration, PostgresAdapter, sql } from 'kysely';
import { audienceTokens, type Clearance, clearanceTokens, RESTRICTED_TOKEN } from '../tlp/index.js';
import type { StoreKind } from './migrations.js';
import type { Database } from './schema.js';

/* Migration 0014_search: what makes reads fast at GTD scale (250k incidents, 1M documents).
 *
 * - `incident_search`: one full-text document per incident (its target and perpetrator text and
 *   every evidence sentence). SQLite: a contentless FTS5 table whose rowid is the incident's rowid;
 *   PostgreSQL: a tsvector per incident with a GIN index. It only narrows a search down: the exact
 *   rule (src/store/access.ts `textMatch`: all words in one evidence sentence of a document the
 *   caller sees, or in the target and perpetrator text) is checked on what it lets through.
 * - `taxii_appearances`: for every object an incident's STIX export shares with other incidents'
 *   (reports, outlets, locations, target identities, threat actors, their `targets` relationships),
 *   a row (key, created_at, incident_id). Whether a shared object was in a TAXII collection before a
 *   page is one range scan of its key in (key, created_at, incident_id) order, stopping at the first
 *   incident the caller sees (src/store/taxii.ts `earlier`).
 * - `incidents.primary_group` (the first perpetrator group's name) and indexes for the sort orders
 *   of GET /incidents (date, killed, wounded, country, group) and its filters.
 *
 * Both are written with the incident (src/store/incidents.ts `insertIncident`) and removed with it
 * (an FTS trigger on SQLite, foreign keys with ON DELETE CASCADE otherwise). `rebuildSearchIndexes`
 * fills them from the stored rows: the migration runs it, and so does the synthetic bench store,
 * which writes rows directly. */

export interface TaxiiAppearanceTable {
  key: string;
  created_at: string;
  incident_id: string;
  /** The document the key comes from (reports, outlets), else ''. */
  document_id: string;
}

export interface SearchDatabase extends Database {
  taxii_appearances: TaxiiAppearanceTable;
  incident_group_dates: IncidentGroupDateTable;
}

/** Sort orders of incident lists, as SQL over `incidents` (never null: unknown sorts lowest). */
export const SORT_EXPRESSIONS = {
  date: "coalesce(incidents.date, '')",
  killed: 'coalesce(incidents.killed_value, incidents.killed_min, -1)',
  wounded: 'coalesce(incidents.wounded_value, incidents.wounded_min, -1)',
  country: "coalesce(incidents.country, '')",
  group: "coalesce(incidents.primary_group, '')",
} as const;
export type IncidentSortKey = keyof typeof SORT_EXPRESSIONS;
/** The value an incident without the sort key has. */
export const SORT_UNKNOWN: Readonly<Record<IncidentSortKey, string | number>> = {
  date: '',
  killed: -1,
  wounded: -1,
  country: '',
  group: '',
};

/** A sort order as SQL for one kind of database: PostgreSQL compares the group's name byte by byte
 * (COLLATE "C"), as SQLite does, so that both sort names the same way whatever the database's locale. */
export function sortExpression(by: IncidentSortKey, kind: StoreKind): string {
  return kind === 'postgres' && by === 'group'
    ? `(${SORT_EXPRESSIONS.group} collate "C")`
    : SORT_EXPRESSIONS[by];
}

/** Sort orders that have an index led by the country (a country filter with that sort). */
const COUNTRY_SORTS = ['date', 'killed', 'wounded', 'group'] as const;

/* Migration 0017_query_indexes: what makes GET /incidents fast at GTD scale when it filters and sorts.
 *
 * - `incident_group_dates` (group_id, incident_id, date): each perpetrator group of an incident with
 *   the incident's date, indexed on (group_id, date DESC, incident_id), so that a group's incidents
 *   in the default order (newest first, undated last, then by id) are one index range however common
 *   the group (src/store/access.ts `listIncidents`). Written with the incident (insertIncident),
 *   removed with it (ON DELETE CASCADE); incidents are rewritten by deleting and inserting them
 *   again, so a date never goes stale. A table of its own rather than a column of incident_groups,
 *   whose update triggers mark incidents for re-analysis.
 * - (country, sort key, id) for the sort orders, so that one country sorted by killed is one range.
 * - PostgreSQL: the group sort order's index with COLLATE "C" (see `sortExpression`), and indexes
 *   in the default order's direction (date DESC NULLS LAST, id), alone and after the country. */
export function queryIndexMigration(kind: StoreKind): Migration {
  return {
    async up(database: Kysely<unknown>) {
      const db = database as unknown as Kysely<Database>;
      await sql`create table incident_group_dates (
        incident_id text not null references incidents (id) on delete cascade,
        group_id text not null,
        date text,
        primary key (incident_id, group_id))`.execute(db);
      await fillGroupDates(db);
      await sql
        .raw(
          `create index incident_group_dates_order_idx on incident_group_dates (group_id, date desc${kind === 'postgres' ? ' nulls last' : ''}, incident_id)`,
        )
        .execute(db);
      if (kind === 'postgres') {
        // The default order (date DESC NULLS LAST, id): PostgreSQL reads an ascending index backwards
        // as NULLS FIRST, so without these every list sorted all of its incidents. (SQLite puts
        // NULLs last in a descending scan of incidents_date_idx and incidents_country_date_idx.)
        await sql`create index incidents_date_order_idx on incidents (date desc nulls last, id)`.execute(db);
        await sql`create index incidents_country_date_order_idx on incidents (country, date desc nulls last, id)`.execute(
          db,
        );
        await sql`drop index if exists incidents_sort_group_idx`.execute(db);
        await sql
          .raw(`create index incidents_sort_group_idx on incidents (${bareSort('group', kind)}, id)`)
          .execute(db);
      }
      for (const by of COUNTRY_SORTS) {
        await sql
          .raw(
            `create index incidents_country_sort_${by}_idx on incidents (country, ${bareSort(by, kind)}, id)`,
          )
          .execute(db);
      }
      for (const table of ['incidents', 'incident_group_dates'])
        await sql.raw(`analyze ${table}`).execute(db);
    },
  };
}

export interface IncidentGroupDateTable {
  incident_id: string;
  group_id: string;
  date: string | null;
}

/** Fills `incident_group_dates` from incident_groups (the migration; a bulk load that wrote rows
 * directly). */
export async function fillGroupDates(db: Kysely<Database>): Promise<void> {
  await sql`delete from incident_group_dates`.execute(db);
  await sql`insert into incident_group_dates (incident_id, group_id, date)
    select g.incident_id, g.group_id, i.date from incident_groups g join incidents i on i.id = g.incident_id`.execute(
    db,
  );
}

/** A sort expression as an index writes it (without the table name). */
const bareSort = (by: IncidentSortKey, kind: StoreKind) =>
  sortExpression(by, kind).replaceAll('incidents.', '');

export function searchMigration(kind: StoreKind): Migration {
  return {
    async up(database: Kysely<unknown>) {
      const db = database as unknown as Kysely<Database>;
      await sql`alter table incidents add column primary_group text`.execute(db);
      for (const [name, expression] of Object.entries(SORT_EXPRESSIONS)) {
        // Index expressions are written without the table name.
        const bare = expression.replaceAll('incidents.', '');
        await sql.raw(`create index incidents_sort_${name}_idx on incidents (${bare}, id)`).execute(db);
      }
      await sql`create index incidents_country_date_idx on incidents (country, date, id)`.execute(db);
      await sql`create index incident_groups_group_incident_idx on incident_groups (group_id, incident_id)`.execute(
        db,
      );
      await sql`create table taxii_appearances (
        key text not null,
        created_at text not null,
        incident_id text not null references incidents (id) on delete cascade,
        document_id text not null,
        primary key (key, created_at, incident_id, document_id))`.execute(db);
      await sql`create index taxii_appearances_incident_idx on taxii_appearances (incident_id)`.execute(db);
      if (kind === 'postgres') {
        await sql`create table incident_search (
          incident_id text primary key references incidents (id) on delete cascade,
          body tsvector not null)`.execute(db);
        await sql`create index incident_search_body_idx on incident_search using gin (body)`.execute(db);
      } else {
        // Made by sentence here already (what the rebuild below writes): 0021 then has nothing to do.
        await createSentenceSearch(db);
      }
      await rebuildSearchIndexes(db, kind, undefined, false);
    },
  };
}

export function storeKindOf(db: Kysely<Database>): StoreKind {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** What an incident's shared STIX objects are keyed by (see src/server/taxii-service.ts
 * `sharedProbes`, which asks for the same keys). */
export interface AppearanceSource {
  readonly country: string | null;
  readonly city: string | null;
  readonly targetTypes: readonly string[];
  /** Perpetrator group ids as stored (analysts' merges are applied when asking). */
  readonly groupIds: readonly string[];
  /** Every document the incident cites (sources and evidence), with its outlet. */
  readonly documents: readonly { readonly id: string; readonly outlet: string | null }[];
}

export const appearanceKey = {
  report: (documentId: string) => `report:${documentId}`,
  outlet: (outlet: string) => `outlet:${outlet.toLowerCase()}`,
  location: (country: string, city: string | null) =>
    `location:${city === null ? country : `${country}:${city.toLowerCase()}`}`,
  target: (type: string) => `target:${type}`,
  actor: (group: string) => `actor:${group}`,
  actorLocation: (group: string, country: string, city: string | null) =>
    `actor-location:${group}|${appearanceKey.location(country, city)}`,
  actorTarget: (group: string, type: string) => `actor-target:${group}|${type}`,
};

export function appearanceKeys(s: AppearanceSource): { key: string; document_id: string }[] {
  const out = new Map<string, { key: string; document_id: string }>();
  const add = (key: string, document_id = '') => out.set(`${key}\u0000${document_id}`, { key, document_id });
  for (const d of s.documents) {
    add(appearanceKey.report(d.id), d.id);
    if (d.outlet !== null) add(appearanceKey.outlet(d.outlet), d.id);
  }
  if (s.country !== null) add(appearanceKey.location(s.country, s.city));
  for (const t of s.targetTypes) add(appearanceKey.target(t));
  for (const g of s.groupIds) {
    add(appearanceKey.actor(g));
    if (s.country !== null) add(appearanceKey.actorLocation(g, s.country, s.city));
    for (const t of s.targetTypes) add(appearanceKey.actorTarget(g, t));
  }
  return [...out.values()];
}

/** SQLite: `incident_search`'s columns (migration 0021_search_sentences): the target and
 * perpetrator text, then the incident's distinct evidence sentences spread over the others. A
 * sentence never spans two columns, and FTS5's NEAR matches within one column only, so a search of
 * several words finds the incidents that have them in one sentence (the search rule) rather than in
 * any two; it only over-reaches past SEARCH_COLUMNS - 1 sentences, where columns are shared. */
export const SEARCH_COLUMNS = 16;
const SEARCH_COLUMN_NAMES = Array.from({ length: SEARCH_COLUMNS }, (_, k) => `s${k}`);

/** The texts `incident_search` holds for an incident, one per column (PostgreSQL joins them). */
export function searchColumns(
  targetText: readonly string[],
  perpetratorText: readonly string[],
  sentences: Iterable<string>,
): string[] {
  const columns: string[][] = SEARCH_COLUMN_NAMES.map(() => []);
  columns[0]?.push(...targetText, ...perpetratorText);
  [...new Set(sentences)].forEach((sentence, k) => {
    columns[1 + (k % (SEARCH_COLUMNS - 1))]?.push(sentence);
  });
  return columns.map((c) => c.join('\n'));
}

/** SQL: the columns of `incident_search` (SQLite), for an insert. */
const searchColumnList = sql.raw(SEARCH_COLUMN_NAMES.join(', '));

/** An incident's search text: `searchColumns`, and its audience tokens (src/tlp/audience.ts). */
export interface SearchText {
  readonly columns: readonly string[];
  readonly tokens: readonly string[];
}

/** SQLite: the columns with the tokens in the first (a query asks `NOT (RESTRICTED NOT (mine))`). */
const sqliteColumns = (t: SearchText) =>
  t.columns.map((c, n) => (n === 0 && t.tokens.length > 0 ? [c, ...t.tokens].join('\n') : c));

/** PostgreSQL: the text as lexemes, each prefixed by every token of a restricted audience, so that
 * a query (`searchQuery`) asks only for the lexemes of the audiences the caller sees and the GIN
 * index never reads another's (its cost follows what the caller may see). A mixed incident's are
 * prefixed by a token no caller has: its views are searched in JavaScript. */
function pgBody(t: SearchText) {
  const prefixes = t.tokens.filter((x) => x !== RESTRICTED_TOKEN);
  const text = t.columns.join('\n');
  if (t.tokens.length === 0) return sql`to_tsvector('simple', ${text})`;
  return sql`array_to_tsvector(array(select p || l.lexeme from unnest(to_tsvector('simple', ${text})) l,
    unnest(${prefixes.length > 0 ? prefixes : [RESTRICTED_TOKEN]}::text[]) p))`;
}

/** The full-text query of `words` (letters and digits, lower case) for a caller: SQLite FTS5's MATCH
 * (NEAR: within one column, that is one sentence) or PostgreSQL's tsquery ('' for no word at all),
 * over the audiences the caller sees only. */
export function searchQuery(kind: StoreKind, words: readonly string[], c: Clearance): string {
  const mine = clearanceTokens(c);
  if (kind === 'postgres') {
    // Each lexeme quoted as tsquery quotes (the API's words are letters and digits; the store's
    // callers may give anything).
    const lexeme = (x: string) => `'${x.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
    const asked = words.filter((w) => w !== '');
    if (asked.length === 0) return '';
    return asked.map((w) => `(${[w, ...mine.map((t) => `${t}${w}`)].map(lexeme).join(' | ')})`).join(' & ');
  }
  const quoted = words.map((w) => `"${w.replaceAll('"', '')}"`).join(' ');
  const found = words.length === 1 ? quoted : `NEAR(${quoted}, 1000000)`;
  return `(${found}) NOT (${RESTRICTED_TOKEN} NOT (${mine.join(' OR ')}))`;
}

/** SQLite: the incident_search table of migration 0021 and its delete trigger. */
async function createSentenceSearch<T>(db: Kysely<T>): Promise<void> {
  await sql`create virtual table incident_search using fts5(${searchColumnList}, content='', contentless_delete=1)`.execute(
    db,
  );
  await sql`create trigger incident_search_delete after delete on incidents begin
    delete from incident_search where rowid = old.rowid; end`.execute(db);
}

/** Migration 0021_search_sentences: SQLite's incident_search by sentence (see `searchColumns`),
 * refilled from the stored rows (minutes at GTD scale), and without the full-text indexes of evidence
 * sentences and of incidents' text (0008_access): the search rule is checked in JavaScript now, and
 * their triggers cost every ingest. PostgreSQL keeps one text per incident. */
export function sentenceSearchMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (kind !== 'sqlite') return;
      for (const table of ['evidence_fts', 'incident_fts']) {
        for (const change of ['insert', 'delete', 'update'])
          await sql.raw(`drop trigger if exists ${table}_${change}`).execute(db);
        await sql.raw(`drop table if exists ${table}`).execute(db);
      }
      const made = await sql<{
        sql: string;
      }>`select sql from sqlite_master where name = 'incident_search'`.execute(db);
      if (made.rows[0]?.sql.includes(SEARCH_COLUMN_NAMES.at(-1) as string)) return;
      await sql`drop trigger if exists incident_search_delete`.execute(db);
      await sql`drop table incident_search`.execute(db);
      await createSentenceSearch(db);
      await rebuildSearchIndexes(db as Kysely<Database>, kind, undefined, false);
    },
  };
}

const CHUNK = 500;

/** Records a stored incident's shared-object keys (all of them, or those of `onlyDocuments`) and,
 * when `columns` are given (`searchColumns`), its search text. */
export async function indexIncident(
  database: Kysely<Database>,
  incidentId: string,
  createdAt: string,
  source: AppearanceSource,
  search: SearchText | null,
): Promise<void> {
  const db = database as unknown as Kysely<SearchDatabase>;
  const rows = appearanceKeys(source).map((k) => ({ ...k, created_at: createdAt, incident_id: incidentId }));
  for (let n = 0; n < rows.length; n += CHUNK) {
    await db
      .insertInto('taxii_appearances')
      .values(rows.slice(n, n + CHUNK))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  if (search === null) return;
  if (storeKindOf(database) === 'postgres') {
    await sql`insert into incident_search (incident_id, body) values (${incidentId}, ${pgBody(search)})
      on conflict (incident_id) do update set body = excluded.body`.execute(db);
  } else {
    await sql`delete from incident_search where rowid = (select rowid from incidents where id = ${incidentId})`.execute(
      db,
    );
    await sql`insert into incident_search (rowid, ${searchColumnList})
      select rowid, ${sql.join(sqliteColumns(search))} from incidents where id = ${incidentId}`.execute(db);
  }
}

/** Fills `primary_group`, `incident_search` and `taxii_appearances` from the stored rows (after a
 * bulk load that bypassed `insertIncident`, or in the migration). */
export async function rebuildSearchIndexes(
  database: Kysely<Database>,
  kind: StoreKind,
  log: (line: string) => void = () => {},
  /** False in migrations before 0022_audiences, whose tables have no audiences yet (that migration
   * writes the search tokens of the incidents it gives a restricted audience). */
  audiences = true,
): Promise<void> {
  const db = database as unknown as Kysely<SearchDatabase>;
  await sql`update incidents set primary_group = (select g.group_name from incident_groups g
    where g.incident_id = incidents.id order by g.position limit 1)`.execute(db);
  await db.deleteFrom('taxii_appearances').execute();
  await sql`delete from incident_search`.execute(db);
  let after = '';
  let done = 0;
  for (;;) {
    const incidents = await db
      .selectFrom('incidents')
      .select([
        'id',
        'created_at',
        'country',
        'city',
        'target_types',
        'target_text',
        'perpetrator_text',
        ...(audiences ? (['audience', 'mixed'] as const) : []),
      ])
      .where('id', '>', after)
      .orderBy('id')
      .limit(CHUNK)
      .execute();
    if (incidents.length === 0) break;
    after = (incidents.at(-1) as { id: string }).id;
    const ids = incidents.map((i) => i.id);
    const [groups, sources, evidence] = await Promise.all([
      db
        .selectFrom('incident_groups')
        .select(['incident_id', 'group_id'])
        .where('incident_id', 'in', ids)
        .execute(),
      db
        .selectFrom('incident_sources')
        .innerJoin('documents', 'documents.id', 'incident_sources.document_id')
        .select(['incident_sources.incident_id', 'documents.id', 'documents.outlet'])
        .where('incident_sources.incident_id', 'in', ids)
        .execute(),
      db
        .selectFrom('evidence')
        .leftJoin('documents', 'documents.id', 'evidence.document_id')
        .select(['evidence.incident_id', 'evidence.document_id', 'evidence.sentence', 'documents.outlet'])
        .where('evidence.incident_id', 'in', ids)
        .execute(),
    ]);
    const group = new Map<string, string[]>();
    for (const g of groups) group.set(g.incident_id, [...(group.get(g.incident_id) ?? []), g.group_id]);
    const docs = new Map<string, Map<string, string | null>>();
    const sentences = new Map<string, Set<string>>();
    const doc = (incident: string, id: string, outlet: string | null) => {
      let m = docs.get(incident);
      if (m === undefined) {
        m = new Map();
        docs.set(incident, m);
      }
      m.set(id, outlet);
    };
    for (const s of sources) doc(s.incident_id, s.id, s.outlet);
    for (const e of evidence) {
      doc(e.incident_id, e.document_id, e.outlet ?? null);
      let set = sentences.get(e.incident_id);
      if (set === undefined) {
        set = new Set();
        sentences.set(e.incident_id, set);
      }
      set.add(e.sentence);
    }
    const rows: TaxiiAppearanceTable[] = [];
    const bodies: ({ id: string } & SearchText)[] = [];
    for (const i of incidents) {
      const targetTypes = JSON.parse(i.target_types) as string[];
      for (const k of appearanceKeys({
        country: i.country,
        city: i.city,
        targetTypes,
        groupIds: group.get(i.id) ?? [],
        documents: [...(docs.get(i.id) ?? new Map<string, string | null>())].map(([id, outlet]) => ({
          id,
          outlet,
        })),
      }))
        rows.push({ ...k, created_at: i.created_at, incident_id: i.id });
      bodies.push({
        id: i.id,
        columns: searchColumns(
          JSON.parse(i.target_text) as string[],
          JSON.parse(i.perpetrator_text) as string[],
          sentences.get(i.id) ?? [],
        ),
        tokens: audiences ? audienceTokens(i.audience ?? null, i.mixed === 1) : [],
      });
    }
    for (let n = 0; n < rows.length; n += CHUNK) {
      await db
        .insertInto('taxii_appearances')
        .values(rows.slice(n, n + CHUNK))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await writeSearchRows(db, kind, bodies, false);
    done += incidents.length;
    if (done % 25_000 < CHUNK) log(`search indexes: ${done} incidents`);
  }
  if (kind === 'sqlite') {
    // One segment per full-text index: a bulk load leaves hundreds, and every lookup visits each.
    await optimizeSearchIndexes(database, kind);
    await sql`analyze`.execute(db);
  } else {
    for (const table of ['incidents', 'incident_groups', 'incident_search', 'taxii_appearances'])
      await sql.raw(`analyze ${table}`).execute(db);
  }
}

/** Writes incidents' search rows (`searchColumns`); `replace`: removes those they have first. */
async function writeSearchRows(
  db: Kysely<SearchDatabase>,
  kind: StoreKind,
  bodies: readonly ({ readonly id: string } & SearchText)[],
  replace: boolean,
): Promise<void> {
  for (let n = 0; n < bodies.length; n += 100) {
    const chunk = bodies.slice(n, n + 100);
    if (kind === 'postgres') {
      await sql`insert into incident_search (incident_id, body) values ${sql.join(
        chunk.map((b) => sql`(${b.id}, ${pgBody(b)})`),
      )} on conflict (incident_id) do update set body = excluded.body`.execute(db);
      continue;
    }
    if (replace)
      await sql`delete from incident_search where rowid in (select rowid from incidents where id in (${sql.join(
        chunk.map((b) => b.id),
      )}))`.execute(db);
    const named = sql.join(SEARCH_COLUMN_NAMES.map((c) => sql`v.${sql.ref(c)}`));
    await sql`insert into incident_search (rowid, ${searchColumnList}) select i.rowid, ${named} from incidents i
      join (${sql.join(
        chunk.map((b, k) => {
          const columns = sqliteColumns(b);
          return k === 0
            ? sql`select ${b.id} as id, ${sql.join(columns.map((c, m) => sql`${c} as ${sql.ref(`s${m}`)}`))}`
            : sql`select ${b.id}, ${sql.join(columns)}`;
        }),
        sql` union all `,
      )}) v on v.id = i.id`.execute(db);
  }
}

/** Writes the search rows of stored incidents again from their rows (after their audience changed). */
export async function reindexSearch(
  database: Kysely<Database>,
  kind: StoreKind,
  incidentIds: readonly string[],
): Promise<void> {
  const db = database as unknown as Kysely<SearchDatabase>;
  for (let n = 0; n < incidentIds.length; n += CHUNK) {
    const ids = incidentIds.slice(n, n + CHUNK);
    const [incidents, evidence] = await Promise.all([
      db
        .selectFrom('incidents')
        .select(['id', 'target_text', 'perpetrator_text', 'audience', 'mixed'])
        .where('id', 'in', ids)
        .execute(),
      db
        .selectFrom('evidence')
        .select(['incident_id', 'sentence'])
        .where('incident_id', 'in', ids)
        .orderBy('id')
        .execute(),
    ]);
    const sentences = new Map<string, string[]>();
    for (const e of evidence)
      sentences.set(e.incident_id, [...(sentences.get(e.incident_id) ?? []), e.sentence]);
    await writeSearchRows(
      db,
      kind,
      incidents.map((i) => ({
        id: i.id,
        columns: searchColumns(
          JSON.parse(i.target_text) as string[],
          JSON.parse(i.perpetrator_text) as string[],
          sentences.get(i.id) ?? [],
        ),
        tokens: audienceTokens(i.audience, i.mixed === 1),
      })),
      true,
    );
  }
}

/* The full-text indexes under continuous ingest (SQLite FTS5). Every insert adds a small segment;
 * FTS5's automerge folds them level by level, but a store ingesting for weeks keeps dozens of
 * segments and the tombstones of re-clustered incidents, and every search visits each segment. So
 * `insertIncident` counts the incidents it stores and every MERGE_EVERY of them runs a bounded
 * incremental 'merge' of each index (MERGE_PAGES pages written: 30–200 ms at 25k incidents); every tenth such
 * merge starts an incremental optimize (all segments towards one), which the next ones continue.
 * `optimizeSearchIndexes` folds each index into one segment at once: after a bulk load (from
 * `rebuildSearchIndexes`) or as maintenance. PostgreSQL's GIN indexes keep themselves (autovacuum
 * cleans their pending lists). */

/** The FTS5 tables of a SQLite store. */
export const FULL_TEXT_TABLES = ['incident_search'] as const;
/** Stored incidents between two incremental merges. */
export const MERGE_EVERY = 1000;
/** Pages (4 KB) an incremental merge writes per index at most. */
export const MERGE_PAGES = 500;

/** Folds each full-text index into one segment (SQLite; nothing to do on PostgreSQL). Costs a pass
 * over the indexes: seconds at GTD scale. */
export async function optimizeSearchIndexes(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  if (kind !== 'sqlite') return;
  for (const table of FULL_TEXT_TABLES)
    await sql.raw(`insert into ${table}(${table}) values ('optimize')`).execute(db);
}

/** An incremental merge of each full-text index, about `pages` pages written per index (SQLite;
 * nothing to do on PostgreSQL). `start`: begin an incremental optimize (every segment may be
 * merged), which later merges continue; otherwise continue one, or merge what automerge would. */
export async function mergeSearchIndexes(
  db: Kysely<Database>,
  kind: StoreKind,
  options: { pages?: number; start?: boolean } = {},
): Promise<void> {
  if (kind !== 'sqlite') return;
  const pages = Math.max(1, Math.trunc(options.pages ?? MERGE_PAGES));
  for (const table of FULL_TEXT_TABLES)
    await sql
      .raw(`insert into ${table}(${table}, rank) values ('merge', ${options.start ? -pages : pages})`)
      .execute(db);
}

let stored = 0;
let merges = 0;
/** Counts a stored incident; every MERGE_EVERY incidents this process stores, merges the
 * full-text indexes a little (see above). */
export async function countStored(db: Kysely<Database>, kind: StoreKind): Promise<void> {
  if (kind !== 'sqlite') return;
  stored += 1;
  if (stored < MERGE_EVERY) return;
  stored = 0;
  merges += 1;
  await mergeSearchIndexes(db, kind, { start: merges % 10 === 0 });
}
