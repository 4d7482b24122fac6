/**
 * `npm run bench`: extraction throughput (MUC-4 train + dev, one core) and end-to-end ingest
 * throughput into SQLite and PostgreSQL, printed as a table and written as JSON to
 * bench/results.json. Speed lives here, never in unit tests.
 *
 *   npx tsx bench/main.ts [--docs N] [--no-postgres]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractIncidents } from '../src/extract/index.js';
import { loadGroups } from '../src/knowledge/groups.js';
import { incidentsOf } from '../src/pipeline/ingest.js';
import { type Document, documentId } from '../src/sources/index.js';
import { openStore, type Store } from '../src/store/index.js';

const args = process.argv.slice(2);
const ingestDocs = Number(args[args.indexOf('--docs') + 1] ?? 0) || 2000;
const withPostgres = !args.includes('--no-postgres');
const RUNS = 5;
const muc4 = new URL('../../shared/eval/muc4/', import.meta.url);

interface MucDoc {
  docid: string;
  doctext: string;
}

function readCorpus(): MucDoc[] {
  return ['train.jsonl', 'dev.jsonl'].flatMap((f) =>
    readFileSync(new URL(f, muc4), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as MucDoc),
  );
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const t = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function benchExtraction(corpus: readonly MucDoc[]) {
  const load = time(() =>
    extractIncidents({ id: 'warm', text: 'Gunmen attacked a bus in Kabul.', published: null }),
  );
  for (const d of corpus.slice(0, 200))
    extractIncidents({ id: d.docid, text: d.doctext, published: '1990-01-01' });
  // Median of five passes: the machine is shared, single passes swing by a third.
  const passes: number[] = [];
  const perDoc: number[] = [];
  for (let pass = 0; pass < RUNS; pass++) {
    const total = time(() => {
      for (const d of corpus) {
        const ms = time(() => extractIncidents({ id: d.docid, text: d.doctext, published: '1990-01-01' })).ms;
        if (pass === 0) perDoc.push(ms);
      }
    });
    passes.push(total.ms);
  }
  perDoc.sort((a, b) => a - b);
  passes.sort((a, b) => a - b);
  const median = passes[Math.floor(RUNS / 2)] as number;
  const chars = corpus.reduce((n, d) => n + d.doctext.length, 0);
  return {
    documents: corpus.length,
    passes: RUNS,
    gazetteer_load_ms: Math.round(load.ms),
    docs_per_s: Math.round(corpus.length / (median / 1000)),
    docs_per_s_range: [
      Math.round(corpus.length / ((passes.at(-1) as number) / 1000)),
      Math.round(corpus.length / ((passes[0] as number) / 1000)),
    ],
    chars_per_s: Math.round(chars / (median / 1000)),
    ms_per_doc_p50: +percentile(perDoc, 50).toFixed(2),
    ms_per_doc_p95: +percentile(perDoc, 95).toFixed(2),
  };
}

/** Documents for ingest: MUC-4 texts, each its own document. */
function documents(corpus: readonly MucDoc[], n: number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const d = corpus[i % corpus.length] as MucDoc;
    const text = i < corpus.length ? d.doctext : `${d.doctext} (copy ${i})`;
    return {
      id: documentId(text),
      text,
      title: d.docid,
      url: null,
      outlet: 'MUC-4',
      published: '1990-01-01',
      language: 'eng',
      origin: d.docid,
    };
  });
}

async function benchIngest(store: Store, docs: readonly Document[]) {
  const groups = new Map(loadGroups().map((g) => [g.id, g]));
  await store.syncGroups(loadGroups());
  let incidents = 0;
  const t = process.hrtime.bigint();
  for (const doc of docs) {
    const found = incidentsOf(doc, groups);
    incidents += found.length;
    await store.saveDocument(doc, found);
  }
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const query = time(() => store.listIncidents({ limit: 50 }));
  await query.result;
  return { documents: docs.length, incidents, docs_per_s: Math.round(docs.length / (ms / 1000)) };
}

const corpus = readCorpus();
const extraction = benchExtraction(corpus);
const docs = documents(corpus, ingestDocs);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
const sqlite = await openStore(join(dir, 'bench.db'));
const ingestSqlite = await benchIngest(sqlite, docs);
await sqlite.close();
rmSync(dir, { recursive: true, force: true });
let ingestPostgres: Awaited<ReturnType<typeof benchIngest>> | string = 'skipped';
if (withPostgres) {
  const schema = `vigil_bench_${process.pid}`;
  try {
    const pg = await openStore('postgres://postgres@127.0.0.1:5432/test', { schema });
    ingestPostgres = await benchIngest(pg, docs);
    await pg.close();
  } catch (e) {
    ingestPostgres = `unavailable: ${(e as Error).message}`;
  } finally {
    const { default: pg } = await import('pg');
    const client = new pg.Client('postgres://postgres@127.0.0.1:5432/test');
    await client
      .connect()
      .then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
      .catch(() => {});
    await client.end().catch(() => {});
  }
}
const results = {
  when: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    platform: process.platform,
  },
  extraction_muc4_train_dev: extraction,
  ingest_sqlite: ingestSqlite,
  ingest_postgres: ingestPostgres,
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
};
writeFileSync(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.table({
  'extraction (MUC-4 train+dev, 1 core, median of 5)': {
    'docs/s': extraction.docs_per_s,
    'p50 ms': extraction.ms_per_doc_p50,
    'p95 ms': extraction.ms_per_doc_p95,
  },
  'ingest SQLite (extract+store)': { 'docs/s': ingestSqlite.docs_per_s },
  'ingest PostgreSQL (extract+store)': {
    'docs/s': typeof ingestPostgres === 'string' ? ingestPostgres : ingestPostgres.docs_per_s,
  },
});
console.log(JSON.stringify(results, null, 2));
