import { createHash, randomBytes } from 'node:crypto';
import {
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type OrderByItemBuilder,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
} from 'kysely';
import type { Incident } from '../resolve/index.js';
import {
  type Clearance,
  type Holding,
  holdingKey,
  type Marking,
  type MarkingLevel,
  stricter,
} from '../tlp/index.js';
import type { AccessDatabase } from './access-schema.js';
import { readMarkings, refreshAudiences } from './audience.js';
import { StoreError } from './errors.js';
import { idsCountingAs } from './group-decisions.js';
import { hydrate as hydrateIncidents } from './incidents.js';
import type { StoreKind } from './migrations.js';
import type { Database, IncidentRow } from './schema.js';
import { type IncidentSortKey, SORT_UNKNOWN, searchQuery, sortExpression } from './search.js';

/* Organisations, users, API keys and TLP markings, and the reads that are filtered by what a caller
 * is cleared for. The rule itself (who sees which marking) is src/tlp; the SQL filter in
 * `documentVisible` below is the same rule, used so that filtering and pagination happen in the
 * database. Incident reads return incidents of one audience only (each seen whole or not at all);
 * the reader of src/access adds the caller's views of mixed ones, and is the only caller. */

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type { Clearance, Holding, Marking, MarkingLevel };

export interface Org {
  readonly name: string;
  readonly createdAt: string;
  /** Organisations this one shares its TLP:AMBER with. */
  readonly sharesWith: readonly string[];
}

