import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import {
  bundleText,
  checkBundle,
  exportBundle,
  type StixObject,
  TLP_EXTENSION_ID,
  tlpMarkingId,
  VIGIL_EXTENSION_ID,
  VIGIL_IDENTITY_ID,
} from '../../src/stix/index.js';
import { foundingIncidents, SHARED_SCHEMAS, schemaValidators } from './helpers.js';

const { document, incidents } = foundingIncidents();
const groups = loadGroups();
const bundle = exportBundle({ incidents, documents: [document], groups });
const byType = (type: string) => bundle.objects.filter((o) => o.type === type);
const one = (type: string): StixObject => {
  const found = byType(type);
  expect(found, type).toHaveLength(1);
  return found[0] as StixObject;
};

describe('STIX export of the founding article', () => {
  it('finds the one incident the bundle is about', () => {
    expect(incidents).toHaveLength(1);
  });

  it('validates every object against its type schema, in the product and in ../shared', () => {
    const check = checkBundle(JSON.parse(bundleText(bundle)));
    expect(check.errors).toEqual([]);
    expect(check.warnings).toEqual([]);
    const shared = schemaValidators(SHARED_SCHEMAS);
    for (const object of bundle.objects) {
      const validate = shared.get(object.type);
      expect(validate, `schema for ${object.type}`).toBeDefined();
      expect(validate?.(object), `${object.id}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
  });

  it('is the same byte for byte when exported again, with UUIDv5 ids', () => {
    const again = exportBundle({ incidents: [...incidents], documents: [{ ...document }], groups });
    expect(bundleText(again)).toBe(bundleText(bundle));
    for (const object of bundle.objects) {
      if (object.type === 'marking-definition') continue;
      expect(object.id, object.id).toMatch(
        /--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    expect(new Set(bundle.objects.map((o) => o.id)).size).toBe(bundle.objects.length);
  });

  it('dates objects from the data: the article was published on 2024-03-25', () => {
    const incident = one('incident');
    expect(incident).toMatchObject({
      created: '2024-03-25T00:00:00.000Z',
      modified: '2024-03-25T00:00:00.000Z',
    });
    expect(one('report')).toMatchObject({ published: '2024-03-25T00:00:00.000Z' });
  });

  it("carries Vigil's fields in its own property extension of the incident", () => {
    const incident = one('incident');
    expect(incident.name).toBe('Armed assault in Moscow, Russia on 2024-03-22');
    expect(incident.created_by_ref).toBe(VIGIL_IDENTITY_ID);
    const extension = (incident.extensions as Record<string, Record<string, unknown>>)[VIGIL_EXTENSION_ID];
    expect(extension).toMatchObject({
      extension_type: 'property-extension',
      vigil_id: incidents[0]?.id,
      date: '2024-03-22',
      country: 'RU',
      city: 'Moscow',
      attack_types: ['armed_assault'],
      target_types: ['private_citizens_property'],
      perpetrators_min: 4,
      perpetrator_nationalities: ['TJ'],
      killed: { value: 139 },
      suicide: false,
      outcome: 'carried_out',
      perpetrator_groups: [{ group_id: 'iskp', attribution: 'identified' }],
    });
    expect(extension).not.toHaveProperty('wounded');
    const definition = one('extension-definition');
    expect(definition).toMatchObject({
      id: VIGIL_EXTENSION_ID,
      extension_types: ['property-extension'],
      schema: expect.stringMatching(/^https:\/\/vigil\./),
    });
  });

  it('describes the group as a terrorist threat actor with its aliases', () => {
    const actor = one('threat-actor');
    expect(actor).toMatchObject({
      name: 'Islamic State Khorasan Province',
      threat_actor_types: ['terrorist'],
      aliases: expect.arrayContaining(['ISKP', 'ISIS-K']),
      description: expect.stringContaining('Home countries: AF'),
    });
  });

  it('places the incident in Moscow and links it with the spec relationship vocabulary', () => {
    const incident = one('incident');
    const actor = one('threat-actor');
    const location = one('location');
    expect(location).toMatchObject({ city: 'Moscow', country: 'RU' });
    expect(location.latitude).toBeCloseTo(55.75, 1);
    const relations = byType('relationship').map((r) => [r.relationship_type, r.source_ref, r.target_ref]);
    expect(relations).toContainEqual(['located-at', incident.id, location.id]);
    expect(relations).toContainEqual(['related-to', incident.id, actor.id]);
    expect(relations).toContainEqual(['targets', actor.id, location.id]);
    const victims = byType('identity').find((i) => i.identity_class === 'class');
    expect(relations).toContainEqual(['targets', actor.id, victims?.id]);
    const attribution = byType('relationship').find((r) => r.relationship_type === 'related-to');
    expect(attribution?.description).toMatch(/^Attribution: identified/);
    expect(relations.some(([type]) => type === 'attributed-to')).toBe(false);
  });

  it('has one report for the article with its url and everything derived from it', () => {
    const report = one('report');
    expect(report.external_references).toContainEqual({
      source_name: 'Example News',
      url: 'https://news.example.org/moscow-concert-hall',
    });
    const refs = report.object_refs as string[];
    for (const type of ['incident', 'threat-actor', 'location', 'note', 'relationship']) {
      for (const object of byType(type)) expect(refs, object.id).toContain(object.id);
    }
    const outlet = byType('identity').find((i) => i.name === 'Example News');
    expect(outlet?.identity_class).toBe('organization');
    expect(refs).toContain(outlet?.id);
  });

  it('has a note with the sentence, span and document of each evidenced field', () => {
    const incident = incidents[0];
    const fields = new Set(incident?.evidence.map((e) => e.field));
    const notes = byType('note');
    expect(notes).toHaveLength(fields.size);
    const killed = notes.find((n) => String(n.abstract).startsWith('Evidence for killed'));
    const evidence = incident?.evidence.find((e) => e.field === 'killed');
    expect(killed?.content).toContain(`«${evidence?.text}»`);
    expect(killed?.content).toContain(`[${evidence?.start}–${evidence?.end})`);
    expect(killed?.content).toContain(document.id);
    expect(killed?.object_refs).toEqual([one('incident').id, one('report').id]);
  });

  it('marks everything derived from the incident with the TLP asked for, using the official objects', () => {
    for (const level of ['clear', 'green', 'amber', 'amber+strict', 'red'] as const) {
      const marked = exportBundle({ incidents, documents: [document], groups, tlp: level });
      const markings = marked.objects.filter((o) => o.type === 'marking-definition');
      expect(markings).toEqual([
        {
          type: 'marking-definition',
          spec_version: '2.1',
          id: tlpMarkingId(level),
          created: '2022-10-01T00:00:00.000Z',
          name: `TLP:${level.toUpperCase()}`,
          extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level } },
        },
      ]);
      for (const object of marked.objects) {
        if (
          ['marking-definition', 'extension-definition'].includes(object.type) ||
          object.id === VIGIL_IDENTITY_ID
        )
          continue;
        expect(object.object_marking_refs, object.id).toEqual([tlpMarkingId(level)]);
      }
    }
    expect(tlpMarkingId('amber+strict')).toBe('marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003');
    expect(tlpMarkingId('clear')).toBe('marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487');
  });

  it('gives shared objects the strictest marking of the incidents they derive from', () => {
    const base = incidents[0];
    if (base === undefined) throw new Error('no incident');
    const other = { ...base, id: 'ffffffffffffffff', evidence: [] };
    const marked = exportBundle({
      incidents: [base, other],
      documents: [document],
      groups,
      tlp: (i) => (i.id === other.id ? 'red' : 'green'),
    });
    const incidentsOut = marked.objects.filter((o) => o.type === 'incident');
    expect(incidentsOut.map((o) => o.object_marking_refs)).toEqual(
      expect.arrayContaining([[tlpMarkingId('green')], [tlpMarkingId('red')]]),
    );
    const actor = marked.objects.find((o) => o.type === 'threat-actor');
    expect(actor?.object_marking_refs).toEqual([tlpMarkingId('red')]);
  });

  it('exports an empty list as a valid bundle of Vigil objects only', () => {
    const empty = exportBundle({ incidents: [], documents: [], groups });
    expect(checkBundle(empty).errors).toEqual([]);
    expect(empty.objects.map((o) => o.type)).toEqual(['identity', 'extension-definition']);
  });
});
