import type { Attribution, Count, TargetType } from '../extract/types.js';
import type { ArmedGroup } from '../knowledge/groups.js';
import { countryByCode } from '../knowledge/places.js';
import type { Incident, IncidentEvidence, IncidentGroup } from '../resolve/incident.js';
import { evidenceJson } from '../resolve/incident-json.js';
import type { Document } from '../sources/document.js';
import {
  type StixBundle,
  type StixObject,
  stixId,
  stixTimestamp,
  stricter,
  type TlpLevel,
  tlpMarking,
  tlpMarkingId,
  VIGIL_EPOCH,
  VIGIL_EXTENSION_ID,
  VIGIL_IDENTITY_ID,
} from './common.js';
import {
  type IncidentExtension,
  type NoteExtension,
  type ReportExtension,
  vigilExtensionDefinition,
  vigilIdentity,
} from './extension.js';

/** What a report needs of a document; `text` only names a report whose document has no title. */
export type ExportDocument = Pick<Document, 'id' | 'title' | 'url' | 'outlet' | 'published' | 'language'> & {
  readonly text?: string;
};

export interface ExportInput {
  readonly incidents: readonly Incident[];
  /** The documents the incidents cite (sources and evidence); a missing one still gets a report. */
  readonly documents: readonly ExportDocument[];
  /** The knowledge base: threat actors are described from it. */
  readonly groups: readonly ArmedGroup[];
  /** The TLP 2.0 marking of each incident and of everything derived from it. Default: clear. */
  readonly tlp?: TlpLevel | ((incident: Incident) => TlpLevel);
}

/** How strongly each attribution ties a group to an incident, as STIX confidence (0–100). */
export const ATTRIBUTION_CONFIDENCE: Readonly<Record<Attribution, number>> = {
  claimed: 90,
  identified: 80,
  suspected: 40,
  denied: 10,
};

const ATTRIBUTION_WORDS: Readonly<Record<Attribution, string>> = {
  claimed: 'the group claimed the attack',
  identified: 'the authorities or the report identify the group as the perpetrator',
  suspected: 'the group is suspected of the attack',
  denied: 'the group denies the attack',
};

const TYPE_ORDER = [
  'marking-definition',
  'identity',
  'extension-definition',
  'threat-actor',
  'location',
  'incident',
  'report',
  'note',
  'relationship',
];

/** STIX industry sectors (industry-sector-ov) for the GTD target types that have a clear one. */
const TARGET_SECTORS: Partial<Record<TargetType, readonly string[]>> = {
  business: ['commercial'],
  government_general: ['government'],
  government_diplomatic: ['government-national'],
  police: ['government-public-services'],
  military: ['defense'],
  educational_institution: ['education'],
  journalists_media: ['communications'],
  telecommunication: ['telecommunications'],
  transportation: ['transportation'],
  airports_aircraft: ['transportation'],
  maritime: ['transportation'],
  utilities: ['utilities'],
  ngo: ['non-profit'],
  tourists: ['hospitality-leisure'],
  food_water_supply: ['water'],
};

/** STIX region-ov values; a country's UN subregion becomes one when it matches. */
const REGIONS = new Set([
  'africa',
  'eastern-africa',
  'middle-africa',
  'northern-africa',
  'southern-africa',
  'western-africa',
  'americas',
  'caribbean',
  'central-america',
  'latin-america-caribbean',
  'northern-america',
  'south-america',
  'asia',
  'central-asia',
  'eastern-asia',
  'southern-asia',
  'south-eastern-asia',
  'western-asia',
  'europe',
  'eastern-europe',
  'northern-europe',
  'southern-europe',
  'western-europe',
  'oceania',
  'antarctica',
  'australia-new-zealand',
  'melanesia',
  'micronesia',
  'polynesia',
]);

interface Pending {
  readonly object: Record<string, unknown>;
  /** TLP levels of the incidents this object derives from; none for Vigil's own objects. */
  readonly levels: Set<TlpLevel>;
  /** For reports: what was derived from the document. */
  readonly refs?: Set<string>;
}

/**
 * A STIX 2.1 bundle of incidents: the same input gives the same bundle, byte for byte (ids are
 * UUIDv5 of stable keys, timestamps come from the documents). Pure: reads nothing but its input
 * and the country list.
 */
