import { createHash } from 'node:crypto';

/** A STIX object as JSON: its type and id, and whatever else its type defines. */
export interface StixObject {
  readonly type: string;
  readonly id: string;
  readonly [property: string]: unknown;
}

export interface StixBundle {
  readonly type: 'bundle';
  readonly id: string;
  readonly objects: readonly StixObject[];
}

/** Namespace of every id Vigil makes: UUIDv5 of `https://vigil.example.org/stix` in the URL namespace. */
export const VIGIL_NAMESPACE = '39fcbda0-5ba9-5845-82a8-7de1c71f7d53';

/** `<type>--<UUIDv5(Vigil namespace, "<type>:<key>")>`: the same key always gives the same id. */
export function stixId(type: string, key: string): string {
  const name = `${type}:${key}`;
  let id = ids.get(name);
  if (id === undefined) {
    id = `${type}--${uuidV5(name)}`;
    // Locations, threat actors and identities recur on every page of a TAXII collection.
    if (ids.size >= 100_000) ids.clear();
    ids.set(name, id);
  }
  return id;
}

const ids = new Map<string, string>();
const NAMESPACE_BYTES = Buffer.from(VIGIL_NAMESPACE.replaceAll('-', ''), 'hex');

/** RFC 4122 UUIDv5 in Vigil's namespace (what the uuid package's v5 gives, several times faster). */
function uuidV5(name: string): string {
  const b = createHash('sha1').update(NAMESPACE_BYTES).update(name, 'utf8').digest();
  b[6] = ((b[6] as number) & 0x0f) | 0x50;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex', 0, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Timestamp of what does not come from a document: Vigil's identity, its extension, the knowledge base. */
export const VIGIL_EPOCH = '2024-01-01T00:00:00.000Z';

/** Vigil as the creator of every object it exports. */
export const VIGIL_IDENTITY_ID = stixId('identity', 'vigil');

/** Vigil's property extension of incidents, reports, notes and relationships (see `extension.ts`). */
export const VIGIL_EXTENSION_ID = stixId('extension-definition', 'incident-record:1');

/** Placeholder for where the extension's JSON schema will be published. */
export const VIGIL_EXTENSION_SCHEMA =
  'https://vigil.example.org/stix/extensions/incident-record/v1.schema.json';

/** A STIX timestamp (UTC, milliseconds) from an ISO date or date-time; null if it is not one. */
export function stixTimestamp(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

// TLP 2.0 as published in oasis-open/cti-stix-common-objects (extension-definition/tlp-2.0).

export const TLP_LEVELS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
/** TLP 2.0 levels, least restrictive first. */
export type TlpLevel = (typeof TLP_LEVELS)[number];

export const TLP_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const TLP_IDS: Readonly<Record<TlpLevel, string>> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

export function isTlpLevel(value: string): value is TlpLevel {
  return (TLP_LEVELS as readonly string[]).includes(value);
}

export function tlpMarkingId(level: TlpLevel): string {
  return TLP_IDS[level];
}

/** The level of an official TLP 2.0 marking id, or undefined for any other marking. */
export function tlpLevelOf(markingId: string): TlpLevel | undefined {
  return TLP_LEVELS.find((level) => TLP_IDS[level] === markingId);
}

// TLP 1.0 as STIX 2.1 defines it (section 7.2.1.4): read on import, never written. TLP:WHITE is
// TLP 2.0's CLEAR.
const TLP1_LEVELS: ReadonlyMap<string, TlpLevel> = new Map<string, TlpLevel>([
  ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9', 'clear'],
  ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da', 'green'],
  ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82', 'amber'],
  ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed', 'red'],
]);

/** The level of an official TLP 1.0 marking id (STIX 2.1 section 7.2.1.4), or undefined. */
export function tlp1LevelOf(markingId: string): TlpLevel | undefined {
  return TLP1_LEVELS.get(markingId);
}

/** The official TLP 2.0 marking-definition object of a level. */
export function tlpMarking(level: TlpLevel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_IDS[level],
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
  };
}

/** The more restrictive of two levels. */
export function stricter(a: TlpLevel, b: TlpLevel): TlpLevel {
  return TLP_LEVELS.indexOf(a) >= TLP_LEVELS.indexOf(b) ? a : b;
}

/** The most restrictive of some levels, or null when there are none. */
export function strictest(levels: Iterable<TlpLevel | null>): TlpLevel | null {
  let found: TlpLevel | null = null;
  for (const level of levels) {
    if (level !== null) found = found === null ? level : stricter(found, level);
  }
  return found;
}

/** Whether `a` restricts more than `b` (anything restricts more than no marking at all). */
export function isStricter(a: TlpLevel, b: TlpLevel | null): boolean {
  return b === null || TLP_LEVELS.indexOf(a) > TLP_LEVELS.indexOf(b);
}
