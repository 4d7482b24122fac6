import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import {
  ATOM_LAST_MODIFIED,
  type FeedServer,
  RSS_ETAG,
  rssFeed,
  startFeedServer,
} from '../sources/feed-server.js';
import { MAIN, postgresDatabases, vigil as run, sqliteDatabases, type TestDatabases } from './helpers.js';

/*
 * Every URL is on the test server at 127.0.0.1.
 */

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const vigilBuilt = (args: readonly string[]) => run(args);

let server: FeedServer;
let dir: string;
beforeAll(async () => {
  server = await startFeedServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-watch-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function feedList(name: string, yaml: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, yaml);
  return path;
}

describe('vigil ingest <url>', () => {
  const databases = sqliteDatabases();
  afterAll(() => databases.cleanup());

  it('ingests a feed, one document per entry, and a page', { timeout: 120_000 }, async () => {
    const db = await databases.fresh();
    const run = await vigilBuilt([
      '--db',
      db,
      'ingest',
      `${server.base}/rss.xml`,
      `${server.base}/atom.xml`,
      '--allow-private',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`stored ${server.base}/articles/market-bomb.html (`);
    expect(run.stdout).toContain(`stored ${server.base}/articles/hotel-siege.html (`);
    expect(run.stdout).toContain('4 stored, 0 already known, 0 refused');
    // The same article as a page is the same document.
    const page = await vigilBuilt(['--db', db, 'ingest', `${server.base}/story.html`, '--allow-private']);
    expect(page.stdout).toContain(`already known ${server.base}/story.html`);
  });

  it('refuses loopback without --allow-private, and names the URL and the reason', async () => {
    const db = await databases.fresh();
    const run = await vigilBuilt(['--db', db, 'ingest', `${server.base}/rss.xml`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error ${server.base}/rss.xml: refused: 127.0.0.1 is a loopback address\n`);
    expect(run.stdout).toContain('0 stored, 0 already known, 1 refused');
  });

  it('reports timeouts, a bad --timeout and --no-fetch-articles', { timeout: 120_000 }, async () => {
    const db = await databases.fresh();
    const slow = await vigilBuilt([
      '--db',
      db,
      'ingest',
      `${server.base}/slow`,
      '--allow-private',
      '--timeout',
      '1s',
    ]);
    expect(slow.stderr).toContain(`error ${server.base}/slow: timed out after 1 s\n`);
    const bad = await vigilBuilt(['--db', db, 'ingest', `${server.base}/slow`, '--timeout', 'soon']);
    expect(bad).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("vigil: --timeout: 'soon' is not a duration"),
    });
    const before = server.hits.get('/articles/bus-attack.html') ?? 0;
    const summaries = await vigilBuilt([
      '--db',
      db,
      'ingest',
      `${server.base}/rss.xml`,
      '--allow-private',
      '--no-fetch-articles',
      '--json',
    ]);
    expect(summaries.code).toBe(0);
    expect(
      summaries.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['stored', 'stored']);
    expect(server.hits.get('/articles/bus-attack.html') ?? 0).toBe(before);
  });
});

describe.each<[string, () => TestDatabases]>([
  ['SQLite', sqliteDatabases],
  ['PostgreSQL', postgresDatabases],
])('vigil watch --once on %s', (_kind, makeDatabases) => {
  const databases = makeDatabases();
  let db: string;
  let list: string;
  let first: Run;
  let second: Run;

  beforeAll(async () => {
    db = await databases.fresh();
    // Each database gets its own paths, so the server's answers do not leak between the two runs.
    const tag = _kind.toLowerCase();
    server.route(`/${tag}/rss.xml`, (req, res, s) => {
      if (req.headers['if-none-match'] === RSS_ETAG) {
        res.writeHead(304, { etag: RSS_ETAG });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: RSS_ETAG });
      res.end(rssFeed(s.base));
    });
    list = await feedList(
      `${tag}.yaml`,
      `interval: 10m
feeds:
  - url: ${server.base}/${tag}/rss.xml
    outlet: Courier Wire
  - ${server.base}/broken.xml
  - url: ${server.base}/atom.xml
    interval: 5m
`,
    );
    first = await vigilBuilt(['--db', db, 'watch', list, '--once', '--allow-private']);
    second = await vigilBuilt(['--db', db, 'watch', list, '--once', '--allow-private']);
  }, 180_000);
  afterAll(() => databases.cleanup());

  it('first run: stores every entry of the working feeds and reports the failing one', async () => {
    expect(first.code).toBe(1);
    expect(first.stdout).toContain(
      `feed ${server.base}/${_kind.toLowerCase()}/rss.xml: 2 new entries, 0 already read`,
    );
    expect(first.stdout).toContain(`stored ${server.base}/articles/bus-attack.html (`);
    expect(first.stdout).toContain(`stored ${server.base}/articles/hotel-siege.html (`);
    expect(first.stderr).toContain(
      `error ${server.base}/broken.xml: HTTP 500 Internal Server Error (failed 1 time in a row; next attempt in 1 min)`,
    );
    expect(first.stdout).toContain(
      '3 feeds polled (0 not modified, 1 failed); 4 stored, 0 already known, 0 refused',
    );
    const store = await openStore(db);
    try {
      expect((await store.stats()).documents).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('second run: conditional GETs answered 304, nothing stored, the failure counted again', async () => {
    expect(second.stdout).toContain(`feed ${server.base}/${_kind.toLowerCase()}/rss.xml: not modified`);
    expect(second.stdout).toContain(`feed ${server.base}/atom.xml: not modified`);
    expect(second.stdout).toContain(
      '3 feeds polled (2 not modified, 1 failed); 0 stored, 0 already known, 0 refused',
    );
    expect(second.stderr).toContain('(failed 2 times in a row; next attempt in 2 min)');
    expect(server.conditional.get('/atom.xml')).toEqual({ ifModifiedSince: ATOM_LAST_MODIFIED });
  });

  it('keeps each feed state in the store: validators, successes, failures, next attempt', async () => {
    const store = await openStore(db);
    try {
      const rss = await store.getFeedState(`${server.base}/${_kind.toLowerCase()}/rss.xml`);
      expect(rss).toMatchObject({ etag: RSS_ETAG, failures: 0, lastError: null });
      expect(Date.parse(rss?.nextAttempt ?? '') - Date.parse(rss?.lastAttempt ?? '')).toBe(10 * 60 * 1000);
      const atom = await store.getFeedState(`${server.base}/atom.xml`);
      expect(atom).toMatchObject({ lastModified: ATOM_LAST_MODIFIED, failures: 0 });
      expect(Date.parse(atom?.nextAttempt ?? '') - Date.parse(atom?.lastAttempt ?? '')).toBe(5 * 60 * 1000);
      const broken = await store.getFeedState(`${server.base}/broken.xml`);
      expect(broken).toMatchObject({
        failures: 2,
        lastError: 'HTTP 500 Internal Server Error',
        lastSuccess: null,
      });
      const docs = await store.knownFeedEntries(`${server.base}/${_kind.toLowerCase()}/rss.xml`, [
        'courier-1',
        `${server.base}/articles/bus-attack.html`,
        'never-seen',
      ]);
      expect([...docs].sort()).toEqual(['courier-1', `${server.base}/articles/bus-attack.html`]);
    } finally {
      await store.close();
    }
  });

  it('a changed feed: only the entries not read before are fetched', { timeout: 60_000 }, async () => {
    const tag = _kind.toLowerCase();
    server.route(`/${tag}/rss.xml`, (_req, res, s) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"rss-v2"' });
      res.end(
        rssFeed(s.base).replace(
          '<item>',
          `<item><title>Siege at hotel ends</title><link>${s.base}/articles/hotel-siege.html</link><guid>siege-${tag}</guid></item><item>`,
        ),
      );
    });
    const market = server.hits.get('/articles/market-bomb.html') ?? 0;
    const run = await vigilBuilt(['--db', db, 'watch', list, '--once', '--allow-private', '--json']);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toContainEqual({
      status: 'feed',
      url: `${server.base}/${tag}/rss.xml`,
      result: 'fetched',
      new: 1,
      known: 2,
    });
    // The new entry is the hotel siege, already stored from the Atom feed: known by its text.
    expect(lines).toContainEqual(
      expect.objectContaining({ status: 'duplicate', origin: `${server.base}/articles/hotel-siege.html` }),
    );
    expect(server.hits.get('/articles/market-bomb.html') ?? 0).toBe(market);
    expect(run.stderr).toContain(`"origin":"${server.base}/broken.xml"`);
  });
});

describe('vigil watch', () => {
  const databases = sqliteDatabases();
  afterAll(() => databases.cleanup());

  it('refuses a bad list of feeds with the problem', { timeout: 60_000 }, async () => {
    const db = await databases.fresh();
    const bad = await feedList('bad.yaml', 'feeds:\n  - url: ftp://example.org/feed\n');
    expect(await vigilBuilt(['--db', db, 'watch', bad, '--once'])).toMatchObject({
      code: 1,
      stderr: `vigil: ${bad}: feeds[0].url: must be an http:// or https:// URL\n`,
    });
    const interval = await feedList('interval.yaml', `- url: ${server.base}/rss.xml\n  interval: 1s\n`);
    expect((await vigilBuilt(['--db', db, 'watch', interval, '--once'])).stderr).toContain(
      "[0].interval: '1s' is not an interval of at least 10 s",
    );
  });

  it('refuses loopback feeds without --allow-private, as ingest does', async () => {
    const db = await databases.fresh();
    const list = await feedList('loopback.yaml', `- ${server.base}/rss.xml\n`);
    const run = await vigilBuilt(['--db', db, 'watch', list, '--once']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`error ${server.base}/rss.xml: refused: 127.0.0.1 is a loopback address`);
  });

  it('polls on its schedule until SIGTERM, then stops cleanly', { timeout: 60_000 }, async () => {
    const db = await databases.fresh();
    const list = await feedList('schedule.yaml', `- url: ${server.base}/atom.xml\n  interval: 10s\n`);
    const child: ChildProcess = spawn(
      process.execPath,
      [MAIN, '--db', db, 'watch', list, '--allow-private'],
      { cwd: tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => {
      stdout += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('feeds polled') && !stdout.includes('feed polled') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stdout).toContain('1 feed polled (0 not modified, 0 failed); 2 stored');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('vigil: SIGTERM: stopping');
    const store = await openStore(db);
    try {
      expect(await store.getFeedState(`${server.base}/atom.xml`)).toMatchObject({ failures: 0 });
    } finally {
      await store.close();
    }
  });

  it('watches under a heap cap, and stops when its parent is killed outright', {
    timeout: 60_000,
  }, async () => {
    const db = await databases.fresh();
    const list = await feedList('capped.yaml', `- url: ${server.base}/atom.xml\n  interval: 10s\n`);
    const parent: ChildProcess = spawn(
      process.execPath,
      [MAIN, '--db', db, 'watch', list, '--allow-private', '--max-heap', '128'],
      { cwd: tmpdir(), stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    parent.stderr?.on('data', (chunk) => {
      stderr += String(chunk);
    });
    const deadline = Date.now() + 30_000;
    let started: RegExpExecArray | null = null;
    while (started === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      started = /process (\d+): 1 feed \(heap limit (\d+) MB\)/.exec(stderr);
    }
    expect(started, stderr).not.toBeNull();
    const [, pid, limit] = started as RegExpExecArray;
    // The child does the watching, with V8's limit near the cap (V8 adds its young generation).
    expect(Number(pid)).not.toBe(parent.pid);
    expect(Number(limit)).toBeGreaterThanOrEqual(128);
    expect(Number(limit)).toBeLessThan(200);
    parent.kill('SIGKILL');
    const alive = () => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    };
    const gone = Date.now() + 20_000;
    while (alive() && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(alive()).toBe(false);
  });
});