export function exportBundle(input: ExportInput): StixBundle {
  const objects = exportObjects(input);
  const key = objects.map((o) => `${o.id}@${String(o.modified ?? o.created)}`).join('\n');
  return { type: 'bundle', id: stixId('bundle', key), objects };
}

/** The objects of `exportBundle`, in its order, without the bundle (whose id digests them all):
 * what the TAXII server serves, an incident at a time. */
export function exportObjects(input: ExportInput): StixObject[] {
  const builder = new BundleBuilder(input);
  for (const incident of [...input.incidents].sort((a, b) => compare(a.id, b.id))) builder.add(incident);
  return builder.finish();
}

/** The bundle as written to a file: two-space JSON with a final newline. */
export function bundleText(bundle: StixBundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** The knowledge base by id, made once per list (a TAXII page exports its incidents one by one). */
const groupMaps = new WeakMap<readonly ArmedGroup[], ReadonlyMap<string, ArmedGroup>>();
function groupsById(groups: readonly ArmedGroup[]): ReadonlyMap<string, ArmedGroup> {
  let map = groupMaps.get(groups);
  if (map === undefined) {
    map = new Map(groups.map((g) => [g.id, g]));
    groupMaps.set(groups, map);
  }
  return map;
}

class BundleBuilder {
  private readonly pending = new Map<string, Pending>();
  private readonly documents: ReadonlyMap<string, ExportDocument>;
  private readonly groups: ReadonlyMap<string, ArmedGroup>;
  private readonly tlp: (incident: Incident) => TlpLevel;

  constructor(input: ExportInput) {
    this.documents = new Map(input.documents.map((d) => [d.id, d]));
    this.groups = groupsById(input.groups);
    const tlp = input.tlp ?? 'clear';
    this.tlp = typeof tlp === 'function' ? tlp : () => tlp;
  }

  add(incident: Incident): void {
    const level = this.tlp(incident);
    const documentIds = unique([...incident.sources, ...incident.evidence.map((e) => e.documentId)]);
    const times = documentIds.map((id) => this.documentTime(id)).filter((t): t is string => t !== null);
    const created =
      times.length > 0 ? minOf(times) : (stixTimestamp(incident.date?.date ?? null) ?? VIGIL_EPOCH);
    const modified = times.length > 0 ? maxOf(times) : created;
    const stamp = { created, modified };
    const incidentRef = stixId('incident', incident.id);
    // What each document gave: the incident, its place, its groups and their links, its evidence notes.
    const derived: string[] = [incidentRef];

    const location = this.location(incident, level);
    if (location !== null) {
      derived.push(location, this.relationship('located-at', incidentRef, location, level, stamp));
    }

    const actors: string[] = [];
    for (const group of incident.perpetratorGroups) {
      const actor = this.threatActor(group, level);
      actors.push(actor);
      derived.push(
        actor,
        this.relationship('related-to', incidentRef, actor, level, stamp, {
          description: `Attribution: ${group.attribution} (${ATTRIBUTION_WORDS[group.attribution]}).`,
          confidence: ATTRIBUTION_CONFIDENCE[group.attribution],
        }),
      );
      // A group that attacked the place and these kinds of target "targets" them (threat-actor SROs).
      if (location !== null) derived.push(this.relationship('targets', actor, location, level, stamp));
      for (const type of incident.targetTypes) {
        const victim = this.targetIdentity(type, level);
        derived.push(victim, this.relationship('targets', actor, victim, level, stamp));
      }
    }

    this.put(incidentRef, level, stamp, () => {
      const name = incidentName(incident);
      return {
        type: 'incident',
        spec_version: '2.1',
        id: incidentRef,
        created_by_ref: VIGIL_IDENTITY_ID,
        ...stamp,
        name,
        description: incidentDescription(incident, name),
        ...nonEmpty('labels', incident.attackTypes),
        external_references: [
          { source_name: 'vigil', external_id: incident.id, description: 'Vigil incident id' },
        ],
        extensions: { [VIGIL_EXTENSION_ID]: incidentExtension(incident, actors) },
      };
    });

    const notesByDocument = this.notes(incident, incidentRef, level, stamp);
    for (const documentId of documentIds) {
      const report = this.report(documentId, level);
      for (const ref of [...derived, ...(notesByDocument.get(documentId) ?? [])]) report.add(ref);
    }
  }

  finish(): StixObject[] {
    const used = new Set<TlpLevel>();
    const objects: StixObject[] = [];
    for (const { object, levels, refs } of this.pending.values()) {
      let level: TlpLevel | undefined;
      for (const l of levels) level = level === undefined ? l : stricter(level, l);
      if (level !== undefined) used.add(level);
      // Completed in place (the builder is done with it): the keys come in the order a copy would give.
      if (refs !== undefined) object.object_refs = [...refs].sort(compare);
      if (level !== undefined) object.object_marking_refs = [tlpMarkingId(level)];
      objects.push(object as StixObject);
    }
    objects.push(vigilIdentity(), vigilExtensionDefinition(), ...[...used].map(tlpMarking));
    objects.sort((a, b) => TYPE_ORDER.indexOf(a.type) - TYPE_ORDER.indexOf(b.type) || compare(a.id, b.id));
    return objects;
  }

  /** Adds an object once; later additions only widen its time span and add their TLP level. */
  private put(
    id: string,
    level: TlpLevel,
    stamp: { created: string; modified: string },
    make: () => Record<string, unknown>,
    refs?: Set<string>,
  ): Pending {
    let entry = this.pending.get(id);
    if (entry === undefined) {
      entry = { object: make(), levels: new Set(), ...(refs === undefined ? {} : { refs }) };
      this.pending.set(id, entry);
    } else {
      const o = entry.object as { created: string; modified: string };
      o.created = minOf([o.created, stamp.created]);
      o.modified = maxOf([o.modified, stamp.modified]);
    }
    entry.levels.add(level);
    return entry;
  }

  private documentTime(id: string): string | null {
    return stixTimestamp(this.documents.get(id)?.published ?? null);
  }

  private relationship(
    type: string,
    source: string,
    target: string,
    level: TlpLevel,
    stamp: { created: string; modified: string },
    extra: Record<string, unknown> = {},
  ): string {
    const id = stixId('relationship', `${type}:${source}:${target}`);
    this.put(id, level, stamp, () => ({
      type: 'relationship',
      spec_version: '2.1',
      id,
      created_by_ref: VIGIL_IDENTITY_ID,
      ...stamp,
      relationship_type: type,
      source_ref: source,
      target_ref: target,
      ...extra,
    }));
    return id;
  }

  /** The most precise place of the incident: its city, else its country. */
  private location(incident: Incident, level: TlpLevel): string | null {
    if (incident.country === null) return null;
    const country = countryOf(incident.country);
    const region = country === undefined ? undefined : regionOf(country.subregion, country.region);
    const city = incident.city;
    const key = city === null ? incident.country : `${incident.country}:${city.toLowerCase()}`;
    const id = stixId('location', key);
    this.put(id, level, { created: VIGIL_EPOCH, modified: VIGIL_EPOCH }, () => ({
      type: 'location',
      spec_version: '2.1',
      id,
      created_by_ref: VIGIL_IDENTITY_ID,
      created: VIGIL_EPOCH,
      modified: VIGIL_EPOCH,
      name:
        city === null ? (country?.name ?? incident.country) : `${city}, ${country?.name ?? incident.country}`,
      ...(region === undefined ? {} : { region }),
      country: incident.country,
      ...(city === null ? {} : { city }),
      ...(city !== null && incident.lat !== null && incident.lon !== null
        ? { latitude: incident.lat, longitude: incident.lon }
        : {}),
    }));
    return id;
  }

  private threatActor(group: IncidentGroup, level: TlpLevel): string {
    const id = stixId('threat-actor', group.groupId);
    const known = this.groups.get(group.groupId);
    this.put(id, level, { created: VIGIL_EPOCH, modified: VIGIL_EPOCH }, () => {
      const name = known?.name ?? group.group;
      const aliases = unique(known?.aliases ?? group.aliasesSeen).filter((a) => a !== name);
      return {
        type: 'threat-actor',
        spec_version: '2.1',
        id,
        created_by_ref: VIGIL_IDENTITY_ID,
        created: VIGIL_EPOCH,
        modified: VIGIL_EPOCH,
        name,
        ...(known === undefined ? {} : { description: groupDescription(known, this.groups) }),
        threat_actor_types: ['terrorist'],
        ...nonEmpty('aliases', aliases),
        ...(known === undefined ? {} : { primary_motivation: 'ideology' }),
        ...(known?.active_from == null ? {} : { first_seen: `${known.active_from}-01-01T00:00:00.000Z` }),
        external_references: [
          { source_name: 'vigil', external_id: group.groupId, description: 'Vigil knowledge-base group id' },
        ],
      };
    });
    return id;
  }

  /** The class of victims a GTD target type names, as an identity a threat actor can target. */
  private targetIdentity(type: TargetType, level: TlpLevel): string {
    const id = stixId('identity', `target-type:${type}`);
    this.put(id, level, { created: VIGIL_EPOCH, modified: VIGIL_EPOCH }, () => ({
      type: 'identity',
      spec_version: '2.1',
      id,
      created_by_ref: VIGIL_IDENTITY_ID,
      created: VIGIL_EPOCH,
      modified: VIGIL_EPOCH,
      name: `Target type: ${type.replaceAll('_', ' ')}`,
      description: `Victims of the GTD target type ${type}.`,
      identity_class: 'class',
      ...nonEmpty('sectors', TARGET_SECTORS[type] ?? []),
    }));
    return id;
  }

  /** The report that stands for a document; returns the set of what was derived from it. */
  private report(documentId: string, level: TlpLevel): Set<string> {
    const doc = this.documents.get(documentId);
    const id = stixId('report', documentId);
    const time = this.documentTime(documentId) ?? VIGIL_EPOCH;
    const outlet = doc?.outlet ?? null;
    const entry = this.put(
      id,
      level,
      { created: time, modified: time },
      () => {
        const extension: ReportExtension = {
          extension_type: 'property-extension',
          document_id: documentId,
          ...(doc?.title == null ? {} : { title: doc.title }),
          ...(outlet === null ? {} : { outlet }),
          ...(doc?.published == null ? {} : { published: doc.published }),
          ...(doc?.language == null ? {} : { language: doc.language }),
        };
        return {
          type: 'report',
          spec_version: '2.1',
          id,
          created_by_ref: VIGIL_IDENTITY_ID,
          created: time,
          modified: time,
          name: reportName(documentId, doc),
          report_types: ['threat-report'],
          published: time,
          external_references: [
            ...(doc?.url == null ? [] : [{ source_name: outlet ?? 'article', url: doc.url }]),
            { source_name: 'vigil', external_id: documentId, description: 'Vigil document id' },
          ],
          extensions: { [VIGIL_EXTENSION_ID]: extension },
        };
      },
      new Set(),
    );
    const refs = entry.refs ?? new Set<string>();
    if (outlet !== null) refs.add(this.outlet(outlet, level));
    return refs;
  }

  private outlet(name: string, level: TlpLevel): string {
    const id = stixId('identity', `outlet:${name.toLowerCase()}`);
    this.put(id, level, { created: VIGIL_EPOCH, modified: VIGIL_EPOCH }, () => ({
      type: 'identity',
      spec_version: '2.1',
      id,
      created_by_ref: VIGIL_IDENTITY_ID,
      created: VIGIL_EPOCH,
      modified: VIGIL_EPOCH,
      name,
      description: 'News outlet',
      identity_class: 'organization',
    }));
    return id;
  }

  /** One note per evidenced field; returns the note ids by the documents their evidence cites. */
  private notes(
    incident: Incident,
    incidentRef: string,
    level: TlpLevel,
    stamp: { created: string; modified: string },
  ): Map<string, string[]> {
    const byField = new Map<string, { evidence: IncidentEvidence; position: number }[]>();
    incident.evidence.forEach((evidence, position) => {
      const list = byField.get(evidence.field) ?? [];
      list.push({ evidence, position });
      byField.set(evidence.field, list);
    });
    const byDocument = new Map<string, string[]>();
    for (const [field, items] of byField) {
      const id = stixId('note', `${incident.id}:${field}`);
      const documentIds = unique(items.map((i) => i.evidence.documentId));
      const extension: NoteExtension = {
        extension_type: 'property-extension',
        incident_id: incident.id,
        field: items[0]?.evidence.field ?? 'date',
        // The API's spelling of evidence; its field is the note's, given once above.
        evidence: items.map(({ evidence, position }) => {
          const { field: _, ...spelled } = evidenceJson(evidence);
          return { position, ...spelled };
        }),
      };
      this.put(id, level, stamp, () => ({
        type: 'note',
        spec_version: '2.1',
        id,
        created_by_ref: VIGIL_IDENTITY_ID,
        ...stamp,
        abstract: `Evidence for ${field}: ${unique(items.map((i) => i.evidence.value)).join(', ')}`,
        content: items.map(({ evidence: e }) => evidenceLine(e)).join('\n'),
        authors: ['Vigil'],
        object_refs: [incidentRef, ...documentIds.map((d) => stixId('report', d))],
        extensions: { [VIGIL_EXTENSION_ID]: extension },
      }));
      for (const documentId of documentIds) {
        byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), id]);
      }
    }
    return byDocument;
  }
}

