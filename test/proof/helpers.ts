import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';

/** The built CLI (`npm test` builds it; after `npx vitest`, run `npm run build` yourself). */
export const MAIN =
  process.env.VIGIL_PROOF_MAIN ?? fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
export const RESOLUTION_ARTICLES = fileURLToPath(
  new URL('../fixtures/resolution/articles.jsonl', import.meta.url),
);
export const SAMPLE_ARTICLES = fileURLToPath(new URL('../../samples/articles.jsonl', import.meta.url));
export const POSTGRES_URL = process.env.VIGIL_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** `npm run soak` sets VIGIL_SOAK=1: the long versions of the trials and fuzz runs. */
export const SOAK = process.env.VIGIL_SOAK === '1';
/** Seed of every random choice in these tests; printed in failure messages so a failure replays. */
export const SEED = Number(process.env.VIGIL_PROOF_SEED ?? 20_240_322);

/** mulberry32: a small seeded PRNG, enough to pick kill points and shuffles reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function requireBuild(): void {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
}

/** The non-blank lines of the two bundled JSON Lines files of real-looking articles. */
export function articleLines(): string[] {
  return [RESOLUTION_ARTICLES, SAMPLE_ARTICLES].flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== ''),
  );
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Complete stdout lines (a line cut by a kill is left out). */
  readonly lines: string[];
  readonly stderr: string;
  /** Whether this run was killed by us before it ended on its own. */
  readonly killed: boolean;
}

export interface KillPlan {
  /** Kill once this many complete stdout lines have arrived (0: kill after `delayMs` from start). */
  readonly afterLines: number;
  /** Instead: kill `delayMs` after this file appears (a new store's file, created just before it migrates). */
  readonly afterFile?: string;
  /** Further delay before the kill, so that it lands inside extraction or a transaction. */
  readonly delayMs: number;
}

