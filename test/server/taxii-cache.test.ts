import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/resolve/index.js';
import { stixId } from '../../src/stix/index.js';
import { testDialects } from '../store/databases.js';
import { makeBareIncident, makeDocument } from '../store/fixtures.js';
import { type Running, startServer } from './helpers.js';
import { allPages } from './taxii-helpers.js';

// The TAXII service caches each incident's serialised export, keyed by the incident as the caller
// sees it: a caller who sees a redacted incident never gets another caller's fuller entry, and an
// incident that gains a source is exported again.

describe.each(testDialects())('TAXII export cache on $kind', (dialect) => {
  let running: Running;
  const keys: Record<'own' | 'other', string> = { own: '', other: '' };
  const first = makeDocument({ text: 'Gunmen attacked a checkpoint in Kandahar on Monday. Report one.' });
  const second = makeDocument({ text: 'Gunmen attacked a checkpoint in Kandahar on Monday. Report two.' });
  const incident: Incident = { ...makeBareIncident(first), country: 'AF', city: 'Kandahar' };

  beforeAll(async () => {
    running = await startServer(dialect);
    const { access } = running.store;
    await access.addOrg('own');
    await access.addOrg('other');
    keys.own = (await access.createKey({ org: 'own', role: 'viewer' })).key;
    keys.other = (await access.createKey({ org: 'other', role: 'viewer' })).key;
    await running.store.saveImported([first], [incident]);
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
    // The second report is AMBER of `other`: linked to the incident, which `other` then sees whole.
    await running.store.access.addMarking(second.id, { tlp: 'amber', org: 'other', recipients: [] });
    await running.store.saveImported([second], [{ ...incident, sources: [first.id, second.id] }]);
    const both = [stixId('report', first.id), stixId('report', second.id)].sort();
    expect(await reports(keys.other)).toEqual(both);
    // Read right after, from the same server: `own` still sees only the first report.
    expect(await reports(keys.own)).toEqual([stixId('report', first.id)]);
    expect(await reports(keys.other)).toEqual(both);
    const page = await allPages(running.url, keys.own, 'all', '', 1000);
    expect(page.pages.map((p) => p.text).join('')).not.toContain(second.id);
  });
});