export interface ApiKeyInfo {
  readonly id: string;
  readonly org: string;
  /** `<org>/<name>`, or null for a key of the organisation as a whole. */
  readonly userId: string | null;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface CreatedKey extends ApiKeyInfo {
  /** The key itself: shown once, stored only as its SHA-256. */
  readonly key: string;
}

/** Who is calling, from an API key. */
export interface Principal extends Clearance {
  readonly keyId: string;
  readonly role: Role;
}

export interface DocumentMeta {
  readonly id: string;
  readonly title: string | null;
  readonly url: string | null;
  readonly outlet: string | null;
  readonly published: string | null;
  readonly language: string | null;
  readonly origin: string;
  readonly ingestedAt: string;
}

export interface IncidentFilter {
  readonly country?: string;
  readonly group?: string;
  readonly since?: string;
  readonly until?: string;
  readonly attackType?: string;
  /** Words that must all occur in one evidence sentence (of a document the caller sees) or in the
   * incident's target and perpetrator text. Letters and digits only. */
  readonly words?: readonly string[];
}

/** An incident of one audience as a filtered read finds it (views of mixed ones are made above the
 * store, src/access). */
export interface Listed {
  readonly incident: Incident;
  /** Who may see it (src/tlp/audience.ts): every caller who sees one of its documents sees all. */
  readonly audience: string | null;
  /** Where it stands in the order it was read in. */
  readonly position: IncidentCursor;
}

export interface Page<T, C> {
  readonly items: T[];
  /** Where the next page starts, or null when this is the last. */
  readonly next: C | null;
}

export interface IncidentCursor {
  readonly date: string | null;
  readonly id: string;
  /** With a sort order: the incident's value of the sort key (see `IncidentSort`). */
  readonly key?: string | number;
}

/** An order of incident lists other than the default (newest first, undated last, then by id):
 * by the key, then by id, in the same direction; incidents without the key come last either way. */
export interface IncidentSort {
  readonly by: IncidentSortKey;
  readonly order: 'asc' | 'desc';
}

export interface DocumentCursor {
  readonly ingestedAt: string;
  readonly id: string;
}

export interface AccessStore {
  /** A trivial query: the database answers. */
  ping(): Promise<void>;
  /** A secret of the server's (32 random bytes), made on first use and the same for every process
   * of this store (it seals cursors, src/access/cursor.ts). */
  secret(name: string): Promise<Buffer>;
  addOrg(name: string): Promise<Org>;
  listOrgs(): Promise<Org[]>;
  shareOrg(owner: string, withOrg: string): Promise<void>;
  unshareOrg(owner: string, withOrg: string): Promise<void>;
  /** A new key for an organisation, for a user of it (created if new) or the organisation itself. */
  createKey(request: { org: string; role: Role; user?: string | undefined }): Promise<CreatedKey>;
  listKeys(org?: string): Promise<ApiKeyInfo[]>;
  /** Revokes a key; with `org`, only a key of that organisation. */
  revokeKey(id: string, org?: string): Promise<ApiKeyInfo>;
  /** The principal of a key that exists and is not revoked, else null. */
  authenticate(key: string): Promise<Principal | null>;
  /** User ids (`org/name`) of existing users; throws for an unknown one. */
  resolveUsers(refs: readonly string[]): Promise<string[]>;
  /** Holds a document under a marking, before it is stored (so that it is never readable unmarked).
   * A document has one holding: asking again for the same one changes nothing, and any other is
   * refused (the same text under another holding is another document, src/tlp/marking.ts). */
  addMarking(documentId: string, holding: Holding): Promise<void>;
  /** The owner's re-marking of its holding of a stored document under a stricter marking (or the same
   * level, for RED, with fewer recipients): what every read then gives (audiences, search) follows.
   * Refused for any other change, and for a document `org` holds no part of. */
  raiseMarking(documentId: string, org: string, holding: Holding): Promise<void>;
  markingsOf(documentIds: readonly string[]): Promise<Map<string, Marking[]>>;
  listIncidents(
    c: Clearance,
    filter: IncidentFilter,
    limit: number,
    after: IncidentCursor | null,
    sort?: IncidentSort,
  ): Promise<Page<Listed, IncidentCursor>>;
  /** By full id, else every incident (at most 6) whose id starts with a prefix of at least 4 characters. */
  findIncident(c: Clearance, idOrPrefix: string): Promise<Listed[]>;
  incidentsOfDocument(c: Clearance, documentId: string): Promise<Listed[]>;
  listDocuments(
    c: Clearance,
    limit: number,
    after: DocumentCursor | null,
  ): Promise<Page<DocumentMeta, DocumentCursor>>;
  getDocument(c: Clearance, id: string): Promise<(DocumentMeta & { text: string }) | null>;
  /** (group id, name as written, incident id) of discovered groups in incidents the caller sees. */
  discoveredGroupMentions(c: Clearance): Promise<{ groupId: string; name: string; incidentId: string }[]>;
}

/* The incident list's query is built on two shapes (incidents alone, or a group's rows of
 * incident_group_dates joined to incidents), so its builder is typed loosely. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnySelect = SelectQueryBuilder<any, any, any>;
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyExpressionBuilder = ExpressionBuilder<any, any>;
type AnyOrderBy = OrderByItemBuilder;
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyKysely = Kysely<any>;

/** Group ids (a group and those analysts merged into it) read as one index range each, at most. */
const MERGED_RANGES = 16;

/** The default order of incident lists, in JavaScript: newest first, undated last, then by id
 * (dates and ids are ASCII, so string order is the databases' order). */
function defaultOrder(a: IncidentRow, b: IncidentRow): number {
  if (a.date !== b.date) {
    if (a.date === null) return 1;
    if (b.date === null) return -1;
    return a.date < b.date ? 1 : -1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function accessStore(database: Kysely<Database>, kind: StoreKind, location: string): AccessStore {
  const db = database as unknown as Kysely<AccessDatabase>;
  const refuse = (message: string) => new StoreError('invalid_option', message, location);
  const now = () => new Date().toISOString();
  const checkName = (what: string, name: string) => {
    if (!NAME.test(name))
      throw refuse(`invalid ${what} name ${JSON.stringify(name)}: letters, digits, . _ @ - (at most 64)`);
  };
  const requireOrg = async (name: string) => {
    const row = await db.selectFrom('orgs').select('name').where('name', '=', name).executeTakeFirst();
    if (!row) throw refuse(`unknown organisation ${name} (add it with \`vigil orgs add ${name}\`)`);
  };
  const keyInfo = (r: AccessDatabase['api_keys']): ApiKeyInfo => ({
    id: r.id,
    org: r.org,
    userId: r.user_id,
    role: r.role as Role,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  });

  /** Rows as listed incidents, each at its place in the order read. */
  const listed = async <R extends IncidentRow>(
    rows: readonly R[],
    position: (row: R) => IncidentCursor,
  ): Promise<Listed[]> => {
    const incidents = await hydrateIncidents(database, rows);
    return rows.map((r, n) => ({
      incident: incidents[n] as Incident,
      audience: r.audience,
      position: position(r),
    }));
  };
  const byDate = (r: IncidentRow): IncidentCursor => ({ date: r.date, id: r.id });

  async function listOrgs(): Promise<Org[]> {
    const [orgs, shares] = await Promise.all([
      db.selectFrom('orgs').selectAll().orderBy('name').execute(),
      db.selectFrom('org_shares').selectAll().orderBy('with_org').execute(),
    ]);
    return orgs.map((o) => ({
      name: o.name,
      createdAt: o.created_at,
      sharesWith: shares.filter((s) => s.owner_org === o.name).map((s) => s.with_org),
    }));
  }

  /* Full-text search: the per-incident index `incident_search` (migration 0014_search) narrows the
   * incidents down, asked for the audiences the caller sees only (`searchQuery`: what they may not see
   * is not found at all, so it costs what a word found nowhere costs), then the rule itself is checked
   * on each one: all words in one evidence sentence of a document the caller sees, or in the
   * incident's target and perpetrator text. On SQLite the rule is `vigil_has_words`
   * (src/store/search-words.ts). The narrowing follows how many incidents have the words (read up to
   * DRIVEN_SET + 1, then, on SQLite, counted up to WALKED_SET + 1: a few ms):
   * - at most DRIVEN_SET: those incidents are read by id and sorted (a rare word, or words never
   *   together in one sentence, no longer walk the store: 35 s before, at 250k incidents);
   * - at most WALKED_SET: the list is walked in its order, each incident looked up in the set (read
   *   once into an in-memory index; a walk is ~0.2 µs an incident);
   * - more (SQLite; at least WALKED_SET / all incidents of the store): a page fills after a few
   *   hundred incidents, each checked by a full-text probe. */
  const DRIVEN_SET = 300;
  const WALKED_SET = 40_000;
  type Narrowing =
    | { readonly by: 'rowids'; readonly rowids: readonly number[] }
    | { readonly by: 'ids'; readonly ids: readonly string[] }
    | { readonly by: 'set' | 'probe' };
  /** How the incidents with the words are found. */
  const searchNarrowing = async (words: readonly string[], c: Clearance): Promise<Narrowing> => {
    const match = searchQuery(kind, words, c);
    if (kind === 'postgres') {
      if (match === '') return { by: 'ids', ids: [] };
      const found = await sql<{ id: string }>`select incident_id as id from incident_search
        where body @@ ${match}::tsquery limit ${DRIVEN_SET + 1}`.execute(db);
      return found.rows.length <= DRIVEN_SET
        ? { by: 'ids', ids: found.rows.map((r) => r.id) }
        : { by: 'set' };
    }
    const found = await sql<{ rowid: number }>`select rowid from incident_search
      where incident_search match ${match} limit ${DRIVEN_SET + 1}`.execute(db);
    if (found.rows.length <= DRIVEN_SET) return { by: 'rowids', rowids: found.rows.map((r) => r.rowid) };
    const counted = await sql<{ n: number }>`select count(*) as n from (select rowid from incident_search
      where incident_search match ${match} limit ${WALKED_SET + 1})`.execute(db);
    return (counted.rows[0]?.n ?? 0) > WALKED_SET ? { by: 'probe' } : { by: 'set' };
  };
  const textMatch = (words: readonly string[], c: Clearance, narrowing: Narrowing): RawBuilder<SqlBool> => {
    const match = searchQuery(kind, words, c);
    if (kind === 'postgres') {
      const query = sql`plainto_tsquery('simple', ${words.join(' ')})`;
      const rule = sql<SqlBool>`(to_tsvector('simple', incidents.target_text || ' ' || incidents.perpetrator_text) @@ ${query}
        or exists (select 1 from evidence e where e.incident_id = incidents.id
          and to_tsvector('simple', e.sentence) @@ ${query}
          and ${documentVisible(c, sql.ref('e.document_id'))}))`;
      if (narrowing.by === 'ids')
        return narrowing.ids.length === 0
          ? sql<SqlBool>`1 = 0`
          : sql<SqlBool>`(incidents.id in (${sql.join(narrowing.ids)}) and ${rule})`;
      return sql<SqlBool>`(incidents.id in (select incident_id from incident_search where body @@ ${match}::tsquery)
        and ${rule})`;
    }
    const spoken = words.join(' ');
    const rule = sql<SqlBool>`(vigil_has_words(incidents.target_text || ' ' || incidents.perpetrator_text, ${spoken})
      or exists (select 1 from evidence e where e.incident_id = incidents.id
        and vigil_has_words(e.sentence, ${spoken}) and ${documentVisible(c, sql.ref('e.document_id'))}))`;
    if (narrowing.by === 'rowids')
      return narrowing.rowids.length === 0
        ? sql<SqlBool>`1 = 0`
        : sql<SqlBool>`(incidents.rowid in (${sql.join(narrowing.rowids)}) and ${rule})`;
    const narrow =
      narrowing.by === 'set'
        ? sql<SqlBool>`incidents.rowid in (select rowid from incident_search where incident_search match ${match})`
        : sql<SqlBool>`exists (select 1 from incident_search where incident_search match ${match}
          and incident_search.rowid = incidents.rowid)`;
    // CASE: the narrowing first, the rule only for what it lets through (SQLite would otherwise turn
    // the EXISTS into a join and check the rule on every incident it walks).
    return sql<SqlBool>`(case when ${narrow} then ${rule} else 0 end)`;
  };

  /** A page in a sort order: keyset on (key, id) over the index of the key; incidents without the
   * key (SORT_UNKNOWN, the lowest value) come last in both directions. */
  async function sortedIncidents(
    // biome-ignore lint/suspicious/noExplicitAny: the filtered select of listIncidents
    select: SelectQueryBuilder<AccessDatabase, 'incidents', any>,
    limit: number,
    after: IncidentCursor | null,
    sort: IncidentSort,
  ): Promise<Page<Listed, IncidentCursor>> {
    const key = sql.raw(sortExpression(sort.by, kind));
    const unknown = SORT_UNKNOWN[sort.by];
    const keyed = select.select(sql<string | number>`${key}`.as('sort_key'));
    const from = after === null || after.key === undefined ? null : { key: after.key, id: after.id };
    const run = (where: RawBuilder<SqlBool>, direction: 'asc' | 'desc', n: number) =>
      keyed
        .where(() => where)
        .orderBy(sql`${key}`, direction)
        .orderBy('incidents.id', direction)
        .limit(n)
        .execute() as Promise<(IncidentRow & { sort_key: string | number })[]>;
    let rows: (IncidentRow & { sort_key: string | number })[];
    if (sort.order === 'desc') {
      rows = await run(
        from === null
          ? sql<SqlBool>`1 = 1`
          : sql<SqlBool>`${key} <= ${from.key} and not (${key} = ${from.key} and incidents.id >= ${from.id})`,
        'desc',
        limit + 1,
      );
    } else {
      // The known values first, ascending; then those without the key, by id.
      const inUnknown = from !== null && from.key === unknown;
      rows = inUnknown
        ? []
        : await run(
            from === null
              ? sql<SqlBool>`${key} > ${unknown}`
              : sql<SqlBool>`${key} >= ${from.key} and not (${key} = ${from.key} and incidents.id <= ${from.id})`,
            'asc',
            limit + 1,
          );
      if (rows.length <= limit) {
        rows.push(
          ...(await run(
            inUnknown
              ? sql<SqlBool>`${key} = ${unknown} and incidents.id > ${from.id}`
              : sql<SqlBool>`${key} = ${unknown}`,
            'asc',
            limit + 1 - rows.length,
          )),
        );
      }
    }
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: await listed(page, (r) => ({ date: r.date, id: r.id, key: r.sort_key })),
      next: rows.length > limit && last ? { date: last.date, id: last.id, key: last.sort_key } : null,
    };
  }

  return {
    async ping() {
      await sql`select 1`.execute(db);
    },
    async secret(name) {
      await db
        .insertInto('server_state')
        .values({ name, value: randomBytes(32).toString('hex') })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await db
        .selectFrom('server_state')
        .select('value')
        .where('name', '=', name)
        .executeTakeFirstOrThrow();
      return Buffer.from(row.value, 'hex');
    },
    async addOrg(name) {
      checkName('organisation', name);
      const created = await db
        .insertInto('orgs')
        .values({ name, created_at: now() })
        .onConflict((oc) => oc.column('name').doNothing())
        .executeTakeFirst();
      if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0)
        throw refuse(`organisation ${name} exists already`);
      return (await listOrgs()).find((o) => o.name === name) as Org;
    },
    listOrgs,
    async shareOrg(owner, withOrg) {
      await requireOrg(owner);
      await requireOrg(withOrg);
      if (owner === withOrg) throw refuse('an organisation cannot share with itself');
      await db
        .insertInto('org_shares')
        .values({ owner_org: owner, with_org: withOrg, created_at: now() })
        .onConflict((oc) => oc.columns(['owner_org', 'with_org']).doNothing())
        .execute();
    },
    async unshareOrg(owner, withOrg) {
      const result = await db
        .deleteFrom('org_shares')
        .where('owner_org', '=', owner)
        .where('with_org', '=', withOrg)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw refuse(`${owner} does not share with ${withOrg}`);
    },
    async createKey({ org, role, user }) {
      if (!(ROLES as readonly string[]).includes(role))
        throw refuse(`invalid role ${role} (viewer, analyst or admin)`);
      await requireOrg(org);
      let userId: string | null = null;
      if (user !== undefined) {
        checkName('user', user);
        userId = `${org}/${user}`;
        await db
          .insertInto('users')
          .values({ id: userId, org, name: user, created_at: now() })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      const key = `vgl_${randomBytes(32).toString('base64url')}`;
      const row = {
        id: randomBytes(8).toString('hex'),
        org,
        user_id: userId,
        role,
        key_hash: hashKey(key),
        created_at: now(),
        revoked_at: null,
      };
      await db.insertInto('api_keys').values(row).execute();
      return { ...keyInfo(row), key };
    },
    async listKeys(org) {
      let query = db.selectFrom('api_keys').selectAll().orderBy('org').orderBy('created_at').orderBy('id');
      if (org !== undefined) query = query.where('org', '=', org);
      return (await query.execute()).map(keyInfo);
    },
    async revokeKey(id, org) {
      let query = db.selectFrom('api_keys').selectAll().where('id', '=', id);
      if (org !== undefined) query = query.where('org', '=', org);
      const row = await query.executeTakeFirst();
      if (!row) throw refuse(`no key ${id}`);
      if (row.revoked_at !== null) return keyInfo(row);
      const revokedAt = now();
      await db.updateTable('api_keys').set({ revoked_at: revokedAt }).where('id', '=', id).execute();
      return keyInfo({ ...row, revoked_at: revokedAt });
    },
    async authenticate(key) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', hashKey(key))
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (!row) return null;
      const sharing = await db
        .selectFrom('org_shares')
        .select('owner_org')
        .where('with_org', '=', row.org)
        .execute();
      return {
        keyId: row.id,
        org: row.org,
        userId: row.user_id,
        role: row.role as Role,
        amberOrgs: [row.org, ...sharing.map((s) => s.owner_org).sort()],
      };
    },
    async resolveUsers(refs) {
      const ids = [...new Set(refs)];
      if (ids.length === 0) return [];
      const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).execute();
      const found = new Set(rows.map((r) => r.id));
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) throw refuse(`unknown user ${missing.join(', ')} (users are written org/name)`);
      return ids;
    },
    async addMarking(documentId, holding) {
      if (holding.org !== null) await requireOrg(holding.org);
      const wanted = holdingKey(holding);
      await db.transaction().execute(async (trx) => {
        const held = await readMarkings(trx as unknown as Kysely<Database>, [documentId]);
        const existing = held.get(documentId) ?? [];
        if (existing.some((m) => holdingKey(m) === wanted)) return;
        const stored = await trx
          .selectFrom('documents')
          .select('id')
          .where('id', '=', documentId)
          .executeTakeFirst();
        // A stored document's markings never change by a new holding: not lowered, not widened.
        if (existing.length > 0 || stored !== undefined)
          throw refuse(`document ${documentId} is held under another marking; its holding cannot change`);
        const id = randomBytes(8).toString('hex');
        await trx
          .insertInto('document_markings')
          .values({ id, document_id: documentId, tlp: holding.tlp, org: holding.org, created_at: now() })
          .execute();
        if (holding.tlp === 'red' && holding.recipients.length > 0) {
          await trx
            .insertInto('marking_recipients')
            .values([...new Set(holding.recipients)].map((user_id) => ({ marking_id: id, user_id })))
            .execute();
        }
      });
    },
    markingsOf: (documentIds) => readMarkings(database, documentIds),
    async raiseMarking(documentId, org, holding) {
      if (holding.org !== org) throw refuse(`${org} can only mark its own holding`);
      await db.transaction().execute(async (trx) => {
        const held =
          (await readMarkings(trx as unknown as Kysely<Database>, [documentId])).get(documentId) ?? [];
        const own = held.filter((m) => m.org === org);
        const [current] = own;
        if (current === undefined || own.length > 1)
          throw refuse(`document ${documentId} is not held by ${org} under one marking`);
        const narrower =
          stricter(holding.tlp, current.tlp) ||
          (holding.tlp === current.tlp &&
            (holding.tlp !== 'red' || holding.recipients.every((r) => current.recipients.includes(r))));
        const named = holding.tlp === 'red' ? holding.recipients.length > 0 : holding.recipients.length === 0;
        if (!narrower || !named)
          throw refuse(
            `TLP:${current.tlp.toUpperCase()} can only be raised (a RED marking narrowed to fewer recipients), not made TLP:${holding.tlp.toUpperCase()}${holding.tlp === 'red' ? ' for these recipients' : ''}`,
          );
        await trx
          .updateTable('document_markings')
          .set({ tlp: holding.tlp })
          .where('id', '=', current.id)
          .execute();
        await trx.deleteFrom('marking_recipients').where('marking_id', '=', current.id).execute();
        if (holding.tlp === 'red')
          await trx
            .insertInto('marking_recipients')
            .values([...new Set(holding.recipients)].map((user_id) => ({ marking_id: current.id, user_id })))
            .execute();
        await refreshAudiences(trx as unknown as Kysely<Database>, kind, [documentId]);
      });
    },
    async listIncidents(c, filter, limit, after, sort) {
      const narrowing =
        filter.words !== undefined && filter.words.length > 0 ? await searchNarrowing(filter.words, c) : null;
      const groupIds = filter.group === undefined ? null : await idsCountingAs(database, filter.group);
      // A group in the default order: its incidents are walked in the order of the index
      // incident_group_dates (group_id, date DESC, incident_id) (migration 0017_query_indexes), one
      // range however common the group, instead of sorting all of them. With groups analysts merged
      // into it, one range per group id, merged here (each range's first rows hold the page).
      const byGroup = sort === undefined && groupIds !== null && groupIds.length <= MERGED_RANGES;
      const date = byGroup ? 'g.date' : 'incidents.date';
      const id = byGroup ? 'g.incident_id' : 'incidents.id';
      const filtered = (select: AnySelect): AnySelect => {
        // Incidents of one audience; mixed ones are the caller's views (src/access/views.ts).
        select = select
          .where('incidents.mixed', '=', 0)
          .where(() => incidentVisible(c, sql.ref('incidents.id')));
        if (filter.country !== undefined) select = select.where('incidents.country', '=', filter.country);
        if (groupIds !== null && !byGroup) {
          select = select.where('incidents.id', 'in', (eb: AnyExpressionBuilder) =>
            eb.selectFrom('incident_groups').select('incident_id').where('group_id', 'in', groupIds),
          );
        }
        if (filter.since !== undefined) select = select.where(date, '>=', filter.since);
        if (filter.until !== undefined) select = select.where(date, '<=', filter.until);
        // Attack types are a JSON array of fixed words: a LIKE on the quoted word is exact.
        if (filter.attackType !== undefined)
          select = select.where(
            'incidents.attack_types',
            'like',
            `%"${filter.attackType.replace(/[^a-z_]/g, '')}"%`,
          );
        if (filter.words !== undefined && filter.words.length > 0 && narrowing !== null) {
          const words = filter.words;
          select = select.where(() => textMatch(words, c, narrowing));
        }
        return select;
      };
      const start = (group: string | null): AnySelect =>
        group === null
          ? db.selectFrom('incidents').selectAll('incidents')
          : // CROSS JOIN: SQLite keeps the group's rows the outer loop, as their index gives the order.
            (db as AnyKysely)
              .selectFrom('incident_group_dates as g')
              .crossJoin('incidents')
              .selectAll('incidents')
              .where('g.group_id', '=', group)
              .whereRef('incidents.id', '=', 'g.incident_id');
      if (sort !== undefined) return sortedIncidents(filtered(start(null)), limit, after, sort);
      // The default order: newest first, undated last, then by id. After a cursor, the page is read
      // as two index ranges (the dated incidents from the cursor's date down, then the undated ones)
      // rather than through one OR that no index answers.
      const range = (where: RawBuilder<SqlBool> | null, n: number, group: string | null) =>
        (where === null ? filtered(start(group)) : filtered(start(group)).where(() => where))
          .orderBy(date, (ob: AnyOrderBy) => ob.desc().nullsLast())
          .orderBy(id)
          .limit(n)
          .execute() as Promise<IncidentRow[]>;
      const run = async (where: RawBuilder<SqlBool> | null, n: number): Promise<IncidentRow[]> => {
        if (!byGroup) return range(where, n, null);
        const ranges = await Promise.all((groupIds as string[]).map((g) => range(where, n, g)));
        if (ranges.length === 1) return ranges[0] as IncidentRow[];
        // An incident of two of the groups is in both ranges: once here.
        const merged = new Map<string, IncidentRow>();
        for (const row of ranges.flat().sort(defaultOrder)) if (!merged.has(row.id)) merged.set(row.id, row);
        return [...merged.values()].slice(0, n);
      };
      const d = sql.ref(date);
      const i = sql.ref(id);
      let rows: IncidentRow[];
      if (after === null) rows = await run(null, limit + 1);
      else if (after.date === null)
        rows = await run(sql<SqlBool>`${d} is null and ${i} > ${after.id}`, limit + 1);
      else {
        rows = await run(
          sql<SqlBool>`${d} <= ${after.date} and not (${d} = ${after.date} and ${i} <= ${after.id})`,
          limit + 1,
        );
        if (rows.length <= limit)
          rows.push(...(await run(sql<SqlBool>`${d} is null`, limit + 1 - rows.length)));
      }
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: await listed(page, (r) => ({ date: r.date, id: r.id })),
        next: rows.length > limit && last ? { date: last.date, id: last.id } : null,
      };
    },
    async findIncident(c, idOrPrefix) {
      const visible = () =>
        db
          .selectFrom('incidents')
          .selectAll()
          .where('mixed', '=', 0)
          .where(() => incidentVisible(c, sql.ref('incidents.id')));
      const exact = await visible().where('id', '=', idOrPrefix).execute();
      if (exact.length > 0) return listed(exact, byDate);
      if (idOrPrefix.length < 4 || !/^[0-9a-f]+$/.test(idOrPrefix)) return [];
      const rows = await visible()
        .where(sql<string>`substr(id, 1, ${sql.lit(idOrPrefix.length)})`, '=', idOrPrefix)
        .orderBy('id')
        .limit(6)
        .execute();
      return listed(rows, byDate);
    },
    async incidentsOfDocument(c, documentId) {
      const rows = await db
        .selectFrom('incidents')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb.selectFrom('incident_sources').select('incident_id').where('document_id', '=', documentId),
        )
        .where('mixed', '=', 0)
        .where(() => incidentVisible(c, sql.ref('incidents.id')))
        .orderBy('date', (ob) => ob.desc().nullsLast())
        .orderBy('id')
        .execute();
      return listed(rows, byDate);
    },
    async listDocuments(c, limit, after) {
      let select = db
        .selectFrom('documents')
        .select(['id', 'title', 'url', 'outlet', 'published', 'language', 'origin', 'ingested_at'])
        .where(() => documentVisible(c, sql.ref('documents.id')));
      if (after !== null) {
        const { ingestedAt, id } = after;
        select = select.where((eb) =>
          eb.or([
            eb('ingested_at', '<', ingestedAt),
            eb.and([eb('ingested_at', '=', ingestedAt), eb('id', '>', id)]),
          ]),
        );
      }
      const rows = await select
        .orderBy('ingested_at', 'desc')
        .orderBy('id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit).map(toMeta);
      const last = page.at(-1);
      return {
        items: page,
        next: rows.length > limit && last ? { ingestedAt: last.ingestedAt, id: last.id } : null,
      };
    },
    async getDocument(c, id) {
      const row = await db
        .selectFrom('documents')
        .selectAll()
        .where('id', '=', id)
        .where(() => documentVisible(c, sql.ref('documents.id')))
        .executeTakeFirst();
      return row ? { ...toMeta(row), text: row.text } : null;
    },
    async discoveredGroupMentions(c) {
      const rows = await db
        .selectFrom('incident_groups')
        .select(['group_id', 'group_name', 'incident_id'])
        .where('group_id', 'like', 'discovered:%')
        .where(() => incidentVisible(c, sql.ref('incident_groups.incident_id')))
        .where('incident_id', 'not in', (eb) =>
          eb.selectFrom('incidents').select('id').where('mixed', '=', 1),
        )
        .orderBy('group_id')
        .orderBy('incident_id')
        .execute();
      return rows.map((r) => ({ groupId: r.group_id, name: r.group_name, incidentId: r.incident_id }));
    },
  };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** SQL: the caller sees the document `doc` (the rule of src/tlp/marking.ts, in SQL). */
