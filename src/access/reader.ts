import { LRUCache } from 'lru-cache';
import type { Incident } from '../resolve/index.js';
import type {
  DocumentFacts,
  IncidentFilter,
  IncidentSort,
  Listed,
  MixedIncident,
  Store,
} from '../store/index.js';
import { audienceLevel, type Clearance, type MarkingLevel } from '../tlp/index.js';
import { comparePositions, type Position, passes, positionOf } from './order.js';
import { type IncidentView, type ViewMaterial, viewsOf } from './views.js';

/* The incidents a caller may see, as they may see them, for every reader of the service layer (REST,
 * dashboard, STIX, TAXII). Incidents of one audience come from the store's filtered reads, whole;
 * mixed ones are the caller's views (views.ts), filtered and ordered as the store's SQL would, and the
 * two are interleaved into one list. Views are kept by what they are made of (the incident, the
 * documents the caller sees and at what marking, the analysts' group decisions), so callers who see
 * the same share them and nothing else can reach a cache entry. */

/** An incident as a caller sees it. */
export interface Seen {
  readonly incident: Incident;
  /** Its marking for the caller: the most restrictive among the documents it was made from. */
  readonly tlp: MarkingLevel;
  /** Its place in the order it was listed in. */
  readonly position: Position;
  /** For a view of a mixed incident, the stored incident it was made from. */
  readonly from?: string;
  /** For a view, what it is made of (its record before group decisions, its reports and why each
   * joined); none for an incident of one audience. */
  readonly view?: IncidentView;
}

export interface SeenPage {
  readonly items: Seen[];
  /** Where the next page starts, or null when this is the last. */
  readonly next: Position | null;
}

/** Views kept at most (each a few kilobytes). */
const CACHED_VIEWS = 20_000;
/** Callers' lists of views kept at most (one a clearance class: those who see the same). */
const CACHED_CLASSES = 64;

/** What every caller's views are made of, read again when the store's mixed incidents change. */
interface Mixed {
  readonly stamp: string;
  readonly incidents: readonly MixedIncident[];
  readonly documents: ReadonlyMap<string, DocumentFacts>;
  /** The audiences of those documents: callers who see each at the same marking see the same views. */
  readonly audiences: readonly (string | null)[];
}

type Viewed = IncidentView & { readonly from: string };

export class Reader {
  readonly #store: Store;
  /** Each incident's views for one way of seeing its documents. */
  readonly #views = new LRUCache<string, readonly IncidentView[]>({ max: CACHED_VIEWS });
  /** Every view of a clearance class, as of the mixed incidents and the group decisions in force. */
  readonly #classes = new LRUCache<string, Promise<Viewed[]>>({ max: CACHED_CLASSES });
  #mixed: Promise<Mixed> | undefined;

  constructor(store: Store) {
    this.#store = store;
  }

