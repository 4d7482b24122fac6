/**
 * Latency of a 1,000-object TAXII 2.1 page at N incidents: a SQLite store is filled with N synthetic
 * incidents (each from a document of its own, copied from one extracted article with a new id and
 * date), `vigil serve`'s app listens on 127.0.0.1, and an organisation's key walks the `all`
 * collection page by page (following `next`), then reads the same pages again. Call
 * `benchTaxiiPage` from `npm run bench`, or run it alone:
 *
 *   npx tsx bench/taxii.ts [--incidents N] [--pages P]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadGroups } from '../src/knowledge/groups.js';
import { incidentsOf } from '../src/pipeline/ingest.js';
import type { Incident } from '../src/resolve/index.js';
import { buildServer } from '../src/server/app.js';
import { type Document, documentId } from '../src/sources/index.js';
import { openStore } from '../src/store/index.js';

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

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const arg = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : Number(args[at + 1]);
  };
  const result = await benchTaxiiPage({ incidents: arg('--incidents'), pages: arg('--pages') });
  console.log(JSON.stringify(result, null, 2));
}
