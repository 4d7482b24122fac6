/**
 * Latency of a 1,000-object TAXII 2.1 page of the `all` collection.
 *
 * - `benchTaxii(storePath, options)`: over an existing store, such as the synthetic GTD-scale store
 *   of bench/synthetic.ts (250k incidents, 1M documents with `--full`). The server runs in its own
 *   process on 127.0.0.1 (bench/load-server.ts); a viewer key walks the collection from its start
 *   following `next`, then reads pages that start deep in the collection (a `next` made for an
 *   incident a fraction of the way in), then the same pages again (warm).
 * - `benchTaxiiPage(options)`: fills a fresh SQLite store with N copies of one extracted article
 *   first (small N only).
 *
 *   npx tsx bench/taxii.ts [--full | --incidents N] [--pages P]      # synthetic store (cached)
 *   npx tsx bench/taxii.ts --fill --incidents N                       # benchTaxiiPage
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CursorSeal, cursorBinding } from '../src/access/cursor.js';
import { loadGroups } from '../src/knowledge/groups.js';
import { incidentsOf } from '../src/pipeline/ingest.js';
import type { Incident } from '../src/resolve/index.js';
import { buildServer } from '../src/server/app.js';
import { collectionId } from '../src/server/taxii-service.js';
import { type Document, documentId } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';
import { benchSamples, type LatencyStats, startServer, stats } from './api.js';
import { buildStore, DEFAULT_SCALE, FULL_SCALE, type Scale } from './synthetic.js';

export interface TaxiiBenchResult {
  readonly incidents: number;
  readonly pageSize: number;
  readonly pages: number;
  readonly objectsPerPage: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly requestsPerSecond: number;
  readonly fillSeconds: number;
}

const TEXT =
  'Gunmen opened fire on a police checkpoint in Kandahar, Afghanistan on Monday, killing four officers, officials said. The Taliban claimed responsibility for the attack.';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchTaxiiPage(
  options: { incidents?: number; pages?: number; pageSize?: number } = {},
): Promise<TaxiiBenchResult> {
  const n = options.incidents ?? 10_000;
  const pageCount = options.pages ?? 10;
  const pageSize = options.pageSize ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-taxii-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    const groups = loadGroups();
    await store.syncGroups(groups);
    const byId = new Map(groups.map((g) => [g.id, g]));
    const started = process.hrtime.bigint();
    const BATCH = 1000;
    for (let start = 0; start < n; start += BATCH) {
      const docs: Document[] = [];
      const incidents: Incident[] = [];
      for (let k = start; k < Math.min(n, start + BATCH); k++) {
        const text = `${TEXT} Report ${k}.`;
        const day = new Date(Date.UTC(2015, 0, 1) + (k % 3650) * 86_400_000).toISOString().slice(0, 10);
        const doc: Document = {
          id: documentId(text),
          text,
          title: `Report ${k}`,
          url: null,
          outlet: `Wire ${k % 50}`,
          published: day,
          language: 'en',
          origin: `bench:${k}`,
        };
        const [incident] = incidentsOf(doc, byId);
        if (incident === undefined) throw new Error('the bench article gave no incident');
        docs.push(doc);
        incidents.push({
          ...incident,
          id: documentId(`incident ${k}`).slice(0, 16),
          date: { date: day, precision: 'day' },
        });
      }
      await store.saveImported(docs, incidents);
    }
    const fillSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await store.access.addOrg('bench');
    const { key } = await store.access.createKey({ org: 'bench', role: 'viewer' });
    const app = await buildServer({
      store,
      closeStore: false,
      log: { level: 'silent' },
      rateLimit: { max: 1_000_000, windowMs: 60_000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const base = `http://127.0.0.1:${address.port}/taxii2/vigil/collections/all/objects/?limit=${pageSize}`;
    const headers = { authorization: `Bearer ${key}`, accept: 'application/taxii+json;version=2.1' };
    const times: number[] = [];
    let objects = 0;
    const urls: string[] = [];
    try {
      const fetchPage = async (url: string) => {
        const t = process.hrtime.bigint();
        const response = await fetch(url, { headers });
        const body = (await response.json()) as { objects: unknown[]; next?: string; more: boolean };
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        return body;
      };
      let url = base;
      for (let page = 0; page < pageCount; page++) {
        urls.push(url);
        const body = await fetchPage(url);
        objects += body.objects.length;
        if (!body.more || body.next === undefined) break;
        url = `${base}&next=${encodeURIComponent(body.next)}`;
      }
      // Again, warm: the figure a client polling the collection sees.
      const wall = process.hrtime.bigint();
      for (const u of urls) await fetchPage(u);
      const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
      const sorted = [...times].sort((a, b) => a - b);
      return {
        incidents: n,
        pageSize,
        pages: urls.length,
        objectsPerPage: Math.round(objects / urls.length),
        p50Ms: Math.round(percentile(sorted, 50)),
        p95Ms: Math.round(percentile(sorted, 95)),
        maxMs: Math.round(sorted.at(-1) ?? 0),
        requestsPerSecond: Number((urls.length / wallSeconds).toFixed(1)),
        fillSeconds: Number(fillSeconds.toFixed(1)),
      };
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface TaxiiOptions {
  /** Pages walked from the start of the collection following `next` (default 10). */
  readonly pages?: number;
  /** Pages read starting deep in the collection (default 10). */
  readonly deepPages?: number;
  readonly pageSize?: number;
  readonly log?: (line: string) => void;
}

