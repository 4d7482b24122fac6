import { cursorBinding, cursorSealOf } from '../access/cursor.js';
import type { Position } from '../access/order.js';
import { Reader, type Seen } from '../access/reader.js';
import { type ArmedGroup, loadGroups } from '../knowledge/groups.js';
import { storeDocument } from '../pipeline/ingest.js';
import { incidentJson } from '../resolve/index.js';
import { detectLanguage, documentId, isIsoDate, normaliseText } from '../sources/index.js';
import type {
  DocumentMeta,
  IncidentFilter,
  IncidentSort,
  IncidentSortKey,
  MarkingLevel,
  Principal,
  Role,
  Store,
} from '../store/index.js';
import { StoreError } from '../store/index.js';
import { documentMarking, type Holding } from '../tlp/index.js';
import { hasRole } from './access.js';
import { ApiError, badRequest, forbidden, notFound } from './errors.js';

/* The service layer: every route calls it with the caller's principal, and it is the only code that
 * reads incidents, documents and groups for the API. Incidents come through the reader of src/access
 * (each one as the caller may see it: built from the documents they see only, with its marking for
 * them); documents through the store's reads filtered by the caller's clearance. Cursors are sealed
 * (src/access/cursor.ts). */

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

export interface IncidentListQuery {
  readonly country?: string | undefined;
  readonly group?: string | undefined;
  readonly since?: string | undefined;
  readonly until?: string | undefined;
  readonly attack_type?: string | undefined;
  readonly q?: string | undefined;
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
  /** Sort key (default date) and direction (default desc); see `IncidentSort`. */
  readonly sort?: IncidentSortKey | undefined;
  readonly order?: 'asc' | 'desc' | undefined;
}

export const SORT_KEYS: readonly IncidentSortKey[] = ['date', 'killed', 'wounded', 'country', 'group'];

export interface IngestRequest {
  readonly text: string;
  readonly title?: string | undefined;
  readonly url?: string | undefined;
  readonly published?: string | undefined;
  readonly tlp?: MarkingLevel | undefined;
  /** Users (`org/name`) who may read a TLP:RED article; the caller's own user is always one. */
  readonly recipients?: readonly string[] | undefined;
}

/** A discovered group's id as extraction makes one (src/extract/fields/new-groups.ts): anything else
 * names no group. */
