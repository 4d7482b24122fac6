/**
 * `npm run bench`: every speed and memory target in one run, printed as a table (measure, value,
 * target) and written as JSON to bench/results.json. Speed lives here, never in unit tests.
 *
 * 1. extraction: MUC-4 train + dev, documents/s on one core (median of five passes);
 * 2. ingest: extract + resolve + store of MUC-4 documents into SQLite and PostgreSQL, and on
 *    PostgreSQL with 1, 2 and 4 `vigil worker` processes (with a duplicate count);
 * 3. analysis: every threat level with its history, and every alert, over 250k incidents; the
 *    per-document cost of keeping them current at ingest;
 * 4. the GTD-scale store (250k incidents, 1M documents), built once and cached under .vigil/bench/;
 *    over it, through the real server on 127.0.0.1: p50/p95 of the main API queries, a 1,000-object
 *    TAXII page, the overview's API time and its first render in Chromium;
 * 5. memory: peak RSS of `vigil ingest` streaming 100k articles.
 *
 *   npm run bench [-- --quick] [--only extraction,ingest,workers,analysis,api,taxii,overview,memory]
 *                 [--no-postgres] [--articles N (memory section; default 100,000)]
 *
 * `--quick` uses a 25k-incident store, 10k articles and 500 ingest documents: a few minutes, to
 * check the harness, not to quote. The GTD-scale sections need `npm run build` (they run the CLI as
 * shipped).
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { benchAnalysis } from './analysis.js';
import { benchApi } from './api.js';
import { benchMemory } from './ingest-memory.js';
import { benchOverview } from './overview.js';
import { buildStore, DEFAULT_SCALE, FULL_SCALE } from './synthetic.js';
import { benchTaxii } from './taxii.js';
import { benchExtraction, benchIngestBoth, documents, readCorpus } from './throughput.js';
import { benchWorkers } from './workers.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const withPostgres = !args.includes('--no-postgres');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
const wanted = (section: string) => only === null || only.has(section);

const scale = quick ? DEFAULT_SCALE : FULL_SCALE;
const INGEST_DOCS = quick ? 500 : 2000;
const articlesAt = args.indexOf('--articles');
const MEMORY_ARTICLES = articlesAt >= 0 ? Number(args[articlesAt + 1]) : quick ? 10_000 : 100_000;

const results: Record<string, unknown> = {
  when: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length, platform: process.platform },
  quick,
};
/** Table rows: measure → value and target. */
const rows: Record<string, { value: string; target: string }> = {};
const row = (measure: string, value: unknown, target = '') => {
  rows[measure] = { value: String(value), target };
};

/** Runs one section; a failure is reported in the results and the run goes on. */
async function section<T>(name: string, work: () => Promise<T>, report: (r: T) => void): Promise<void> {
  if (!wanted(name)) return;
  const started = Date.now();
  console.error(`bench: ${name}…`);
  try {
    const result = await work();
    results[name] = result;
    report(result);
  } catch (e) {
    results[name] = { error: (e as Error).message };
    row(name, `failed: ${(e as Error).message}`);
  }
  console.error(`bench: ${name} done in ${Math.round((Date.now() - started) / 1000)} s`);
}

const corpus = wanted('extraction') || wanted('ingest') ? readCorpus() : [];

await section(
  'extraction',
  async () => benchExtraction(corpus),
  (r) => {
    row('extraction, documents/s/core (MUC-4, median of 5)', r.docs_per_s, '≥ 1,000');
    row('extraction latency p50 / p95, ms', `${r.ms_per_doc_p50} / ${r.ms_per_doc_p95}`);
  },
);

await section(
  'ingest',
  () => benchIngestBoth(documents(corpus, INGEST_DOCS), withPostgres),
  (r) => {
    row('ingest SQLite, documents/s (extract + resolve + store)', r.sqlite.docs_per_s);
    row(
      'ingest PostgreSQL, documents/s',
      typeof r.postgres === 'string' ? r.postgres : r.postgres.docs_per_s,
    );
  },
);

await section(
  'workers',
  () => {
    if (!withPostgres) throw new Error('skipped (--no-postgres)');
    return benchWorkers({ docs: INGEST_DOCS, workers: [1, 2, 4] });
  },
  (r) => {
    for (const run of r.runs)
      row(
        `ingest PostgreSQL, ${run.workers} worker${run.workers > 1 ? 's' : ''}, documents/s (duplicates)`,
        `${run.docs_per_s} (${run.duplicate_documents} documents, ${run.duplicate_incidents} incidents)`,
        '0 duplicates',
      );
  },
);

await section(
  'analysis',
  () => benchAnalysis({ incidents: scale.incidents }),
  (r) => {
    row(`threat levels with history, ${r.incidents} incidents, ms`, r.threatMs, '≤ 5,000');
    row(`all alerts replayed, ${r.incidents} incidents, ms`, r.alertsMs);
    row(
      'alerts and levels kept current at ingest, ms per document (median / p95)',
      `${r.incrementalMsMedian} / ${r.incrementalMsP95}`,
    );
  },
);

const gtdSections = ['api', 'taxii', 'overview'];
const store = gtdSections.some(wanted)
  ? await (async () => {
      const started = Date.now();
      const path = await buildStore(scale);
      results.store = { ...scale, path, ready_s: Math.round((Date.now() - started) / 1000) };
      return path;
    })()
  : '';

await section(
  'api',
  () => benchApi(store),
  (r) => {
    for (const [kind, q] of Object.entries(r.queries))
      row(`API ${kind} at ${r.incidents} incidents, p50 / p95 ms`, `${q.p50} / ${q.p95}`, '≤ 50 (p95)');
  },
);

await section(
  'taxii',
  () => benchTaxii(store),
  (r) => {
    row(
      `TAXII ${r.pageSize}-object page at ${r.incidents} incidents, p50 / p95 ms`,
      `${r.all.p50} / ${r.all.p95} (cold p95 ${r.cold.p95}, warm p95 ${r.warm.p95})`,
      '≤ 100',
    );
  },
);

await section(
  'overview',
  () => benchOverview(store),
  (r) => {
    row(
      `overview API at ${r.incidents} incidents, first / median ms`,
      `${r.api_first_ms} / ${r.api_median_ms}`,
    );
    row(
      `overview first render in Chromium at ${r.incidents} incidents, ms`,
      `${r.render_first_ms} (then median ${r.render_median_ms})`,
      '≤ 1,000',
    );
  },
);

await section(
  'memory',
  () => benchMemory({ articles: MEMORY_ARTICLES }),
  (r) => {
    row(`peak RSS streaming ${r.articles} articles through ingest, MB`, r.peak_rss_mb, '≤ 500');
    row('streaming ingest, documents/s', r.docs_per_s);
  },
);

results.peak_rss_mb_of_this_process = Math.round(process.resourceUsage().maxRSS / 1024);
writeFileSync(new URL('results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.table(rows);
