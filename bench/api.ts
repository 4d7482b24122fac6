/**
 * Latency of the REST API's incident queries over the synthetic GTD-like store of bench/synthetic.ts
 * (250k incidents / 1M documents with `--full`): the server runs in its own process on 127.0.0.1
 * (bench/load-server.ts, `vigil serve`'s app with rate limits lifted) and one client asks each kind
 * of query in turn, one at a time, over varied parameters. Call `benchApi(storePath)` from
 * `npm run bench`, or run it alone:
 *
 *   npx tsx bench/api.ts [--full | --incidents N --documents N] [--per-query 40]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../src/store/index.js';
import { buildStore, DEFAULT_SCALE, FULL_SCALE, type Scale } from './synthetic.js';

export interface LatencyStats {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
  /** One client, one request at a time. */
  readonly 'req/s': number;
  readonly n: number;
}

export interface ApiBenchResult {
  readonly store: string;
  readonly incidents: number;
  readonly queries: Readonly<Record<string, LatencyStats>>;
}

export interface ApiBenchOptions {
  /** Requests per kind of query (default 40). */
  readonly perQuery?: number;
  readonly log?: (line: string) => void;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export function stats(times: readonly number[], wallMs: number): LatencyStats {
  const sorted = [...times].sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1) ?? 0),
    'req/s': Number((times.length / (wallMs / 1000)).toFixed(1)),
    n: times.length,
  };
}

/** Each kind of query asked `perQuery` times in turn (its i-th request at `url(i)`), one at a time. */
export async function timeQueries(
  queries: Readonly<Record<string, (i: number) => string>>,
  get: (path: string) => Promise<unknown>,
  perQuery: number,
  log: (line: string) => void,
): Promise<Record<string, LatencyStats>> {
  const results: Record<string, LatencyStats> = {};
  for (const [name, url] of Object.entries(queries)) {
    const times: number[] = [];
    const wall = performance.now();
    for (let i = 0; i < perQuery; i++) {
      const t = performance.now();
      await get(url(i));
      times.push(performance.now() - t);
    }
    const result = stats(times, performance.now() - wall);
    results[name] = result;
    log(`${name}: p50 ${result.p50} ms, p95 ${result.p95} ms`);
  }
  return results;
}

