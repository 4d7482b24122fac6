import { createHash, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { cursorBinding, cursorSealOf } from '../access/cursor.js';
import type { Reader } from '../access/reader.js';
import { citedBy } from '../access/views.js';
import { type ArmedGroup, loadGroups } from '../knowledge/groups.js';
import { loadCountries } from '../knowledge/places.js';
import type { Incident } from '../resolve/index.js';
import {
  checkObject,
  exportObjects,
  heldImportId,
  planImport,
  renamed,
  type StixObject,
  stixId,
  TLP_LEVELS,
  tlpMarking,
  VIGIL_EXTENSION_ID,
  VIGIL_IDENTITY_ID,
  VIGIL_NAMESPACE,
} from '../stix/index.js';
import type {
  MarkingLevel,
  Principal,
  Probe,
  Store,
  TaxiiScope,
  TaxiiStatus,
  UnitKey,
} from '../store/index.js';
import { audienceLevel, type Holding, holdingKey, mostRestrictive } from '../tlp/index.js';
import { hasRole } from './access.js';
import { ApiError, badRequest, forbidden, notFound } from './errors.js';

/* The service layer of the TAXII 2.1 server (routes in taxii.ts). Like service.ts it is the only code
 * the routes call, and it filters everything by the caller's clearance: incidents of one audience are
 * read through the store's clearance filter, and mixed ones are the caller's views of them (the
 * reader of src/access), interleaved in the order they were stored.
 *
 * A collection's objects are the STIX export (src/stix) of the incidents it holds for the caller,
 * in the order the incidents were stored (`created_at`, then id). Each object's `date_added` is the
 * time its first incident was stored; an object several incidents share (a threat actor, a
 * location, a report, an identity, a `targets` relationship) is in the collection once, as the
 * export of its first incident makes it. Vigil's identity, its extension-definition and the five
 * TLP 2.0 marking definitions come with the collection's first incident. Ids are the export's
 * UUIDv5, so the same store gives the same pages. */

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';
export const DEFAULT_TAXII_PAGE = 100;
export const MAX_TAXII_PAGE = 1000;

export interface CollectionDef {
  readonly id: string;
  readonly alias: string;
  readonly title: string;
  readonly description: string;
  readonly scope: TaxiiScope;
  /** Analysts may post objects to it. */
  readonly writable: boolean;
}

const REGIONS = ['Africa', 'Americas', 'Asia', 'Europe', 'Oceania'] as const;
/** Topic collections by group: the groups analysts ask for most. */
export const TOPIC_GROUPS: readonly (readonly [string, string])[] = [
  ['islamic-state', 'Islamic State'],
  ['iskp', 'Islamic State Khorasan Province'],
  ['al-qaeda', 'al-Qaeda'],
  ['al-shabaab', 'al-Shabaab'],
  ['boko-haram', 'Boko Haram'],
  ['jnim', "Jama'at Nusrat al-Islam wal-Muslimin"],
  ['taliban', 'Taliban'],
];

/** A collection's id: the same on every Vigil server. */
export const collectionId = (alias: string) => uuidv5(`taxii-collection:${alias}`, VIGIL_NAMESPACE);

function collectionDefs(): CollectionDef[] {
  const defs: CollectionDef[] = [
    {
      id: collectionId('all'),
      alias: 'all',
      title: 'All incidents',
      description: 'Every incident you are cleared for, with what the STIX export derives from it.',
      scope: {},
      writable: true,
    },
  ];
  for (const level of TLP_LEVELS) {
    const alias = `tlp-${level.replace('+', '-')}`;
    defs.push({
      id: collectionId(alias),
      alias,
      title: `TLP:${level.toUpperCase()} incidents`,
      description: `Incidents whose TLP 2.0 marking for you (the most restrictive marking of the documents your view of each is made from) is ${level.toUpperCase()}. Objects posted here are held under TLP:${level.toUpperCase()}, or under the stricter marking they carry.`,
      scope: { tlp: level },
      writable: true,
    });
  }
  const countries = loadCountries();
  for (const region of REGIONS) {
    const alias = `region-${region.toLowerCase()}`;
    defs.push({
      id: collectionId(alias),
      alias,
      title: `Incidents in ${region}`,
      description: `Incidents you are cleared for that happened in a country of ${region} (UN region).`,
      scope: { countries: countries.filter((c) => c.region === region).map((c) => c.code) },
      writable: false,
    });
  }
  for (const [group, name] of TOPIC_GROUPS) {
    const alias = `group-${group}`;
    defs.push({
      id: collectionId(alias),
      alias,
      title: `Incidents attributed to ${name}`,
      description: `Incidents you are cleared for with ${name} (knowledge-base id ${group}, and the discovered groups analysts merged into it) among the perpetrators, whatever the attribution.`,
      scope: { groups: [group] },
      writable: false,
    });
  }
  return defs;
}

export interface ObjectQuery {
  readonly limit?: number | undefined;
  readonly next?: string | undefined;
  readonly addedAfter?: string | undefined;
  readonly ids?: readonly string[] | undefined;
  readonly types?: readonly string[] | undefined;
  /** `first`, `last`, `all` or timestamps (default last). */
  readonly versions?: readonly string[] | undefined;
  readonly specVersions?: readonly string[] | undefined;
}

export interface PagedObject {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  /** The object as UTF-8 JSON: made once per export of an incident (see `ExportCache`), and sent
   * as it is. */
  readonly json: Buffer;
  readonly dateAdded: string;
  readonly version: string;
}

/** An object of an incident's export, serialised, with what the filters and the manifest read. */
interface CachedObject {
  readonly id: string;
  readonly type: string;
  readonly specVersion: string;
  readonly version: string;
  readonly json: Buffer;
}

/** What an incident adds to a collection, before shared objects already in it are left out. */
interface IncidentExport {
  readonly objects: readonly CachedObject[];
  /** Ids of the objects it shares with other incidents, with how to find them (`sharedProbes`). */
  readonly shared: ReadonlyMap<string, Probe>;
  /** Bytes of JSON held. */
  readonly size: number;
}

/**
 * Incidents' STIX exports, serialised, most recently used last, within a budget of bytes.
 * The key is a digest of everything the export is made from: the incident as the caller sees it
 * (built from the documents they see only), its TLP level for them, and its documents' metadata (the knowledge base is fixed for the service's
 * life). So an entry is exact for every caller whose view of the incident is the same, and an
 * incident rewritten, re-linked or re-attributed (analysts' merges) simply has a new key; old
 * entries age out.
 */
class ExportCache {
  readonly #entries = new Map<string, IncidentExport>();
  #size = 0;
  readonly #budget: number;

  constructor(budget: number) {
    this.#budget = budget;
  }

  get(key: string): IncidentExport | undefined {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: IncidentExport): void {
    if (entry.size > this.#budget) return;
    const old = this.#entries.get(key);
    if (old !== undefined) {
      this.#entries.delete(key);
      this.#size -= old.size;
    }
    this.#entries.set(key, entry);
    this.#size += entry.size;
    for (const [k, e] of this.#entries) {
      if (this.#size <= this.#budget) break;
      this.#entries.delete(k);
      this.#size -= e.size;
    }
  }
}

/** Bytes of serialised STIX kept by a TAXII service (about 3,000 incidents' exports). */
export const DEFAULT_EXPORT_CACHE = 64 * 1024 * 1024;

export interface ObjectPage {
  readonly items: PagedObject[];
  readonly more: boolean;
  readonly next: string | null;
}

interface Cursor {
  readonly key: UnitKey;
  /** Objects of that incident (after the filters) already returned. */
  readonly offset: number;
}

/** An incident of a collection for the caller: as they see it, with its marking for them. */
interface SeenUnit {
  readonly key: UnitKey;
  readonly incident: Incident;
  readonly tlp: MarkingLevel;
}

export class TaxiiService {
  readonly store: Store;
  readonly collections: readonly CollectionDef[];
  readonly maxContentLength: number;
  readonly #reader: Reader;
  #groups: Promise<readonly ArmedGroup[]> | undefined;
  readonly #exports: ExportCache;

  constructor(
    store: Store,
    reader: Reader,
    options: { maxContentLength: number; exportCacheBytes?: number },
  ) {
    this.store = store;
    this.#reader = reader;
    this.collections = collectionDefs();
    this.maxContentLength = options.maxContentLength;
    this.#exports = new ExportCache(options.exportCacheBytes ?? DEFAULT_EXPORT_CACHE);
  }

  discovery(base: string) {
    return {
      title: 'Vigil TAXII 2.1 server',
      description:
        'Terrorism incident records with evidence as STIX 2.1, filtered by your TLP 2.0 clearance.',
      default: `${base}/taxii2/vigil/`,
      api_roots: [`${base}/taxii2/vigil/`],
    };
  }

  apiRoot() {
    return {
      title: 'Vigil',
      description: 'Collections by TLP 2.0 marking, by region and by group, and all incidents.',
      versions: [TAXII_MEDIA_TYPE],
      max_content_length: this.maxContentLength,
    };
  }

  listCollections(p: Principal) {
    return { collections: this.collections.map((c) => this.#collectionJson(p, c)) };
  }

  getCollection(p: Principal, idOrAlias: string) {
    return this.#collectionJson(p, this.collection(idOrAlias));
  }

  /** A collection by its id or its alias. */
  collection(idOrAlias: string): CollectionDef {
    const found = this.collections.find((c) => c.id === idOrAlias || c.alias === idOrAlias);
    if (found === undefined) throw notFound(`collection ${idOrAlias}`);
    return found;
  }

  #collectionJson(p: Principal, c: CollectionDef) {
    return {
      id: c.id,
      title: c.title,
      description: c.description,
      alias: c.alias,
      can_read: true,
      can_write: c.writable && hasRole(p, 'analyst'),
      media_types: [STIX_MEDIA_TYPE],
    };
  }

  /** A page of a collection's objects for the caller, oldest first. */
  async objects(p: Principal, collectionRef: string, query: ObjectQuery): Promise<ObjectPage> {
    const collection = this.collection(collectionRef);
    const limit = taxiiLimit(query.limit);
    const binding = cursorBinding(p.keyId, `taxii:${collection.id}`, {});
    const cursor = query.next === undefined ? null : await this.#openNext(query.next, binding);
    const addedAfter = query.addedAfter === undefined ? null : timestamp('added_after', query.addedAfter);
    const keep = objectFilter(query);
    const scope = collection.scope;
    const views = await this.#views(p, scope);
    const stored = await this.store.taxii.firstUnit(p, scope);
    const first = [stored, views[0]?.key ?? null]
      .filter((k): k is UnitKey => k !== null)
      .sort(compareKeys)[0];
    if (first === undefined) return { items: [], more: false, next: null };

    const items: (PagedObject & { cursor: Cursor })[] = [];
    const seen = new Set<string>();
    let scanStart: UnitKey | null = null;
    let from: UnitKey | null = cursor?.key ?? null;
    // Incidents read at a time: a first guess of about 16 objects each (an incident, its reports,
    // notes and relationships), then what the objects so far per incident say the rest needs.
    let batch = Math.min(500, Math.max(5, Math.ceil((limit + 1) / 16)));
    let unitsRead = 0;
    let objectsMade = 0;
    for (;;) {
      const units = await this.#units(p, scope, views, { from, addedAfter, limit: batch + 1 });
      const here = units.slice(0, batch);
      if (here.length === 0) break;
      scanStart ??= (here[0] as SeenUnit).key;
      const built = await this.#build(p, collection, here, scanStart, seen, first, views);
      unitsRead += here.length;
      for (const { unit, objects } of built) {
        objectsMade += objects.length;
        const kept = objects.filter(keep);
        const skip = cursor !== null && sameKey(cursor.key, unit.key) ? cursor.offset : 0;
        for (let n = skip; n < kept.length && items.length <= limit; n++) {
          items.push({ ...(kept[n] as PagedObject), cursor: { key: unit.key, offset: n } });
        }
        if (items.length > limit) break;
      }
      if (items.length > limit || units.length <= batch) break;
      from = (units[batch] as SeenUnit).key;
      const perUnit = Math.max(1, objectsMade / Math.max(1, unitsRead));
      batch = Math.min(500, Math.max(5, Math.ceil(((limit + 1 - items.length) / perUnit) * 1.2)));
    }
    const more = items.length > limit;
    const page = items.slice(0, limit);
    const nextItem = more ? items[limit] : undefined;
    return {
      items: page.map(({ cursor: _c, ...item }) => item),
      more,
      next:
        nextItem === undefined
          ? null
          : (await cursorSealOf(this.store)).seal(
              [nextItem.cursor.key.createdAt, nextItem.cursor.key.id, nextItem.cursor.offset],
              binding,
            ),
    };
  }

  /** The caller's views of mixed incidents (src/access) that a scope holds, in the order stored. */
  async #views(p: Principal, scope: TaxiiScope): Promise<SeenUnit[]> {
    const views = await this.#reader.views(p);
    if (views.length === 0) return [];
    const groups =
      scope.groups === undefined
        ? null
        : new Set((await Promise.all(scope.groups.map((g) => this.store.mixed.countingAs(g)))).flat());
    return views
      .filter(
        (v) =>
          (scope.tlp === undefined || v.tlp === scope.tlp) &&
          (scope.countries === undefined ||
            (v.raw.country !== null && scope.countries.includes(v.raw.country))) &&
          (groups === null || v.raw.perpetratorGroups.some((g) => groups.has(g.groupId))),
      )
      .map((v) => ({ key: { createdAt: v.createdAt, id: v.incident.id }, incident: v.incident, tlp: v.tlp }))
      .sort((a, b) => compareKeys(a.key, b.key));
  }

  /** Incidents of the scope from `from` on (stored after `addedAfter`): the store's, of one audience,
   * and the caller's views, in one order. */
  async #units(
    p: Principal,
    scope: TaxiiScope,
    views: readonly SeenUnit[],
    options: { from: UnitKey | null; addedAfter: string | null; limit: number },
  ): Promise<SeenUnit[]> {
    const stored = await this.store.taxii.units(p, scope, options);
    const { from, addedAfter, limit } = options;
    const later = views.filter(
      (v) =>
        (from === null || compareKeys(v.key, from) >= 0) &&
        (addedAfter === null || v.key.createdAt > addedAfter),
    );
    return [
      ...stored.map((u) => ({
        key: u.key,
        incident: u.incident,
        tlp: audienceLevel(p, u.audience) ?? 'red',
      })),
      ...later.slice(0, limit),
    ]
      .sort((a, b) => compareKeys(a.key, b.key))
      .slice(0, limit);
  }

  async #openNext(next: string, binding: string): Promise<Cursor> {
    const value = (await cursorSealOf(this.store)).open(next, binding);
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      Number.isInteger(value[2]) &&
      (value[2] as number) >= 0
    )
      return { key: { createdAt: value[0], id: value[1] }, offset: value[2] as number };
    throw new ApiError(400, 'invalid_next', 'invalid next (pass the next of the previous page as it is)');
  }

  /** Every object of a collection with this id the caller may see (one version: Vigil keeps the
   * current one), filtered as the objects endpoint filters; 404 if there is none. */
  async object(p: Principal, collectionRef: string, id: string, query: ObjectQuery): Promise<ObjectPage> {
    const all = await this.objects(p, collectionRef, { ...query, ids: [id], limit: MAX_TAXII_PAGE });
    if (all.items.length === 0) {
      // Without the filters, so that a filtered-out object is an empty page, not a 404.
      const any = await this.objects(p, collectionRef, { ids: [id], limit: 1 });
      if (any.items.length === 0) throw notFound(`object ${id}`);
    }
    return all;
  }

  async versions(p: Principal, collectionRef: string, id: string, query: ObjectQuery) {
    const page = await this.object(p, collectionRef, id, { ...query, versions: ['all'] });
    return page;
  }

  /** Imports an envelope's objects (analyst) through the STIX import, holding the documents under a
   * TLP marking of the caller's organisation; returns the status resource. */
  async addObjects(p: Principal, collectionRef: string, envelope: unknown): Promise<TaxiiStatus> {
    const collection = this.collection(collectionRef);
    if (!hasRole(p, 'analyst'))
      throw forbidden(`posting objects needs the analyst role; the key has ${p.role}`);
    if (!collection.writable) throw forbidden(`collection ${collection.alias} is read-only`);
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope))
      throw badRequest('the body must be a TAXII envelope: {"objects": [...]}');
    const raw = (envelope as { objects?: unknown }).objects;
    if (!Array.isArray(raw)) throw badRequest('the envelope has no "objects" array');
    const id = randomUUID();
    const status = {
      id,
      org: p.org,
      requestTimestamp: new Date().toISOString(),
    };
    const detail = (o: unknown, message?: string) => {
      const obj = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
      return {
        id: typeof obj.id === 'string' ? obj.id : 'unknown',
        version: String(obj.modified ?? obj.created ?? ''),
        ...(message === undefined ? {} : { message }),
      };
    };
    await this.store.taxii.saveStatus({
      ...status,
      status: 'pending',
      successes: [],
      failures: [],
      pendings: raw.map((o) => detail(o)),
    });

    const failures: { id: string; version: string; message?: string }[] = [];
    const valid: StixObject[] = [];
    for (const item of raw) {
      if (typeof item !== 'object' || item === null || typeof (item as StixObject).type !== 'string') {
        failures.push(detail(item, 'not a STIX object (no type or id)'));
        continue;
      }
      const object = item as StixObject;
      if (typeof object.id !== 'string') {
        failures.push(detail(item, 'not a STIX object (no id)'));
        continue;
      }
      const issues = checkObject(object);
      if (issues.length > 0) {
        failures.push(detail(object, issues.map((i) => `${i.path}: ${i.message}`).join('; ')));
        continue;
      }
      valid.push(object);
    }
    const groups = await this.#knowledge();
    const plan = planImport({ type: 'bundle', id: `bundle--${id}`, objects: valid }, groups);
    const documents = new Map(plan.documents.map((d) => [d.id, d]));
    const messages = new Map<string, string>();
    for (const planned of plan.incidents) {
      const level = postedLevel(collection, planned.tlp);
      if (level === 'red' && p.userId === null) {
        messages.set(planned.stixId, 'refused: a TLP:RED incident needs a key of a user');
        continue;
      }
      // The caller organisation's copy, under its own ids (src/stix/held.ts): nothing posted reaches
      // or re-marks what another holding holds.
      const holding: Holding = {
        tlp: level,
        org: p.org,
        recipients: level === 'red' ? [p.userId as string] : [],
      };
      const key = holdingKey(holding);
      const held = renamed(planned.incident, documents, {
        incident: (i) => heldImportId(key, i, 'incident'),
        document: (d) => heldImportId(key, d, 'document'),
      });
      // The marking first, so that the documents are never readable unmarked.
      for (const documentId of new Set([
        ...held.incident.sources,
        ...held.incident.evidence.map((e) => e.documentId),
      ]))
        await this.store.access.addMarking(documentId, holding);
      const result = await this.store.saveImported(held.documents, [held.incident]);
      messages.set(
        planned.stixId,
        `${result.stored.includes(held.incident.id) ? 'stored as' : 'already posted by you as'} incident ${held.incident.id} (TLP:${level.toUpperCase()})`,
      );
    }
    const successes = [];
    for (const object of valid) {
      const message = messages.get(object.id);
      if (message?.startsWith('refused')) failures.push(detail(object, message));
      else successes.push(detail(object, message ?? 'read with the incidents it describes'));
    }
    const done: TaxiiStatus = { ...status, status: 'complete', successes, failures, pendings: [] };
    await this.store.taxii.saveStatus(done);
    return done;
  }

  async status(p: Principal, id: string): Promise<TaxiiStatus> {
    const status = await this.store.taxii.getStatus(id);
    // Another organisation's status is as absent as a missing one.
    if (status === null || status.org !== p.org) throw notFound(`status ${id}`);
    return status;
  }

  async #knowledge(): Promise<readonly ArmedGroup[]> {
    this.#groups ??= (async () => {
      const stored = await this.store.listGroups();
      if (stored.length > 0) return stored;
      const groups = loadGroups();
      await this.store.syncGroups(groups);
      return this.store.listGroups();
    })();
    return this.#groups;
  }

  /** The objects each incident adds to the collection, in order; shared objects already in the
   * collection (from an incident before `scanStart`, or earlier in this scan) are left out. */
  async #build(
    p: Principal,
    collection: CollectionDef,
    units: readonly SeenUnit[],
    scanStart: UnitKey,
    seen: Set<string>,
    first: UnitKey,
    views: readonly SeenUnit[],
  ): Promise<{ unit: SeenUnit; objects: PagedObject[] }[]> {
    const groups = await this.#knowledge();
    const exported = await this.#exported(units, groups);
    // Which shared objects were in the collection before this scan: of a stored incident of the
    // scope (the store's first-appearance keys) or of one of the caller's views (made here).
    const probes = new Map<string, Probe>();
    for (const e of exported) {
      for (const [id, probe] of e.shared) if (!seen.has(id) && !probes.has(id)) probes.set(id, probe);
    }
    const ids = [...probes.keys()];
    const atStart = ids.length === 0 || sameKey(scanStart, first);
    const before = atStart
      ? []
      : await this.store.taxii.earlier(p, collection.scope, scanStart, [...probes.values()]);
    ids.forEach((id, n) => {
      if (before[n]) seen.add(id);
    });
    if (!atStart) {
      const earlierViews = views.filter((v) => compareKeys(v.key, scanStart) < 0);
      for (const e of await this.#exported(earlierViews, groups))
        for (const id of e.shared.keys()) if (probes.has(id)) seen.add(id);
    }
    return exported.map((e) => {
      const dateAdded = e.unit.key.createdAt;
      const objects: PagedObject[] = [];
      const add = (o: CachedObject) =>
        objects.push({
          id: o.id,
          type: o.type,
          specVersion: o.specVersion,
          json: o.json,
          dateAdded,
          version: o.version,
        });
      const isFirst = sameKey(e.unit.key, first);
      if (isFirst && !seen.has(VIGIL_IDENTITY_ID)) {
        for (const o of staticObjects()) add(o);
        seen.add(VIGIL_IDENTITY_ID);
      }
      for (const object of e.objects) {
        if (e.shared.has(object.id)) {
          if (seen.has(object.id)) continue;
          seen.add(object.id);
        }
        add(object);
      }
      return { unit: e.unit, objects };
    });
  }

  /** Each incident's export for the caller (from the cache when made before). */
  async #exported(units: readonly SeenUnit[], groups: readonly ArmedGroup[]) {
    // Metadata of the documents cited: every one is a document the caller sees (an incident as they
    // see it cites no other).
    const cited = [...new Set(units.flatMap(({ incident: i }) => citedBy(i)))];
    const documents = new Map((await this.store.taxii.documentMetas(cited)).map((d) => [d.id, d]));
    return units.map((unit) => {
      const i = unit.incident;
      const docs = citedBy(i)
        .map((id) => documents.get(id))
        .filter((d) => d !== undefined);
      const key = createHash('sha1')
        .update(unit.tlp)
        .update('\u0000')
        .update(JSON.stringify(i))
        .update('\u0000')
        .update(JSON.stringify(docs))
        .digest('base64');
      let entry = this.#exports.get(key);
      if (entry === undefined) {
        const objects = serialise(
          exportObjects({ incidents: [i], documents: docs, groups, tlp: unit.tlp }).filter(
            (o) => !isStatic(o),
          ),
        );
        entry = {
          objects,
          shared: sharedProbes(i, docs),
          size: objects.reduce((n, o) => n + o.json.byteLength, 0),
        };
        this.#exports.set(key, entry);
      }
      return { unit, objects: entry.objects, shared: entry.shared };
    });
  }
}

