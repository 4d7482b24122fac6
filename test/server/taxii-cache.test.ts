import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { storeDocument } from '../../src/pipeline/ingest.js';
import { stixId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { makeDocument } from '../store/fixtures.js';
import { type Running, startServer } from './helpers.js';
import { allPages } from './taxii-helpers.js';

// The TAXII service caches each incident's serialised export, keyed by the incident as the caller
// sees it: a caller who sees part of an incident never gets another caller's fuller entry, and an
// incident that gains a source is exported again.

describe.each(testDialects())('TAXII export cache on $kind', (dialect) => {
  let running: Running;
  const keys: Record<'own' | 'other', string> = { own: '', other: '' };
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  const first = makeDocument({
    text: 'Gunmen attacked a police checkpoint in Kandahar, Afghanistan on Monday, killing four officers, officials said.',
  });
  const second = makeDocument({
    text: 'Four police officers were killed when gunmen attacked a checkpoint in Kandahar, Afghanistan on Monday, a spokesman said.',
  });

  beforeAll(async () => {
    running = await startServer(dialect);
    const { access } = running.store;
    await access.addOrg('own');
    await access.addOrg('other');
    keys.own = (await access.createKey({ org: 'own', role: 'viewer' })).key;
    keys.other = (await access.createKey({ org: 'other', role: 'viewer' })).key;
    await storeDocument(running.store, first, groups);
  });
  afterAll(async () => {
    await running?.close();
    await dialect.cleanup();
  });

  const reports = async (key: string) =>
    (await allPages(running.url, key, 'all', '', 1000)).objects
      .filter((o) => o.type === 'report')
      .map((o) => o.id)
      .sort();

  it('exports an incident again when it gains a source, and per caller when they see less of it', async () => {
    expect(await reports(keys.own)).toEqual([stixId('report', first.id)]);
    expect(await reports(keys.other)).toEqual([stixId('report', first.id)]);
    // The second report is AMBER of `other`: it joins the incident, which `other` then sees whole.
    const held = await storeDocument(running.store, second, groups, {
      holding: { tlp: 'amber', org: 'other', recipients: [] },
    });
    if (held.status !== 'stored') throw new Error(`not stored: ${held.status}`);
    const stored = await running.store.listIncidents();
    expect(stored.map((i) => i.sources.length)).toEqual([2]);
    const both = [stixId('report', first.id), stixId('report', held.documentId)].sort();
    expect(await reports(keys.other)).toEqual(both);
    // Read right after, from the same server: `own` still sees only the first report.
    expect(await reports(keys.own)).toEqual([stixId('report', first.id)]);
    expect(await reports(keys.other)).toEqual(both);
    const page = await allPages(running.url, keys.own, 'all', '', 1000);
    expect(page.pages.map((p) => p.text).join('')).not.toContain(held.documentId);
  });
});
