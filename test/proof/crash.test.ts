import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import {
  articleLines,
  consistencyProblems,
  type IngestLine,
  parseLines,
  prng,
  RESOLUTION_ARTICLES,
  runCli,
  SAMPLE_ARTICLES,
  SEED,
  SOAK,
  type StoreSnapshot,
  snapshotOf,
  sqliteQuery,
  withSqlite,
} from './helpers.js';

/* Crash safety. A `vigil ingest --json` child reads the bundled JSON Lines articles into a SQLite
 * file and is SIGKILLed at seeded random points: after some number of reported documents plus a
 * few milliseconds (so inside extraction or inside a document's transaction), or during start-up
 * (migrations, knowledge-base sync). After each kill the file must pass integrity_check, hold every
 * document the child reported stored exactly once, and hold no half-written incident; a re-run
 * carries on, and the end state equals a clean single run. Kills are chained on one file (kill,
 * check, re-run, kill, ...), so recovery from a crash is itself crashed. */

const CHAINS = SOAK ? 25 : 5;
const KILLS_PER_CHAIN = 4;
const INPUTS = [RESOLUTION_ARTICLES, SAMPLE_ARTICLES];
const MIGRATIONS = Object.keys(migrations('sqlite'));
const MIGRATION_KILLS = SOAK ? 60 : 12;
const ingestArgs = (db: string) => ['--db', db, 'ingest', ...INPUTS, '--json'];

let dir: string;
let clean: StoreSnapshot;
const total = articleLines().length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  const db = join(dir, 'clean.db');
  const run = await runCli(ingestArgs(db));
  expect(run.code, run.stderr).toBe(0);
  clean = await withSqlite(db, (s) => snapshotOf(sqliteQuery(s)));
  expect(clean.documents.length).toBeGreaterThan(100);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether the store's migrations ran; throws on a half-migrated store (some tables, not all). */
function migrated(s: SqliteDatabase.Database): boolean {
  const tables = (
    s.prepare("select name from sqlite_master where type = 'table' and name not like 'kysely_%'").all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  const done = tables.length === 0 ? [] : migrationsDone(s);
  if (tables.length === 0) return false;
  expect(done.length, `half-migrated store: tables ${tables.join(' ')}, migrations ${done.join(' ')}`).toBe(
    MIGRATIONS.length,
  );
  return true;
}

function migrationsDone(s: SqliteDatabase.Database): string[] {
  const exists = s.prepare("select 1 from sqlite_master where name = 'kysely_migration'").get();
  if (!exists) return [];
  return (s.prepare('select name from kysely_migration order by name').all() as { name: string }[]).map(
    (r) => r.name,
  );
}

async function checkAfterKill(db: string, reported: readonly IngestLine[], context: string): Promise<void> {
  await withSqlite(db, async (s) => {
    expect(s.pragma('integrity_check', { simple: true }), context).toBe('ok');
    expect(s.pragma('foreign_key_check'), context).toEqual([]);
    // Killed before its first migration committed: a store with none of Vigil's tables, nothing reported.
    if (!migrated(s)) {
      expect(
        reported.filter((l) => l.status !== 'error'),
        context,
      ).toEqual([]);
      return;
    }
    const query = sqliteQuery(s);
    expect(await consistencyProblems(query), context).toEqual([]);
    // Reported stored (or known) means committed: each is there, once.
    const count = s.prepare('select count(*) as n from documents where id = ?');
    for (const line of reported) {
      if (line.status === 'error') continue;
      expect((count.get(line.document_id) as { n: number }).n, `${context}: ${line.origin}`).toBe(1);
    }
    // Nothing but the input's documents, and no document twice.
    const ids = (await query('select id from documents')).map((r) => String(r.id));
    expect(new Set(ids).size, context).toBe(ids.length);
    for (const id of ids) expect(clean.documents, context).toContain(id);
  });
}

describe('SIGKILL during vigil ingest (SQLite)', () => {
  it(`keeps the store whole over ${CHAINS * KILLS_PER_CHAIN} seeded kills, and a re-run completes it`, async () => {
    const random = prng(SEED);
    let kills = 0;
    const landed: string[] = [];
    for (let chain = 0; chain < CHAINS; chain++) {
      const db = join(dir, `chain-${chain}.db`);
      const stored = new Set<string>();
      for (let k = 0; k < KILLS_PER_CHAIN; k++) {
        // One kill in five lands during start-up (migrations, knowledge-base sync, first document).
        const early = random() < 0.2;
        const plan = early
          ? { afterLines: 0, delayMs: 150 + Math.floor(random() * 2500) }
          : { afterLines: 1 + Math.floor(random() * (total - 1)), delayMs: Math.floor(random() * 25) };
        const context = `seed ${SEED}, chain ${chain}, kill ${k} (${JSON.stringify(plan)})`;
        const run = await runCli(ingestArgs(db), plan);
        const reported = parseLines(run.lines);
        for (const line of reported) if (line.status === 'stored') stored.add(line.document_id as string);
        if (run.killed) {
          kills += 1;
          landed.push(`${reported.length}/${total}`);
        } else expect(run.code, `${context}: ${run.stderr}`).toBe(0);
        await checkAfterKill(db, reported, context);
      }
      // Every document a killed run reported stored is still there, once.
      await checkAfterKill(
        db,
        [...stored].map((id) => ({ status: 'stored', origin: id, document_id: id })),
        `seed ${SEED}, chain ${chain}`,
      );
      const rerun = await runCli(ingestArgs(db));
      expect(rerun.code, rerun.stderr).toBe(0);
      const lines = parseLines(rerun.lines);
      // The re-run finds what was stored before the kills as already known.
      for (const line of lines)
        if (line.status === 'stored') expect(stored.has(line.document_id as string)).toBe(false);
      const final = await withSqlite(db, async (s) => {
        expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(await consistencyProblems(sqliteQuery(s))).toEqual([]);
        return snapshotOf(sqliteQuery(s));
      });
      expect(final, `seed ${SEED}, chain ${chain}: final state differs from a clean run`).toEqual(clean);
    }
    console.info(`crash trials: ${kills} kills (seed ${SEED}); documents reported at each kill: ${landed}`);
    expect(kills).toBeGreaterThanOrEqual(20);
  }, 900_000);
});

describe('SIGKILL while a new SQLite store is being migrated', () => {
  it(`leaves no migration half-done over ${MIGRATION_KILLS} kills, and the next run opens it (was: "table already exists" for good)`, async () => {
    const random = prng(SEED + 3);
    const states = new Map<string, number>();
    for (let k = 0; k < MIGRATION_KILLS; k++) {
      const db = join(dir, `migrate-${k}.db`);
      // The file appears when the store opens, just before the migrations: kill a few ms after.
      const run = await runCli(['--db', db, 'stats'], {
        afterFile: db,
        afterLines: 0,
        delayMs: Math.floor(random() * 60),
      });
      const state = await withSqlite(db, (s) => {
        expect(s.pragma('integrity_check', { simple: true })).toBe('ok');
        return migrated(s) ? 'migrated' : `not migrated (${migrationsDone(s).length} recorded)`;
      });
      states.set(run.killed ? state : 'finished', (states.get(run.killed ? state : 'finished') ?? 0) + 1);
      const rerun = await runCli(['--db', db, 'stats', '--json']);
      expect(rerun.code, `kill ${k}: ${rerun.stderr}`).toBe(0);
    }
    console.info(`migration kills (seed ${SEED}): ${JSON.stringify(Object.fromEntries(states))}`);
  }, 300_000);
});
