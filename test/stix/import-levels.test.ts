import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import {
  checkBundle,
  exportBundle,
  type ImportPlan,
  planImport,
  type StixBundle,
  type StixObject,
  stixId,
  TLP_EXTENSION_ID,
  type TlpLevel,
  tlpMarking,
  tlpMarkingId,
} from '../../src/stix/index.js';
import { foundingIncidents } from './helpers.js';

// An imported incident is held at the strictest marking of all it is made from or listed in:
// STIX import never lowers a marking.

const groups = loadGroups();
const AT = '2024-03-22T18:00:00.000Z';
const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';
const TLP1_AMBER = 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82';

const idOf = (type: string, key: string) => stixId(type, `import-levels:${key}`);
const marks = (...levels: TlpLevel[]) =>
  levels.length === 0 ? {} : { object_marking_refs: levels.map(tlpMarkingId) };

function object(type: string, key: string, fields: Record<string, unknown>): StixObject {
  return { type, spec_version: '2.1', id: idOf(type, key), created: AT, modified: AT, ...fields };
}

const incident = (key: string, fields: Record<string, unknown> = {}) =>
  object('incident', key, { name: `Incident ${key}`, description: `What happened at ${key}.`, ...fields });

const report = (key: string, refs: readonly StixObject[], fields: Record<string, unknown> = {}) =>
  object('report', key, {
    name: `Report ${key}`,
    description: 'The report text, sensitive.',
    published: AT,
    object_refs: refs.map((o) => o.id),
    ...fields,
  });

/** Plans a bundle after checking it is a valid STIX 2.1 bundle. */
function plan(objects: readonly StixObject[]): ImportPlan {
  const check = checkBundle({ type: 'bundle', id: idOf('bundle', 'b'), objects });
  expect(check.errors).toEqual([]);
  if (check.bundle === null) throw new Error('refused');
  return planImport(check.bundle, groups);
}

const levels = (p: ImportPlan) => Object.fromEntries(p.incidents.map((i) => [i.stixId, i.tlp]));

/** Vigil's export of the founding incident at a level, with a way to change its objects. */
function founding(level: TlpLevel): StixBundle {
  const { document, incidents } = foundingIncidents();
  return structuredClone(exportBundle({ incidents, documents: [document], groups, tlp: level }));
}