/** The marking posted incidents are held under: the strictest of the TLP collection's level and the
 * incident's own (what marks it or anything it draws on, src/stix/import.ts), else AMBER. A post never
 * lowers a marking. */
function postedLevel(collection: CollectionDef, own: MarkingLevel | null): MarkingLevel {
  const levels = [collection.scope.tlp, own].filter((l): l is MarkingLevel => l !== undefined && l !== null);
  return mostRestrictive(levels) ?? 'amber';
}

const isStatic = (o: StixObject) =>
  o.type === 'marking-definition' || o.id === VIGIL_IDENTITY_ID || o.id === VIGIL_EXTENSION_ID;

/** The five TLP 2.0 marking definitions, Vigil's identity and its extension-definition. */
function staticObjects(): readonly CachedObject[] {
  statics ??= serialise([
    ...TLP_LEVELS.map(tlpMarking),
    ...exportObjects({ incidents: [], documents: [], groups: [] }),
  ]);
  return statics;
}
let statics: readonly CachedObject[] | undefined;

/** Objects as UTF-8 JSON, into one buffer (one allocation for an incident's export, not one an
 * object); each object's JSON is a view of it. */
function serialise(objects: readonly StixObject[]): CachedObject[] {
  const texts = objects.map((o) => JSON.stringify(o));
  const bytes = Buffer.allocUnsafeSlow(texts.reduce((n, t) => n + Buffer.byteLength(t, 'utf8'), 0));
  let at = 0;
  return objects.map((o, n) => {
    const start = at;
    at += bytes.write(texts[n] as string, at, 'utf8');
    return {
      id: o.id,
      type: o.type,
      specVersion: String(o.spec_version ?? '2.0'),
      version: versionOf(o),
      json: bytes.subarray(start, at),
    };
  });
}