function incidentExtension(i: Incident, actors: readonly string[]): IncidentExtension {
  return {
    extension_type: 'property-extension',
    vigil_id: i.id,
    ...(i.date === null ? {} : { date: i.date.date, date_precision: i.date.precision }),
    ...(i.country === null ? {} : { country: i.country }),
    ...(i.city === null ? {} : { city: i.city }),
    ...(i.lat === null || i.lon === null ? {} : { latitude: i.lat, longitude: i.lon }),
    ...(i.placePrecision === null ? {} : { place_precision: i.placePrecision }),
    ...nonEmpty('attack_types', i.attackTypes),
    ...nonEmpty('weapon_types', i.weaponTypes),
    ...nonEmpty('target_types', i.targetTypes),
    ...nonEmpty('target_text', i.targetText),
    ...nonEmpty('physical_target_text', i.physicalTargetText),
    ...nonEmpty(
      'perpetrator_groups',
      i.perpetratorGroups.map((g, n) => ({
        group_id: g.groupId,
        group: g.group,
        aliases_seen: [...g.aliasesSeen],
        attribution: g.attribution,
        ...(g.discovered ? { discovered: true } : {}),
        ...(actors[n] === undefined ? {} : { threat_actor_ref: actors[n] }),
      })),
    ),
    ...(i.perpetratorsMin === null ? {} : { perpetrators_min: i.perpetratorsMin }),
    ...(i.perpetratorsMax === null ? {} : { perpetrators_max: i.perpetratorsMax }),
    ...nonEmpty('perpetrator_nationalities', i.perpetratorNationalities),
    ...nonEmpty('perpetrator_text', i.perpetratorText),
    ...nonEmpty('victim_text', i.victimText),
    ...nonEmpty('weapon_text', i.weaponText),
    ...(i.killed === null ? {} : { killed: { ...i.killed } }),
    ...(i.wounded === null ? {} : { wounded: { ...i.wounded } }),
    ...(i.kidnapped === null ? {} : { kidnapped: { ...i.kidnapped } }),
    ...(i.perpetratorsKilled === null ? {} : { perpetrators_killed: { ...i.perpetratorsKilled } }),
    suicide: i.suicide,
    outcome: i.outcome,
    ...nonEmpty('source_documents', i.sources),
  } as IncidentExtension;
}

