/**
 * The dashboard's overview at GTD scale: `vigil serve` (the built CLI in dist/, as shipped) over the
 * cached synthetic store, and Debian's Chromium through playwright-core signing in with the link
 * `npm start` prints. Reports the overview API's time (the first call after start, then the median
 * of five) and the page's first render: from navigation until the counts, the latest incidents and
 * the threat levels are on screen (target ≤ 1 s at 250k incidents).
 *
 *   npx tsx bench/overview.ts [--full | --incidents N --documents N]   (needs `npm run build`)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { openStore } from '../src/store/index.js';
import { buildStore, DEFAULT_SCALE, FULL_SCALE } from './synthetic.js';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const RUNS = 5;

export interface OverviewBench {
  readonly incidents: number;
  readonly api_first_ms: number;
  readonly api_median_ms: number;
  readonly render_first_ms: number | string;
  readonly render_median_ms: number | string;
}

async function serve(db: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [MAIN, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += String(chunk);
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`vigil serve exited ${code}: ${err}`)));
  });
  return { child, base };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return Math.round(performance.now() - t);
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** The overview of the store at `db` for an analyst of a new organisation (who sees its CLEAR data). */
export async function benchOverview(db: string): Promise<OverviewBench> {
  if (!existsSync(MAIN)) throw new Error('dist/cli/main.js is missing: run `npm run build` first');
  const store = await openStore(db);
  let key: string;
  let incidents: number;
  try {
    if (!(await store.access.listOrgs()).some((o) => o.name === 'bench')) await store.access.addOrg('bench');
    key = (await store.access.createKey({ org: 'bench', role: 'analyst' })).key;
    incidents = (await store.stats()).incidents;
  } finally {
    await store.close();
  }
  // As after ingest: the stored alerts and levels current (the synthetic store is written row by row,
  // bypassing ingest, so the first update analyses every incident). Setup, not measured.
  const update = spawnSync(process.execPath, [MAIN, '--db', db, 'analysis', 'update'], { encoding: 'utf8' });
  if (update.status !== 0) throw new Error(`vigil analysis update: ${update.stderr}`);
  const headers = { authorization: `Bearer ${key}` };
  const overview = (base: string) => async () => {
    const reply = await fetch(`${base}/api/v1/overview`, { headers });
    if (reply.status !== 200) throw new Error(`overview: HTTP ${reply.status} ${await reply.text()}`);
    await reply.json();
  };

  // The API alone, on a freshly started server: the first call, then warm ones.
  let server = await serve(db);
  const apiFirst = await timed(overview(server.base));
  const apiWarm: number[] = [];
  for (let i = 0; i < RUNS; i++) apiWarm.push(await timed(overview(server.base)));
  await stop(server.child);

  // The page in a browser, again on a fresh server: the first render pays whatever the server caches.
  if (!existsSync(CHROMIUM))
    return {
      incidents,
      api_first_ms: apiFirst,
      api_median_ms: median(apiWarm),
      render_first_ms: 'no chromium',
      render_median_ms: 'no chromium',
    };
  server = await serve(db);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const render = async () => {
      const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
      const page = await context.newPage();
      const ms = await timed(async () => {
        await page.goto(`${server.base}/#key=${key}`);
        await page.getByTestId('count-incidents').waitFor();
        await page
          .getByText(/^Loading/)
          .first()
          .waitFor({ state: 'detached' });
      });
      await context.close();
      return ms;
    };
    const renderFirst = await render();
    const renderWarm: number[] = [];
    for (let i = 0; i < RUNS; i++) renderWarm.push(await render());
    return {
      incidents,
      api_first_ms: apiFirst,
      api_median_ms: median(apiWarm),
      render_first_ms: renderFirst,
      render_median_ms: median(renderWarm),
    };
  } finally {
    await browser.close();
    await stop(server.child);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(name);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const scale = args.includes('--full')
    ? FULL_SCALE
    : {
        incidents: option('--incidents', DEFAULT_SCALE.incidents),
        documents: option('--documents', DEFAULT_SCALE.documents),
      };
  console.log(JSON.stringify(await benchOverview(await buildStore(scale)), null, 2));
}