/** Starts bench/load-server.ts on a store in a child process; resolves once it listens. */
export async function startServer(path: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('load-server.ts', import.meta.url)), path],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += String(chunk);
      const match = /listening (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** A viewer key of the organisation `bench` (made if needed), and sample ids, countries and groups. */
export async function benchSamples(path: string) {
  const store = await openStore(path);
  try {
    if (!(await store.access.listOrgs()).some((o) => o.name === 'bench')) await store.access.addOrg('bench');
    const { key, id: keyId } = await store.access.createKey({ org: 'bench', role: 'viewer' });
    // What seals the cursors the server hands out (a bench may make its own, with the store in hand).
    const cursorSecret = await store.access.secret('cursor');
    const incidents = await store.listIncidents({ limit: 2000 });
    const pick = <T>(items: readonly T[], n: number) =>
      Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
    const stats = await store.stats();
    return {
      key,
      keyId,
      cursorSecret,
      incidents: stats.incidents,
      incidentIds: pick(incidents, 100).map((i) => i.id),
      documentIds: pick(incidents, 100).map((i) => i.sources[0] as string),
      countries: [...new Set(incidents.map((i) => i.country).filter((c): c is string => c !== null))],
      groups: [...new Set(incidents.flatMap((i) => i.perpetratorGroups.map((g) => g.groupId)))].filter(
        (g) => !g.startsWith('discovered:'),
      ),
    };
  } finally {
    await store.close();
  }
}

export async function benchApi(storePath: string, options: ApiBenchOptions = {}): Promise<ApiBenchResult> {
  const perQuery = options.perQuery ?? 40;
  const log = options.log ?? (() => {});
  const s = await benchSamples(storePath);
  const { child, base } = await startServer(storePath);
  const headers = { authorization: `Bearer ${s.key}` };
  try {
    const get = async (path: string) => {
      const response = await fetch(`${base}${path}`, { headers });
      const body = (await response.json()) as { next_cursor?: string | null };
      if (response.status !== 200)
        throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(body)}`);
      return body;
    };
    for (let i = 0; i < 10; i++) await get('/api/v1/incidents?limit=50');
    const cycle = <T>(items: readonly T[], i: number) => items[i % items.length] as T;
    const words = ['market', 'bus', 'checkpoint', 'police station', 'aid workers', 'substation'];
    const year = (i: number) => 1975 + ((i * 7) % 49);
    const queries: Record<string, (i: number) => string> = {
      list: () => '/api/v1/incidents?limit=50',
      'by country': (i) => `/api/v1/incidents?country=${cycle(s.countries, i)}&limit=50`,
      'by group': (i) => `/api/v1/incidents?group=${cycle(s.groups, i)}&limit=50`,
      'date range': (i) => `/api/v1/incidents?since=${year(i)}-01-01&until=${year(i)}-12-31&limit=50`,
      'q= search': (i) => `/api/v1/incidents?q=${encodeURIComponent(cycle(words, i))}&limit=50`,
      'q= and country': (i) =>
        `/api/v1/incidents?q=${encodeURIComponent(cycle(words, i))}&country=${cycle(s.countries, i)}&limit=50`,
      'sort killed desc': () => '/api/v1/incidents?sort=killed&order=desc&limit=50',
      'sort wounded asc': () => '/api/v1/incidents?sort=wounded&order=asc&limit=50',
      'sort country asc': () => '/api/v1/incidents?sort=country&order=asc&limit=50',
      'sort group asc': () => '/api/v1/incidents?sort=group&order=asc&limit=50',
      'sort date asc': () => '/api/v1/incidents?sort=date&order=asc&limit=50',
      'country sorted by killed': (i) =>
        `/api/v1/incidents?country=${cycle(s.countries, i)}&sort=killed&order=desc&limit=50`,
      'one incident': (i) => `/api/v1/incidents/${cycle(s.incidentIds, i)}`,
    };
    const results: Record<string, LatencyStats> = await timeQueries(queries, get, perQuery, log);
    // Following next_cursor: the 2nd to 6th pages of a list and of a sorted list.
    for (const [name, first] of [
      ['next pages (default order)', '/api/v1/incidents?limit=50'],
      ['next pages (sort killed)', '/api/v1/incidents?sort=killed&order=desc&limit=50'],
    ] as const) {
      const times: number[] = [];
      const wall = performance.now();
      for (let run = 0; run < Math.max(1, Math.floor(perQuery / 5)); run++) {
        let cursor = (await get(first)).next_cursor;
        for (let page = 0; page < 5 && cursor; page++) {
          const t = performance.now();
          cursor = (await get(`${first}&cursor=${encodeURIComponent(cursor)}`)).next_cursor;
          times.push(performance.now() - t);
        }
      }
      results[name] = stats(times, performance.now() - wall);
      log(`${name}: p50 ${results[name].p50} ms, p95 ${results[name].p95} ms`);
    }
    return { store: storePath, incidents: s.incidents, queries: results };
  } finally {
    child.kill('SIGTERM');
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const scale: Scale = args.includes('--full')
    ? FULL_SCALE
    : {
        incidents: option('--incidents', DEFAULT_SCALE.incidents),
        documents: option('--documents', option('--incidents', DEFAULT_SCALE.incidents) * 4),
      };
  const at = args.indexOf('--store');
  const path = at >= 0 ? (args[at + 1] as string) : await buildStore(scale);
  const result = await benchApi(path, { perQuery: option('--per-query', 40), log: console.error });
  console.log(JSON.stringify(result, null, 2));
}