  /** The store's mixed incidents and their documents, as of the store's last change to them. */
  async #mixedNow(): Promise<Mixed> {
    const stamp = await this.#store.mixed.stamp();
    const known = await this.#mixed?.catch(() => undefined);
    if (known?.stamp === stamp) return known;
    this.#mixed = (async () => {
      const incidents = await this.#store.mixed.incidents();
      const documents = await this.#store.mixed.documents(incidents.flatMap((m) => m.cited));
      const audiences = [...new Set([...documents.values()].map((d) => d.audience))];
      return { stamp, incidents, documents, audiences };
    })();
    return this.#mixed;
  }

  /** Every view of a mixed incident the caller sees some of, by when it was stored. */
  async views(c: Clearance): Promise<Viewed[]> {
    const mixed = await this.#mixedNow();
    if (mixed.incidents.length === 0) return [];
    const decisions = await this.#store.mixed.decisions();
    const decided = JSON.stringify([...decisions].sort());
    const seen = mixed.audiences.map((a) => audienceLevel(c, a) ?? '-').join(' ');
    const key = `${mixed.stamp}\u0000${decided}\u0000${seen}`;
    let views = this.#classes.get(key);
    if (views === undefined) {
      views = this.#viewsOf(c, mixed, decisions, decided);
      this.#classes.set(key, views);
      views.catch(() => this.#classes.delete(key));
    }
    return views;
  }

  async #viewsOf(
    c: Clearance,
    { incidents, documents }: Mixed,
    decisions: ViewMaterial['decisions'],
    decided: string,
  ): Promise<Viewed[]> {
    const wanted: { incident: MixedIncident; key: string }[] = [];
    for (const incident of incidents) {
      const levels = incident.cited.map((id) => {
        const doc = documents.get(id);
        return doc === undefined ? null : audienceLevel(c, doc.audience);
      });
      if (levels.every((l) => l === null)) continue;
      const key = [
        incident.id,
        incident.reports.map((r) => r.id).join(' '),
        incident.cited.map((id, n) => `${id}:${levels[n] ?? '-'}`).join(' '),
        decided,
      ].join('\u0000');
      wanted.push({ incident, key });
    }
    // Taken from the cache now: making the missing ones may evict others.
    const found = new Map<string, readonly IncidentView[]>();
    for (const { key } of wanted) {
      const cached = this.#views.get(key);
      if (cached !== undefined) found.set(key, cached);
    }
    const made = await this.#make(
      c,
      wanted.filter((w) => !found.has(w.key)),
      documents,
      decisions,
    );
    return wanted.flatMap(({ incident, key }) =>
      (found.get(key) ?? made.get(key) ?? []).map((v) => ({ ...v, from: incident.id })),
    );
  }

  async #make(
    c: Clearance,
    missing: readonly { incident: MixedIncident; key: string }[],
    documents: ReadonlyMap<string, DocumentFacts>,
    decisions: ViewMaterial['decisions'],
  ): Promise<Map<string, readonly IncidentView[]>> {
    const made = new Map<string, readonly IncidentView[]>();
    if (missing.length === 0) return made;
    const reports = await this.#store.mixed.reports(
      missing.flatMap((m) => m.incident.reports.map((r) => r.id)),
    );
    const byId = new Map(reports.map((r) => [r.id, r]));
    const constraints = await this.#store.mixed.constraints(reports);
    // Documents no report stands for (imported, or stored before resolution): the stored record.
    const loose = missing.filter(({ incident }) => {
      const reported = new Set(incident.reports.map((r) => r.documentId));
      return incident.cited.some((id) => !reported.has(id));
    });
    const stored = new Map(
      (await this.#store.mixed.stored(loose.map((m) => m.incident.id))).map((i) => [i.id, i]),
    );
    for (const { incident, key } of missing) {
      const record = stored.get(incident.id);
      const material: ViewMaterial = {
        reports: incident.reports.flatMap((r) => byId.get(r.id) ?? []),
        constraints,
        documents: new Map(
          incident.cited.flatMap((id) => {
            const doc = documents.get(id);
            return doc === undefined ? [] : [[id, doc] as const];
          }),
        ),
        decisions,
        ...(record === undefined ? {} : { stored: record }),
      };
      const views = viewsOf(c, material);
      made.set(key, views);
      this.#views.set(key, views);
    }
    return made;
  }

  /** A page of the caller's incidents in the filter, in an order, after a position. */
  async list(
    c: Clearance,
    filter: IncidentFilter,
    limit: number,
    after: Position | null,
    sort: IncidentSort | undefined,
  ): Promise<SeenPage> {
    const [stored, views] = await Promise.all([
      this.#store.access.listIncidents(c, filter, limit, after, sort),
      this.#matching(c, filter),
    ]);
    const compare = comparePositions(sort);
    const later = views
      .map((v) => seenView(v, sort))
      .filter((s) => after === null || compare(s.position, after) > 0)
      .sort((a, b) => compare(a.position, b.position));
    const items = [...stored.items.map((l) => seenListed(c, l)), ...later.slice(0, limit)]
      .sort((a, b) => compare(a.position, b.position))
      .slice(0, limit);
    const last = items.at(-1);
    const taken = new Set(items.map((i) => i.incident.id));
    const more =
      stored.next !== null ||
      stored.items.some((l) => !taken.has(l.incident.id)) ||
      later.some((s) => !taken.has(s.incident.id));
    return { items, next: more && last !== undefined ? last.position : null };
  }

  /** Every incident of the caller's in the filter, newest first, page by page. */
  async *scan(c: Clearance, filter: IncidentFilter, pageSize = 1000): AsyncGenerator<Seen> {
    let after: Position | null = null;
    for (;;) {
      const page = await this.list(c, filter, pageSize, after, undefined);
      yield* page.items;
      if (page.next === null) return;
      after = page.next;
    }
  }

  /** An incident by id, or by a prefix (4 characters at least) of one id only among the caller's. */
  async find(c: Clearance, idOrPrefix: string): Promise<Seen | null | { ambiguous: string[] }> {
    const [stored, views] = await Promise.all([
      this.#store.access.findIncident(c, idOrPrefix),
      this.views(c),
    ]);
    const all = [...stored.map((l) => seenListed(c, l)), ...views.map((v) => seenView(v, undefined))];
    const exact = all.find((s) => s.incident.id === idOrPrefix);
    if (exact !== undefined) return exact;
    if (idOrPrefix.length < 4) return null;
    const found = all.filter((s) => s.incident.id.startsWith(idOrPrefix));
    if (found.length > 1)
      return {
        ambiguous: found
          .map((s) => s.incident.id)
          .sort()
          .slice(0, 6),
      };
    return found[0] ?? null;
  }

  /** The caller's incidents a document they see is a source of. */
  async ofDocument(c: Clearance, documentId: string): Promise<Seen[]> {
    const [stored, views] = await Promise.all([
      this.#store.access.incidentsOfDocument(c, documentId),
      this.views(c),
    ]);
    const compare = comparePositions(undefined);
    return [
      ...stored.map((l) => seenListed(c, l)),
      ...views.filter((v) => v.incident.sources.includes(documentId)).map((v) => seenView(v, undefined)),
    ].sort((a, b) => compare(a.position, b.position));
  }

  /** (group id, name as written, incident id) of discovered groups in the caller's incidents. */
  async discoveredMentions(c: Clearance): Promise<{ groupId: string; name: string; incidentId: string }[]> {
    const [stored, views] = await Promise.all([this.#store.access.discoveredGroupMentions(c), this.views(c)]);
    const fromViews = views.flatMap((v) =>
      v.raw.perpetratorGroups
        .filter((g) => g.groupId.startsWith('discovered:'))
        .map((g) => ({ groupId: g.groupId, name: g.group, incidentId: v.incident.id })),
    );
    return [...stored, ...fromViews];
  }

  /** The caller's views that pass the filter (the group filter counts merged groups, as SQL does). */
  async #matching(c: Clearance, filter: IncidentFilter): Promise<readonly IncidentView[]> {
    const views = await this.views(c);
    if (views.length === 0) return views;
    const groups =
      filter.group === undefined ? null : new Set(await this.#store.mixed.countingAs(filter.group));
    return views.filter((v) => passes(v.raw, filter, groups));
  }
}

function seenListed(c: Clearance, l: Listed): Seen {
  return {
    incident: l.incident,
    // Every document of an incident of one audience is at the same marking for a caller.
    tlp: audienceLevel(c, l.audience) ?? 'red',
    position: l.position,
  };
}

function seenView(v: IncidentView & { readonly from?: string }, sort: IncidentSort | undefined): Seen {
  return {
    incident: v.incident,
    tlp: v.tlp,
    position: positionOf(v.raw, sort),
    ...(v.from === undefined ? {} : { from: v.from }),
    view: v,
  };
}