/** "Armed assault in Moscow, Russia on 2024-03-22". */
export function incidentName(i: Incident): string {
  const attack = i.attackTypes.length === 0 ? 'Attack' : sentenceCase(i.attackTypes.map(words).join(' and '));
  const country = i.country === null ? null : (countryOf(i.country)?.name ?? i.country);
  const place = [i.city, country].filter((p) => p !== null).join(', ');
  return `${attack}${place === '' ? '' : ` in ${place}`}${i.date === null ? '' : ` on ${i.date.date}`}`;
}

function incidentDescription(i: Incident, name: string): string {
  const parts = [`${name}.`];
  if (i.targetTypes.length > 0) parts.push(`Targets: ${i.targetTypes.map(words).join(', ')}.`);
  const tolls = (
    [
      ['killed', i.killed],
      ['wounded', i.wounded],
      ['kidnapped', i.kidnapped],
      ['perpetrators killed', i.perpetratorsKilled],
    ] as const
  )
    .filter(([, c]) => c !== null)
    .map(([label, c]) => `${label} ${countText(c as Count)}`);
  if (tolls.length > 0) parts.push(`${sentenceCase(tolls.join(', '))}.`);
  if (i.perpetratorGroups.length > 0) {
    parts.push(
      `Perpetrators: ${i.perpetratorGroups.map((g) => `${g.group} (${g.attribution})`).join(', ')}.`,
    );
  }
  if (i.suicide) parts.push('Suicide attack.');
  if (i.outcome !== 'carried_out') parts.push(`Outcome: ${i.outcome}.`);
  return parts.join(' ');
}

