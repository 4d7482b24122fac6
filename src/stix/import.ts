import { createHash } from 'node:crypto';
import { ATTACK_TYPES, ATTRIBUTIONS, type AttackType, type Attribution } from '../extract/types.js';
import type { ArmedGroup } from '../knowledge/groups.js';
import { loadCountries } from '../knowledge/places.js';
import {
  blankIncident,
  type Incident,
  type IncidentEvidence,
  type IncidentGroup,
} from '../resolve/incident.js';
import type { Document } from '../sources/document.js';
import { withoutControls } from '../sources/normalise.js';
import {
  type StixBundle,
  type StixObject,
  strictest,
  type TlpLevel,
  tlp1LevelOf,
  tlpLevelOf,
  VIGIL_EXTENSION_ID,
} from './common.js';
import {
  type IncidentExtension,
  incidentExtensionSchema,
  type NoteExtension,
  noteExtensionSchema,
  type ReportExtension,
  reportExtensionSchema,
} from './extension.js';
import { holdIncidents, type IncidentReading, type RaisedBy } from './import-markings.js';
import type { StixIssue } from './validate.js';

export type { RaisedBy } from './import-markings.js';

export interface PlannedIncident {
  /** The STIX id of the incident object it comes from. */
  readonly stixId: string;
  readonly name: string;
  readonly incident: Incident;
  /**
   * The level to hold the incident and every document it cites at: the strictest TLP marking of
   * the incident (every version), of every object that lists or links to it, of everything its
   * record and documents were made from, and of the incidents it shares a document with (see
   * `holdIncidents`). Null when nothing marks any of these: the importer decides then.
   */
  readonly tlp: TlpLevel | null;
  /** What raised `tlp` above the incident's own marking, strictest first; empty when nothing did. */
  readonly raisedBy: readonly RaisedBy[];
}

/** What a bundle holds for Vigil: incidents, the documents they cite, and what was not understood. */
export interface ImportPlan {
  readonly incidents: readonly PlannedIncident[];
  /**
   * Stand-ins for the documents the incidents cite. A report carries no article text, so their text
   * is empty (a foreign report's or incident's description when it has one); a document already
   * stored is left as it is.
   */
  readonly documents: readonly Document[];
  readonly warnings: readonly StixIssue[];
}

const ACTOR_TYPES = new Set(['threat-actor', 'intrusion-set']);
const ATTRIBUTION_WORD = new RegExp(`\\b(${ATTRIBUTIONS.join('|')})\\b`, 'i');

/**
 * Maps a checked bundle (see `checkBundle`) to Vigil incidents. Incidents that carry Vigil's
 * extension come back field by field with their evidence (from the notes) and sources (from the
 * reports). Other platforms' incidents keep their name, description and dates (in a stand-in
 * document), their place (located-at / targets a location) and their groups (attributed-to /
 * related-to a threat actor or intrusion set, matched to the knowledge base by name or alias).
 * Pure and deterministic: the same bundle gives the same incidents, with the same ids.
 */
export function planImport(bundle: StixBundle, groups: readonly ArmedGroup[]): ImportPlan {
  // U+0000 never enters the store (src/sources/normalise.ts): a bundle's texts lose it as articles do.
  return new Planner(
    { ...bundle, objects: bundle.objects.map((o) => withoutControlsDeep(o) as StixObject) },
    groups,
  ).plan();
}

function withoutControlsDeep(value: unknown): unknown {
  if (typeof value === 'string') return withoutControls(value);
  if (Array.isArray(value)) return value.map(withoutControlsDeep);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutControlsDeep(v)]));
  return value;
}

class Planner {
  private readonly objects = new Map<string, StixObject>();
  private readonly warnings: StixIssue[] = [];
  private readonly documents = new Map<string, Document>();
  private readonly groupsByName = new Map<string, ArmedGroup>();
  /** Per document id, the objects its content came from, each with what it gave. */
  private readonly documentSources = new Map<string, Map<string, string>>();
  /** The objects the incident being read took content from, each with what it gave. */
  private drew = new Map<string, string>();

  constructor(
    private readonly bundle: StixBundle,
    groups: readonly ArmedGroup[],
  ) {
    // A bundle may hold several versions of an object: the latest one counts.
    for (const object of bundle.objects) {
      const seen = this.objects.get(object.id);
      if (seen === undefined || String(object.modified ?? '') > String(seen.modified ?? '')) {
        this.objects.set(object.id, object);
      }
    }
    for (const g of groups) {
      for (const name of [g.id, g.name, ...g.aliases]) {
        const key = name.toLowerCase();
        if (!this.groupsByName.has(key)) this.groupsByName.set(key, g);
      }
    }
  }

