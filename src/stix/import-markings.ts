import {
  isStricter,
  isTlpLevel,
  type StixObject,
  strictest,
  TLP_EXTENSION_ID,
  TLP_LEVELS,
  type TlpLevel,
  tlp1LevelOf,
  tlpLevelOf,
} from './common.js';
import type { StixIssue } from './validate.js';

/*
 * The TLP level an imported incident is held at. The store shows an incident to whoever sees one of
 * its documents, and a document to whoever sees one of its markings; so an incident must be held at
 * least as strictly as everything its record and documents were made from, and as every incident it
 * shares a document with. Otherwise a GREEN incident listed in an AMBER report would publish the
 * report, and through it the AMBER incidents beside it, at GREEN.
 */

/** An object whose marking raised an incident's, with why. */
export interface RaisedBy {
  readonly objectId: string;
  /** The level it holds the incident at. */
  readonly level: TlpLevel;
  /** What it is to the incident and how it is marked: "that lists it is marked TLP:AMBER". */
  readonly reason: string;
}

/** What the importer read for one incident. */
export interface IncidentReading {
  readonly stixId: string;
  /** Objects whose content went into the incident's fields, each with what it gave ("that gives its place"). */
  readonly drew: ReadonlyMap<string, string>;
  /** The documents the incident cites: its sources and its evidence's documents. */
  readonly cites: readonly string[];
}

export interface HeldIncident {
  /** The strictest level of the incident and all it draws on, or null when nothing marks any of it. */
  readonly tlp: TlpLevel | null;
  /** What raised it above its own marking, strictest first; empty when nothing did. */
  readonly raisedBy: readonly RaisedBy[];
}

/**
 * The level of each incident read from `objects` (every object of the bundle, every version): the
 * strictest marking of the incident (every version, object and granular markings), of every object
 * that lists or links to it, of every object it `drew` from, of every object its documents were
 * made from (`documents`: per document id, the objects and what each gave), and of the incidents it
 * shares a document with (an unmarked one counting as AMBER, the import default). Markings Vigil
 * cannot read as TLP count as AMBER, with a warning naming the object and the marking.
 */
export function holdIncidents(
  objects: readonly StixObject[],
  readings: readonly IncidentReading[],
  documents: ReadonlyMap<string, ReadonlyMap<string, string>>,
): { held: Map<string, HeldIncident>; warnings: StixIssue[] } {
  const index = new MarkingIndex(objects);
  const inherited = new Map(readings.map((r) => [r, inherit(index, r, documents)]));
  const shared = sharingRaises(readings, (r) => inherited.get(r)?.tlp ?? null);
  const held = new Map<string, HeldIncident>();
  const warnings: StixIssue[] = [];
  for (const r of readings) {
    const raisedBy = dedupe([...(inherited.get(r)?.raisedBy ?? []), ...(shared.get(r) ?? [])]);
    const tlp = strictest([inherited.get(r)?.tlp ?? null, ...raisedBy.map((b) => b.level)]);
    held.set(r.stixId, { tlp, raisedBy });
    const top = raisedBy[0];
    if (top !== undefined && tlp !== null) {
      const more = raisedBy.length > 1 ? ` (and ${raisedBy.length - 1} more)` : '';
      warnings.push({
        objectId: r.stixId,
        path: '/object_marking_refs',
        message: `${r.stixId} is held as ${tlpName(tlp)}: ${top.objectId} ${top.reason}${more}`,
      });
    }
  }
  return { held, warnings: [...index.warnings, ...warnings] };
}

/** An incident's own level, raised by what lists it, what it drew from and what made its documents. */
function inherit(
  index: MarkingIndex,
  r: IncidentReading,
  documents: ReadonlyMap<string, ReadonlyMap<string, string>>,
): { tlp: TlpLevel | null; raisedBy: RaisedBy[] } {
  const from = new Map<string, string>();
  const add = (id: string, what: string) => {
    if (id !== r.stixId && !from.has(id)) from.set(id, what);
  };
  // What an object gave says more than that it links to the incident: that comes last.
  for (const [id, what] of r.drew) add(id, what);
  for (const documentId of r.cites) for (const [id, what] of documents.get(documentId) ?? []) add(id, what);
  for (const [id, what] of index.referrersOf(r.stixId)) add(id, what);
  const own = index.levelOf(r.stixId);
  const raisedBy: RaisedBy[] = [];
  for (const [objectId, what] of from) {
    const level = index.levelOf(objectId);
    if (level !== null && isStricter(level, own))
      raisedBy.push({ objectId, level, reason: `${what} is marked ${tlpName(level)}` });
  }
  return { tlp: strictest([own, ...raisedBy.map((b) => b.level)]), raisedBy };
}

