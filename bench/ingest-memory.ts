/**
 * `npm run bench:memory`: peak RSS of `vigil ingest` streaming a large JSON Lines file (default
 * 100,000 synthetic articles, `--articles N`) into a fresh SQLite store. The target is ≤ 500 MB:
 * nothing may hold a whole input in memory. The file is written once, streamed, and cached under
 * .vigil/bench/; the built CLI (dist/, `npm run build`) runs as a child process whose VmHWM (peak
 * resident set) is read from /proc while it runs; throughput is reported too, overall and every
 * 30 s (it falls as the store grows).
 *
 *   npx tsx bench/ingest-memory.ts [--articles 100000] [--db postgres://…] [--heap MB]
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, syntheticArticle } from './synthetic.js';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

async function articlesFile(n: number): Promise<string> {
  const path = fileURLToPath(new URL(`articles-${n}.jsonl`, CACHE));
  if (existsSync(path)) return path;
  mkdirSync(fileURLToPath(CACHE), { recursive: true });
  const partial = `${path}.partial`;
  const out = createWriteStream(partial);
  for (let i = 0; i < n; i++) {
    if (!out.write(`${JSON.stringify(syntheticArticle(i, 3))}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  renameSync(partial, path);
  return path;
}

/** A running process's peak resident set (VmHWM), in MB; null once it has gone. */
export function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export interface MemoryOptions {
  readonly articles: number;
  /** A PostgreSQL URL; a fresh SQLite file otherwise. */
  readonly db?: string | undefined;
  /** node flags for the ingesting process (`--max-old-space-size=256` to show what the heap needs). */
  readonly nodeFlags?: readonly string[];
  readonly log?: (line: string) => void;
}

/** Streams `articles` synthetic articles through `vigil ingest` and samples its peak RSS. */
export async function benchMemory(options: MemoryOptions) {
  const { articles, nodeFlags = [], log = console.error } = options;
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first`);
  const file = await articlesFile(articles);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-memory-'));
  const db = options.db ?? join(dir, 'ingest.db');
  const started = Date.now();
  const child = spawn(process.execPath, [...nodeFlags, MAIN, '--db', db, 'ingest', file, '--json'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peak = 0;
  let lines = 0;
  let stored = 0;
  let rest = '';
  // Every 30 s: documents so far, the rate since the last sample (ingest slows as the store grows),
  // and peak RSS.
  const samples: { s: number; docs: number; docs_per_s: number; rss_mb: number }[] = [];
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    lines += parts.length;
    for (const p of parts) if (p.startsWith('{"status":"stored"')) stored += 1;
  });
  const timer = setInterval(() => {
    const rss = peakRssMb(child.pid as number);
    if (rss !== null) peak = Math.max(peak, rss);
    const s = Math.round((Date.now() - started) / 1000);
    const last = samples.at(-1) ?? { s: 0, docs: 0 };
    if (s % 30 === 0 && s > last.s) {
      const rate = Math.round((lines - last.docs) / (s - last.s));
      samples.push({ s, docs: lines, docs_per_s: rate, rss_mb: peak });
      log(`${s} s: ${lines} documents (${rate}/s over the last ${s - last.s} s), peak RSS ${peak} MB`);
    }
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const seconds = (Date.now() - started) / 1000;
  const results = {
    when: new Date().toISOString(),
    articles,
    node_flags: nodeFlags,
    input_bytes: readFileSync(file).length,
    exit_code: code,
    documents_reported: lines,
    stored,
    seconds: Math.round(seconds),
    docs_per_s: Math.round(lines / seconds),
    peak_rss_mb: peak,
    target_mb: 500,
    samples,
  };
  rmSync(dir, { recursive: true, force: true });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--articles');
  const dbAt = args.indexOf('--db');
  // `--heap 256`: cap V8's old space (node --max-old-space-size), to show what the heap really needs.
  const heapAt = args.indexOf('--heap');
  const results = await benchMemory({
    articles: at >= 0 ? Number(args[at + 1]) : 100_000,
    db: dbAt >= 0 ? args[dbAt + 1] : undefined,
    nodeFlags: heapAt >= 0 ? [`--max-old-space-size=${Number(args[heapAt + 1])}`] : [],
  });
  writeFileSync(new URL('memory-results.json', CACHE), `${JSON.stringify(results, null, 2)}\n`);
  console.log(JSON.stringify(results, null, 2));
  if (results.peak_rss_mb > 500 || results.exit_code !== 0) process.exitCode = 1;
}