function countText(c: Count): string {
  const range = `${c.min}–${c.max ?? ''}`;
  switch (c.qualifier) {
    case 'exact':
      return String(c.value ?? c.min);
    case 'at_least':
      return `at least ${c.value ?? c.min}`;
    case 'more_than':
      return `more than ${(c.value ?? c.min) - 1}`;
    case 'approximately':
      return `about ${c.value ?? range}`;
    case 'at_most':
      return `at most ${c.value ?? c.max ?? c.min}`;
    case 'range':
      return range;
  }
}

/** Countries by code, looked up once each (the list is fixed; a TAXII page names few). */
const countries = new Map<string, ReturnType<typeof countryByCode>>();
function countryOf(code: string): ReturnType<typeof countryByCode> {
  if (!countries.has(code)) countries.set(code, countryByCode(code));
  return countries.get(code);
}

function groupDescription(g: ArmedGroup, groups: ReadonlyMap<string, ArmedGroup>): string {
  const name = (id: string) => groups.get(id)?.name ?? id;
  const parts = [`${sentenceCase(g.ideology)} armed group.`];
  const relations = g.relations.map((r) => `${r.type.replaceAll('-', ' ')} ${name(r.group)}`);
  if (relations.length > 0) parts.push(`${sentenceCase(relations.join('; '))}.`);
  parts.push(`Home countries: ${g.home_countries.join(', ')}.`);
  if (g.active_from !== null) {
    parts.push(`Active ${g.active_from}${g.active_to === null ? ' to date' : `–${g.active_to}`}.`);
  }
  if (g.media_arms.length > 0) parts.push(`Media arms: ${g.media_arms.join(', ')}.`);
  if (g.designations.length > 0) {
    const list = g.designations.map((d) => `${d.by} ${d.list}${d.since === null ? '' : ` (${d.since})`}`);
    parts.push(`Designated: ${list.join('; ')}.`);
  }
  return parts.join(' ');
}

