/**
 * Team-scale ingest on PostgreSQL: the documents of `npm run bench` (MUC-4 train + dev, then copies
 * of them with a suffix, as bench/main.ts makes them) written as JSON Lines files, queued with
 * `vigil ingest --queue` (one job per file), then taken by 1, 2 and 4 `vigil worker --exit-when-empty`
 * processes at once, each count on a fresh database. For each count: documents/s from the workers'
 * start to the last one's exit (their start-up, about a second to load the gazetteers, included),
 * every document stored exactly once, no duplicate incident or half-written row, and the same
 * incidents (each with the same reports) as one worker stores.
 *
 *   npx tsx bench/workers.ts [--docs N] [--workers 1,2,4] [--files N] [--json]
 *
 * Runs the built command (dist/cli/main.js: `npm run build` first) against
 * $VIGIL_TEST_POSTGRES, else postgres://postgres@127.0.0.1:5432/test (databases vigil_workers_* are
 * created and dropped). bench/main.ts calls `benchWorkers`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { consistencyProblems, type Rows, type StoreSnapshot, snapshotOf } from '../test/proof/helpers.js';
import { type MucDoc, readCorpus } from './throughput.js';

export interface WorkersOptions {
  /** Documents to ingest (2,000 in `npm run bench`). */
  readonly docs: number;
  /** Worker counts to run, each on a fresh database. */
  readonly workers: readonly number[];
  /** Jobs (JSON Lines files) the documents are split into; default 40. */
  readonly files?: number;
  /** PostgreSQL server (a database on it is created per run). */
  readonly postgres?: string;
  /** The built command. */
  readonly main?: string;
}

export interface WorkersRun {
  readonly workers: number;
  readonly jobs: number;
  readonly seconds: number;
  readonly docs_per_s: number;
  /** Documents stored, and how many the input holds (distinct texts). */
  readonly documents: number;
  readonly documents_expected: number;
  /** `stored` outcomes the workers reported beyond one per document: 0 when none was stored twice. */
  readonly duplicate_documents: number;
  readonly incidents: number;
  /** Incidents beyond those of one worker's store, or reports linked to more than one incident. */
  readonly duplicate_incidents: number;
  /** Half-written rows (test/proof's consistency checks); empty when the store is whole. */
  readonly problems: readonly string[];
  /** Jobs each worker ran. */
  readonly jobs_per_worker: readonly number[];
  /** Same documents, incidents (with their reports) and row counts as the one-worker run; null when
   * no one-worker run came first. */
  readonly same_as_one_worker: boolean | null;
}

export interface WorkersResult {
  readonly documents: number;
  readonly runs: readonly WorkersRun[];
}

const DEFAULT_POSTGRES = process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const DEFAULT_MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/** The JSON Lines of bench/main.ts's ingest documents: MUC-4 train + dev, then suffixed copies,
 * each published on its story's dateline (as bench/throughput.ts gives them). One day for all
 * would make every draft a resolution candidate of every other, which real news never is. */
function documentLines(n: number): string[] {
  const corpus = readCorpus();
  return Array.from({ length: n }, (_, i) => {
    const d = corpus[i % corpus.length] as MucDoc;
    const text = i < corpus.length ? d.doctext : `${d.doctext} (copy ${i})`;
    return JSON.stringify({
      text,
      title: d.docid,
      source: 'MUC-4',
      ...(d.published === null ? {} : { published: d.published }),
    });
  });
}