/** Ids of the objects an incident's export shares with other incidents', with how to find them. */
function sharedProbes(
  i: Incident,
  documents: readonly { id: string; outlet: string | null }[],
): Map<string, Probe> {
  const shared = new Map<string, Probe>();
  const documentIds = citedBy(i);
  const byId = new Map(documents.map((d) => [d.id, d]));
  for (const documentId of documentIds) {
    shared.set(stixId('report', documentId), { kind: 'report', documentId });
    const outlet = byId.get(documentId)?.outlet ?? null;
    if (outlet !== null) {
      const key = outlet.toLowerCase();
      shared.set(stixId('identity', `outlet:${key}`), { kind: 'outlet', outlet: key });
    }
  }
  const location =
    i.country === null
      ? null
      : stixId('location', i.city === null ? i.country : `${i.country}:${i.city.toLowerCase()}`);
  if (location !== null && i.country !== null) {
    shared.set(location, { kind: 'location', country: i.country, city: i.city });
  }
  for (const type of i.targetTypes) {
    shared.set(stixId('identity', `target-type:${type}`), { kind: 'target', targetType: type });
  }
  for (const g of i.perpetratorGroups) {
    const actor = stixId('threat-actor', g.groupId);
    shared.set(actor, { kind: 'actor', group: g.groupId });
    if (location !== null && i.country !== null) {
      shared.set(stixId('relationship', `targets:${actor}:${location}`), {
        kind: 'actor-location',
        group: g.groupId,
        country: i.country,
        city: i.city,
      });
    }
    for (const type of i.targetTypes) {
      const victim = stixId('identity', `target-type:${type}`);
      shared.set(stixId('relationship', `targets:${actor}:${victim}`), {
        kind: 'actor-target',
        group: g.groupId,
        targetType: type,
      });
    }
  }
  return shared;
}

