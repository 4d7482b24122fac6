import type { Command } from 'commander';
import type { ReadOptions } from '../../sources/index.js';
import { CliError, EXIT } from '../errors.js';
import { countOutcome, emptyTally, outcomeJson, outcomeLine, summaryLine } from '../format.js';
import { packageVersion, print } from '../io.js';
import { parseBytes, parsePublished } from '../options.js';
import { createReporter } from '../progress.js';
import { addMarkingOptions, type MarkingCliOptions, markingOf } from './orgs.js';
import {
  databaseOf,
  knowledgeBaseFiles,
  useKnowledgeBaseOf,
  withExamples,
  withKnowledgeBaseOption,
} from './shared.js';

/** The reading options `ingest` and `extract` share (the fetching ones are `ingest` and `watch`'s). */
export interface ReadCliOptions {
  readonly published?: string;
  readonly outlet?: string;
  readonly maxBytes: string;
  readonly timeout?: string;
  readonly allowPrivate?: boolean;
  /** false with `--no-fetch-articles`. */
  readonly fetchArticles?: boolean;
}

/** `--timeout` when not given. */
export const DEFAULT_TIMEOUT = '20s';

interface IngestOptions extends ReadCliOptions, MarkingCliOptions {
  readonly json?: boolean;
  readonly queue?: boolean;
  readonly maxHeap: string;
}

/** `--max-heap` when not given: about twice what a long ingest keeps alive, so peak RSS stays near 500 MB. */
export const DEFAULT_MAX_HEAP_MB = 256;

export function registerIngest(program: Command): void {
  const command = program
    .command('ingest')
    .description('Read articles and store the incidents found in them, with their evidence')
    .argument(
      '<inputs...>',
      'files (.txt .md .html .htm .jsonl), folders (read recursively), - for stdin, or http(s):// URLs of pages or RSS/Atom feeds',
    )
    .option('--published <date>', 'publication date (YYYY-MM-DD) for documents that carry none')
    .option('--outlet <name>', 'outlet for documents that carry none')
    .option(
      '--max-bytes <n>',
      'largest file, JSON Lines line, stdin or HTTP response read (such as 500000, 512KB)',
      '10MB',
    )
    .option(
      '--timeout <duration>',
      'time limit of each URL fetched, redirects included (such as 20s, 1m)',
      DEFAULT_TIMEOUT,
    )
    .option(
      '--allow-private',
      'fetch from private, loopback and link-local addresses too (refused by default)',
    )
    .option('--no-fetch-articles', "read feed entries from the feed's summary, without fetching each article")
    .option('--json', 'one JSON line per document instead of text')
    .option('--queue', 'queue one job per input for `vigil worker` processes instead of ingesting now')
    .option(
      '--max-heap <MB>',
      'heap limit of the ingesting thread in MB: bounds its memory on long inputs',
      String(DEFAULT_MAX_HEAP_MB),
    );
  addMarkingOptions(command);
  withKnowledgeBaseOption(command).action((inputs: string[], options: IngestOptions, self: Command) =>
    ingestCommand(inputs, options, self),
  );
  withExamples(
    command,
    'vigil ingest ../shared/examples/moscow-concert-hall.txt --published 2024-03-25',
    'vigil ingest https://example.org/story.html https://example.org/feed.xml',
    'curl -s https://example.org/article.html | vigil ingest - --outlet example.org',
  );
}

async function ingestCommand(inputs: string[], options: IngestOptions, command: Command): Promise<void> {
  const readOptions = readOptionsOf(options);
  const marking = markingOf(options);
  const location = databaseOf(command);
  if (options.queue) {
    const { enqueue, jobSpecs } = await import('./worker.js');
    await enqueue(location, jobSpecs(inputs, readOptions, marking), options.json === true);
    return;
  }
  const knowledgeBase = knowledgeBaseFiles(command.optsWithGlobals<{ kb?: string[] }>().kb, process.env);
  // User files are checked here, their problems printed, before the thread starts.
  if (knowledgeBase.length > 0) await useKnowledgeBaseOf(command);
  const heapMb = parseHeap(options.maxHeap);
  if (inputs.includes('-') && process.stdin.isTTY) {
    process.stderr.write('vigil: reading an article from stdin (end it with Ctrl-D)\n');
  }
  const { ingestInThread } = await import('../ingest-thread.js');
  const job = { location, inputs, read: readOptions, marking, knowledgeBase };
  const tally = emptyTally();
  const reporter = createReporter(process.stderr.isTTY === true);
  try {
    for await (const outcome of ingestInThread(job, heapMb)) {
      countOutcome(tally, outcome);
      reporter.tick(outcome.origin);
      if (options.json) await reporter.out(outcomeJson(outcome));
      else if (outcome.status === 'error') await reporter.err(outcomeLine(outcome));
      else await reporter.out(outcomeLine(outcome));
    }
  } finally {
    reporter.stop();
  }
  if (!options.json) await print(summaryLine(tally));
  if (tally.error > 0) process.exitCode = EXIT.badInput;
}

export function readOptionsOf(options: ReadCliOptions): ReadOptions {
  const outlet = options.outlet?.trim();
  if (outlet === '') throw new CliError('--outlet', 'must not be empty');
  return {
    ...(options.published === undefined
      ? {}
      : { published: parsePublished('--published', options.published) }),
    ...(outlet === undefined ? {} : { outlet }),
    maxBytes: parseBytes('--max-bytes', options.maxBytes),
    fetch: {
      timeoutMs: parseTimeout('--timeout', options.timeout ?? DEFAULT_TIMEOUT),
      policy: { allowPrivate: options.allowPrivate === true },
      userAgent: `Vigil/${packageVersion()} (news reader for terrorism incident records)`,
    },
    fetchArticles: options.fetchArticles !== false,
  };
}

/** `--max-heap`: a whole number of megabytes, at least 64 (the gazetteer alone needs about 60). */
export function parseHeap(value: string): number {
  const mb = Number(value.trim());
  if (!Number.isSafeInteger(mb) || mb < 64)
    throw new CliError('--max-heap', `'${value}' is not a heap size in MB (a whole number, at least 64)`);
  return mb;
}

/** A time limit in milliseconds: seconds, or a number with a unit (`20`, `20s`, `500ms`, `1m`). */
export function parseTimeout(option: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i.exec(value.trim());
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match?.[2] ?? 's').toLowerCase() as 'ms' | 's' | 'm'];
  const ms = match ? Math.round(Number(match[1]) * unit) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new CliError(option, `'${value}' is not a duration (such as 20s, 500ms or 1m)`);
  }
  return ms;
}
