/**
 * `npm run bench:resolution`: does Vigil count events, not reports? Ingests the resolution corpus
 * (test/fixtures/resolution/articles.jsonl, 150+ invented articles about real incidents) through the
 * product's pipeline into a fresh store, and scores the stored incidents against
 * test/fixtures/resolution/truth.json:
 *
 * - incident count against the gold count, and its relative error (target: within 5 %);
 * - pairwise merge precision and recall over article pairs (targets: P ≥ 0.97, R ≥ 0.90): two
 *   articles are a gold pair when they report a common incident, a predicted pair when a stored
 *   incident has both as sources; background articles add no gold pair, so a pair with one is a false
 *   positive, and an incident made only of background articles counts in the incident count;
 * - near-duplicate (wire copy) detection, when the pipeline reports it;
 * - ingest throughput (articles/s, extraction + resolution + store, gazetteer load excluded);
 * - the same with the articles in reversed and in shuffled (seeded) order, and whether the stored
 *   incidents are the same whatever the order.
 *
 *   npx tsx bench/resolution.ts [--db postgres://…] [--json] [--seed N]
 *
 * Without --db each pass uses a fresh SQLite file in a temporary folder; with a PostgreSQL URL each
 * pass uses a fresh schema, dropped afterwards. The harness only reports: it never fails on a score.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractIncidents } from '../src/extract/index.js';
import { ingest } from '../src/pipeline/ingest.js';
import type { Incident } from '../src/resolve/index.js';
import { documentId } from '../src/sources/index.js';
import { openStore, type Store } from '../src/store/index.js';
import {
  type ArticleTruth,
  canonicalClusters,
  components,
  countError,
  goldPairs,
  type PairScores,
  pairsOf,
  pairwiseScores,
  seededShuffle,
  splitsAndMerges,
  spuriousClusters,
  wirePairs,
} from './resolution-metrics.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const asJson = args.includes('--json');
const db = option('--db');
const seed = Number(option('--seed') ?? 20240322);
if (db !== undefined && !/^postgres(ql)?:\/\//.test(db)) {
  console.error('bench/resolution.ts: --db takes a postgres:// URL (SQLite files are temporary)');
  process.exit(1);
}
if (!Number.isInteger(seed)) {
  console.error('bench/resolution.ts: --seed takes an integer');
  process.exit(1);
}

const fixtures = new URL('../test/fixtures/resolution/', import.meta.url);
const TARGETS = { countRelativeError: 0.05, precision: 0.97, recall: 0.9 };

interface Article {
  readonly id: string;
  /** The line as it stands in articles.jsonl, written unchanged into each pass's input. */
  readonly line: string;
  readonly text: string;
}

interface Truth {
  readonly articles: Record<string, ArticleTruth>;
  readonly incidents: Record<string, unknown>;
}

function readCorpus(): Article[] {
  return readFileSync(new URL('articles.jsonl', fixtures), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      const { id, text } = JSON.parse(line) as { id: string; text: string };
      return { id, line, text };
    });
}

const truth = JSON.parse(readFileSync(new URL('truth.json', fixtures), 'utf8')) as Truth;
const corpus = readCorpus();

interface PassResult {
  readonly order: string;
  readonly articles: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly errors: readonly string[];
  readonly seconds: number;
  readonly clusters: string[][];
  readonly incidents: readonly Incident[];
  readonly articlesOf: (incident: Incident) => string[];
  /** Near-duplicate links reported by the pipeline (article, article), or null if it reports none. */
  readonly copyLinks: [string, string][] | null;
}

/** A fresh store for one pass, and how to throw it away. */
async function freshStore(
  pass: string,
  dir: string,
): Promise<{ store: Store; dispose: () => Promise<void> }> {
  if (db === undefined) {
    const store = await openStore(join(dir, `${pass}.db`));
    return { store, dispose: () => store.close() };
  }
  const schema = `vigil_resolution_${process.pid}_${pass}`;
  const store = await openStore(db, { schema });
  return {
    store,
    async dispose() {
      await store.close();
      const { default: pg } = await import('pg');
      const client = new pg.Client(db);
      await client
        .connect()
        .then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
        .catch(() => {});
      await client.end().catch(() => {});
    },
  };
}