export function versionOf(o: StixObject): string {
  return String(o.modified ?? o.created ?? '');
}

function objectFilter(query: ObjectQuery): (o: PagedObject) => boolean {
  const ids = query.ids === undefined ? null : new Set(query.ids);
  const types = query.types === undefined ? null : new Set(query.types);
  const specs = query.specVersions === undefined ? null : new Set(query.specVersions);
  const versions = query.versions ?? ['last'];
  const anyVersion = versions.some((v) => v === 'first' || v === 'last' || v === 'all');
  const times = new Set(
    versions.filter((v) => !['first', 'last', 'all'].includes(v)).map((v) => timestamp('match[version]', v)),
  );
  return (o) =>
    (ids === null || ids.has(o.id)) &&
    (types === null || types.has(o.type)) &&
    (specs === null || specs.has(o.specVersion)) &&
    (anyVersion || times.has(normalTime(o.version)));
}

function taxiiLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_TAXII_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw badRequest('limit must be a whole number of at least 1');
  // A server may return fewer objects than asked: more and next say where the rest is.
  return Math.min(limit, MAX_TAXII_PAGE);
}

/** A timestamp parameter as Vigil writes timestamps (UTC, milliseconds). */
export function timestamp(name: string, value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(value))
    throw badRequest(
      `${name} must be a timestamp such as 2024-05-12T08:30:00.000Z, not ${JSON.stringify(value)}`,
    );
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw badRequest(`${name} ${JSON.stringify(value)} is not a valid timestamp`);
  return new Date(time).toISOString();
}

function normalTime(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const sameKey = (a: UnitKey, b: UnitKey) => a.createdAt === b.createdAt && a.id === b.id;

/** The order of a collection: when stored, then by id. */
const compareKeys = (a: UnitKey, b: UnitKey) =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
