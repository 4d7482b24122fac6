import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import {
  bundleText,
  checkBundle,
  exportBundle,
  planImport,
  type StixBundle,
  type StixObject,
  VIGIL_EXTENSION_ID,
} from '../../src/stix/index.js';
import { foundingIncidents, OPENCTI_BUNDLE } from './helpers.js';

const groups = loadGroups();
const { document, incidents } = foundingIncidents();
const exported = JSON.parse(
  bundleText(exportBundle({ incidents, documents: [document], groups })),
) as StixBundle;

function mutate(bundle: StixBundle, type: string, change: (o: Record<string, unknown>) => void): StixBundle {
  const copy = structuredClone(bundle) as { objects: Record<string, unknown>[] } & StixBundle;
  const target = copy.objects.find((o) => o.type === type);
  if (target === undefined) throw new Error(`no ${type}`);
  change(target);
  return copy;
}

describe('reading a STIX bundle', () => {
  it('takes U+0000 and other control characters out of every text, as sources do', () => {
    const bundle = mutate(exported, 'report', (o) => {
      o.name = 'Gunmen\u0000 kill 139';
    });
    const noted = mutate(bundle, 'incident', (o) => {
      o.name = `${String(o.name)}\u0007`;
    });
    const plan = planImport(noted, groups);
    expect(JSON.stringify(plan)).not.toMatch(/\\u000[07]/);
    expect(plan.documents.map((d) => d.title)).toContain('Gunmen kill 139');
  });

  it("maps Vigil's own export back to the same incident, field by field, with its evidence", () => {
    const check = checkBundle(exported, { lenient: true });
    expect(check.errors).toEqual([]);
    if (check.bundle === null) throw new Error('refused');
    const plan = planImport(check.bundle, groups);
    expect(plan.incidents.map((p) => p.incident)).toEqual(incidents);
    expect(plan.documents).toEqual([
      expect.objectContaining({
        id: document.id,
        url: document.url,
        outlet: 'Example News',
        published: '2024-03-25',
      }),
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('refuses a bundle with invalid objects, naming each object, path and problem', () => {
    let bad = mutate(exported, 'incident', (o) => {
      delete o.name;
    });
    bad = mutate(bad, 'location', (o) => {
      o.created = '2024-01-01T00:00:00Z';
    });
    bad = mutate(bad, 'threat-actor', (o) => {
      o.threat_actor_types = 'terrorist';
    });
    bad = mutate(bad, 'incident', (o) => {
      const extension = (o.extensions as Record<string, Record<string, unknown>>)[VIGIL_EXTENSION_ID];
      if (extension) extension.outcome = 'maybe';
    });
    const check = checkBundle(bad, { lenient: true });
    expect(check.bundle).toBeNull();
    const incident = bad.objects.find((o) => o.type === 'incident') as StixObject;
    const location = bad.objects.find((o) => o.type === 'location') as StixObject;
    const actor = bad.objects.find((o) => o.type === 'threat-actor') as StixObject;
    expect(check.errors).toEqual(
      expect.arrayContaining([
        { objectId: incident.id, path: '/', message: "must have required property 'name'" },
        { objectId: location.id, path: '/created', message: expect.stringContaining('must match pattern') },
        { objectId: actor.id, path: '/threat_actor_types', message: 'must be array' },
        {
          objectId: incident.id,
          path: `/extensions/${VIGIL_EXTENSION_ID}/outcome`,
          message: expect.stringContaining('Invalid option'),
        },
      ]),
    );
  });

  it('refuses what is not a bundle', () => {
    expect(checkBundle([]).errors).toEqual([{ objectId: 'bundle', path: '/', message: expect.any(String) }]);
    expect(checkBundle({ type: 'bundel', id: 'bundle--1', objects: [{}] }).errors.map((e) => e.path)).toEqual(
      ['/type', '/id', '/'],
    );
  });

  it('reports a top-level severity as reserved when strict, and drops it with a warning when lenient', () => {
    const opencti = JSON.parse(readFileSync(OPENCTI_BUNDLE, 'utf8')) as unknown;
    const strict = checkBundle(opencti);
    expect(strict.errors).toEqual([
      {
        objectId: 'incident--8a1d7c3e-4b6f-4e2a-9c1d-2f3e4a5b6c7d',
        path: '/severity',
        message: expect.stringContaining('reserved by STIX 2.1'),
      },
    ]);
    const lenient = checkBundle(opencti, { lenient: true });
    expect(lenient.errors).toEqual([]);
    expect(lenient.warnings.map((w) => [w.objectId, w.path])).toEqual([
      ['incident--8a1d7c3e-4b6f-4e2a-9c1d-2f3e4a5b6c7d', '/severity'],
      ['x-opencti-case-incident--1c5d9e3f-7a2b-4c8d-9e0f-a1b2c3d4e5f6', '/type'],
    ]);
  });

  it('maps an OpenCTI-style incident: its place, its groups matched by alias, its name kept', () => {
    const check = checkBundle(JSON.parse(readFileSync(OPENCTI_BUNDLE, 'utf8')), { lenient: true });
    if (check.bundle === null) throw new Error('refused');
    const plan = planImport(check.bundle, groups);
    expect(plan.incidents.map((p) => p.name)).toEqual([
      'Unverified report of an explosion',
      'Crocus City Hall attack',
    ]);
    const crocus = plan.incidents[1]?.incident;
    expect(crocus).toMatchObject({
      date: { date: '2024-03-22', precision: 'day' },
      country: 'RU',
      city: 'Moscow',
      placePrecision: 'city',
      attackTypes: ['armed_assault'],
      evidence: [],
      perpetratorGroups: [
        {
          groupId: 'iskp',
          group: 'Islamic State Khorasan Province',
          aliasesSeen: ['ISIS-K'],
          attribution: 'claimed',
          discovered: false,
        },
        {
          groupId: 'discovered:unnamed-cell-7',
          group: 'Unnamed Cell 7',
          aliasesSeen: ['Unnamed Cell 7'],
          attribution: 'suspected',
          discovered: true,
        },
      ],
    });
    expect(crocus?.lat).toBeCloseTo(55.76, 2);
    expect(crocus?.sources).toHaveLength(2);
    const own = plan.documents.find(
      (d) => d.origin === 'stix:incident--8a1d7c3e-4b6f-4e2a-9c1d-2f3e4a5b6c7d',
    );
    expect(own).toMatchObject({
      title: 'Crocus City Hall attack',
      text: 'Gunmen opened fire at a concert venue near Moscow.',
      outlet: 'Partner CERT',
      url: 'https://cert.example.net/incidents/77',
      published: '2024-03-22T18:00:00.000Z',
    });
    const report = plan.documents.find(
      (d) => d.origin === 'stix:report--9a3b7c1d-5e0f-4a6b-a9d0-e1f2a3b4c5d6',
    );
    expect(report).toMatchObject({
      title: 'Situation report: Crocus City Hall',
      url: 'https://cert.example.net/reports/crocus',
    });
    expect(plan.warnings).toEqual([
      expect.objectContaining({ objectId: 'threat-actor--2f6a0b4c-8d3e-4f9a-b2c3-d4e5f6a7b8c9' }),
    ]);
    // The same bundle always gives the same ids.
    const again = planImport(check.bundle, groups);
    expect(again.incidents.map((p) => p.incident.id)).toEqual(plan.incidents.map((p) => p.incident.id));
  });

  it('keeps the latest version of an object that a bundle holds twice', () => {
    const incident = exported.objects.find((o) => o.type === 'incident') as StixObject;
    const newer = { ...incident, modified: '2030-01-01T00:00:00.000Z', name: 'Renamed' };
    const bundle = { ...exported, objects: [...exported.objects, newer] };
    const check = checkBundle(bundle, { lenient: true });
    if (check.bundle === null) throw new Error('refused');
    expect(planImport(check.bundle, groups).incidents.map((p) => p.name)).toEqual(['Renamed']);
  });
});