/** Runs `node dist/cli/main.js …args`, SIGKILLing it as the plan says (or never, without a plan). */
export function runCli(args: readonly string[], kill?: KillPlan, timeoutMs = 120_000): Promise<ChildRun> {
  requireBuild();
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.VIGIL_DB;
    delete env.VIGIL_DEBUG;
    const child: ChildProcess = spawn(process.execPath, [MAIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    let out = '';
    let err = '';
    let killed = false;
    let armed = false;
    const lines: string[] = [];
    const doKill = () => {
      if (child.exitCode === null && child.signalCode === null) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const arm = () => {
      if (armed || kill === undefined) return;
      armed = true;
      setTimeout(doKill, kill.delayMs);
    };
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`vigil ${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
      let at = out.indexOf('\n');
      while (at >= 0) {
        lines.push(out.slice(0, at));
        out = out.slice(at + 1);
        at = out.indexOf('\n');
      }
      if (kill !== undefined && kill.afterLines > 0 && lines.length >= kill.afterLines) arm();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      err += chunk;
    });
    if (kill?.afterFile !== undefined) {
      const file = kill.afterFile;
      const watch = setInterval(() => {
        if (existsSync(file) || child.exitCode !== null) {
          clearInterval(watch);
          arm();
        }
      }, 1);
      child.on('close', () => clearInterval(watch));
    } else if (kill !== undefined && kill.afterLines === 0) arm();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, lines, stderr: err, killed });
    });
  });
}

export interface IngestLine {
  readonly status: 'stored' | 'duplicate' | 'error';
  readonly origin: string;
  readonly document_id?: string;
  readonly reason?: string;
}

export function parseLines(lines: readonly string[]): IngestLine[] {
  return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as IngestLine);
}

export type Rows = Record<string, unknown>[];

/** What a store holds, in a form two stores can be compared by: documents, incidents with the
 * reports they were merged from, and row counts of everything hanging off them. */
export interface StoreSnapshot {
  readonly documents: string[];
  /** `incident id: report ids` sorted. */
  readonly incidents: string[];
  readonly counts: Record<string, number>;
}

export function snapshotOf(query: (sql: string) => Promise<Rows>): Promise<StoreSnapshot> {
  return (async () => {
    const documents = (await query('select id from documents order by id')).map((r) => String(r.id));
    const members = await query('select incident_id, report_id from incident_reports order by report_id');
    const byIncident = new Map<string, string[]>();
    for (const m of members) {
      const id = String(m.incident_id);
      byIncident.set(id, [...(byIncident.get(id) ?? []), String(m.report_id)]);
    }
    const ids = (await query('select id from incidents order by id')).map((r) => String(r.id));
    const incidents = ids.map((id) => `${id}: ${(byIncident.get(id) ?? []).sort().join(' ')}`);
    const counts: Record<string, number> = {};
    for (const table of [
      'documents',
      'incidents',
      'reports',
      'incident_reports',
      'incident_sources',
      'incident_groups',
      'evidence',
      'document_signatures',
    ]) {
      counts[table] = Number((await query(`select count(*) as n from ${table}`))[0]?.n);
    }
    return { documents, incidents, counts };
  })();
}

/**
 * Every way an incident could be half-written, as a list of problems (empty when the store is
 * whole): each incident has sources and reports, every link points at rows that exist, every
 * report belongs to exactly one incident, and no evidence, group or source row is an orphan.
 */
export async function consistencyProblems(query: (sql: string) => Promise<Rows>): Promise<string[]> {
  const checks: [string, string][] = [
    [
      'incident without a source',
      'select id from incidents i where not exists (select 1 from incident_sources s where s.incident_id = i.id)',
    ],
    [
      'incident without a report',
      'select id from incidents i where not exists (select 1 from incident_reports r where r.incident_id = i.id)',
    ],
    [
      'incident_reports row of a missing incident',
      'select report_id from incident_reports r where not exists (select 1 from incidents i where i.id = r.incident_id)',
    ],
    [
      'incident_reports row of a missing report',
      'select report_id from incident_reports ir where not exists (select 1 from reports r where r.id = ir.report_id)',
    ],
    [
      'report in no incident',
      'select id from reports r where not exists (select 1 from incident_reports ir where ir.report_id = r.id)',
    ],
    [
      'report of a missing document',
      'select id from reports r where not exists (select 1 from documents d where d.id = r.document_id)',
    ],
    [
      'orphan evidence',
      'select e.id from evidence e where not exists (select 1 from incidents i where i.id = e.incident_id)',
    ],
    [
      'evidence citing a missing document',
      'select e.id from evidence e where not exists (select 1 from documents d where d.id = e.document_id)',
    ],
    [
      'orphan incident_groups row',
      'select g.incident_id from incident_groups g where not exists (select 1 from incidents i where i.id = g.incident_id)',
    ],
    [
      'orphan incident_sources row',
      'select s.incident_id from incident_sources s where not exists (select 1 from incidents i where i.id = s.incident_id)',
    ],
    [
      'incident_sources row citing a missing document',
      'select s.document_id from incident_sources s where not exists (select 1 from documents d where d.id = s.document_id)',
    ],
    [
      'document without its MinHash signature',
      "select id from documents d where d.text <> '' and not exists (select 1 from document_signatures s where s.document_id = d.id)",
    ],
    [
      'signature of a missing document',
      'select document_id from document_signatures s where not exists (select 1 from documents d where d.id = s.document_id)',
    ],
    [
      'report of a document whose other reports are missing',
      'select document_id from reports group by document_id having count(*) <> max(ordinal) + 1',
    ],
  ];
  const problems: string[] = [];
  for (const [what, sql] of checks) {
    const rows = await query(sql);
    if (rows.length > 0)
      problems.push(`${what}: ${rows.length} (${JSON.stringify(Object.values(rows[0] ?? {}))})`);
  }
  return problems;
}

/** Runs queries against a SQLite file (opening it recovers its WAL, as the next writer would). */
export async function withSqlite<T>(
  path: string,
  work: (db: SqliteDatabase.Database) => Promise<T> | T,
): Promise<T> {
  const db = new SqliteDatabase(path);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

export function sqliteQuery(db: SqliteDatabase.Database): (sql: string) => Promise<Rows> {
  return async (sql) => db.prepare(sql).all() as Rows;
}