function reportName(documentId: string, doc: ExportDocument | undefined): string {
  if (doc?.title) return doc.title;
  const line = doc?.text?.trim().split('\n')[0]?.trim() ?? '';
  if (line === '') return `Document ${documentId.slice(0, 8)}`;
  return line.length <= 100 ? line : `${line.slice(0, 99).trimEnd()}…`;
}

function evidenceLine(e: IncidentEvidence): string {
  const at = e.sentence.indexOf(e.text);
  const marked =
    at < 0 ? e.sentence : `${e.sentence.slice(0, at)}«${e.text}»${e.sentence.slice(at + e.text.length)}`;
  return (
    `${e.field} = ${e.value}${e.inferred ? ' (inferred)' : ''}: document ${e.documentId} ` +
    `[${e.start}–${e.end}) "${e.text}" in: ${marked}`
  );
}

function regionOf(subregion: string, region: string): string | undefined {
  for (const name of [subregion, region]) {
    const slug = name.toLowerCase().replaceAll(/[^a-z]+/g, '-');
    if (REGIONS.has(slug)) return slug;
  }
  return undefined;
}

function nonEmpty<K extends string, T>(key: K, values: readonly T[]): { [P in K]?: T[] } {
  return (values.length === 0 ? {} : { [key]: [...values] }) as { [P in K]?: T[] };
}

const words = (s: string) => s.replaceAll('_', ' ');
const sentenceCase = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Earliest and latest of ISO timestamps (strings: Math.min does not apply). */
const minOf = (xs: readonly string[]) => [...xs].sort(compare)[0] as string;
const maxOf = (xs: readonly string[]) => [...xs].sort(compare).at(-1) as string;