interface Child {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(main: string, args: readonly string[]): Promise<Child> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.VIGIL_DB;
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Ingests `docs` documents with each count of workers in turn and checks each store. */
export async function benchWorkers(options: WorkersOptions): Promise<WorkersResult> {
  const main = options.main ?? DEFAULT_MAIN;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const server = options.postgres ?? DEFAULT_POSTGRES;
  const lines = documentLines(options.docs);
  const files = Math.max(1, Math.min(options.files ?? 40, lines.length));
  const dir = mkdtempSync(join(tmpdir(), 'vigil-workers-'));
  const inputs = Array.from({ length: files }, (_, f) => {
    const file = join(dir, `part-${String(f).padStart(3, '0')}.jsonl`);
    const share = lines.filter((_, i) => i % files === f);
    writeFileSync(file, `${share.join('\n')}\n`);
    return file;
  });
  const expected = new Set(lines.map((l) => (JSON.parse(l) as { text: string }).text)).size;
  const runs: WorkersRun[] = [];
  let one: StoreSnapshot | null = null;
  try {
    for (const workers of options.workers) {
      const name = `vigil_workers_${process.pid}_${workers}_${runs.length}`;
      await withClient(server, (c) => c.query(`create database ${name}`));
      const url = new URL(server);
      url.pathname = `/${name}`;
      const db = url.toString();
      try {
        const queued = await run(main, ['--db', db, 'ingest', '--queue', ...inputs, '--json']);
        if (queued.code !== 0) throw new Error(`vigil ingest --queue failed: ${queued.stderr}`);
        const started = process.hrtime.bigint();
        const children = await Promise.all(
          Array.from({ length: workers }, () =>
            run(main, ['--db', db, 'worker', '--exit-when-empty', '--json']),
          ),
        );
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        for (const c of children) if (c.code !== 0) throw new Error(`vigil worker failed: ${c.stderr}`);
        const done = children.map((c) =>
          c.stdout
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as { stored: number }),
        );
        const storedOutcomes = done.flat().reduce((n, j) => n + j.stored, 0);
        const inspected = await withClient(db, async (client) => {
          const query = async (text: string) => (await client.query(text)).rows as Rows;
          const linkedTwice = await query(
            'select report_id from incident_reports group by report_id having count(*) > 1',
          );
          return {
            snapshot: await snapshotOf(query),
            problems: await consistencyProblems(query),
            linkedTwice: linkedTwice.length,
          };
        });
        const { snapshot } = inspected;
        const documents = snapshot.counts.documents ?? 0;
        const incidents = snapshot.counts.incidents ?? 0;
        if (workers === 1 && one === null) one = snapshot;
        runs.push({
          workers,
          jobs: files,
          seconds: +seconds.toFixed(2),
          docs_per_s: Math.round(documents / seconds),
          documents,
          documents_expected: expected,
          duplicate_documents: storedOutcomes - documents + Math.max(0, documents - expected),
          incidents,
          duplicate_incidents:
            inspected.linkedTwice + (one === null ? 0 : Math.max(0, incidents - (one.counts.incidents ?? 0))),
          problems: inspected.problems,
          jobs_per_worker: done.map((d) => d.length),
          same_as_one_worker: one === null ? null : JSON.stringify(snapshot) === JSON.stringify(one),
        });
      } finally {
        await withClient(server, (c) => c.query(`drop database if exists ${name} with (force)`)).catch(
          () => {},
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { documents: lines.length, runs };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const docs = Number(option('--docs') ?? 2000);
  const workers = (option('--workers') ?? '1,2,4').split(',').map(Number);
  const files = option('--files') === undefined ? undefined : Number(option('--files'));
  if (!Number.isInteger(docs) || docs < 1 || workers.some((w) => !Number.isInteger(w) || w < 1)) {
    console.error('usage: npx tsx bench/workers.ts [--docs N] [--workers 1,2,4] [--files N] [--json]');
    process.exit(1);
  }
  const result = await benchWorkers({ docs, workers, ...(files === undefined ? {} : { files }) });
  if (args.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    console.table(
      Object.fromEntries(
        result.runs.map((r) => [
          `${r.workers} worker${r.workers === 1 ? '' : 's'}`,
          {
            'docs/s': r.docs_per_s,
            seconds: r.seconds,
            documents: `${r.documents}/${r.documents_expected}`,
            'duplicate docs': r.duplicate_documents,
            incidents: r.incidents,
            'duplicate incidents': r.duplicate_incidents,
            'same as 1 worker': r.same_as_one_worker ?? '-',
            problems: r.problems.length,
          },
        ]),
      ),
    );
  }
}
