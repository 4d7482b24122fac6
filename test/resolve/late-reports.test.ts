import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import type { Document } from '../../src/sources/index.js';
import type { Store } from '../../src/store/index.js';
import { type TestDialect, testDialects } from '../store/databases.js';
import { newsDocument } from './news.js';

const groups = new Map(loadGroups().map((g) => [g.id, g]));

/** Written for this test: a mall siege, an undated follow-up five days later that names the mall, and
 * a bus-station bombing in the same town in between. */
const ARTICLES: Record<string, { text: string; published: string }> = {
  siege: {
    published: '2022-02-12',
    text: 'Gunmen stormed the Halvorsen mall in Mombasa on Saturday, killing at least 20 people and taking hostages, police said.',
  },
  bus: {
    published: '2022-02-15',
    text: 'A bomb exploded at a bus station in Mombasa on Tuesday, killing three people, police said.',
  },
  followUp: {
    published: '2022-02-17',
    text: 'Kenyan security forces said the siege at the Halvorsen mall in Mombasa was over, with 41 people killed.',
  },
};

function documentOf(key: string): Document {
  const a = ARTICLES[key];
  if (!a) throw new Error(key);
  return newsDocument(a.text, { published: a.published, origin: key });
}

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

describe.each(dialects)('a late undated follow-up, on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  const keyOf = new Map(Object.keys(ARTICLES).map((k) => [documentOf(k).id, k]));
  async function incidentsAfter(order: readonly string[]) {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    for (const key of order) {
      const doc = documentOf(key);
      await store.saveDocument(doc, incidentsOf(doc, groups));
    }
    return (await store.listIncidents()).map((i) => i.sources.map((s) => keyOf.get(s)).sort()).sort();
  }

  it('joins the attack it names days earlier, whichever arrives first, and not the attack between', async () => {
    const expected = [['bus'], ['followUp', 'siege']];
    expect(await incidentsAfter(['siege', 'bus', 'followUp'])).toEqual(expected);
    expect(await incidentsAfter(['followUp', 'bus', 'siege'])).toEqual(expected);
  });
});
