/**
 * `npm run bench:load`: the REST API under load, over a store of realistic size.
 *
 * 1. Builds (once, cached under .vigil/bench/) a synthetic GTD-like SQLite store: by default 25k
 *    incidents and 100k documents; `--full` for GTD scale (250k incidents, 1M documents), or
 *    `--incidents N --documents N`.
 * 2. Starts the API (`vigil serve`'s app, rate limits lifted) in a child process on 127.0.0.1.
 * 3. Measures p50/p95 of each main query, one request at a time, over varied parameters.
 * 4. Runs autocannon: `--connections` (200) clients for `--duration` (60) seconds cycling through
 *    the main endpoints, and reports requests/s, p50/p95/p99 and every error, timeout and non-2xx
 *    (the goal is zero).
 *
 * Results are printed and written to .vigil/bench/load-results.json.
 *
 *   npx tsx bench/load.ts [--full] [--duration 60] [--connections 200] [--no-autocannon]
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { benchSamples, startServer } from './api.js';
import { peakRssMb } from './ingest-memory.js';
import { buildStore, CACHE, DEFAULT_SCALE, FULL_SCALE, type Scale } from './synthetic.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  '2xx': number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const scale: Scale = flag('--full')
  ? FULL_SCALE
  : {
      incidents: option('--incidents', DEFAULT_SCALE.incidents),
      documents: option('--documents', DEFAULT_SCALE.documents),
    };
const duration = option('--duration', 60);
const connections = option('--connections', 200);

function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
const round = (ms: number) => Math.round(ms * 10) / 10;

async function main() {
  const built = Date.now();
  const path = await buildStore(scale);
  const buildSeconds = Math.round((Date.now() - built) / 1000);
  const s = await benchSamples(path);
  const { child, base } = await startServer(path);
  const headers = { authorization: `Bearer ${s.key}` };
  try {
    // Warm up: the first requests load the gazetteer-free service, compile schemas, fill caches.
    for (let i = 0; i < 20; i++) await fetch(`${base}/api/v1/incidents?limit=50`, { headers });

    const cycle = <T>(items: readonly T[], i: number) => items[i % items.length] as T;
    const queries: Record<string, (i: number) => string> = {
      'GET /incidents?limit=50': () => '/api/v1/incidents?limit=50',
      'GET /incidents?country=': (i) => `/api/v1/incidents?country=${cycle(s.countries, i)}&limit=50`,
      'GET /incidents?group=': (i) => `/api/v1/incidents?group=${cycle(s.groups, i)}&limit=50`,
      'GET /incidents?since&until': (i) =>
        `/api/v1/incidents?since=${1975 + (i % 45)}-01-01&until=${1975 + (i % 45)}-12-31&limit=50`,
      'GET /incidents?q=': (i) =>
        `/api/v1/incidents?q=${cycle(['market', 'bus', 'checkpoint', 'police station'], i)}&limit=50`,
      'GET /incidents/:id': (i) => `/api/v1/incidents/${cycle(s.incidentIds, i)}`,
      'GET /documents?limit=50': () => '/api/v1/documents?limit=50',
      'GET /documents/:id': (i) => `/api/v1/documents/${cycle(s.documentIds, i)}`,
      'GET /stix?limit=20': (i) => `/api/v1/stix?limit=20&country=${cycle(s.countries, i)}`,
    };
    const queryLatency: Record<string, { p50_ms: number; p95_ms: number; max_ms: number; n: number }> = {};
    const PER_QUERY = 60;
    for (const [name, url] of Object.entries(queries)) {
      const times: number[] = [];
      for (let i = 0; i < PER_QUERY; i++) {
        const t = performance.now();
        const response = await fetch(`${base}${url(i)}`, { headers });
        await response.arrayBuffer();
        times.push(performance.now() - t);
        if (response.status !== 200) throw new Error(`${url(i)}: HTTP ${response.status}`);
      }
      times.sort((a, b) => a - b);
      queryLatency[name] = {
        p50_ms: round(percentile(times, 50)),
        p95_ms: round(percentile(times, 95)),
        max_ms: round(times.at(-1) ?? 0),
        n: PER_QUERY,
      };
      console.error(`${name}: p50 ${queryLatency[name].p50_ms} ms, p95 ${queryLatency[name].p95_ms} ms`);
    }

    let load: Record<string, unknown> | string = 'skipped (--no-autocannon)';
    if (!flag('--no-autocannon')) {
      // The endpoints a dashboard and a feed consumer hit most; each client cycles through them.
      const requests = [
        '/api/v1/incidents?limit=50',
        `/api/v1/incidents?country=${s.countries[0]}&limit=50`,
        `/api/v1/incidents/${s.incidentIds[3]}`,
        `/api/v1/incidents?group=${s.groups[0]}&limit=20`,
        '/api/v1/documents?limit=50',
        `/api/v1/documents/${s.documentIds[5]}`,
        `/api/v1/incidents?since=2010-01-01&until=2015-12-31&limit=50`,
        '/healthz',
      ].map((path) => ({ method: 'GET', path }));
      const latencies: number[] = [];
      const result = await new Promise<AutocannonResult>((resolve, reject) => {
        const instance = autocannon(
          { url: base, connections, duration, headers, requests, timeout: 30 },
          (error, r) => (error ? reject(error) : resolve(r)),
        );
        instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
      });
      latencies.sort((a, b) => a - b);
      load = {
        connections,
        duration_s: duration,
        requests_total: result.requests.total,
        requests_per_s: Math.round(result.requests.total / result.duration),
        p50_ms: round(percentile(latencies, 50)),
        p95_ms: round(percentile(latencies, 95)),
        p99_ms: round(percentile(latencies, 99)),
        max_ms: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non_2xx: result.non2xx,
      };
    }
    const results = {
      when: new Date().toISOString(),
      machine: { node: process.version, cpus: cpus().length },
      store: { ...scale, path, build_s: buildSeconds },
      query_latency: queryLatency,
      load,
      // Everything above included: the queries one at a time, then the clients.
      server_peak_rss_mb: peakRssMb(child.pid as number),
    };
    writeFileSync(new URL('load-results.json', CACHE), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
    if (
      typeof load === 'object' &&
      (Number(load.errors) > 0 || Number(load.timeouts) > 0 || Number(load.non_2xx) > 0)
    )
      process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
}

await main();