export const DISCOVERED_ID = /^discovered:[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Default marking of an article posted to the API: shared only with the caller's organisation
 * and those it shares with, until the caller says otherwise. */
export const DEFAULT_API_TLP: MarkingLevel = 'amber';

export type IncidentOut = ReturnType<typeof incidentJson> & { tlp: MarkingLevel };

/** An incident as the API shows it to the caller. */
export const incidentOut = (s: Seen): IncidentOut => ({ ...incidentJson(s.incident), tlp: s.tlp });

export class Service {
  readonly store: Store;
  /** The caller's incidents, as they may see them. */
  readonly reader: Reader;
  #groupsSynced = false;
  #knowledge: readonly ArmedGroup[] | undefined;

  constructor(store: Store) {
    this.store = store;
    this.reader = new Reader(store);
  }

  me(p: Principal) {
    return { key_id: p.keyId, org: p.org, user: p.userId, role: p.role, amber_from: p.amberOrgs };
  }

  async listIncidents(p: Principal, query: IncidentListQuery) {
    const { page, next } = await this.#incidentPage(p, 'incidents', query);
    return { incidents: page.items.map(incidentOut), next_cursor: next };
  }

  async getIncident(p: Principal, id: string): Promise<IncidentOut> {
    return incidentOut(await this.seenIncident(p, id));
  }

  /** One incident as the caller sees it; 404 alike for hidden and missing. */
  async seenIncident(p: Principal, id: string): Promise<Seen> {
    const found = await this.reader.find(p, id);
    if (found !== null && 'ambiguous' in found) {
      throw new ApiError(
        400,
        'ambiguous_id',
        `incident id prefix ${id} matches ${found.ambiguous.join(', ')}`,
      );
    }
    if (found === null) throw notFound(`incident ${id}`);
    return found;
  }

  async listDocuments(p: Principal, query: { limit?: number | undefined; cursor?: string | undefined }) {
    const limit = pageSize(query.limit);
    const binding = cursorBinding(p.keyId, 'documents', {});
    const cursor = await this.#open(
      query.cursor,
      binding,
      (v): v is [string, string] =>
        Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string',
    );
    const after = cursor === null ? null : { ingestedAt: cursor[0], id: cursor[1] };
    const page = await this.store.access.listDocuments(p, limit, after);
    const markings = await this.store.access.markingsOf(page.items.map((d) => d.id));
    const documents = [];
    for (const d of page.items) {
      const tlp = documentMarking(p, markings.get(d.id));
      if (tlp !== null) documents.push(documentJson(d, tlp));
    }
    return {
      documents,
      next_cursor:
        page.next === null
          ? null
          : (await cursorSealOf(this.store)).seal([page.next.ingestedAt, page.next.id], binding),
    };
  }

  /** A document's metadata and text, and the incidents from it, for a caller cleared for it. */
  async getDocument(p: Principal, id: string) {
    const doc = await this.store.access.getDocument(p, id);
    const tlp = doc === null ? null : documentMarking(p, (await this.store.access.markingsOf([id])).get(id));
    if (doc === null || tlp === null) throw notFound(`document ${id}`);
    const incidents = await this.reader.ofDocument(p, id);
    return { ...documentJson(doc, tlp), text: doc.text, incidents: incidents.map((i) => i.incident.id) };
  }

  /** An analyst of the organisation holding a document raises its marking (never lowers or widens
   * it): what every caller is shown follows at once. */
  async markDocument(
    p: Principal,
    id: string,
    request: { tlp: MarkingLevel; recipients?: readonly string[] | undefined },
  ) {
    this.#require(p, 'analyst');
    const doc = await this.store.access.getDocument(p, id);
    const held = (await this.store.access.markingsOf([id])).get(id);
    if (doc === null || documentMarking(p, held) === null) throw notFound(`document ${id}`);
    if (!(held ?? []).some((m) => m.org === p.org))
      throw forbidden(`document ${id} is not held by ${p.org}: only its holder marks it`);
    let recipients: string[] = [];
    if (request.tlp === 'red') {
      recipients = await this.#storeCall(() => this.store.access.resolveUsers(request.recipients ?? []));
      if (p.userId !== null && !recipients.includes(p.userId)) recipients.push(p.userId);
    } else if ((request.recipients ?? []).length > 0) throw badRequest('recipients are for TLP:RED only');
    await this.#storeCall(() =>
      this.store.access.raiseMarking(id, p.org, { tlp: request.tlp, org: p.org, recipients }),
    );
    return this.getDocument(p, id).catch((error: unknown) => {
      // Raised beyond the caller (RED for others): theirs no more to read.
      if (error instanceof ApiError && error.status === 404) return { id, tlp: request.tlp, readable: false };
      throw error;
    });
  }

  async listGroups(_p: Principal) {
    const groups = await this.#groups();
    return { groups: groups.map((g) => ({ ...g })) };
  }

  /** Discovered groups as seen in the incidents the caller sees: names, counts and decisions. */
  async discoveredGroups(p: Principal) {
    const mentions = await this.reader.discoveredMentions(p);
    // The decisions in force, for the groups the caller sees only.
    const decisions = new Map((await this.store.listDiscoveredGroups()).map((g) => [g.id, g.decision]));
    const byId = new Map<string, { names: Map<string, number>; incidents: Set<string> }>();
    for (const m of mentions) {
      const entry = byId.get(m.groupId) ?? { names: new Map<string, number>(), incidents: new Set<string>() };
      entry.names.set(m.name, (entry.names.get(m.name) ?? 0) + 1);
      entry.incidents.add(m.incidentId);
      byId.set(m.groupId, entry);
    }
    return {
      groups: [...byId].map(([id, e]) => {
        const decision = decisions.get(id) ?? null;
        return {
          id,
          names: [...e.names].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([n]) => n),
          incidents: e.incidents.size,
          decision:
            decision === null
              ? null
              : {
                  kind: decision.kind,
                  into: decision.intoGroupId,
                  by: decision.by,
                  reason: decision.reason,
                  decided_at: decision.decidedAt,
                },
        };
      }),
    };
  }

  async decideGroup(
    p: Principal,
    groupId: string,
    request:
      | { kind: 'merge'; into: string; reason: string }
      | { kind: 'promote'; name: string; reason: string },
  ) {
    this.#require(p, 'analyst');
    await this.#requireDiscovered(p, groupId);
    const by = p.userId ?? `${p.org} (key ${p.keyId})`;
    const decision = await this.#storeCall(() =>
      this.store.decideGroup(
        request.kind === 'merge'
          ? { kind: 'merge', groupId, into: request.into, by, reason: request.reason }
          : { kind: 'promote', groupId, name: request.name, by, reason: request.reason },
      ),
    );
    return decisionJson(decision);
  }

  async undoGroupDecision(p: Principal, groupId: string) {
    this.#require(p, 'analyst');
    await this.#requireDiscovered(p, groupId);
    const by = p.userId ?? `${p.org} (key ${p.keyId})`;
    return decisionJson(await this.#storeCall(() => this.store.undoGroupDecision(groupId, by)));
  }

  /** Stores a posted article as the caller organisation's holding of its text under the marking
   * asked for, extracts its incidents, and returns those the caller sees. The same text held by
   * anyone else, under any marking, is another document: the answer is the one a text never seen
   * gets (src/tlp/marking.ts); only the caller's own holding of it answers `duplicate`. */
  async ingest(p: Principal, request: IngestRequest) {
    this.#require(p, 'analyst');
    const text = normaliseText(request.text);
    if (text === '') throw badRequest('text is empty');
    if (request.published !== undefined && !isIsoDate(request.published.trim()))
      throw badRequest(`published ${JSON.stringify(request.published)} is not a date (YYYY-MM-DD)`);
    const tlp = request.tlp ?? DEFAULT_API_TLP;
    let recipients: string[] = [];
    if (tlp === 'red') {
      recipients = await this.#storeCall(() => this.store.access.resolveUsers(request.recipients ?? []));
      if (p.userId !== null) recipients.push(p.userId);
      if (recipients.length === 0)
        throw badRequest('a TLP:RED article needs recipients (users written org/name), or a key of a user');
    } else if (request.recipients !== undefined && request.recipients.length > 0) {
      throw badRequest('recipients are for TLP:RED articles only');
    }
    const holding: Holding = { tlp, org: p.org, recipients: [...new Set(recipients)] };
    const doc = {
      id: documentId(text),
      text,
      title: present(request.title),
      url: present(request.url),
      outlet: null,
      published: present(request.published),
      language: detectLanguage(text),
      origin: present(request.url) ?? `api:${p.org}`,
    };
    const groups = await this.#groups();
    const outcome = await this.#storeCall(() =>
      storeDocument(this.store, doc, new Map(groups.map((g) => [g.id, g])), { analyse: false, holding }),
    );
    if (outcome.status === 'error') throw badRequest(outcome.reason);
    const marking = documentMarking(p, [holding]);
    const incidents = marking === null ? [] : await this.reader.ofDocument(p, outcome.documentId);
    return {
      status: outcome.status,
      document_id: outcome.documentId,
      tlp: marking,
      incidents: incidents.map(incidentOut),
    };
  }

  /** A STIX 2.1 bundle of the incidents the caller sees, each marked with its marking for them. */
  async stixBundle(p: Principal, query: IncidentListQuery) {
    const { bundleText, checkBundle, exportBundle } = await import('../stix/index.js');
    const { page, next } = await this.#incidentPage(p, 'stix', query);
    const tlpOf = new Map(page.items.map((s) => [s.incident.id, s.tlp]));
    const ids = new Set(
      page.items.flatMap((s) => [...s.incident.sources, ...s.incident.evidence.map((e) => e.documentId)]),
    );
    const documents = [];
    for (const id of [...ids].sort()) {
      const doc = await this.store.access.getDocument(p, id);
      if (doc !== null) {
        const { text: _text, ingestedAt: _at, ...meta } = doc;
        documents.push(meta);
      }
    }
    const bundle = exportBundle({
      incidents: page.items.map((s) => s.incident),
      documents,
      groups: await this.#groups(),
      tlp: (incident) => tlpOf.get(incident.id) ?? 'red',
    });
    const body = bundleText(bundle);
    const check = checkBundle(JSON.parse(body));
    if (check.errors.length > 0) throw new ApiError(500, 'internal', 'the STIX bundle does not validate');
    return { body, next_cursor: next };
  }

  /** A page of the caller's incidents for a list query, and the sealed cursor of the next one. */
  async #incidentPage(p: Principal, list: string, query: IncidentListQuery) {
    const limit = pageSize(query.limit);
    const sort = incidentSort(query);
    const filter = await this.#filter(query);
    // Bound to the list as read: its filter (the group resolved) and its order (the default spelt or not).
    const binding = cursorBinding(p.keyId, list, { ...filter, ...(sort === undefined ? {} : sort) });
    const after = await this.#open(query.cursor, binding, isPosition(sort));
    const page = await this.reader.list(p, filter, limit, after, sort);
    const next = page.next === null ? null : (await cursorSealOf(this.store)).seal(page.next, binding);
    return { page, next };
  }

  /** A cursor's position, checked: a cursor not sealed by this server for this key and list is refused. */
  async #open<T>(
    cursor: string | undefined,
    binding: string,
    valid: (v: unknown) => v is T,
  ): Promise<T | null> {
    if (cursor === undefined) return null;
    const value = (await cursorSealOf(this.store)).open(cursor, binding);
    if (!valid(value))
      throw badRequest(
        'invalid cursor (pass next_cursor from the previous page as it is, with the same key and the same query)',
        'invalid_cursor',
      );
    return value;
  }

  // Administration of the caller's own organisation.

  async listOrgs(p: Principal) {
    this.#require(p, 'admin');
    const orgs = await this.store.access.listOrgs();
    return {
      orgs: orgs.map((o) => ({
        name: o.name,
        created_at: o.createdAt,
        ...(o.name === p.org ? { shares_with: o.sharesWith } : {}),
      })),
    };
  }

  async addOrg(p: Principal, name: string) {
    this.#require(p, 'admin');
    const org = await this.#storeCall(() => this.store.access.addOrg(name), 409);
    return { name: org.name, created_at: org.createdAt };
  }

  async share(p: Principal, owner: string, withOrg: string, share: boolean) {
    this.#require(p, 'admin');
    if (owner !== p.org) throw forbidden(`only ${owner}'s administrators decide what it shares`);
    await this.#storeCall(() =>
      share ? this.store.access.shareOrg(owner, withOrg) : this.store.access.unshareOrg(owner, withOrg),
    );
    return { owner, with: withOrg, shared: share };
  }

  async listKeys(p: Principal) {
    this.#require(p, 'admin');
    return { keys: (await this.store.access.listKeys(p.org)).map(keyJson) };
  }

  async createKey(p: Principal, request: { role: Role; user?: string | undefined }) {
    this.#require(p, 'admin');
    const created = await this.#storeCall(() =>
      this.store.access.createKey({ org: p.org, role: request.role, user: request.user }),
    );
    return { ...keyJson(created), key: created.key };
  }

  async revokeKey(p: Principal, id: string) {
    this.#require(p, 'admin');
    return keyJson(await this.#storeCall(() => this.store.access.revokeKey(id, p.org), 404));
  }

  #require(p: Principal, role: Role): void {
    if (!hasRole(p, role)) throw forbidden(`this needs the ${role} role; the key has ${p.role}`);
  }

  async #requireDiscovered(p: Principal, groupId: string): Promise<void> {
    const mentions = await this.reader.discoveredMentions(p);
    if (!mentions.some((m) => m.groupId === groupId)) throw notFound(`discovered group ${groupId}`);
  }

  /** The database filter of a query, its group resolved (for the dashboard's reads, src/server/dashboard.ts). */
  incidentFilter(query: IncidentListQuery): Promise<IncidentFilter> {
    return this.#filter(query);
  }

  /** The knowledge base's groups, synced to the store on first use. */
  knowledgeGroups(): Promise<readonly ArmedGroup[]> {
    return this.#groups();
  }

  async #groups(): Promise<readonly ArmedGroup[]> {
    if (!this.#groupsSynced) {
      this.#knowledge ??= loadGroups();
      if ((await this.store.listGroups()).length === 0) await this.store.syncGroups(this.#knowledge);
      this.#groupsSynced = true;
    }
    return this.store.listGroups();
  }

  async #filter(query: IncidentListQuery): Promise<IncidentFilter> {
    if (query.since !== undefined && query.until !== undefined && query.since > query.until)
      throw badRequest(`since ${query.since} is after until ${query.until}`);
    let group: string | undefined;
    if (query.group !== undefined) {
      const wanted = query.group.trim().toLowerCase();
      const groups = await this.#groups();
      const found =
        groups.find((g) => g.id === wanted) ??
        groups.find((g) => [g.name, ...g.aliases].some((n) => n.toLowerCase() === wanted));
      group = found?.id ?? (DISCOVERED_ID.test(wanted) ? wanted : undefined);
      if (group === undefined) throw badRequest(`unknown group ${query.group}`, 'unknown_group');
    }
    let words: string[] | undefined;
    if (query.q !== undefined) {
      words = (query.q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
      if (words.length === 0) throw badRequest('q has no words to search for');
    }
    return {
      ...(query.country === undefined ? {} : { country: query.country.toUpperCase() }),
      ...(group === undefined ? {} : { group }),
      ...(query.since === undefined ? {} : { since: query.since }),
      ...(query.until === undefined ? {} : { until: query.until }),
      ...(query.attack_type === undefined ? {} : { attackType: query.attack_type }),
      ...(words === undefined ? {} : { words }),
    };
  }

  async #storeCall<T>(work: () => Promise<T>, status = 400): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError && error.code === 'invalid_option') {
        const code = status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'invalid_request';
        throw new ApiError(status, code, error.message);
      }
      throw error;
    }
  }
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw badRequest(`limit must be a whole number from 1 to ${MAX_PAGE}`);
  return limit;
}

