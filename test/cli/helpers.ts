import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The built CLI: `npm test` builds it first; after `npx vitest`, run `npm run build` yourself. */
export const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const FOUNDING = fileURLToPath(
  new URL('../../../shared/examples/moscow-concert-hall.txt', import.meta.url),
);
/** A PostgreSQL server the tests may create databases on, as for the store tests. */
export const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Written to the CLI's stdin, which is then closed (it is always closed). */
  readonly input?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Milliseconds before the run is killed (default 60 s). */
  readonly timeout?: number;
}

/** The environment a child `vigil` runs with: ours, without VIGIL_DB and VIGIL_DEBUG, plus `extra`. */
export function childEnv(extra: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    VIGIL_DB: undefined,
    VIGIL_DEBUG: undefined,
    ...extra,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env as Record<string, string>;
}

/** Runs `node dist/cli/main.js …args` as a child process and collects its exit code and output. */
export function vigil(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const env = childEnv(options.env);
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: options.cwd ?? tmpdir(), env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeout ?? 60_000 },
      (error, stdout, stderr) => {
        if (error === null) resolve({ code: 0, stdout, stderr });
        else if (typeof error.code === 'number') resolve({ code: error.code, stdout, stderr });
        else reject(new Error(`vigil ${args.join(' ')} failed to run: ${error.message}\n${stderr}`));
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/** `vigil … --json` parsed, failing with the CLI's stderr when it did not succeed. */
export async function vigilJson<T = unknown>(args: readonly string[], options: RunOptions = {}): Promise<T> {
  const run = await vigil([...args, '--json'], options);
  if (run.code !== 0) throw new Error(`vigil ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

export interface TestDatabases {
  readonly kind: 'sqlite' | 'postgres';
  /** The `--db` value of a new, empty database. */
  fresh(): Promise<string>;
  /** Removes every database handed out. */
  cleanup(): Promise<void>;
}

export function sqliteDatabases(): TestDatabases {
  const dirs: string[] = [];
  return {
    kind: 'sqlite',
    async fresh() {
      const dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
      dirs.push(dir);
      return join(dir, 'vigil.db');
    },
    async cleanup() {
      await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/** Each fresh database is a new PostgreSQL database (the CLI takes no schema), dropped at cleanup. */
export function postgresDatabases(): TestDatabases {
  const names: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    kind: 'postgres',
    async fresh() {
      const name = `vigil_cli_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      await admin((client) => client.query(`create database ${name}`));
      names.push(name);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cleanup() {
      if (names.length === 0) return;
      await admin(async (client) => {
        for (const name of names.splice(0))
          await client.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

export interface StatsJson {
  readonly database: { readonly kind: string; readonly location: string };
  readonly documents: number;
  readonly incidents: number;
  readonly groups: number;
  readonly evidence: number;
}

export function stats(db: string): Promise<StatsJson> {
  return vigilJson<StatsJson>(['--db', db, 'stats']);
}