/**
 * What raises incidents that cite the same document: each to the strictest level among that
 * document's citers, an unmarked one counting as AMBER (the import default) beside marked ones.
 * One step is enough: each document then carries only markings at least as strict as every incident
 * citing it, so that none shows through it below its level.
 */
function sharingRaises(
  readings: readonly IncidentReading[],
  levelOf: (r: IncidentReading) => TlpLevel | null,
): Map<IncidentReading, RaisedBy[]> {
  const citers = new Map<string, IncidentReading[]>();
  for (const r of readings) {
    for (const documentId of new Set(r.cites)) {
      const list = citers.get(documentId);
      if (list === undefined) citers.set(documentId, [r]);
      else list.push(r);
    }
  }
  const raises = new Map<IncidentReading, RaisedBy[]>();
  for (const [documentId, sharing] of citers) {
    if (sharing.every((c) => levelOf(c) === null)) continue;
    const level = strictest(sharing.map((c) => levelOf(c) ?? 'amber'));
    if (level === null) continue;
    // Who to name: the incident that sets the level; else an unmarked one (it counts as AMBER); else
    // (this one unmarked, the others below AMBER) a marked one. Two of each, so one is not `r`.
    const firstTwo = (keep: (c: IncidentReading) => boolean) => sharing.filter(keep).slice(0, 2);
    const candidates = [
      ...firstTwo((c) => levelOf(c) === level),
      ...firstTwo((c) => levelOf(c) === null),
      ...firstTwo((c) => levelOf(c) !== null),
    ];
    for (const r of sharing) {
      if (!isStricter(level, levelOf(r))) continue;
      const other = candidates.find((c) => c !== r);
      if (other === undefined) continue;
      const marked = levelOf(other);
      const what = `shares document ${documentId} with it and is`;
      const reason =
        marked === null
          ? `${what} unmarked (held as at least TLP:AMBER, the import default)`
          : marked === level
            ? `${what} marked ${tlpName(marked)}`
            : `${what} marked ${tlpName(marked)} (an unmarked incident beside a marked one is held as at least TLP:AMBER)`;
      const list = raises.get(r);
      const raise = { objectId: other.stixId, level, reason };
      if (list === undefined) raises.set(r, [raise]);
      else list.push(raise);
    }
  }
  return raises;
}

/** The level of every object of a bundle, and which objects list or link to which. */
class MarkingIndex {
  readonly warnings: StixIssue[] = [];
  private readonly versions = new Map<string, StixObject[]>();
  private readonly referrers = new Map<string, Map<string, string>>();
  private readonly levels = new Map<string, TlpLevel | null>();
  private readonly markings = new Map<string, { level: TlpLevel | null; readable: boolean }>();

  constructor(objects: readonly StixObject[]) {
    for (const object of objects) {
      const list = this.versions.get(object.id);
      if (list === undefined) this.versions.set(object.id, [object]);
      else list.push(object);
      for (const [target, what] of referencesOf(object)) {
        if (target === object.id) continue;
        const from = this.referrers.get(target) ?? new Map<string, string>();
        if (!from.has(object.id)) from.set(object.id, what);
        this.referrers.set(target, from);
      }
    }
  }

  /** The objects that list or link to an object, with what each is to it ("that lists it"). */
  referrersOf(id: string): ReadonlyMap<string, string> {
    return this.referrers.get(id) ?? new Map();
  }

  /** The strictest level among every version's object and granular markings; null if none marks it. */
  levelOf(id: string): TlpLevel | null {
    const known = this.levels.get(id);
    if (known !== undefined) return known;
    const found: (TlpLevel | null)[] = [];
    const warned = new Set<string>();
    for (const version of this.versions.get(id) ?? []) {
      for (const [ref, path] of markingRefsOf(version)) {
        const marking = this.marking(ref);
        found.push(marking.level);
        if (!marking.readable && !warned.has(ref)) {
          warned.add(ref);
          this.warnings.push({
            objectId: id,
            path,
            message: `marking ${ref} is not one Vigil reads as TLP: held as at least TLP:AMBER`,
          });
        }
      }
    }
    const level = strictest(found);
    this.levels.set(id, level);
    return level;
  }

