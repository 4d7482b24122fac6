import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { stixId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { makeDocument } from '../store/fixtures.js';
import { type Running, startServer } from './helpers.js';
import { allPages } from './taxii-helpers.js';

// A shared object (here a threat actor and its `targets` relationships) is in a collection once, at
// its first incident, also when an analyst merged the group the first incident named into the one a
// later incident names: a page that starts at the later incident asks whether the merged group's
// objects came before, and every page size gives the same objects in the same order.

const known = loadGroups();
const byId = new Map(known.map((g) => [g.id, g]));
const CLAIM =
  'A bomb exploded at a bank in Kabul on Monday, killing four guards. A group calling itself Wilayat Hind Brigade claimed responsibility.';
const SECOND =
  'Gunmen attacked a police post in Herat on Friday, killing two officers. A group calling itself Wilayat Hind Brigade claimed the attack.';
const DISCOVERED = 'discovered:wilayat-hind-brigade';

describe.each(testDialects())('TAXII shared objects of merged groups on $kind', (dialect) => {
  let running: Running;
  let key = '';

  beforeAll(async () => {
    running = await startServer(dialect);
    const store = running.store;
    await store.syncGroups(known);
    await store.access.addOrg('own');
    key = (await store.access.createKey({ org: 'own', role: 'viewer' })).key;
    const ingest = async (text: string, published: string) => {
      const doc = makeDocument({ text, published, title: null, url: null, origin: 'test' });
      await store.saveDocument(doc, incidentsOf(doc, byId));
    };
    await ingest(CLAIM, '2024-05-13');
    await store.decideGroup({ kind: 'merge', groupId: DISCOVERED, into: 'iskp', by: 'a', reason: 'test' });
    await ingest(SECOND, '2024-05-18');
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  it('gives the merged group one threat actor, whatever the page size', async () => {
    const whole = (await allPages(running.url, key, 'all', '', 1000)).objects.map((o) => o.id);
    expect(whole.filter((id) => id.startsWith('incident--'))).toHaveLength(2);
    expect(whole.filter((id) => id === stixId('threat-actor', 'iskp'))).toHaveLength(1);
    expect(whole).not.toContain(stixId('threat-actor', DISCOVERED));
    expect(new Set(whole).size).toBe(whole.length);
    for (const limit of [1, 2, 7]) {
      const paged = (await allPages(running.url, key, 'all', '', limit)).objects.map((o) => o.id);
      expect(paged, `pages of ${limit}`).toEqual(whole);
    }
  });
});
