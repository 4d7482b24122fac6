/**
 * What TLP's views cost. A synthetic store (bench/synthetic.ts) gains `--mixed` attacks reported
 * twice: a public article and organisation alpha's AMBER copy of it with a sentence more, ingested
 * through the pipeline so that the two make one incident of two audiences (a mixed incident). Through
 * the real server on 127.0.0.1 (bench/load-server.ts), a caller outside alpha's sharing (gamma: shown
 * views made from the public reports) and alpha (shown the incidents whole) read the main queries;
 * the first read after a start (every view made) is timed apart.
 *
 *   npx tsx bench/tlp.ts [--base 25000] [--mixed 2000] [--per-query 40]
 *
 * The store is cached under .vigil/bench/ by its sizes.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { loadGroups } from '../src/knowledge/groups.js';
import { storeDocument } from '../src/pipeline/ingest.js';
import { detectLanguage, documentId, normaliseText } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';
import { type LatencyStats, startServer, timeQueries } from './api.js';
import { buildStore, CACHE, syntheticArticle } from './synthetic.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const base = option('--base', 25_000);
const mixedCount = option('--mixed', 2000);
const perQuery = option('--per-query', 40);
const log = (line: string) => console.error(line);

/** The store with `mixed` incidents of two audiences added (cached), and a key of each caller. */
async function mixedStore(): Promise<{ path: string; keys: Record<'gamma' | 'alpha', string> }> {
  const path = new URL(`tlp-${base}-${mixedCount}.db`, CACHE).pathname;
  if (!existsSync(path)) {
    const source = await buildStore({ incidents: base, documents: base * 4 }, log);
    const partial = `${path}.partial`;
    rmSync(partial, { force: true });
    copyFileSync(source, partial);
    const store = await openStore(partial);
    try {
      const groups = new Map(loadGroups().map((g) => [g.id, g]));
      await store.access.addOrg('alpha');
      const amber = { tlp: 'amber' as const, org: 'alpha', recipients: [] };
      const started = Date.now();
      for (let k = 0; k < mixedCount; k++) {
        const a = syntheticArticle(k, 4242);
        const doc = (text: string, origin: string) => {
          const normal = normaliseText(text);
          return {
            id: documentId(normal),
            text: normal,
            title: a.title,
            url: a.url,
            outlet: a.source,
            published: a.published,
            language: detectLanguage(normal),
            origin,
          };
        };
        await storeDocument(store, doc(a.text, `public:${k}`), groups, { analyse: false });
        const copy = `${a.text}\n\nA security source said the attackers had been watching the site for weeks.`;
        await storeDocument(store, doc(copy, `amber:${k}`), groups, { analyse: false, holding: amber });
        if ((k + 1) % 500 === 0)
          log(`tlp bench: ${k + 1} pairs in ${Math.round((Date.now() - started) / 1000)} s`);
      }
      log(`tlp bench: ${(await store.mixed.incidents()).length} mixed incidents`);
    } finally {
      await store.close();
    }
    renameSync(partial, path);
  }
  const store = await openStore(path);
  try {
    const orgs = new Set((await store.access.listOrgs()).map((o) => o.name));
    for (const org of ['alpha', 'gamma']) if (!orgs.has(org)) await store.access.addOrg(org);
    return {
      path,
      keys: {
        gamma: (await store.access.createKey({ org: 'gamma', role: 'viewer', user: 'gil' })).key,
        alpha: (await store.access.createKey({ org: 'alpha', role: 'viewer', user: 'ana' })).key,
      },
    };
  } finally {
    await store.close();
  }
}

const { path, keys } = await mixedStore();
const results: Record<string, Record<string, LatencyStats | number>> = {};
for (const who of ['gamma', 'alpha'] as const) {
  const { child, base: url } = await startServer(path);
  const headers = { authorization: `Bearer ${keys[who]}` };
  const get = async (p: string) => {
    const response = await fetch(`${url}${p}`, {
      headers: p.startsWith('/taxii2')
        ? { ...headers, accept: 'application/taxii+json;version=2.1' }
        : headers,
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${p}: HTTP ${response.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  try {
    const row: Record<string, LatencyStats | number> = {};
    const first = performance.now();
    await get('/api/v1/incidents?limit=50');
    row['first list after start (ms)'] = Math.round(performance.now() - first);
    const page = (await get('/api/v1/incidents?limit=200&country=IQ')) as { incidents: { id: string }[] };
    const ids = page.incidents.map((i) => i.id);
    const queries: Record<string, (i: number) => string> = {
      list: () => '/api/v1/incidents?limit=50',
      'by country': (i) => `/api/v1/incidents?country=${['IQ', 'AF', 'NG', 'PK'][i % 4]}&limit=50`,
      'q= search': (i) => `/api/v1/incidents?q=${['market', 'checkpoint', 'bus', 'police'][i % 4]}&limit=50`,
      'sort killed desc': () => '/api/v1/incidents?sort=killed&order=desc&limit=50',
      'one incident': (i) => `/api/v1/incidents/${ids[i % ids.length]}`,
      overview: () => '/api/v1/overview',
      'TAXII page (1000)': () => '/taxii2/vigil/collections/all/objects/?limit=1000',
    };
    Object.assign(row, await timeQueries(queries, get, perQuery, (line) => log(`${who} ${line}`)));
    results[who] = row;
  } finally {
    child.kill('SIGTERM');
  }
}
console.log(JSON.stringify({ store: path, base, mixed: mixedCount, results }, null, 2));