  /** What a marking reference restricts: an official TLP id, or a definition in the bundle. */
  private marking(ref: string): { level: TlpLevel | null; readable: boolean } {
    const known = this.markings.get(ref);
    if (known !== undefined) return known;
    const official = tlpLevelOf(ref) ?? tlp1LevelOf(ref);
    const definitions = (this.versions.get(ref) ?? []).filter((o) => o.type === 'marking-definition');
    const read = definitions.map(definitionLevel);
    // A definition in the bundle can only add to an official id: their meaning is fixed by the spec.
    const levels = read.filter((l): l is TlpLevel | null => l !== undefined);
    const readable = official !== undefined || (definitions.length > 0 && levels.length === read.length);
    const level = strictest([official ?? null, ...levels, readable ? null : 'amber']);
    const marking = { level, readable };
    this.markings.set(ref, marking);
    return marking;
  }
}

/** A marking definition's TLP level; null for a statement (it restricts nothing); undefined if unread. */
function definitionLevel(definition: StixObject): TlpLevel | null | undefined {
  const type =
    typeof definition.definition_type === 'string' ? definition.definition_type.toLowerCase() : null;
  const found: TlpLevel[] = [];
  if (type === 'statement') return null;
  if (type === 'tlp') {
    // TLP 1.0 ({tlp: "amber"}), and OpenCTI's {TLP: "TLP:AMBER"}.
    const body = definition.definition;
    if (typeof body === 'object' && body !== null)
      for (const value of Object.values(body)) if (typeof value === 'string') found.push(...tlpWord(value));
  } else if (type === null) {
    const extensions = definition.extensions;
    if (typeof extensions !== 'object' || extensions === null) return undefined;
    const tlp2 = (extensions as Record<string, { tlp_2_0?: unknown } | undefined>)[TLP_EXTENSION_ID]?.tlp_2_0;
    if (typeof tlp2 === 'string' && isTlpLevel(tlp2)) found.push(tlp2);
  } else {
    return undefined;
  }
  if (typeof definition.name === 'string') {
    const named = /\bTLP\s*:\s*(clear|white|green|amber\s*\+\s*strict|amber|red)\b/i.exec(
      definition.name,
    )?.[1];
    if (named !== undefined) found.push(...tlpWord(named));
  }
  return found.length === 0 ? undefined : strictest(found);
}

function tlpWord(value: string): TlpLevel[] {
  const word = value
    .trim()
    .toLowerCase()
    .replace(/^tlp\s*:\s*/, '')
    .replaceAll(/\s+/g, '');
  const level = word === 'white' ? 'clear' : word;
  return isTlpLevel(level) ? [level] : [];
}

/** Every marking reference of an object, with where it is: object markings, then granular ones. */
function markingRefsOf(object: StixObject): [string, string][] {
  const refs: [string, string][] = [];
  if (Array.isArray(object.object_marking_refs))
    for (const ref of object.object_marking_refs)
      if (typeof ref === 'string') refs.push([ref, '/object_marking_refs']);
  if (Array.isArray(object.granular_markings)) {
    for (const [n, granular] of object.granular_markings.entries()) {
      const ref =
        typeof granular === 'object' && granular !== null
          ? (granular as { marking_ref?: unknown }).marking_ref
          : undefined;
      if (typeof ref === 'string') refs.push([ref, `/granular_markings/${n}/marking_ref`]);
    }
  }
  return refs;
}

/**
 * The ids an object lists or links to (any top-level `*_ref` or `*_refs` but its creator and its
 * markings), with what the object is to each: containers list, relationships and sightings link.
 */
function referencesOf(object: StixObject): [string, string][] {
  const found: [string, string][] = [];
  for (const [key, value] of Object.entries(object)) {
    if (key === 'created_by_ref' || key === 'object_marking_refs') continue;
    const ids =
      key.endsWith('_ref') && typeof value === 'string'
        ? [value]
        : key.endsWith('_refs') && Array.isArray(value)
          ? value.filter((v): v is string => typeof v === 'string')
          : [];
    for (const id of ids) {
      const other =
        key === 'source_ref' ? object.target_ref : key === 'target_ref' ? object.source_ref : undefined;
      const what =
        key === 'object_refs'
          ? 'that lists it'
          : typeof other === 'string'
            ? `that links it to ${other}`
            : `that refers to it (${key})`;
      found.push([id, what]);
    }
  }
  return found;
}

/** One entry per object (its strictest), strictest first. */
function dedupe(raisedBy: readonly RaisedBy[]): RaisedBy[] {
  const seen = new Map<string, RaisedBy>();
  for (const b of raisedBy) {
    const before = seen.get(b.objectId);
    if (before === undefined || isStricter(b.level, before.level)) seen.set(b.objectId, b);
  }
  const rank = (b: RaisedBy) => TLP_LEVELS.indexOf(b.level);
  return [...seen.values()].sort((a, b) => rank(b) - rank(a) || compare(a.objectId, b.objectId));
}

function tlpName(level: TlpLevel): string {
  return `TLP:${level.toUpperCase()}`;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