async function runPass(order: string, articles: readonly Article[], dir: string): Promise<PassResult> {
  const input = join(dir, `${order}.jsonl`);
  writeFileSync(input, `${articles.map((a) => a.line).join('\n')}\n`);
  const { store, dispose } = await freshStore(order, dir);
  try {
    // Document id → the articles whose text it is (several when a copy repeats the text exactly).
    const articlesOfDoc = new Map<string, string[]>();
    const add = (doc: string, article: string) => {
      const list = articlesOfDoc.get(doc) ?? [];
      if (!list.includes(article)) list.push(article);
      articlesOfDoc.set(doc, list);
    };
    // Every article's own id, in case an outcome does not name its line.
    for (const a of articles) add(documentId(a.text), a.id);
    const errors: string[] = [];
    const rawCopies: [string, string][] = [];
    let reportsCopies = false;
    let stored = 0;
    let duplicates = 0;
    const started = process.hrtime.bigint();
    for await (const outcome of ingest(store, [input])) {
      if (outcome.status === 'error') {
        errors.push(`${outcome.origin}: ${outcome.reason}`);
        continue;
      }
      const line = Number(/:(\d+)$/.exec(outcome.origin)?.[1]);
      const article = articles[line - 1];
      if (article) add(outcome.documentId, article.id);
      if (outcome.status === 'duplicate') duplicates++;
      else {
        stored++;
        // Near-duplicate detection is optional: read it only if the pipeline reports it.
        if ('copyOf' in outcome) {
          reportsCopies = true;
          const copyOf = outcome.copyOf;
          if (typeof copyOf === 'string' && article) rawCopies.push([article.id, copyOf]);
        }
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const incidents = await store.listIncidents();
    const articlesOf = (incident: Incident) => [
      ...new Set(
        incident.sources.flatMap((doc) => articlesOfDoc.get(doc) ?? [`unknown:${doc.slice(0, 12)}`]),
      ),
    ];
    let copyLinks: [string, string][] | null = null;
    if (reportsCopies) {
      copyLinks = rawCopies.flatMap(([a, doc]) =>
        (articlesOfDoc.get(doc) ?? []).map((b): [string, string] => [a, b]),
      );
      // Articles whose texts are identical are copies too (the store keeps one document).
      for (const list of articlesOfDoc.values()) {
        for (const other of list.slice(1)) copyLinks.push([list[0] as string, other]);
      }
    }
    return {
      order,
      articles: articles.length,
      stored,
      duplicates,
      errors,
      seconds,
      clusters: incidents.map(articlesOf),
      incidents,
      articlesOf,
      copyLinks,
    };
  } finally {
    await dispose();
  }
}

/** Clusters plus what each incident says (date, place, toll), to compare stores field by field. */
function fieldSignature(pass: PassResult): string {
  return JSON.stringify(
    pass.incidents
      .map((i) =>
        JSON.stringify([
          pass.articlesOf(i).sort(),
          i.date?.date ?? null,
          i.country,
          i.city,
          i.killed?.value ?? null,
          i.perpetratorGroups.map((g) => `${g.groupId}:${g.attribution}`).sort(),
        ]),
      )
      .sort(),
  );
}

/** Pair scores as the JSON output spells them. */
const pairJson = (s: PairScores) => ({
  true_positives: s.truePositives,
  false_positives: s.falsePositives,
  false_negatives: s.falseNegatives,
  precision: s.precision,
  recall: s.recall,
  f1: s.f1,
});

function score(pass: PassResult) {
  const gold = goldPairs(truth.articles);
  const predicted = pairsOf(pass.clusters);
  const pairs = pairwiseScores(predicted, gold);
  const count = countError(pass.incidents.length, Object.keys(truth.incidents).length);
  const diagnosis = splitsAndMerges(pass.clusters, truth.articles);
  const copyPairs = pass.copyLinks === null ? null : pairsOf(components(pass.copyLinks));
  const wires = wirePairs(truth.articles);
  const nearDuplicates = copyPairs === null ? null : pairwiseScores(copyPairs, wires);
  const copiesMissed =
    copyPairs === null ? [] : [...wires].filter((p) => !copyPairs.has(p)).map((p) => p.split('\u0000'));
  return {
    order: pass.order,
    articles: pass.articles,
    stored: pass.stored,
    already_known: pass.duplicates,
    refused: pass.errors.length,
    incidents: count,
    incidents_from_background_only: spuriousClusters(pass.clusters, truth.articles),
    pairwise: pairJson(pairs),
    near_duplicates: nearDuplicates
      ? pairJson(nearDuplicates)
      : 'skipped: the pipeline reports no near-duplicates',
    near_duplicates_missed: copiesMissed,
    articles_per_s: Math.round(pass.articles / pass.seconds),
    gold_incidents_split: diagnosis.split,
    gold_incidents_missed: diagnosis.missed,
    incidents_over_merged: diagnosis.overMerged,
    errors: pass.errors,
  };
}

// The gazetteers load on the first extraction (about a second): not part of the throughput.
const warmStarted = process.hrtime.bigint();
extractIncidents({ id: 'warm', text: 'Gunmen attacked a bus in Kabul on Friday.', published: '2024-01-05' });
const warmUpMs = Math.round(Number(process.hrtime.bigint() - warmStarted) / 1e6);

const dir = mkdtempSync(join(tmpdir(), 'vigil-resolution-'));
const passes: PassResult[] = [];
try {
  passes.push(await runPass('file', corpus, dir));
  passes.push(await runPass('reversed', [...corpus].reverse(), dir));
  passes.push(await runPass('shuffled', seededShuffle(corpus, seed), dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const [first, ...others] = passes as [PassResult, ...PassResult[]];
const scores = passes.map(score);
const orderIndependence = Object.fromEntries(
  others.map((p) => [
    p.order,
    {
      same_clusters: canonicalClusters(p.clusters) === canonicalClusters(first.clusters),
      same_fields: fieldSignature(p) === fieldSignature(first),
    },
  ]),
);
const results = {
  when: new Date().toISOString(),
  database: db === undefined ? 'sqlite (temporary file per pass)' : db.replace(/:[^:@/]*@/, ':***@'),
  seed,
  corpus: {
    articles: corpus.length,
    gold_incidents: Object.keys(truth.incidents).length,
    background_articles: Object.values(truth.articles).filter((a) => a.incidents.length === 0).length,
    gold_pairs: goldPairs(truth.articles).size,
    wire_pairs: wirePairs(truth.articles).size,
  },
  targets: {
    incident_count_relative_error: `within ±${TARGETS.countRelativeError * 100} %`,
    pairwise_precision: `≥ ${TARGETS.precision}`,
    pairwise_recall: `≥ ${TARGETS.recall}`,
  },
  gazetteer_load_ms: warmUpMs,
  passes: scores,
  order_independence: orderIndependence,
};

if (asJson) {
  console.log(JSON.stringify(results, null, 2));
} else {
  const fmt = (x: number | null, digits = 3) => (x === null ? '–' : x.toFixed(digits));
  const pct = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`);
  const header = ['measure', ...scores.map((s) => s.order), 'target'];
  const rows: string[][] = [
    header,
    [
      'articles stored / already known / refused',
      ...scores.map((s) => `${s.stored} / ${s.already_known} / ${s.refused}`),
      '',
    ],
    ['incidents stored (gold)', ...scores.map((s) => `${s.incidents.predicted} (${s.incidents.truth})`), ''],
    ['incident count, relative error', ...scores.map((s) => pct(s.incidents.relative)), '±5 %'],
    [
      'incidents from background articles only',
      ...scores.map((s) => String(s.incidents_from_background_only)),
      '0',
    ],
    ['pairwise precision', ...scores.map((s) => fmt(s.pairwise.precision)), `≥ ${TARGETS.precision}`],
    ['pairwise recall', ...scores.map((s) => fmt(s.pairwise.recall)), `≥ ${TARGETS.recall}`],
    ['pairwise F1', ...scores.map((s) => fmt(s.pairwise.f1)), ''],
    [
      'pairs TP / FP / FN',
      ...scores.map(
        (s) => `${s.pairwise.true_positives} / ${s.pairwise.false_positives} / ${s.pairwise.false_negatives}`,
      ),
      '',
    ],
    [
      'gold incidents split / missed',
      ...scores.map((s) => `${s.gold_incidents_split.length} / ${s.gold_incidents_missed.length}`),
      '0 / 0',
    ],
    ['incidents over-merged', ...scores.map((s) => String(s.incidents_over_merged.length)), '0'],
    [
      'near-duplicates P / R',
      ...scores.map((s) =>
        typeof s.near_duplicates === 'string'
          ? 'skipped'
          : `${fmt(s.near_duplicates.precision, 2)} / ${fmt(s.near_duplicates.recall, 2)}`,
      ),
      '',
    ],
    ['ingest, articles/s', ...scores.map((s) => String(s.articles_per_s)), ''],
    [
      'same incidents as file order (clusters / fields)',
      'n/a',
      ...others.map((p) => {
        const o = orderIndependence[p.order] as { same_clusters: boolean; same_fields: boolean };
        return `${o.same_clusters ? 'yes' : 'NO'} / ${o.same_fields ? 'yes' : 'NO'}`;
      }),
      'yes / yes',
    ],
  ];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) => r.map((cell, c) => cell.padEnd(widths[c] as number)).join(' │ ');
  console.log(
    `Resolution benchmark: ${results.corpus.articles} articles, ${results.corpus.gold_incidents} gold incidents, ` +
      `${results.corpus.background_articles} background articles, ${results.corpus.gold_pairs} gold pairs, ` +
      `${results.corpus.wire_pairs} wire-copy pairs; ${results.database}; shuffle seed ${seed}; gazetteer load ${warmUpMs} ms`,
  );
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('─┼─'));
  for (const r of rows.slice(1)) console.log(line(r));
  const firstScore = scores[0];
  if (firstScore && firstScore.errors.length > 0)
    console.log(`\nrefused:\n  ${firstScore.errors.join('\n  ')}`);
  if (firstScore && firstScore.gold_incidents_split.length > 0) {
    console.log(`\nsplit (file order): ${firstScore.gold_incidents_split.join(', ')}`);
  }
  if (firstScore && firstScore.incidents_over_merged.length > 0) {
    console.log(
      `over-merged (file order): ${firstScore.incidents_over_merged.map((k) => k.join(' + ')).join('; ')}`,
    );
  }
}
