import { z } from 'zod';
import { ATTACK_TYPES, ATTRIBUTIONS, OUTCOMES, TARGET_TYPES, WEAPON_TYPES } from '../extract/types.js';
import type { EvidencedField } from '../resolve/incident.js';
import {
  type StixObject,
  VIGIL_EPOCH,
  VIGIL_EXTENSION_ID,
  VIGIL_EXTENSION_SCHEMA,
  VIGIL_IDENTITY_ID,
} from './common.js';

/*
 * Vigil's STIX property extension. The incident SDO of STIX 2.1 is a stub (name, description), so
 * everything Vigil knows about an incident travels in `extensions[VIGIL_EXTENSION_ID]` of the
 * incident, with GTD-style names as in `vigil incidents --json`. Reports carry the document they
 * stand for, notes the evidence of one field. STIX forbids null and empty lists as property values
 * (common/properties.json), so a missing value is an absent property, never null or [].
 */

export const EVIDENCED_FIELDS = [
  'date',
  'city',
  'country',
  'attack_types',
  'weapon_types',
  'target_types',
  'target_text',
  'perpetrator_groups',
  'perpetrators_min',
  'perpetrator_nationalities',
  'perpetrator_text',
  'victim_text',
  'weapon_text',
  'killed',
  'wounded',
  'kidnapped',
  'perpetrators_killed',
  'suicide',
  'outcome',
] as const satisfies readonly EvidencedField[];

const countryCode = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code');
const texts = z.array(z.string()).min(1);
const count = z.object({
  value: z.number().int().nonnegative().nullable(),
  min: z.number().int().nonnegative(),
  max: z.number().int().nonnegative().nullable(),
  qualifier: z.enum(['exact', 'at_least', 'more_than', 'approximately', 'at_most', 'range']),
});
const extensionType = z.literal('property-extension');

/** Unknown properties are kept, so that a later version of the extension still reads. */
export const incidentExtensionSchema = z.looseObject({
  extension_type: extensionType,
  vigil_id: z.string().min(1),
  date: z.iso.date().optional(),
  date_precision: z.enum(['day', 'month', 'year']).optional(),
  country: countryCode.optional(),
  city: z.string().min(1).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  place_precision: z.enum(['city', 'country']).optional(),
  attack_types: z.array(z.enum(ATTACK_TYPES)).min(1).optional(),
  weapon_types: z.array(z.enum(WEAPON_TYPES)).min(1).optional(),
  target_types: z.array(z.enum(TARGET_TYPES)).min(1).optional(),
  target_text: texts.optional(),
  physical_target_text: texts.optional(),
  perpetrator_groups: z
    .array(
      z.object({
        group_id: z.string().min(1),
        group: z.string().min(1),
        aliases_seen: z.array(z.string()),
        attribution: z.enum(ATTRIBUTIONS),
        /** Not in the knowledge base (id `discovered:<name>`). */
        discovered: z.boolean().optional(),
        threat_actor_ref: z.string().optional(),
      }),
    )
    .min(1)
    .optional(),
  perpetrators_min: z.number().int().nonnegative().optional(),
  perpetrators_max: z.number().int().nonnegative().optional(),
  perpetrator_nationalities: z.array(countryCode).min(1).optional(),
  perpetrator_text: texts.optional(),
  victim_text: texts.optional(),
  weapon_text: texts.optional(),
  killed: count.optional(),
  wounded: count.optional(),
  kidnapped: count.optional(),
  perpetrators_killed: count.optional(),
  suicide: z.boolean(),
  outcome: z.enum(OUTCOMES),
  /** Vigil ids of the documents that report the incident, in the order they were linked. */
  source_documents: z.array(z.string().min(1)).min(1).optional(),
});
export type IncidentExtension = z.infer<typeof incidentExtensionSchema>;

export const reportExtensionSchema = z.looseObject({
  extension_type: extensionType,
  /** Vigil's document id: sha256 of the normalised text. */
  document_id: z.string().min(1),
  title: z.string().optional(),
  outlet: z.string().optional(),
  /** The publication date as the document has it (a date or a date-time). */
  published: z.string().optional(),
  language: z.string().optional(),
});
export type ReportExtension = z.infer<typeof reportExtensionSchema>;

export const noteExtensionSchema = z.looseObject({
  extension_type: extensionType,
  incident_id: z.string().min(1),
  field: z.enum(EVIDENCED_FIELDS),
  evidence: z
    .array(
      z.object({
        /** Position of this evidence in the incident's whole evidence list. */
        position: z.number().int().nonnegative(),
        value: z.string(),
        inferred: z.boolean(),
        document_id: z.string().min(1),
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        text: z.string(),
        sentence: z.string(),
      }),
    )
    .min(1),
});
export type NoteExtension = z.infer<typeof noteExtensionSchema>;

/** The schema that checks Vigil's extension on an object of this type, if it carries one. */
export function extensionSchemaFor(type: string): z.ZodType | undefined {
  if (type === 'incident') return incidentExtensionSchema;
  if (type === 'report') return reportExtensionSchema;
  if (type === 'note') return noteExtensionSchema;
  return undefined;
}

/** The extension-definition object that declares Vigil's extension. */
export function vigilExtensionDefinition(): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: VIGIL_EXTENSION_ID,
    created_by_ref: VIGIL_IDENTITY_ID,
    created: VIGIL_EPOCH,
    modified: VIGIL_EPOCH,
    name: 'Vigil incident record',
    description:
      'GTD-style fields of a terrorist incident as Vigil extracts them from news, with evidence. On an ' +
      'incident: date, place, attack, weapon and target types, perpetrator groups with their attribution ' +
      '(claimed, identified, suspected, denied), perpetrator numbers and nationalities, killed, wounded, ' +
      'kidnapped and perpetrators killed as counts {value, min, max, qualifier}, suicide and outcome. On ' +
      'a report: the Vigil document it stands for. On a note: the evidence of one field (sentence, ' +
      'character span, document).',
    schema: VIGIL_EXTENSION_SCHEMA,
    version: '1.0.0',
    extension_types: ['property-extension'],
  };
}

/** Vigil as an identity, the creator of everything it exports. */
export function vigilIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: VIGIL_IDENTITY_ID,
    created: VIGIL_EPOCH,
    modified: VIGIL_EPOCH,
    name: 'Vigil',
    description: 'Turns news about terrorism into GTD-style incident records with evidence.',
    identity_class: 'system',
  };
}
