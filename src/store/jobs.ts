import { type Generated, type Kysely, type Migration, sql } from 'kysely';
import type { ReadOptions } from '../sources/index.js';
import { connect, type OpenOptions } from './connect.js';
import type { StoreKind } from './migrations.js';

/* The ingestion queue of `vigil ingest --queue` and `vigil worker` (migration 0012_jobs, which also
 * indexes documents by ingestion time for the API's document list): one row
 * per input, claimed by one worker at a time. On PostgreSQL a claim is `SELECT … FOR UPDATE SKIP
 * LOCKED`, so any number of workers take distinct jobs without waiting on each other; on SQLite the
 * claim is one UPDATE (SQLite has a single writer). A claim is a lease: a job whose worker died
 * (killed, machine lost) is claimed again once its lease has run out. Ingesting is idempotent
 * (documents are known by the hash of their text), so a job run twice stores nothing twice. */

export interface JobTable {
  id: Generated<number>;
  /** A file or folder (absolute path) or a URL, as `vigil ingest` takes it. */
  input: string;
  /** JSON of the ReadOptions (without stdin) and the TLP marking to store the documents under. */
  options: string;
  /** queued, running, done or failed. */
  status: string;
  attempts: Generated<number>;
  enqueued_at: string;
  started_at: string | null;
  /** ISO time after which a running job may be claimed again. */
  lease_until: string | null;
  finished_at: string | null;
  worker: string | null;
  /** JSON `{stored, duplicate, error}` once done. */
  result: string | null;
  error: string | null;
}

interface JobDatabase {
  jobs: JobTable;
}

export interface JobSpec {
  readonly input: string;
  readonly read: Omit<ReadOptions, 'stdin'>;
  readonly marking: { tlp: string; org: string | null; recipients: string[] } | null;
}

export interface Job extends JobSpec {
  readonly id: number;
  readonly attempts: number;
}

export interface JobCounts {
  readonly queued: number;
  readonly running: number;
  readonly done: number;
  readonly failed: number;
}

/** How long a claimed job is a worker's before another may take it over. */
export const DEFAULT_LEASE_MS = 30 * 60_000;
/** A job that failed this many times is left failed. */
export const MAX_ATTEMPTS = 3;

export function jobsMigration(kind: StoreKind): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('jobs')
        .addColumn('id', kind === 'postgres' ? 'serial' : 'integer', (c) =>
          kind === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('enqueued_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('worker', 'text')
        .addColumn('result', 'text')
        .addColumn('error', 'text')
        .execute();
      await db.schema.createIndex('jobs_status_idx').on('jobs').columns(['status', 'id']).execute();
      // Not the queue's, but found by the same load test (bench/load.ts): the API's document list, newest
      // first, sorted all of `documents` for every page (1.5 s at a million documents, blocking the
      // server); with this index a page is read straight off it.
      await db.schema
        .createIndex('documents_ingested_idx')
        .on('documents')
        .columns(['ingested_at desc', 'id'])
        .execute();
    },
  };
}

export interface JobQueue {
  enqueue(specs: readonly JobSpec[]): Promise<number[]>;
  /** The oldest queued job (or one whose lease ran out), now running for `worker`; null when none. */
  claim(worker: string, leaseMs?: number): Promise<Job | null>;
  finish(
    id: number,
    worker: string,
    result: { stored: number; duplicate: number; error: number },
  ): Promise<void>;
  fail(id: number, worker: string, error: string): Promise<void>;
  counts(): Promise<JobCounts>;
  close(): Promise<void>;
}

/** The queue of the database at `location` (migrated like any store). */
export async function openJobQueue(location: string, options: OpenOptions = {}): Promise<JobQueue> {
  const connection = await connect(location, options);
  const db = connection.db as unknown as Kysely<JobDatabase>;
  const kind = connection.kind;
  const now = () => new Date().toISOString();
  return {
    async enqueue(specs) {
      if (specs.length === 0) return [];
      const rows = await db
        .insertInto('jobs')
        .values(
          specs.map((s) => ({
            input: s.input,
            options: JSON.stringify({ read: s.read, marking: s.marking }),
            status: 'queued',
            attempts: 0,
            enqueued_at: now(),
          })),
        )
        .returning('id')
        .execute();
      return rows.map((r) => Number(r.id));
    },
    async claim(worker, leaseMs = DEFAULT_LEASE_MS) {
      const at = now();
      const lease = new Date(Date.now() + leaseMs).toISOString();
      const claimable = sql<boolean>`(status = 'queued' or (status = 'running' and lease_until < ${at}))`;
      const next =
        kind === 'postgres'
          ? sql`(select id from jobs where ${claimable} order by id limit 1 for update skip locked)`
          : sql`(select id from jobs where ${claimable} order by id limit 1)`;
      const row = await db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          attempts: eb('attempts', '+', 1),
          started_at: at,
          lease_until: lease,
          worker,
        }))
        .where('id', '=', next as never)
        .returning(['id', 'input', 'options', 'attempts'])
        .executeTakeFirst();
      if (row === undefined) return null;
      const options = JSON.parse(row.options) as Pick<JobSpec, 'read' | 'marking'>;
      return { id: Number(row.id), input: row.input, attempts: Number(row.attempts), ...options };
    },
    async finish(id, worker, result) {
      await db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: now(), result: JSON.stringify(result), error: null })
        .where('id', '=', id)
        .where('worker', '=', worker)
        .execute();
    },
    async fail(id, worker, error) {
      await db
        .updateTable('jobs')
        .set((eb) => ({
          status: eb.case().when('attempts', '>=', MAX_ATTEMPTS).then('failed').else('queued').end(),
          finished_at: now(),
          error,
        }))
        .where('id', '=', id)
        .where('worker', '=', worker)
        .execute();
    },
    async counts() {
      const rows = await db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
      return { queued: n('queued'), running: n('running'), done: n('done'), failed: n('failed') };
    },
    close: () => connection.db.destroy(),
  };
}
