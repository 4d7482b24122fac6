import { afterAll, describe, expect, it } from 'vitest';
import { holdImported } from '../../src/cli/commands/import-markings.js';
import { loadGroups } from '../../src/knowledge/groups.js';
import { exportBundle, planImport, type StixObject, tlpMarkingId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { foundingIncidents } from './helpers.js';

// Imported incidents keep the TLP 2.0 marking they carry; unmarked ones are held under --tlp, else
// AMBER, by --org (default `local`); CLEAR leaves the documents unmarked.

describe.each(testDialects())('markings of imported incidents on $kind', (dialect) => {
  afterAll(() => dialect.cleanup());
  const groups = loadGroups();

  const bundleAt = (tlp: 'clear' | 'amber' | 'red' | null) => {
    const { document, incidents } = foundingIncidents();
    const bundle = exportBundle({ incidents, documents: [document], groups, tlp: tlp ?? 'clear' });
    if (tlp !== null) return bundle;
    // An unmarked bundle, as other platforms send them.
    const objects = bundle.objects.map((o) => {
      const { object_marking_refs: _refs, ...rest } = o as StixObject & { object_marking_refs?: unknown };
      return rest as StixObject;
    });
    return { ...bundle, objects };
  };

  it.each([
    ['amber', {}, 'amber', 'local'],
    ['red', {}, 'red', 'local'],
    [null, {}, 'amber', 'local'],
    [null, { tlp: 'green' }, 'green', null],
    ['amber', { tlp: 'green' }, 'amber', 'local'],
  ] as const)('a bundle marked %s with %o is held under %s by %s', async (marked, options, level, org) => {
    const store = await dialect.open(dialect.fresh());
    try {
      const plan = planImport(bundleAt(marked), groups);
      expect(plan.incidents.length).toBeGreaterThan(0);
      expect(plan.incidents.every((p) => p.tlp === marked)).toBe(true);
      const held = await holdImported(store, plan.incidents, plan.documents, options);
      await store.saveImported(held.documents, held.incidents);
      expect([...held.levels.values()].every((l) => l === level)).toBe(true);
      // Nothing was stored before: the bundle's own ids.
      expect(held.incidents.map((i) => i.id)).toEqual(plan.incidents.map((p) => p.incident.id));
      const documents = held.incidents.flatMap((i) => i.sources);
      const markings = await store.access.markingsOf(documents);
      for (const d of documents) {
        expect(markings.get(d)?.map((m) => [m.tlp, m.org])).toEqual([[level, org]]);
      }
      // Nobody's key but the holder's sees an AMBER or RED import through the API's reads.
      if (level !== 'green') {
        await store.access.addOrg('other');
        const page = await store.access.listIncidents(
          { org: 'other', userId: null, amberOrgs: ['other'] },
          {},
          50,
          null,
        );
        expect(page.items).toEqual([]);
      }
    } finally {
      await store.close();
    }
  });

  it('a GREEN incident listed in an AMBER report leaves neither the report nor its incidents at GREEN', async () => {
    const store = await dialect.open(dialect.fresh());
    try {
      const bundle = structuredClone(bundleAt('amber'));
      const green: StixObject = {
        type: 'incident',
        spec_version: '2.1',
        id: 'incident--2b1e5c4a-7d3f-4e8a-9b6c-1d2e3f4a5b6c',
        created: '2024-03-23T00:00:00.000Z',
        modified: '2024-03-23T00:00:00.000Z',
        name: 'Listed beside it',
        object_marking_refs: [tlpMarkingId('green')],
      };
      (
        bundle.objects.find((o) => o.type === 'report') as StixObject & { object_refs: string[] }
      ).object_refs.push(green.id);
      const plan = planImport({ ...bundle, objects: [...bundle.objects, green] }, groups);
      expect(plan.incidents.map((p) => p.tlp)).toEqual(['amber', 'amber']);
      const held = await holdImported(store, plan.incidents, plan.documents, { tlp: 'green' });
      await store.saveImported(held.documents, held.incidents);
      const documents = held.incidents.flatMap((i) => i.sources);
      const markings = await store.access.markingsOf(documents);
      for (const d of documents) expect(markings.get(d)?.map((m) => m.tlp)).toEqual(['amber']);
      await store.access.addOrg('other');
      const page = await store.access.listIncidents(
        { org: 'other', userId: null, amberOrgs: ['other'] },
        {},
        50,
        null,
      );
      expect(page.items).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a CLEAR bundle stays unmarked, and an unknown --org is refused', async () => {
    const store = await dialect.open(dialect.fresh());
    try {
      const plan = planImport(bundleAt('clear'), groups);
      const held = await holdImported(store, plan.incidents, plan.documents, {});
      await store.saveImported(held.documents, held.incidents);
      const documents = held.incidents.flatMap((i) => i.sources);
      expect([...(await store.access.markingsOf(documents)).values()].flat()).toEqual([]);
      await expect(
        holdImported(store, planImport(bundleAt('amber'), groups).incidents, [], { org: 'nobody' }),
      ).rejects.toThrow(/unknown organisation nobody/);
    } finally {
      await store.close();
    }
  });

  it('imports a bundle naming what the store holds otherwise as a copy of its own, the stored untouched', async () => {
    const store = await dialect.open(dialect.fresh());
    try {
      await store.access.addOrg('alpha');
      const plan = planImport(bundleAt('amber'), groups);
      const declared = plan.incidents.flatMap((p) => p.incident.sources);
      // alpha holds the bundle's document under RED already (its id, its incident).
      const first = plan.incidents[0]?.incident;
      if (first === undefined) throw new Error('no incident');
      const red = { tlp: 'red' as const, org: 'alpha', recipients: [] };
      await store.access.addMarking(first.sources[0] as string, red);
      await store.saveImported(
        plan.documents.filter((d) => d.id === first.sources[0]),
        [{ ...first, sources: [first.sources[0] as string], evidence: [] }],
      );
      const before = await store.getIncident(first.id);
      // Imported by the CLI (AMBER, by `local`): its own copy, under ids made from its holding.
      const held = await holdImported(store, plan.incidents, plan.documents, { tlp: 'clear' });
      await store.saveImported(held.documents, held.incidents);
      const copies = held.incidents.flatMap((i) => i.sources);
      expect(copies.some((d) => declared.includes(d))).toBe(false);
      expect(held.incidents.map((i) => i.id)).not.toContain(first.id);
      expect(await store.getIncident(first.id)).toEqual(before);
      const markings = await store.access.markingsOf(declared);
      expect(markings.get(first.sources[0] as string)?.map((m) => m.tlp)).toEqual(['red']);
      // The bundle's own ids are kept when it is imported into a store that holds them nowhere.
      const fresh = await dialect.open(dialect.fresh());
      try {
        const kept = await holdImported(fresh, plan.incidents, plan.documents, { tlp: 'clear' });
        expect(kept.incidents.map((i) => i.id)).toEqual(plan.incidents.map((p) => p.incident.id));
      } finally {
        await fresh.close();
      }
    } finally {
      await store.close();
    }
  });
});