  plan(): ImportPlan {
    const read: { object: StixObject; incident: Incident }[] = [];
    const readings: IncidentReading[] = [];
    const all = [...this.objects.values()].sort((a, b) => compare(a.id, b.id));
    for (const object of all.filter((o) => o.type === 'incident')) {
      this.drew = new Map();
      const extension = vigilExtension(object, incidentExtensionSchema);
      const incident = extension ? this.vigilIncident(object, extension) : this.foreignIncident(object);
      read.push({ object, incident });
      readings.push({
        stixId: object.id,
        drew: this.drew,
        cites: [...incident.sources, ...incident.evidence.map((e) => e.documentId)],
      });
    }
    if (read.length === 0) {
      this.warnings.push({ objectId: 'bundle', path: '/objects', message: 'no incident in the bundle' });
    }
    // Every version counts: a bundle that marks an object two ways is held at the stricter.
    const { held, warnings } = holdIncidents(this.bundle.objects, readings, this.documentSources);
    const incidents = read.map(({ object, incident }): PlannedIncident => {
      const h = held.get(object.id);
      return {
        stixId: object.id,
        name: str(object.name) ?? incident.id,
        incident,
        tlp: h?.tlp ?? null,
        raisedBy: h?.raisedBy ?? [],
      };
    });
    return { incidents, documents: [...this.documents.values()], warnings: [...this.warnings, ...warnings] };
  }

  /** Records that the incident being read took content from an object. */
  private draw(object: StixObject, what: string): void {
    if (!this.drew.has(object.id)) this.drew.set(object.id, what);
  }

  private vigilIncident(object: StixObject, x: IncidentExtension): Incident {
    const evidence = this.of<NoteExtension>('note', noteExtensionSchema)
      .filter(({ object: note, extension }) => {
        if (extension.incident_id !== x.vigil_id) return false;
        this.draw(note, 'that gives its evidence');
        return true;
      })
      .flatMap(({ extension }) => extension.evidence.map((e) => ({ field: extension.field, ...e })))
      .sort((a, b) => a.position - b.position)
      .map(
        (e): IncidentEvidence => ({
          field: e.field,
          value: e.value,
          inferred: e.inferred,
          documentId: e.document_id,
          start: e.start,
          end: e.end,
          text: e.text,
          sentence: e.sentence,
        }),
      );
    const reports = this.of<ReportExtension>('report', reportExtensionSchema);
    let sources = x.source_documents ?? [];
    if (sources.length === 0) {
      sources = reports
        .filter(({ object: r }) => refsOf(r).includes(object.id))
        .map((r) => r.extension.document_id);
    }
    if (sources.length === 0) sources = [this.selfDocument(object).id];
    for (const documentId of new Set([...sources, ...evidence.map((e) => e.documentId)])) {
      const report = reports.find((r) => r.extension.document_id === documentId);
      this.addDocument(
        report === undefined
          ? stub(documentId, object.id, {})
          : stub(documentId, report.object.id, {
              title: report.extension.title ?? str(report.object.name),
              url: urlOf(report.object),
              outlet: report.extension.outlet ?? null,
              published: report.extension.published ?? str(report.object.published),
              language: report.extension.language ?? null,
            }),
        report === undefined ? [object] : [report.object],
      );
    }
    const count = (c: IncidentExtension['killed']) => (c === undefined ? null : { ...c });
    return {
      id: x.vigil_id,
      date: x.date === undefined ? null : { date: x.date, precision: x.date_precision ?? 'day' },
      country: x.country ?? null,
      city: x.city ?? null,
      lat: x.latitude ?? null,
      lon: x.longitude ?? null,
      placePrecision: x.place_precision ?? null,
      attackTypes: x.attack_types ?? [],
      weaponTypes: x.weapon_types ?? [],
      targetTypes: x.target_types ?? [],
      targetText: x.target_text ?? [],
      perpetratorGroups: (x.perpetrator_groups ?? []).map((g) => ({
        groupId: g.group_id,
        group: g.group,
        aliasesSeen: g.aliases_seen,
        attribution: g.attribution,
        discovered: g.discovered ?? g.group_id.startsWith('discovered:'),
      })),
      perpetratorsMin: x.perpetrators_min ?? null,
      perpetratorsMax: x.perpetrators_max ?? null,
      perpetratorNationalities: x.perpetrator_nationalities ?? [],
      perpetratorText: x.perpetrator_text ?? [],
      victimText: x.victim_text ?? [],
      weaponText: x.weapon_text ?? [],
      physicalTargetText: x.physical_target_text ?? [],
      killed: count(x.killed),
      wounded: count(x.wounded),
      kidnapped: count(x.kidnapped),
      perpetratorsKilled: count(x.perpetrators_killed),
      suicide: x.suicide,
      outcome: x.outcome,
      sources,
      evidence,
    };
  }

