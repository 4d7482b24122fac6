import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGroups } from '../../src/knowledge/groups.js';
import { incidentsOf } from '../../src/pipeline/ingest.js';
import { clusterReports, freshScoring } from '../../src/resolve/cluster.js';
import type { Incident, Report } from '../../src/resolve/index.js';
import { type Document, readSources } from '../../src/sources/index.js';
import { connect } from '../../src/store/connect.js';
import { saveDocument } from '../../src/store/documents.js';
import { listIncidents } from '../../src/store/incidents.js';
import { incidentReports, ReportCache, reportCacheOf } from '../../src/store/resolution.js';
import { type TestDialect, testDialects } from './databases.js';

/* Re-clustering keeps reports and their pair scores between documents (src/store/resolution.ts
 * ReportCache) and reads a neighbourhood in one statement: none of it may change an incident. Each
 * check compares the store against one whose cache keeps nothing between documents (what every
 * document did before), on the resolution corpus in a shuffled order. */

const ARTICLES = fileURLToPath(new URL('../fixtures/resolution/articles.jsonl', import.meta.url));
const groups = new Map(loadGroups().map((g) => [g.id, g]));

let corpus: { doc: Document; incidents: Incident[] }[] = [];

/** mulberry32, so that a failure replays. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

beforeAll(async () => {
  for await (const r of readSources([ARTICLES], {}))
    if (r.ok) corpus.push({ doc: r.document, incidents: incidentsOf(r.document, groups) });
  corpus = shuffled(corpus, 20_240_322);
}, 60_000);

describe('clusterReports with remembered pair scores', () => {
  it('clusters every neighbourhood as scoring afresh does, across calls, evictions and table restarts', () => {
    // One report per id: the corpus holds one article twice (one document).
    const byId = new Map<string, Report>();
    const all: Report[] = corpus.flatMap(({ doc, incidents }) =>
      incidents.map((incident, ordinal) => ({
        id: incident.id,
        documentId: doc.id,
        ordinal,
        published: doc.published?.slice(0, 10) ?? null,
        incident,
      })),
    );
    for (const r of all) if (!byId.has(r.id)) byId.set(r.id, r);
    const reports = [...byId.values()];
    expect(reports.length).toBeGreaterThan(100);
    const related = (a: string, b: string) => a.length === b.length;
    for (const cache of [new ReportCache(), new ReportCache(16, 8), new ReportCache(0, 1)]) {
      const cached = new Map(reports.map((r) => [r.id, cache.put(r, null).report]));
      const scoring = cache.scoring(related);
      // Overlapping windows, as neighbourhoods overlap from one document to the next.
      for (let start = 0; start < reports.length; start += 17) {
        const window = reports.slice(start, start + 60);
        const ids = window.map((r) => r.id);
        const constraints = {
          together: ids.length > 5 ? [[ids[1], ids[4]] as const] : [],
          apart: ids.length > 7 ? [[ids[2], ids[7]] as const] : [],
          relatedGroups: related,
        } as Parameters<typeof clusterReports>[1];
        const expected = clusterReports(window, constraints, freshScoring(related));
        const got = clusterReports(
          window.map((r) => cached.get(r.id) as Report),
          constraints,
          scoring,
        );
        expect(got).toEqual(expected);
      }
    }
  });
});

describe.each(testDialects())('re-clustering with the report cache ($kind)', (dialect: TestDialect) => {
  afterAll(() => dialect.cleanup());

  /** Saves the corpus with the given cache and returns every incident with its reports. */
  async function ingestWith(cache: () => ReportCache) {
    const database = dialect.fresh();
    const { db, kind } = await connect(database.location, database.options);
    try {
      reportCacheOf(db, cache);
      const assigned: string[][] = [];
      for (const { doc, incidents } of corpus)
        assigned.push([...(await saveDocument(db, kind, doc, incidents)).incidentIds]);
      const incidents = await listIncidents(db);
      const reports = await Promise.all(incidents.map((i) => incidentReports(db, i.id)));
      return { assigned, incidents, reports };
    } finally {
      await db.destroy();
    }
  }

  it('stores the same incidents, reports, scores and reasons as without it', async () => {
    const without = await ingestWith(() => new ReportCache(0, 1));
    expect(without.incidents.length).toBeGreaterThan(50);
    expect(await ingestWith(() => new ReportCache())).toEqual(without);
    expect(await ingestWith(() => new ReportCache(8, 16))).toEqual(without);
  }, 120_000);

  it('forgets the reports of a document whose transaction failed', async () => {
    const database = dialect.fresh();
    const { db, kind } = await connect(database.location, database.options);
    try {
      const cache = reportCacheOf(db);
      const [first, second] = corpus.filter((c) => c.incidents.length > 0);
      if (!first || !second) throw new Error('corpus without incidents');
      await saveDocument(db, kind, first.doc, first.incidents);
      // Evidence citing a document that is not stored fails the transaction after the report rows
      // were written and read into the cache.
      const broken = second.incidents.map((i) => ({
        ...i,
        city: 'Nowhere',
        evidence: [{ ...(i.evidence[0] ?? first.incidents[0]?.evidence[0]), documentId: 'missing' }],
      })) as Incident[];
      await expect(saveDocument(db, kind, second.doc, broken)).rejects.toThrow();
      expect(cache.get(second.incidents[0]?.id ?? '')).toBeUndefined();
      const saved = await saveDocument(db, kind, second.doc, second.incidents);
      expect(saved.status).toBe('stored');
      const stored = await listIncidents(db);
      expect(stored.some((i) => i.city === 'Nowhere')).toBe(false);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
