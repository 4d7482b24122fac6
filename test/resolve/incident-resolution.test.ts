import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Document } from '../../src/sources/index.js';
import type { Store } from '../../src/store/index.js';
import { type TestDialect, testDialects } from '../store/databases.js';
import { newsDocument } from './news.js';

const groups = new Map(loadGroups().map((g) => [g.id, g]));

/** Reports written for this test: one truck bombing in Kabul told by three outlets as the toll rose,
 * a wire copy of one of them, and a different attack in Kabul the same day. */
const ARTICLES: Record<string, { text: string; published: string; outlet: string }> = {
  first: {
    outlet: 'Kabul Daily',
    published: '2017-05-31',
    text:
      'A truck bomb exploded near the German embassy in Kabul on Wednesday morning, killing at least 40 people and wounding more than 300, officials said. ' +
      'No group has claimed the attack.',
  },
  second: {
    outlet: 'Asia Wire',
    published: '2017-06-01',
    text:
      'The death toll from a truck bombing in Kabul rose to 90 on Thursday. The bomb went off on Wednesday in the diplomatic quarter near the German embassy, wounding 400 people. ' +
      'Afghan intelligence blamed the Haqqani network.',
  },
  copy: {
    outlet: 'Gulf Times',
    published: '2017-06-01',
    text:
      'The death toll from a truck bombing in Kabul rose to 90 on Thursday. The bomb went off on Wednesday in the diplomatic quarter near the German embassy, wounding 400 people. ' +
      'Afghan intelligence blamed the Haqqani network. (AFP)',
  },
  latest: {
    outlet: 'World Report',
    published: '2017-06-06',
    text: 'President Ashraf Ghani said on Tuesday that more than 150 people were killed in the May 31 truck bombing near the German embassy in Kabul, the deadliest attack in the capital since 2001.',
  },
  other: {
    outlet: 'Kabul Daily',
    published: '2017-05-31',
    text: 'Separately on Wednesday, gunmen attacked a mosque in western Kabul during evening prayers, killing two worshippers, police said.',
  },
};

function documentOf(key: string): Document {
  const a = ARTICLES[key];
  if (!a) throw new Error(key);
  return newsDocument(a.text, {
    published: a.published,
    origin: key,
    url: `https://news.example/${key}`,
    outlet: a.outlet,
  });
}

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

describe.each(dialects)('many reports, one incident, on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function ingestAll(order: readonly string[]) {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    const results = new Map<string, Awaited<ReturnType<Store['saveDocument']>>>();
    for (const key of order) {
      const doc = documentOf(key);
      results.set(key, await store.saveDocument(doc, incidentsOf(doc, groups)));
    }
    return { store, results };
  }

  const keyOf = new Map(Object.keys(ARTICLES).map((k) => [documentOf(k).id, k]));
  const shape = async (store: Store) =>
    (await store.listIncidents())
      .map((i) => ({ id: i.id, sources: i.sources.map((s) => keyOf.get(s)).sort(), killed: i.killed?.value }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));

  it('merges the reports of one attack, keeps the same-day attack apart, and follows the rising toll', async () => {
    const { store, results } = await ingestAll(['first', 'second', 'copy', 'latest', 'other']);
    const incidents = (await shape(store)).sort((a, b) => b.sources.length - a.sources.length);
    expect(incidents.map((i) => [i.sources, i.killed])).toEqual([
      [['copy', 'first', 'latest', 'second'], 151],
      [['other'], 2],
    ]);
    expect(results.get('copy')?.nearDuplicateOf?.documentId).toBe(documentOf('second').id);

    const [bombing] = (await store.listIncidents()).filter((i) => i.sources.length > 1);
    // "more than 150" is at least 151; the range keeps the first day's 40.
    expect(bombing?.killed).toMatchObject({ value: 151, min: 40, qualifier: 'more_than' });
    const reports = await store.incidentReports(bombing?.id ?? '');
    expect(reports.map((r) => [r.published, r.incident.killed?.value])).toEqual([
      ['2017-05-31', 40],
      ['2017-06-01', 90],
      ['2017-06-01', 90],
      ['2017-06-06', 151],
    ]);
    expect(reports.find((r) => r.copyOf !== null)?.outlet).toBe('Gulf Times');
    expect(reports[1]?.reasons.join('; ')).toMatch(/same day|same town/);
  });

  it('gives the same incidents whatever the order the articles arrive in', async () => {
    const forward = await ingestAll(['first', 'second', 'copy', 'latest', 'other']);
    const backward = await ingestAll(['other', 'latest', 'copy', 'second', 'first']);
    const shuffled = await ingestAll(['copy', 'other', 'first', 'latest', 'second']);
    const expected = await shape(forward.store);
    expect(await shape(backward.store)).toEqual(expected);
    expect(await shape(shuffled.store)).toEqual(expected);
  });

  it("keeps an analyst's split and merge when more reports arrive", async () => {
    const { store } = await ingestAll(['first', 'second', 'other']);
    const bombing = (await store.listIncidents()).find((i) => i.sources.length === 2);
    if (!bombing) throw new Error('the bombing reports were not merged');
    const decision = { by: 'ana', reason: 'the second story is about another blast' };
    const [rest, part] = await store.splitIncident(bombing.id, documentOf('second').id, decision);
    expect(rest).not.toBe(part);
    expect((await store.listIncidents()).length).toBe(3);

    // A later report that matches both keeps them apart, and the analyst can merge them back.
    const latest = documentOf('latest');
    await store.saveDocument(latest, incidentsOf(latest, groups));
    expect((await store.getIncident(part))?.sources).toEqual([documentOf('second').id]);
    const other = (await store.listIncidents()).find((i) => i.sources.includes(documentOf('other').id));
    const merged = await store.mergeIncidents(part, other?.id ?? '', {
      by: 'ben',
      reason: 'same attack after all',
    });
    expect([...((await store.getIncident(merged))?.sources ?? [])].sort()).toEqual(
      [documentOf('second').id, documentOf('other').id].sort(),
    );
    await expect(store.mergeIncidents(merged, merged, decision)).rejects.toThrow(/itself/);
    await expect(store.splitIncident(merged, 'nope', decision)).rejects.toThrow(/not a source/);
  });
});
