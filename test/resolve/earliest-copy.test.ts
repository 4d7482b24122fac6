import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { storeDocument } from '../../src/pipeline/ingest.js';
import type { Document } from '../../src/sources/index.js';
import type { Store } from '../../src/store/index.js';
import { type TestDialect, testDialects } from '../store/databases.js';
import { newsDocument } from './news.js';

const groups = new Map(loadGroups().map((g) => [g.id, g]));

/** Written for this test. One wire story republished word for word a week later, so its "on Monday"
 * names a different day in each copy, and an outlet's own report of the attack with its date. */
const WIRE =
  'Gunmen attacked a police station in Kandahar on Monday, killing five police officers, officials said.';
const OWN = 'Five police officers were killed when gunmen attacked a police station in Kandahar on May 15.';

const early = newsDocument(WIRE, { published: '2023-05-17', origin: 'early-copy' }); // Monday = 15 May
const late = newsDocument(WIRE, { published: '2023-05-24', origin: 'late-copy' }); // Monday = 22 May
const own = newsDocument(OWN, { published: '2023-05-16', origin: 'own-report' });

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

describe.each(dialects)('an exact copy published earlier, on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function ingestInOrder(order: readonly Document[]) {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    const outcomes = [];
    for (const d of order) outcomes.push(await storeDocument(store, d, groups));
    const incidents = (await store.listIncidents()).map((i) => ({
      date: i.date?.date,
      sources: [...i.sources].sort(),
    }));
    return { outcomes, incidents, published: (await store.getDocument(early.id))?.published };
  }

  it('dates the document by its earliest copy and gives the same incidents in either order', async () => {
    const expected = [{ date: '2023-05-15', sources: [early.id, own.id].sort() }];
    const lateFirst = await ingestInOrder([late, own, early]);
    expect(lateFirst.incidents).toEqual(expected);
    expect(lateFirst.published).toBe('2023-05-17');
    expect(lateFirst.outcomes[2]).toMatchObject({
      status: 'duplicate',
      redated: { from: '2023-05-24', to: '2023-05-17' },
    });

    const earlyFirst = await ingestInOrder([early, own, late]);
    expect(earlyFirst.incidents).toEqual(expected);
    expect(earlyFirst.published).toBe('2023-05-17');
    expect(earlyFirst.outcomes[2]).toEqual({
      status: 'duplicate',
      origin: 'late-copy',
      documentId: early.id,
    });
  });

  it('keeps one document: a copy met a third time changes nothing', async () => {
    const { incidents, outcomes } = await ingestInOrder([late, early, late, early]);
    expect(incidents).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'stored')).toHaveLength(1);
    expect(outcomes.slice(2).every((o) => o.status === 'duplicate' && o.redated === undefined)).toBe(true);
  });
});
