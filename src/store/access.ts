import { createHash, randomBytes } from 'node:crypto';
import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Incident } from '../resolve/index.js';
import type { AccessDatabase } from './access-schema.js';
import { StoreError } from './errors.js';
import { idsCountingAs } from './group-decisions.js';
import { hydrate as hydrateIncidents } from './incidents.js';
import type { StoreKind } from './migrations.js';
import type { Database, IncidentRow } from './schema.js';

/* Organisations, users, API keys and TLP markings, and the reads that are filtered by what a caller
 * is cleared for. The rule itself (who sees which marking) is src/server/access.ts; the SQL filter in
 * `documentVisible` below is the same rule, used so that filtering and pagination happen in the
 * database. The server's service layer is the only caller of the filtered reads, and it checks every
 * row again with the rule before anything leaves it. */

export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const MARKING_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export type MarkingLevel = (typeof MARKING_LEVELS)[number];

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
export interface Principal {
  readonly keyId: string;
  readonly org: string;
  readonly userId: string | null;
  readonly role: Role;
  /** Organisations whose TLP:AMBER this one sees: itself and those that share with it. */
  readonly amberOrgs: readonly string[];
}

/** What the filtered reads need to know of the caller. */
export type Clearance = Pick<Principal, 'org' | 'userId' | 'amberOrgs'>;

export interface Marking {
  readonly id: string;
  readonly documentId: string;
  readonly tlp: MarkingLevel;
  readonly org: string | null;
  readonly recipients: readonly string[];
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

export interface Page<T, C> {
  readonly items: T[];
  /** Where the next page starts, or null when this is the last. */
  readonly next: C | null;
}

export interface IncidentCursor {
  readonly date: string | null;
  readonly id: string;
}

export interface DocumentCursor {
  readonly ingestedAt: string;
  readonly id: string;
}

export interface AccessStore {
  /** A trivial query: the database answers. */
  ping(): Promise<void>;
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
  /** Adds a holding of a document under a marking (before or after the document is stored). */
  addMarking(
    documentId: string,
    marking: { tlp: MarkingLevel; org: string | null; recipients: readonly string[] },
  ): Promise<void>;
  markingsOf(documentIds: readonly string[]): Promise<Map<string, Marking[]>>;
  documentExists(id: string): Promise<boolean>;
  listIncidents(
    c: Clearance,
    filter: IncidentFilter,
    limit: number,
    after: IncidentCursor | null,
  ): Promise<Page<Incident, IncidentCursor>>;
  /** By full id or a prefix (at least 4 characters) unique among the incidents the caller sees. */
  findIncident(c: Clearance, idOrPrefix: string): Promise<Incident | null | { ambiguous: string[] }>;
  incidentsOfDocument(c: Clearance, documentId: string): Promise<Incident[]>;
  listDocuments(
    c: Clearance,
    limit: number,
    after: DocumentCursor | null,
  ): Promise<Page<DocumentMeta, DocumentCursor>>;
  getDocument(c: Clearance, id: string): Promise<(DocumentMeta & { text: string }) | null>;
  /** (group id, name as written, incident id) of discovered groups in incidents the caller sees. */
  discoveredGroupMentions(c: Clearance): Promise<{ groupId: string; name: string; incidentId: string }[]>;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const CHUNK = 500;

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

  const hydrate = (rows: readonly IncidentRow[]) => hydrateIncidents(database, rows);

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

  const textMatch = (words: readonly string[], c: Clearance): RawBuilder<SqlBool> => {
    if (kind === 'postgres') {
      const query = words.join(' ');
      return sql<SqlBool>`(to_tsvector('simple', incidents.target_text || ' ' || incidents.perpetrator_text) @@ plainto_tsquery('simple', ${query})
        or incidents.id in (select e.incident_id from evidence e
          where to_tsvector('simple', e.sentence) @@ plainto_tsquery('simple', ${query})
          and ${documentVisible(c, sql.ref('e.document_id'))}))`;
    }
    const match = words.map((w) => `"${w.replaceAll('"', '')}"`).join(' ');
    return sql<SqlBool>`(incidents.rowid in (select rowid from incident_fts where incident_fts match ${match})
      or incidents.id in (select e.incident_id from evidence e
        where e.id in (select rowid from evidence_fts where evidence_fts match ${match})
        and ${documentVisible(c, sql.ref('e.document_id'))}))`;
  };

