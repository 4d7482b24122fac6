import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { bundleText, checkBundle, exportBundle, planImport, type StixBundle } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { foundingIncidents, OPENCTI_BUNDLE } from './helpers.js';

const groups = loadGroups();

function plan(bundle: unknown) {
  const check = checkBundle(bundle, { lenient: true });
  if (check.bundle === null) throw new Error(JSON.stringify(check.errors));
  return planImport(check.bundle, groups);
}

describe.each(testDialects())('importing STIX into $kind', (dialect) => {
  afterAll(() => dialect.cleanup());

  it('stores the founding incident once, and exports it again byte for byte but for the title', async () => {
    const { document, incidents } = foundingIncidents();
    const original = exportBundle({ incidents, documents: [document], groups });
    const imported = plan(JSON.parse(bundleText(original)) as StixBundle);
    const store = await dialect.open(dialect.fresh());
    try {
      expect(
        await store.saveImported(
          imported.documents,
          imported.incidents.map((p) => p.incident),
        ),
      ).toEqual({
        stored: [incidents[0]?.id],
        known: [],
      });
      const stats = await store.stats();
      expect(
        await store.saveImported(
          imported.documents,
          imported.incidents.map((p) => p.incident),
        ),
      ).toEqual({
        stored: [],
        known: [incidents[0]?.id],
      });
      expect(await store.stats()).toEqual(stats);
      const back = await store.listIncidents();
      expect(back).toEqual(incidents);
      const doc = await store.getDocument(document.id);
      expect(doc).toMatchObject({
        text: '',
        url: document.url,
        outlet: document.outlet,
        published: '2024-03-25',
      });
      // The report's name became the document's title; everything else is the same.
      const again = exportBundle({ incidents: back, documents: doc === null ? [] : [doc], groups });
      const differences = bundleText(again)
        .split('\n')
        .filter((line, n) => line !== bundleText(original).split('\n')[n]);
      expect(differences.join('\n')).toMatch(/"title": /);
    } finally {
      await store.close();
    }
  });

  it('fills in the text of an imported article when the article itself is ingested later', async () => {
    const { document, incidents } = foundingIncidents();
    const imported = plan(JSON.parse(bundleText(exportBundle({ incidents, documents: [document], groups }))));
    const store = await dialect.open(dialect.fresh());
    try {
      await store.saveImported(
        imported.documents,
        imported.incidents.map((p) => p.incident),
      );
      expect((await store.getDocument(document.id))?.text).toBe('');
      const saved = await store.saveDocument(document, incidents);
      expect(saved.status).toBe('stored');
      expect((await store.getDocument(document.id))?.text).toBe(document.text);
      expect(await store.listIncidents()).toEqual(incidents);
      expect((await store.saveDocument(document, incidents)).status).toBe('duplicate');
    } finally {
      await store.close();
    }
  });

  it('stores an OpenCTI-style bundle once', async () => {
    const imported = plan(JSON.parse(readFileSync(OPENCTI_BUNDLE, 'utf8')));
    const store = await dialect.open(dialect.fresh());
    try {
      const first = await store.saveImported(
        imported.documents,
        imported.incidents.map((p) => p.incident),
      );
      expect(first.stored).toHaveLength(2);
      const second = await store.saveImported(
        imported.documents,
        imported.incidents.map((p) => p.incident),
      );
      expect(second).toEqual({ stored: [], known: first.stored });
      expect(await store.listIncidents({ group: 'iskp' })).toHaveLength(1);
      expect((await store.stats()).documents).toBe(3);
    } finally {
      await store.close();
    }
  });
});
