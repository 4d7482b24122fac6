/**
 * Throughput on MUC-4: extraction alone (train + dev, one core, median of five passes) and
 * end-to-end ingest (extract + resolve + store, one transaction per document) into a fresh SQLite
 * file and a fresh PostgreSQL schema. Part of `npm run bench` (bench/main.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractIncidents } from '../src/extract/index.js';
import { loadGroups } from '../src/knowledge/groups.js';
import { incidentsOf } from '../src/pipeline/ingest.js';
import { type Document, documentId } from '../src/sources/index.js';
import { openStore, type Store } from '../src/store/index.js';
import { parseDateline } from './muc4-metrics.js';

const RUNS = 5;
const muc4 = new URL('../../shared/eval/muc4/', import.meta.url);
export const POSTGRES_URL = process.env.VIGIL_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface MucDoc {
  docid: string;
  doctext: string;
  /** The dateline's day (from the full keys), as the publication date ingest is given. */
  published: string | null;
}

const jsonl = <T>(file: string): T[] =>
  readFileSync(new URL(file, muc4), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T);

export function readCorpus(): MucDoc[] {
  return (['train', 'dev'] as const).flatMap((split) => {
    const datelines = new Map(
      jsonl<{ docid: string; dateline: string | null }>(`${split}.full_keys.jsonl`).map((k) => [
        k.docid,
        parseDateline(k.dateline),
      ]),
    );
    return jsonl<{ docid: string; doctext: string }>(`${split}.jsonl`).map((d) => ({
      ...d,
      published: datelines.get(d.docid) ?? null,
    }));
  });
}

function time<T>(fn: () => T): { ms: number; result: T } {
  const t = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, result };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function benchExtraction(corpus: readonly MucDoc[]) {
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
export function documents(corpus: readonly MucDoc[], n: number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const d = corpus[i % corpus.length] as MucDoc;
    const text = i < corpus.length ? d.doctext : `${d.doctext} (copy ${i})`;
    return {
      id: documentId(text),
      text,
      title: d.docid,
      url: null,
      outlet: 'MUC-4',
      // Each story's own dateline: news arrives spread over days, as MUC-4's did (1989–90).
      published: d.published,
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

/** Ingest of `docs` MUC-4 documents into a fresh SQLite file, and into a fresh PostgreSQL schema
 * unless `postgres` is false (or the server does not answer). */
export async function benchIngestBoth(docs: readonly Document[], postgres: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
  const sqlite = await openStore(join(dir, 'bench.db'));
  const ingestSqlite = await benchIngest(sqlite, docs);
  await sqlite.close();
  rmSync(dir, { recursive: true, force: true });
  let ingestPostgres: Awaited<ReturnType<typeof benchIngest>> | string = 'skipped';
  if (postgres) {
    const schema = `vigil_bench_${process.pid}`;
    try {
      const pg = await openStore(POSTGRES_URL, { schema });
      ingestPostgres = await benchIngest(pg, docs);
      await pg.close();
    } catch (e) {
      ingestPostgres = `unavailable: ${(e as Error).message}`;
    } finally {
      const { default: pg } = await import('pg');
      const client = new pg.Client(POSTGRES_URL);
      await client
        .connect()
        .then(() => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`))
        .catch(() => {});
      await client.end().catch(() => {});
    }
  }
  return { sqlite: ingestSqlite, postgres: ingestPostgres };
}