  return {
    async ping() {
      await sql`select 1`.execute(db);
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
    async addMarking(documentId, marking) {
      if (marking.org !== null) await requireOrg(marking.org);
      await db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('document_markings')
          .select(['id', 'tlp', 'org'])
          .where('document_id', '=', documentId)
          .execute();
        // A document stored unmarked is CLEAR; marking it now must not hide it from anyone.
        if (existing.length === 0) {
          const stored = await trx
            .selectFrom('documents')
            .select('id')
            .where('id', '=', documentId)
            .executeTakeFirst();
          if (stored && marking.tlp !== 'clear') {
            await trx
              .insertInto('document_markings')
              .values({
                id: randomBytes(8).toString('hex'),
                document_id: documentId,
                tlp: 'clear',
                org: null,
                created_at: now(),
              })
              .execute();
          }
        }
        const same = existing.find((m) => m.tlp === marking.tlp && m.org === marking.org);
        const id = same?.id ?? randomBytes(8).toString('hex');
        if (!same) {
          await trx
            .insertInto('document_markings')
            .values({ id, document_id: documentId, tlp: marking.tlp, org: marking.org, created_at: now() })
            .execute();
        }
        if (marking.tlp === 'red' && marking.recipients.length > 0) {
          await trx
            .insertInto('marking_recipients')
            .values([...new Set(marking.recipients)].map((user_id) => ({ marking_id: id, user_id })))
            .onConflict((oc) => oc.columns(['marking_id', 'user_id']).doNothing())
            .execute();
        }
      });
    },
    async markingsOf(documentIds) {
      const result = new Map<string, Marking[]>();
      const ids = [...new Set(documentIds)];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const rows = await db
          .selectFrom('document_markings')
          .selectAll()
          .where('document_id', 'in', chunk)
          .orderBy('id')
          .execute();
        const recipients = new Map<string, string[]>();
        const red = rows.filter((r) => r.tlp === 'red').map((r) => r.id);
        if (red.length > 0) {
          for (const r of await db
            .selectFrom('marking_recipients')
            .selectAll()
            .where('marking_id', 'in', red)
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
    },
    async documentExists(id) {
      return (
        (await db.selectFrom('documents').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
      );
    },
    async listIncidents(c, filter, limit, after) {
      let select = db
        .selectFrom('incidents')
        .selectAll('incidents')
        .where(() => incidentVisible(c, sql.ref('incidents.id')));
      if (filter.country !== undefined) select = select.where('incidents.country', '=', filter.country);
      if (filter.group !== undefined) {
        const ids = await idsCountingAs(database, filter.group);
        select = select.where('incidents.id', 'in', (eb) =>
          eb.selectFrom('incident_groups').select('incident_id').where('group_id', 'in', ids),
        );
      }
      if (filter.since !== undefined) select = select.where('incidents.date', '>=', filter.since);
      if (filter.until !== undefined) select = select.where('incidents.date', '<=', filter.until);
      // Attack types are a JSON array of fixed words: a LIKE on the quoted word is exact.
      if (filter.attackType !== undefined)
        select = select.where(
          'incidents.attack_types',
          'like',
          `%"${filter.attackType.replace(/[^a-z_]/g, '')}"%`,
        );
      if (filter.words !== undefined && filter.words.length > 0) {
        const words = filter.words;
        select = select.where(() => textMatch(words, c));
      }
      if (after !== null) {
        const { date, id } = after;
        select = select.where((eb) =>
          date === null
            ? eb.and([eb('incidents.date', 'is', null), eb('incidents.id', '>', id)])
            : eb.or([
                eb('incidents.date', '<', date),
                eb.and([eb('incidents.date', '=', date), eb('incidents.id', '>', id)]),
                eb('incidents.date', 'is', null),
              ]),
        );
      }
      const rows = await select
        .orderBy('incidents.date', (ob) => ob.desc().nullsLast())
        .orderBy('incidents.id')
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: await hydrate(page),
        next: rows.length > limit && last ? { date: last.date, id: last.id } : null,
      };
    },
    async findIncident(c, idOrPrefix) {
      const visible = (id: string) =>
        db
          .selectFrom('incidents')
          .selectAll()
          .where('id', '=', id)
          .where(() => incidentVisible(c, sql.ref('incidents.id')));
      const exact = await visible(idOrPrefix).executeTakeFirst();
      if (exact) return (await hydrate([exact]))[0] ?? null;
      if (idOrPrefix.length < 4 || !/^[0-9a-f]+$/.test(idOrPrefix)) return null;
      const rows = await db
        .selectFrom('incidents')
        .selectAll()
        .where(sql<string>`substr(id, 1, ${sql.lit(idOrPrefix.length)})`, '=', idOrPrefix)
        .where(() => incidentVisible(c, sql.ref('incidents.id')))
        .orderBy('id')
        .limit(6)
        .execute();
      if (rows.length === 0) return null;
      if (rows.length > 1) return { ambiguous: rows.map((r) => r.id) };
      return (await hydrate(rows))[0] ?? null;
    },
    async incidentsOfDocument(c, documentId) {
      const rows = await db
        .selectFrom('incidents')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb.selectFrom('incident_sources').select('incident_id').where('document_id', '=', documentId),
        )
        .where(() => incidentVisible(c, sql.ref('incidents.id')))
        .orderBy('date', (ob) => ob.desc().nullsLast())
        .orderBy('id')
        .execute();
      return hydrate(rows);
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

/** SQL: the caller sees the document `doc` (the rule of src/server/access.ts, in SQL). */
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

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
