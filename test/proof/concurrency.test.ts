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
  parseLines,
  prng,
  type Rows,
  runCli,
  SEED,
  SOAK,
  type StoreSnapshot,
  shuffle,
  snapshotOf,
} from './helpers.js';

/* Concurrency on PostgreSQL. Four `vigil ingest` processes start at once on one new database, each
 * with its own shuffled ~60 % of the articles (so every article is read by two or three of them,
 * racing), and must give zero duplicate documents and incidents and the very incidents one process
 * gives reading everything alone. The store takes a per-country advisory lock while it re-clusters;
 * a lock taken in another order, or a re-clustering that misses a concurrent report, shows here. */

const WORKERS = 4;
const ROUNDS = SOAK ? 5 : 1;
const databases: string[] = [];
let dir: string;

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
  const name = `vigil_proof_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((c) => c.query(`create database ${name}`));
  databases.push(name);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function inspect(url: string): Promise<{ snapshot: StoreSnapshot; problems: string[] }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = async (sql: string) => (await client.query(sql)).rows as Rows;
    return { snapshot: await snapshotOf(query), problems: await consistencyProblems(query) };
  } finally {
    await client.end();
  }
}

let single: StoreSnapshot;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-concurrency-'));
  const all = join(dir, 'all.jsonl');
  writeFileSync(all, `${articleLines().join('\n')}\n`);
  const url = await freshDatabase();
  const run = await runCli(['--db', url, 'ingest', all, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const { snapshot, problems } = await inspect(url);
  expect(problems).toEqual([]);
  single = snapshot;
}, 120_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await admin(async (c) => {
    for (const name of databases) await c.query(`drop database if exists ${name} with (force)`);
  });
});

describe('4 vigil ingest processes at once on PostgreSQL', () => {
  it('store every article once and the same incidents as one process', async () => {
    const lines = articleLines();
    const random = prng(SEED + 1);
    for (let round = 0; round < ROUNDS; round++) {
      // Each article goes to two workers at least, and each worker reads in its own order.
      const shares: string[][] = Array.from({ length: WORKERS }, () => []);
      for (const line of lines) {
        const first = Math.floor(random() * WORKERS);
        const owners = new Set([first, (first + 1) % WORKERS]);
        for (let w = 0; w < WORKERS; w++) if (random() < 0.1) owners.add(w);
        for (const w of owners) shares[w]?.push(line);
      }
      const files = shares.map((share, w) => {
        const file = join(dir, `round-${round}-worker-${w}.jsonl`);
        writeFileSync(file, `${shuffle(share, random).join('\n')}\n`);
        return file;
      });
      const url = await freshDatabase();
      // Migrations race too: the four processes open the new database at the same moment.
      const runs = await Promise.all(files.map((f) => runCli(['--db', url, 'ingest', f, '--json'])));
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      const outcomes = runs.flatMap((r) => parseLines(r.lines));
      const stored = outcomes.filter((o) => o.status === 'stored').map((o) => o.document_id);
      // Each document reported stored by exactly one worker: the others found it known.
      expect(new Set(stored).size, `seed ${SEED}, round ${round}`).toBe(stored.length);
      const { snapshot, problems } = await inspect(url);
      expect(problems, `seed ${SEED}, round ${round}`).toEqual([]);
      expect(snapshot.documents).toEqual(single.documents);
      expect([...stored].sort()).toEqual(single.documents);
      expect(snapshot.counts.incidents, `seed ${SEED}, round ${round}: incident count`).toBe(
        single.counts.incidents,
      );
      expect(snapshot, `seed ${SEED}, round ${round}: incidents differ from one process`).toEqual(single);
    }
  }, 600_000);
});
