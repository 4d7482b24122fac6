import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  articleLines,
  consistencyProblems,
  POSTGRES_URL,
  prng,
  type Rows,
  runCli,
  SEED,
  type StoreSnapshot,
  snapshotOf,
} from './helpers.js';

/* Team scale: `vigil ingest --queue` puts one job per input in PostgreSQL, and `vigil worker`
 * processes take them (SELECT … FOR UPDATE SKIP LOCKED). Four workers must run every job exactly
 * once and leave the store exactly as one worker does. */

const FILES = 12;
const databases: string[] = [];
let dir: string;
let files: string[];

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(): Promise<string> {
  const name = `vigil_queue_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((c) => c.query(`create database ${name}`));
  databases.push(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function inspect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = async (sql: string) => (await client.query(sql)).rows as Rows;
    const jobs = await query('select id, status, attempts, worker, result from jobs order by id');
    return { snapshot: await snapshotOf(query), problems: await consistencyProblems(query), jobs };
  } finally {
    await client.end();
  }
}

/** Enqueues the files, runs `workers` workers at once until the queue is empty. */
async function runQueue(workers: number) {
  const url = await freshDatabase();
  const queued = await runCli(['--db', url, 'ingest', '--queue', ...files, '--json']);
  expect(queued.code, queued.stderr).toBe(0);
  expect(queued.lines).toHaveLength(FILES);
  const runs = await Promise.all(
    Array.from({ length: workers }, () => runCli(['--db', url, 'worker', '--exit-when-empty', '--json'])),
  );
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
  const done = runs.map((r) => r.lines.length);
  return { ...(await inspect(url)), done };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-queue-'));
  const random = prng(SEED + 2);
  const shares: string[][] = Array.from({ length: FILES }, () => []);
  // Every article in one file, a third of them in a second one too: workers race on those.
  for (const line of articleLines()) {
    const a = Math.floor(random() * FILES);
    shares[a]?.push(line);
    if (random() < 0.33) shares[(a + 1 + Math.floor(random() * (FILES - 1))) % FILES]?.push(line);
  }
  files = shares.map((share, i) => {
    const file = join(dir, `part-${String(i).padStart(2, '0')}.jsonl`);
    writeFileSync(file, `${share.join('\n')}\n`);
    return file;
  });
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await admin(async (c) => {
    for (const name of databases) await c.query(`drop database if exists ${name} with (force)`);
  });
});

describe('vigil ingest --queue and vigil worker on PostgreSQL', () => {
  let one: StoreSnapshot;

  it('one worker runs every job', async () => {
    const result = await runQueue(1);
    expect(result.problems).toEqual([]);
    expect(result.jobs.map((j) => j.status)).toEqual(Array(FILES).fill('done'));
    expect(result.done).toEqual([FILES]);
    one = result.snapshot;
    expect(one.documents.length).toBeGreaterThan(100);
  }, 180_000);

  it('four workers run each job once and store the same documents and incidents as one', async () => {
    const result = await runQueue(4);
    expect(result.problems).toEqual([]);
    expect(result.jobs.map((j) => j.status)).toEqual(Array(FILES).fill('done'));
    expect(result.jobs.map((j) => Number(j.attempts))).toEqual(Array(FILES).fill(1));
    expect(result.done.reduce((a, b) => a + b, 0)).toBe(FILES);
    // The work was shared.
    expect(new Set(result.jobs.map((j) => j.worker)).size).toBeGreaterThan(1);
    expect(result.snapshot).toEqual(one);
  }, 180_000);
});