function documentVisible(c: Clearance, doc: Expression<unknown>): RawBuilder<SqlBool> {
  const amber = sql.join(c.amberOrgs.length > 0 ? c.amberOrgs : [c.org]);
  const red =
    c.userId === null
      ? sql`1 = 0`
      : sql`exists (select 1 from marking_recipients r where r.marking_id = m.id and r.user_id = ${c.userId})`;
  return sql<SqlBool>`(not exists (select 1 from document_markings m0 where m0.document_id = ${doc})
    or exists (select 1 from document_markings m where m.document_id = ${doc} and (
      m.tlp in ('clear', 'green')
      or (m.tlp = 'amber' and m.org in (${amber}))
      or (m.tlp = 'amber+strict' and m.org = ${c.org})
      or (m.tlp = 'red' and ${red}))))`;
}

/** SQL: the caller sees at least one source of the incident `incident`. */
function incidentVisible(c: Clearance, incident: Expression<unknown>): RawBuilder<SqlBool> {
  return sql<SqlBool>`exists (select 1 from incident_sources s where s.incident_id = ${incident}
    and ${documentVisible(c, sql.ref('s.document_id'))})`;
}

function toMeta(row: {
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  language: string | null;
  origin: string;
  ingested_at: string;
}): DocumentMeta {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    outlet: row.outlet,
    published: row.published,
    language: row.language,
    origin: row.origin,
    ingestedAt: row.ingested_at,
  };
}