  /** Another platform's incident: what STIX says of it, and no evidence (it carries no spans). */
  private foreignIncident(object: StixObject): Incident {
    const self = this.selfDocument(object);
    const sources = [self.id];
    for (const report of [...this.objects.values()].filter(
      (o) => o.type === 'report' && refsOf(o).includes(object.id),
    )) {
      const extension = vigilExtension(report, reportExtensionSchema);
      const id = extension?.document_id ?? hashId(report.id);
      this.addDocument(
        stub(id, report.id, {
          title: extension?.title ?? str(report.name),
          text: str(report.description) ?? '',
          url: urlOf(report),
          outlet: extension?.outlet ?? this.creatorName(report),
          published: extension?.published ?? str(report.published),
        }),
        [report, ...this.creator(report)],
      );
      sources.push(id);
    }
    const place = this.place(object);
    const firstSeen = str(object.first_seen);
    return {
      ...blankIncident(hashId(object.id).slice(0, 16), sources),
      date:
        firstSeen !== null && /^\d{4}-\d{2}-\d{2}/.test(firstSeen)
          ? { date: firstSeen.slice(0, 10), precision: 'day' }
          : null,
      country: place?.country ?? null,
      city: place?.city ?? null,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
      placePrecision: place === null ? null : place.city !== null ? 'city' : 'country',
      attackTypes: strings(object.labels).filter((l): l is AttackType =>
        (ATTACK_TYPES as readonly string[]).includes(l),
      ),
      perpetratorGroups: this.perpetrators(object),
    };
  }

  /** The incident object itself as a document: its name, description and dates are kept there. */
  private selfDocument(object: StixObject): Document {
    const doc = stub(hashId(object.id), object.id, {
      title: str(object.name),
      text: str(object.description) ?? '',
      url: urlOf(object),
      outlet: this.creatorName(object),
      published: str(object.first_seen) ?? str(object.created),
    });
    this.addDocument(doc, [object, ...this.creator(object)]);
    return doc;
  }

  /**
   * Adds a document (the first one made under an id is kept) made from `from`. Every object any
   * version under that id was made from is recorded, so that whoever cites it inherits their markings.
   */
  private addDocument(doc: Document, from: readonly StixObject[]): void {
    if (!this.documents.has(doc.id)) this.documents.set(doc.id, doc);
    const sources = this.documentSources.get(doc.id) ?? new Map<string, string>();
    this.documentSources.set(doc.id, sources);
    for (const o of from) {
      const what =
        o.type === 'identity' ? `that names document ${doc.id}'s outlet` : `that gives document ${doc.id}`;
      if (!sources.has(o.id)) sources.set(o.id, what);
    }
  }

  private creator(object: StixObject): StixObject[] {
    const ref = str(object.created_by_ref);
    const creator = ref === null ? undefined : this.objects.get(ref);
    return creator === undefined ? [] : [creator];
  }

  private creatorName(object: StixObject): string | null {
    return str(this.creator(object)[0]?.name);
  }

  private relationships(object: StixObject): { type: string; other: StixObject; rel: StixObject }[] {
    const found: { type: string; other: StixObject; rel: StixObject }[] = [];
    for (const rel of this.objects.values()) {
      if (rel.type !== 'relationship') continue;
      const type = str(rel.relationship_type) ?? '';
      const otherId =
        rel.source_ref === object.id ? rel.target_ref : rel.target_ref === object.id ? rel.source_ref : null;
      const other = typeof otherId === 'string' ? this.objects.get(otherId) : undefined;
      if (other !== undefined) found.push({ type, other, rel });
    }
    return found.sort((a, b) => compare(a.rel.id, b.rel.id));
  }

  /** The incident's place from the locations it is located at or targets: the city, and the country. */
  private place(object: StixObject) {
    const places = this.relationships(object)
      .filter(
        ({ type, other, rel }) =>
          other.type === 'location' &&
          rel.source_ref === object.id &&
          (type === 'located-at' || type === 'targets'),
      )
      .map(({ other, rel }) => {
        const place = placeOf(other);
        if (place !== null) {
          this.draw(rel, 'that gives its place');
          this.draw(other, 'that gives its place');
        }
        return place;
      })
      .filter((p) => p !== null);
    const city = places.find((p) => p.city !== null);
    const country = city?.country ?? places.find((p) => p.country !== null)?.country ?? null;
    if (city === undefined) return country === null ? null : { country, city: null, lat: null, lon: null };
    return { ...city, country };
  }