export interface TaxiiResult {
  readonly store: string;
  readonly incidents: number;
  readonly pageSize: number;
  readonly objectsPerPage: number;
  /** Cold and warm reads of every page, and the two kinds apart. */
  readonly all: LatencyStats;
  readonly fromStart: LatencyStats;
  readonly deep: LatencyStats;
  /** First reads (nothing of the pages cached in the server) and second reads (the server's cache
   * of incidents' STIX exports holds them), pages of both kinds. */
  readonly cold: LatencyStats;
  readonly warm: LatencyStats;
  /** Every read, until the client has parsed the page (the figure of sessions before 4). */
  readonly withParse: LatencyStats;
}

/** The `next` of the `all` collection's page that starts at an incident, sealed for a key as the
 * server seals it (src/server/taxii-service.ts): the bench holds the store, and so its secret. */
function nextAt(seal: CursorSeal, keyId: string, createdAt: string, id: string): string {
  return seal.seal([createdAt, id, 0], cursorBinding(keyId, `taxii:${collectionId('all')}`, {}));
}

export async function benchTaxii(storePath: string, options: TaxiiOptions = {}): Promise<TaxiiResult> {
  const pageCount = options.pages ?? 10;
  const deepCount = options.deepPages ?? 10;
  const pageSize = options.pageSize ?? 1000;
  const log = options.log ?? (() => {});
  const s = await benchSamples(storePath);
  const { child, base } = await startServer(storePath);
  const headers = { authorization: `Bearer ${s.key}`, accept: 'application/taxii+json;version=2.1' };
  const url = `${base}/taxii2/vigil/collections/all/objects/?limit=${pageSize}`;
  try {
    const fetchPage = async (next: string | null, times: number[]) => {
      const t = performance.now();
      const response = await fetch(next === null ? url : `${url}&next=${encodeURIComponent(next)}`, {
        headers,
      });
      // To the last byte: the server's latency; the client's JSON.parse of the page (about 1.3 MB)
      // is counted apart (`withParse`), as earlier sessions' figures included it.
      const text = await response.text();
      times.push(performance.now() - t);
      const body = JSON.parse(text) as { objects?: unknown[]; next?: string; more?: boolean };
      withParse.push(performance.now() - t);
      if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
      return body;
    };
    const fromStart: number[] = [];
    const deep: number[] = [];
    const withParse: number[] = [];
    const nexts: (string | null)[] = [null];
    let objects = 0;
    let pages = 0;
    const wall = performance.now();
    for (let page = 0; page < pageCount; page++) {
      const body = await fetchPage(nexts[page] ?? null, fromStart);
      objects += body.objects?.length ?? 0;
      pages += 1;
      if (!body.more || body.next === undefined) break;
      nexts.push(body.next);
    }
    log(`taxii: ${pages} pages from the start`);
    const deepNexts = await deepStarts(storePath, deepCount, new CursorSeal(s.cursorSecret), s.keyId);
    for (const next of deepNexts) {
      const body = await fetchPage(next, deep);
      objects += body.objects?.length ?? 0;
      pages += 1;
    }
    log(`taxii: ${deepNexts.length} pages deep in the collection`);
    const coldWall = performance.now() - wall;
    const cold = [...fromStart, ...deep];
    // Again, warm: what a client polling the collection sees.
    const warm: number[] = [];
    for (const next of nexts.slice(0, pageCount)) await fetchPage(next, warm);
    for (const next of deepNexts) await fetchPage(next, warm);
    fromStart.push(...warm.slice(0, Math.min(pageCount, nexts.length)));
    deep.push(...warm.slice(Math.min(pageCount, nexts.length)));
    const wallMs = performance.now() - wall;
    return {
      store: storePath,
      incidents: s.incidents,
      pageSize,
      objectsPerPage: Math.round(objects / Math.max(1, pages)),
      all: stats([...fromStart, ...deep], wallMs),
      fromStart: stats(fromStart, wallMs * (fromStart.length / (fromStart.length + deep.length))),
      deep: stats(deep, wallMs * (deep.length / (fromStart.length + deep.length))),
      cold: stats(cold, coldWall),
      warm: stats(warm, wallMs - coldWall),
      withParse: stats(withParse, wallMs),
    };
  } finally {
    child.kill('SIGTERM');
  }
}

/** `next` values that start pages at incidents spread evenly over the collection. */
async function deepStarts(storePath: string, n: number, seal: CursorSeal, keyId: string): Promise<string[]> {
  const { default: SqliteDatabase } = await import('better-sqlite3');
  const db = new SqliteDatabase(storePath, { readonly: true });
  try {
    const total = (db.prepare('select count(*) as n from incidents').get() as { n: number }).n;
    const at = db.prepare('select created_at, id from incidents order by created_at, id limit 1 offset ?');
    const out: string[] = [];
    for (let k = 1; k <= n; k++) {
      const row = at.get(Math.floor((k / (n + 1)) * total)) as { created_at: string; id: string } | undefined;
      if (row !== undefined) out.push(nextAt(seal, keyId, row.created_at, row.id));
    }
    return out;
  } finally {
    db.close();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : Number(args[at + 1]);
  };
  if (args.includes('--fill')) {
    const result = await benchTaxiiPage({ incidents: arg('--incidents'), pages: arg('--pages') });
    console.log(JSON.stringify(result, null, 2));
  } else {
    const incidents = arg('--incidents') ?? DEFAULT_SCALE.incidents;
    const scale: Scale = args.includes('--full') ? FULL_SCALE : { incidents, documents: incidents * 4 };
    const at = args.indexOf('--store');
    const path = at >= 0 ? (args[at + 1] as string) : await buildStore(scale);
    const result = await benchTaxii(path, { pages: arg('--pages'), log: console.error });
    console.log(JSON.stringify(result, null, 2));
  }
}