/** The order asked for; undefined for the default (date, newest first: undated last, then by id). */
function incidentSort(query: IncidentListQuery): IncidentSort | undefined {
  const by = query.sort ?? 'date';
  const order = query.order ?? 'desc';
  if (!SORT_KEYS.includes(by)) throw badRequest(`sort must be one of ${SORT_KEYS.join(', ')}`);
  if (order !== 'asc' && order !== 'desc') throw badRequest('order must be asc or desc');
  return by === 'date' && order === 'desc' ? undefined : { by, order };
}

/** Whether an unsealed cursor is a position in this order. */
function isPosition(sort: IncidentSort | undefined) {
  return (v: unknown): v is Position => {
    if (typeof v !== 'object' || v === null) return false;
    const { date, id, key } = v as Record<string, unknown>;
    if (typeof id !== 'string' || (date !== null && typeof date !== 'string')) return false;
    return sort === undefined ? key === undefined : typeof key === 'string' || typeof key === 'number';
  };
}

function documentJson(d: DocumentMeta, tlp: MarkingLevel) {
  return {
    id: d.id,
    title: d.title,
    url: d.url,
    outlet: d.outlet,
    published: d.published,
    language: d.language,
    origin: d.origin,
    ingested_at: d.ingestedAt,
    tlp,
  };
}

function keyJson(k: {
  id: string;
  org: string;
  userId: string | null;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}) {
  return {
    id: k.id,
    org: k.org,
    user: k.userId,
    role: k.role,
    created_at: k.createdAt,
    revoked_at: k.revokedAt,
  };
}

function decisionJson(d: {
  kind: string;
  groupId: string;
  intoGroupId: string;
  by: string;
  reason: string;
  decidedAt: string;
  undoneAt: string | null;
}) {
  return {
    kind: d.kind,
    group: d.groupId,
    into: d.intoGroupId,
    by: d.by,
    reason: d.reason,
    decided_at: d.decidedAt,
    undone_at: d.undoneAt,
  };
}

function present(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