  private perpetrators(object: StixObject): IncidentGroup[] {
    const found = new Map<string, IncidentGroup>();
    for (const { type, other, rel } of this.relationships(object)) {
      if (!ACTOR_TYPES.has(other.type) || !['attributed-to', 'related-to'].includes(type)) continue;
      const name = str(other.name) ?? other.id;
      // Never turn a suspicion into a claim: without a word saying otherwise, it is a suspicion.
      const word = ATTRIBUTION_WORD.exec(str(rel.description) ?? '')?.[1]?.toLowerCase() as
        | Attribution
        | undefined;
      this.draw(rel, 'that gives its group');
      this.draw(other, 'that gives its group');
      const known = this.knownGroup(other);
      if (known === undefined) {
        this.warnings.push({
          objectId: other.id,
          path: '/name',
          message: `${name} is not in the knowledge base: kept as new group ${discoveredId(name, other.id)}`,
        });
      }
      const group: IncidentGroup = {
        groupId: known?.id ?? discoveredId(name, other.id),
        group: known?.name ?? name,
        aliasesSeen: [name],
        attribution: word ?? 'suspected',
        discovered: known === undefined,
      };
      if (!found.has(group.groupId)) found.set(group.groupId, group);
    }
    return [...found.values()];
  }

  private knownGroup(actor: StixObject): ArmedGroup | undefined {
    const vigilRef = refsList(actor.external_references).find((r) => r.source_name === 'vigil');
    const names = [str(vigilRef?.external_id), str(actor.name), ...strings(actor.aliases)];
    for (const name of names) {
      const group = name === null ? undefined : this.groupsByName.get(name.toLowerCase());
      if (group !== undefined) return group;
    }
    return undefined;
  }

  private of<T>(type: string, schema: { safeParse(v: unknown): { success: boolean; data?: unknown } }) {
    const found: { object: StixObject; extension: T }[] = [];
    for (const object of this.objects.values()) {
      if (object.type !== type) continue;
      const extension = vigilExtension(object, schema) as T | undefined;
      if (extension !== undefined) found.push({ object, extension });
    }
    return found.sort((a, b) => compare(a.object.id, b.object.id));
  }
}

function vigilExtension<T>(
  object: StixObject,
  schema: { safeParse(v: unknown): { success: boolean; data?: T } },
): T | undefined {
  const extensions = object.extensions;
  if (typeof extensions !== 'object' || extensions === null) return undefined;
  const raw = (extensions as Record<string, unknown>)[VIGIL_EXTENSION_ID];
  if (raw === undefined) return undefined;
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}

function stub(
  id: string,
  stixId: string,
  fields: Partial<Pick<Document, 'text' | 'title' | 'url' | 'outlet' | 'published' | 'language'>>,
): Document {
  return {
    id,
    text: fields.text ?? '',
    title: fields.title ?? null,
    url: fields.url ?? null,
    outlet: fields.outlet ?? null,
    published: fields.published ?? null,
    language: fields.language ?? null,
    origin: `stix:${stixId}`,
  };
}

function placeOf(location: StixObject) {
  let country = str(location.country);
  if (country !== null && !/^[a-z]{2}$/i.test(country)) country = countryCodeOf(country);
  const kind = str(location.x_opencti_location_type)?.toLowerCase();
  if (country === null && kind === 'country') country = countryCodeOf(str(location.name) ?? '');
  const city = str(location.city) ?? (kind === 'city' ? str(location.name) : null);
  if (country === null && city === null) return null;
  const lat = typeof location.latitude === 'number' ? location.latitude : null;
  const lon = typeof location.longitude === 'number' ? location.longitude : null;
  return { country: country?.toUpperCase() ?? null, city, lat, lon };
}

function countryCodeOf(name: string): string | null {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return null;
  return loadCountries().find((c) => c.names.some((n) => n.toLowerCase() === wanted))?.code ?? null;
}

function refsOf(object: StixObject): string[] {
  return strings(object.object_refs);
}

function refsList(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];
}

function urlOf(object: StixObject): string | null {
  return (
    refsList(object.external_references)
      .map((r) => str(r.url))
      .find((u) => u !== null) ?? null
  );
}

/** The id of a group the knowledge base does not know, as extraction gives one (`discovered:<name>`). */
function discoveredId(name: string, stixId: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/^the /, '')
    .replaceAll(/[^a-z0-9]+/g, '-')
    .replaceAll(/^-|-$/g, '');
  return `discovered:${slug === '' ? hashId(stixId).slice(0, 12) : slug}`;
}

/** A document-like id (sha256 hex) for something that is not an article: a STIX object. */
function hashId(stixId: string): string {
  return createHash('sha256').update(`stix:${stixId}`).digest('hex');
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The strictest official TLP 2.0 or 1.0 marking among an object's object_marking_refs, or null.
 * The object alone: what an import holds an incident at is `planImport`'s `tlp`.
 */
export function tlpOf(object: StixObject | undefined): TlpLevel | null {
  const refs = Array.isArray(object?.object_marking_refs) ? (object.object_marking_refs as unknown[]) : [];
  return strictest(
    refs.map((ref) => (typeof ref === 'string' ? (tlpLevelOf(ref) ?? tlp1LevelOf(ref) ?? null) : null)),
  );
}