describe('the level an imported incident is held at', () => {
  it.each([
    ['GREEN', marks('green')],
    ['unmarked', {}],
  ])('an AMBER report that lists AMBER incidents and a %s one holds them all at AMBER', (_, marking) => {
    const bundle = founding('amber');
    const amber = incident('amber', marks('amber'));
    const other = incident('other', marking);
    const vigilReport = bundle.objects.find((o) => o.type === 'report') as StixObject & {
      object_refs: string[];
    };
    vigilReport.object_refs.push(amber.id, other.id);
    const p = plan([...bundle.objects, amber, other]);
    expect(p.incidents).toHaveLength(3);
    expect(p.incidents.map((i) => i.tlp)).toEqual(['amber', 'amber', 'amber']);
    const raised = p.incidents.find((i) => i.stixId === other.id);
    expect(raised?.raisedBy).toContainEqual({
      objectId: vigilReport.id,
      level: 'amber',
      reason: expect.stringMatching(/^that gives document [0-9a-f]{64} is marked TLP:AMBER$/),
    });
    expect(p.warnings).toContainEqual({
      objectId: other.id,
      path: '/object_marking_refs',
      message: expect.stringContaining(
        `${other.id} is held as TLP:AMBER: ${vigilReport.id} that gives document`,
      ),
    });
    // The incidents marked AMBER themselves were not raised.
    expect(p.incidents.filter((i) => i.stixId !== other.id).every((i) => i.raisedBy.length === 0)).toBe(true);
  });

  it('a report listing an incident raises it, with the reason in the warnings', () => {
    const green = incident('green', marks('green'));
    const listing = report('listing', [green], marks('amber'));
    const p = plan([green, listing]);
    expect(levels(p)).toEqual({ [green.id]: 'amber' });
    expect(p.warnings).toContainEqual({
      objectId: green.id,
      path: '/object_marking_refs',
      message: `${green.id} is held as TLP:AMBER: ${listing.id} that gives document ${p.documents.find((d) => d.origin === `stix:${listing.id}`)?.id} is marked TLP:AMBER`,
    });
    // A grouping that only lists it (nothing taken from it) raises it all the same.
    const grouping = object('grouping', 'g', { context: 'suspicious-activity', object_refs: [green.id] });
    const red = plan([green, { ...grouping, ...marks('red') }]);
    expect(red.incidents[0]?.raisedBy).toEqual([
      { objectId: grouping.id, level: 'red', reason: 'that lists it is marked TLP:RED' },
    ]);
    expect(red.warnings).toContainEqual(
      expect.objectContaining({
        message: `${green.id} is held as TLP:RED: ${grouping.id} that lists it is marked TLP:RED`,
      }),
    );
  });

  it('an incident marked GREEN and AMBER in two versions is held at AMBER, its latest content kept', () => {
    const older = incident('versions', { ...marks('amber'), name: 'Older' });
    const newer = { ...older, ...marks('green'), modified: '2024-03-23T00:00:00.000Z', name: 'Newer' };
    for (const objects of [
      [older, newer],
      [newer, older],
    ]) {
      const p = plan(objects);
      expect(p.incidents.map((i) => [i.name, i.tlp, i.raisedBy])).toEqual([['Newer', 'amber', []]]);
    }
    // The same version marked two ways: the stricter.
    expect(plan([{ ...older, ...marks('green') }, older]).incidents[0]?.tlp).toBe('amber');
  });

  it('a RED note giving evidence raises its incident to RED', () => {
    const bundle = founding('amber');
    const note = bundle.objects.find((o) => o.type === 'note') as StixObject;
    const objects = bundle.objects.map((o) => (o.id === note.id ? { ...o, ...marks('red') } : o));
    const p = plan(objects);
    expect(p.incidents.map((i) => i.tlp)).toEqual(['red']);
    expect(p.incidents[0]?.raisedBy).toEqual([
      { objectId: note.id, level: 'red', reason: 'that gives its evidence is marked TLP:RED' },
    ]);
  });

  it('a relationship marked RED from the incident to its location raises it to RED', () => {
    const foreign = incident('placed', marks('green'));
    const moscow = object('location', 'moscow', { name: 'Moscow', country: 'RU', city: 'Moscow' });
    const locatedAt = object('relationship', 'located-at', {
      relationship_type: 'located-at',
      source_ref: foreign.id,
      target_ref: moscow.id,
      ...marks('red'),
    });
    const p = plan([foreign, moscow, locatedAt]);
    expect(p.incidents[0]?.incident.city).toBe('Moscow');
    expect(p.incidents[0]?.tlp).toBe('red');
    expect(p.incidents[0]?.raisedBy).toEqual([
      { objectId: locatedAt.id, level: 'red', reason: 'that gives its place is marked TLP:RED' },
    ]);
    // The location it reads its place from counts too; so does a sighting of it.
    const amberPlace = plan([foreign, { ...moscow, ...marks('amber') }, { ...locatedAt, ...marks('green') }]);
    expect(amberPlace.incidents[0]?.tlp).toBe('amber');
    const identity = object('identity', 'cert', { name: 'CERT', identity_class: 'organization' });
    const sighting = object('sighting', 's', {
      sighting_of_ref: foreign.id,
      where_sighted_refs: [identity.id],
      ...marks('amber'),
    });
    expect(plan([foreign, identity, sighting]).incidents[0]?.raisedBy).toEqual([
      {
        objectId: sighting.id,
        level: 'amber',
        reason: 'that refers to it (sighting_of_ref) is marked TLP:AMBER',
      },
    ]);
  });

  it('a threat actor marked AMBER that its group is read from raises it', () => {
    const foreign = incident('attributed');
    const actor = object('threat-actor', 'actor', { name: 'ISIS-K', ...marks('amber') });
    const rel = object('relationship', 'attributed-to', {
      relationship_type: 'attributed-to',
      source_ref: foreign.id,
      target_ref: actor.id,
    });
    const p = plan([foreign, actor, rel]);
    expect(p.incidents[0]?.incident.perpetratorGroups.map((g) => g.groupId)).toEqual(['iskp']);
    expect(p.incidents[0]?.tlp).toBe('amber');
    expect(p.incidents[0]?.raisedBy).toEqual([
      { objectId: actor.id, level: 'amber', reason: 'that gives its group is marked TLP:AMBER' },
    ]);
  });

  it('a granular marking counts as much as an object marking', () => {
    const granular = incident('granular', {
      ...marks('green'),
      granular_markings: [{ marking_ref: tlpMarkingId('red'), selectors: ['description'] }],
    });
    expect(plan([granular]).incidents[0]?.tlp).toBe('red');
  });

  it('reads TLP 1.0: a reference to TLP 1.0 RED plans at RED, TLP:WHITE at CLEAR', () => {
    expect(plan([incident('tlp1', { object_marking_refs: [TLP1_RED] })]).incidents[0]?.tlp).toBe('red');
    const white = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
    expect(plan([incident('white', { object_marking_refs: [white] })]).incidents[0]?.tlp).toBe('clear');
    // The TLP 1.0 definition object itself, in the bundle.
    const amberDefinition = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: TLP1_AMBER,
      created: '2017-01-20T00:00:00.000Z',
      name: 'TLP:AMBER',
      definition_type: 'tlp',
      definition: { tlp: 'amber' },
    };
    const p = plan([amberDefinition, incident('tlp1-amber', { object_marking_refs: [TLP1_AMBER] })]);
    expect(p.incidents[0]?.tlp).toBe('amber');
    expect(p.warnings).toEqual([]);
  });

  it('reads TLP definitions in the bundle: OpenCTI style, and by a TLP 2.0 extension or a name', () => {
    const definition = (key: string, fields: Record<string, unknown>) => ({
      type: 'marking-definition',
      spec_version: '2.1',
      id: idOf('marking-definition', key),
      created: AT,
      ...fields,
    });
    const opencti = definition('opencti-red', {
      name: 'TLP:RED',
      definition_type: 'TLP',
      definition: { TLP: 'TLP:RED' },
    });
    const strict = definition('strict', {
      name: 'TLP:AMBER+STRICT',
      extensions: { [TLP_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } },
    });
    const named = definition('named', {
      name: 'TLP:AMBER',
      extensions: {
        [idOf('extension-definition', 'partner')]: { extension_type: 'property-extension', level: 3 },
      },
    });
    const statement = definition('statement', {
      definition_type: 'statement',
      definition: { statement: 'Copyright 2024 Partner CERT' },
    });
    const cases: [StixObject, TlpLevel | null][] = [
      [opencti, 'red'],
      [strict, 'amber+strict'],
      [named, 'amber'],
      // A statement restricts nothing: the incident stays unmarked.
      [statement, null],
    ];
    for (const [marking, level] of cases) {
      const p = plan([marking, incident(`by-${marking.id}`, { object_marking_refs: [marking.id] })]);
      expect(p.incidents[0]?.tlp, String(marking.name)).toBe(level);
      expect(p.warnings).toEqual([]);
    }
  });

  it('a marking Vigil cannot read plans at AMBER, with a warning naming the object and the marking', () => {
    const unknown = idOf('marking-definition', 'not-in-the-bundle');
    const foreign = incident('unknown', { object_marking_refs: [unknown] });
    const p = plan([foreign]);
    expect(p.incidents[0]?.tlp).toBe('amber');
    expect(p.warnings).toEqual([
      {
        objectId: foreign.id,
        path: '/object_marking_refs',
        message: `marking ${unknown} is not one Vigil reads as TLP: held as at least TLP:AMBER`,
      },
    ]);
    // A definition of a type Vigil does not know; RED beside it still wins.
    const pap = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: idOf('marking-definition', 'pap'),
      created: AT,
      name: 'PAP:RED',
      definition_type: 'pap',
      definition: { pap: 'red' },
    };
    const papMarked = plan([pap, incident('pap', { object_marking_refs: [pap.id] })]);
    expect(papMarked.incidents[0]?.tlp).toBe('amber');
    expect(papMarked.warnings.map((w) => w.message)).toEqual([expect.stringContaining(pap.id)]);
    const both = plan([pap, incident('pap-red', { object_marking_refs: [pap.id, tlpMarkingId('red')] })]);
    expect(both.incidents[0]?.tlp).toBe('red');
    // On an object the incident is listed in: the warning names that object.
    const listing = report('unknown-report', [foreign], { object_marking_refs: [unknown] });
    const unmarked = incident('listed');
    const listed = plan([unmarked, { ...listing, object_refs: [unmarked.id] }]);
    expect(listed.incidents[0]?.tlp).toBe('amber');
    expect(listed.warnings).toContainEqual({
      objectId: listing.id,
      path: '/object_marking_refs',
      message: expect.stringContaining(unknown),
    });
  });

  it('an unmarked bundle plans unmarked: the importer default applies', () => {
    const bundle = founding('clear');
    const objects = bundle.objects.map((o) => {
      const { object_marking_refs: _refs, ...rest } = o as StixObject & { object_marking_refs?: unknown };
      return rest as StixObject;
    });
    const foreign = incident('unmarked');
    const p = plan([...objects, foreign, report('unmarked-report', [foreign])]);
    expect(p.incidents.map((i) => [i.tlp, i.raisedBy])).toEqual([
      [null, []],
      [null, []],
    ]);
    expect(p.warnings).toEqual([]);
  });

  it('incidents sharing a document are held at the strictest of them', () => {
    // Neither report is marked: only the incidents are, and they cite the same document.
    const amber = incident('shared-amber', marks('amber'));
    const green = incident('shared-green', marks('green'));
    const unmarked = incident('shared-unmarked');
    const shared = report('shared', [amber, green]);
    const p = plan([amber, green, shared]);
    expect(levels(p)).toEqual({ [amber.id]: 'amber', [green.id]: 'amber' });
    expect(p.incidents.find((i) => i.stixId === green.id)?.raisedBy).toEqual([
      {
        objectId: amber.id,
        level: 'amber',
        reason: expect.stringMatching(/^shares document [0-9a-f]{64} with it and is marked TLP:AMBER$/),
      },
    ]);
    // An unmarked incident beside a GREEN one: both held at AMBER, the import default, not GREEN.
    const mixed = plan([green, unmarked, report('mixed', [green, unmarked])]);
    expect(levels(mixed)).toEqual({ [green.id]: 'amber', [unmarked.id]: 'amber' });
    expect(mixed.incidents.map((i) => i.raisedBy.map((b) => [b.objectId, b.reason]))).toEqual(
      expect.arrayContaining([
        [[unmarked.id, expect.stringContaining('and is unmarked (held as at least TLP:AMBER')]],
        [[green.id, expect.stringContaining('and is marked TLP:GREEN (an unmarked incident')]],
      ]),
    );
    // Unmarked beside unmarked: still the importer's to decide.
    const other = incident('shared-unmarked-2');
    expect(Object.values(levels(plan([unmarked, other, report('none', [unmarked, other])])))).toEqual([
      null,
      null,
    ]);
  });

  it('is deterministic', () => {
    const bundle = founding('amber');
    const extra = [incident('d1', marks('green')), incident('d2'), tlpMarking('green')];
    const refs = (bundle.objects.find((o) => o.type === 'report') as StixObject & { object_refs: string[] })
      .object_refs;
    refs.push(...extra.slice(0, 2).map((o) => o.id));
    const objects = [...bundle.objects, ...extra];
    expect(plan([...objects].reverse())).toEqual(plan(objects));
  });
});
