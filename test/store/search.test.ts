import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/resolve/index.js';
import type { Document } from '../../src/sources/document.js';
import type { Clearance, Store } from '../../src/store/index.js';
import { SEARCH_COLUMNS } from '../../src/store/search.js';
import { type TestDialect, testDialects } from './databases.js';
import { evidenceFor, makeBareIncident, makeDocument } from './fixtures.js';
import { walkIncidents } from './pages.js';

// Full-text search finds incidents with all the words in one evidence sentence (or in the target and
// perpetrator text). The narrowing differs with how many incidents have the words (read by rowid,
// a set walked in list order, a probe per incident: src/store/access.ts) and incident_search keeps
// one sentence per column (migration 0021); whatever the path, the answer is the rule's.

const dialects = testDialects();
afterAll(() => Promise.all(dialects.map((d) => d.cleanup())));

const caller: Clearance = { org: 'nobody', userId: null, amberOrgs: ['nobody'] };

/** An incident citing each sentence of its own report (a sentence per evidence row). */
function reported(
  n: number,
  sentences: readonly string[],
  date: string,
): { doc: Document; incident: Incident } {
  const doc = makeDocument({ text: sentences.join(' '), published: date });
  const incident: Incident = {
    ...makeBareIncident(doc, `${n.toString(16).padStart(8, '0')}${'cd'.repeat(12)}`),
    date: { date, precision: 'day' },
    evidence: sentences.map((s) => evidenceFor(doc, 'city', 'x', s.slice(0, -1))),
  };
  return { doc, incident };
}

describe.each(dialects)('full-text search on $kind', (dialect: TestDialect) => {
  const open: Store[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  const search = (store: Store, words: string[], size: number) =>
    walkIncidents(store, caller, { words }, size);

  it('finds words only together in one sentence, over more incidents than are read by rowid', async () => {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    const reports = Array.from({ length: 330 }, (_, n) =>
      reported(
        n,
        [
          n % 3 === 0 ? 'A bomb went off in a crowded market.' : 'A bomb went off in a market.',
          `Group ${n} claimed the attack.`,
          'Police sealed the area.',
        ],
        `20${String(10 + (n % 14))}-0${1 + (n % 9)}-1${n % 10}`,
      ),
    );
    await store.saveImported(
      reports.map((r) => r.doc),
      reports.map((r) => r.incident),
    );
    const incidents = reports.map((r) => r.incident);
    const newestFirst = (keep: (n: number) => boolean) =>
      incidents
        .map((i, n) => ({ i, n }))
        .filter(({ n }) => keep(n))
        .sort((a, b) =>
          a.i.date?.date === b.i.date?.date
            ? a.i.id < b.i.id
              ? -1
              : 1
            : (a.i.date?.date ?? '') > (b.i.date?.date ?? '')
              ? -1
              : 1,
        )
        .map(({ i }) => i.id);
    expect(await search(store, ['market'], 50)).toEqual(newestFirst(() => true));
    expect(await search(store, ['crowded', 'market'], 20)).toEqual(newestFirst((n) => n % 3 === 0));
    expect(await search(store, ['claimed', 'market'], 50)).toEqual([]);
    expect(await search(store, ['group', '17'], 50)).toEqual(newestFirst((n) => n === 17));
  });

  it('keeps the one-sentence rule for incidents with more sentences than search columns', async () => {
    const store = await dialect.open(dialect.fresh());
    open.push(store);
    const sentences = Array.from(
      { length: SEARCH_COLUMNS + 5 },
      (_, k) => `Witness ${k} spoke of sentence${k}.`,
    );
    // Sentences 1 and 1 + (SEARCH_COLUMNS - 1) share a column of incident_search.
    const { doc, incident } = reported(1, sentences, '2024-05-01');
    await store.saveImported([doc], [incident]);
    expect(await search(store, ['sentence1', `sentence${SEARCH_COLUMNS}`], 10)).toEqual([]);
    expect(await search(store, ['witness', `sentence${SEARCH_COLUMNS + 4}`], 10)).toEqual([incident.id]);
    expect(await search(store, ['sentence0', 'sentence1'], 10)).toEqual([]);
  });
});
