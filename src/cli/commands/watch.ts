import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { ArmedGroup } from '../../knowledge/groups.js';
import type { IngestOutcome } from '../../pipeline/ingest.js';
import type { Fetcher, ReadOptions, SourceResult, WatchedFeed } from '../../sources/index.js';
import type { FeedState, Store } from '../../store/index.js';
import { CliError, EXIT } from '../errors.js';
import {
  countOutcome,
  emptyTally,
  type IngestTally,
  outcomeJson,
  outcomeLine,
  summaryLine,
} from '../format.js';
import { heapLimitMb, relaunchCapped } from '../heap-cap.js';
import { print, withStore } from '../io.js';
import { createReporter, type Reporter } from '../progress.js';
import {
  DEFAULT_MAX_HEAP_MB,
  DEFAULT_TIMEOUT,
  parseHeap,
  type ReadCliOptions,
  readOptionsOf,
} from './ingest.js';
import { databaseOf, useKnowledgeBaseOf, withExamples, withKnowledgeBaseOption } from './shared.js';

interface WatchOptions extends ReadCliOptions {
  readonly once?: boolean;
  readonly maxHeap: string;
  readonly interval: string;
  readonly json?: boolean;
}

/** A failing feed is retried after 1 min, then 2, 4, 8 … up to 1 h (or its interval, if longer). */
const FIRST_RETRY_SECONDS = 60;
const MAX_RETRY_SECONDS = 3600;

export function registerWatch(program: Command): void {
  const command = program
    .command('watch')
    .description('Poll RSS and Atom feeds on a schedule and ingest their new entries')
    .argument('<feeds.yaml>', 'YAML list of feeds: URLs, or {url, interval, outlet}')
    .option('--once', 'poll every feed once, whether due or not, then exit (for cron and tests)')
    .option(
      '--interval <duration>',
      'time between polls of a feed that sets none (such as 90, 30s, 5m, 1h)',
      '15m',
    )
    .option('--published <date>', 'publication date (YYYY-MM-DD) for documents that carry none')
    .option('--outlet <name>', 'outlet for entries of a feed with no title (default: its host)')
    .option('--max-bytes <n>', 'largest feed or article read (such as 500000, 512KB)', '10MB')
    .option(
      '--timeout <duration>',
      'time limit of each fetch, redirects included (such as 20s, 1m)',
      DEFAULT_TIMEOUT,
    )
    .option(
      '--allow-private',
      'fetch from private, loopback and link-local addresses too (refused by default)',
    )
    .option('--no-fetch-articles', "read entries from the feed's summary, without fetching each article")
    .option('--json', 'one JSON line per document and per feed polled instead of text')
    .option('--max-heap <MB>', 'heap limit of the watching process, in MB', String(DEFAULT_MAX_HEAP_MB));
  withKnowledgeBaseOption(command).action((file: string, options: WatchOptions, self: Command) =>
    watchCommand(file, options, self),
  );
  withExamples(
    command,
    'vigil watch feeds.yaml',
    'vigil watch feeds.yaml --once --db /var/lib/vigil/vigil.db   # from cron',
  );
}

/** What one round of polls did, for its summary line. */
interface RoundTally extends IngestTally {
  polled: number;
  notModified: number;
  failed: number;
}

async function watchCommand(file: string, options: WatchOptions, command: Command): Promise<void> {
  const { parseInterval, readFeedList, createFetcher } = await import('../../sources/index.js');
  const interval = parseInterval(options.interval);
  if (interval === null) {
    throw new CliError(
      '--interval',
      `'${options.interval}' is not an interval of at least 10 s (such as 5m)`,
    );
  }
  const readOptions = readOptionsOf(options);
  const location = databaseOf(command);
  const list = await readFeedList(file, interval);
  if (!list.ok) throw new CliError(file, list.reason);
  const relaunched = await relaunchCapped(parseHeap(options.maxHeap));
  if (relaunched !== null) {
    process.exitCode = relaunched;
    return;
  }
  const kb = await useKnowledgeBaseOf(command);

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (!stop.signal.aborted) process.stderr.write(`vigil: ${signal}: stopping\n`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let problems = false;
  try {
    await withStore(location, async (store) => {
      await store.syncKnowledgeBase(kb);
      const watcher: Watcher = {
        store,
        groups: new Map(kb.groups.map((g) => [g.id, g])),
        fetcher: createFetcher(readOptions.fetch),
        readOptions,
        json: options.json === true,
        signal: stop.signal,
      };
      try {
        if (options.once) {
          problems = await round(watcher, list.feeds);
          return;
        }
        process.stderr.write(
          `vigil watch, process ${process.pid}: ${list.feeds.length} feed${list.feeds.length === 1 ? '' : 's'} (heap limit ${heapLimitMb()} MB)\n`,
        );
        while (!stop.signal.aborted) {
          const now = Date.now();
          const states = new Map((await store.listFeedStates()).map((s) => [s.url, s]));
          const due = list.feeds.filter((feed) => dueAt(states.get(feed.url)) <= now);
          if (due.length > 0) await round(watcher, due);
          if (stop.signal.aborted) break;
          const after = new Map((await store.listFeedStates()).map((s) => [s.url, s]));
          const next = Math.min(...list.feeds.map((feed) => dueAt(after.get(feed.url))));
          await sleep(Math.max(1000, next - Date.now()), undefined, { signal: stop.signal }).catch(() => {});
        }
      } finally {
        await watcher.fetcher.close();
      }
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (problems) process.exitCode = EXIT.badInput;
}

interface Watcher {
  readonly store: Store;
  readonly groups: ReadonlyMap<string, ArmedGroup>;
  readonly fetcher: Fetcher;
  readonly readOptions: ReadOptions;
  readonly json: boolean;
  readonly signal: AbortSignal;
}

function dueAt(state: FeedState | undefined): number {
  const next = state?.nextAttempt ? Date.parse(state.nextAttempt) : Number.NaN;
  return Number.isNaN(next) ? 0 : next;
}

/** Polls each feed in turn; true when a feed failed or an entry was refused. */
async function round(watcher: Watcher, feeds: readonly WatchedFeed[]): Promise<boolean> {
  const tally: RoundTally = { ...emptyTally(), polled: 0, notModified: 0, failed: 0 };
  const reporter = createReporter(process.stderr.isTTY === true);
  try {
    for (const feed of feeds) {
      if (watcher.signal.aborted) break;
      await pollOne(watcher, feed, tally, reporter);
    }
  } finally {
    reporter.stop();
  }
  if (!watcher.json) {
    const feedsPart = `${tally.polled} feed${tally.polled === 1 ? '' : 's'} polled (${tally.notModified} not modified, ${tally.failed} failed)`;
    // After reporter.stop(): the live counter is gone, so the line goes straight to stdout.
    await print(`${feedsPart}; ${summaryLine(tally)}`);
  }
  return tally.failed > 0 || tally.error > 0;
}

async function pollOne(
  watcher: Watcher,
  feed: WatchedFeed,
  tally: RoundTally,
  reporter: Reporter,
): Promise<void> {
  const { pollFeed, readFeedEntry } = await import('../../sources/index.js');
  const { store, signal } = watcher;
  const before: FeedState = (await store.getFeedState(feed.url)) ?? {
    url: feed.url,
    etag: null,
    lastModified: null,
    lastAttempt: null,
    lastSuccess: null,
    failures: 0,
    lastError: null,
    nextAttempt: null,
  };
  const attempt = new Date();
  const poll = await pollFeed(feed.url, before, watcher.readOptions, watcher.fetcher, signal);
  if (signal.aborted) return; // stopped mid-poll: not the feed's failure
  tally.polled++;
  const succeeded = (validators: Pick<FeedState, 'etag' | 'lastModified'>): FeedState => ({
    ...before,
    ...validators,
    lastAttempt: attempt.toISOString(),
    lastSuccess: attempt.toISOString(),
    failures: 0,
    lastError: null,
    nextAttempt: new Date(attempt.getTime() + feed.interval * 1000).toISOString(),
  });

  if (poll.status === 'error') {
    tally.failed++;
    const failures = before.failures + 1;
    const delay = retryDelaySeconds(failures, feed.interval);
    const nextAttempt = new Date(attempt.getTime() + delay * 1000).toISOString();
    await store.saveFeedState({
      ...before,
      lastAttempt: attempt.toISOString(),
      failures,
      lastError: poll.reason,
      nextAttempt,
    });
    await reporter.err(
      watcher.json
        ? JSON.stringify({
            status: 'error',
            origin: feed.url,
            reason: poll.reason,
            failures,
            next_attempt: nextAttempt,
          })
        : `error ${feed.url}: ${poll.reason} (failed ${failures} time${failures === 1 ? '' : 's'} in a row; next attempt in ${humanSeconds(delay)})`,
    );
    return;
  }

  if (poll.status === 'not_modified') {
    tally.notModified++;
    await store.saveFeedState(
      succeeded({ etag: poll.etag ?? before.etag, lastModified: poll.lastModified ?? before.lastModified }),
    );
    await reporter.out(
      watcher.json
        ? JSON.stringify({ status: 'feed', url: feed.url, result: 'not_modified' })
        : `feed ${feed.url}: not modified`,
    );
    return;
  }

  // The feed's row first (its entries refer to it), with the old validators: if the run stops
  // before every new entry is read, the next poll fetches the whole feed again.
  await store.saveFeedState({ ...before, lastAttempt: attempt.toISOString() });
  const entries = poll.feed.entries;
  const known = await store.knownFeedEntries(
    feed.url,
    entries.map((e) => e.key),
  );
  const fresh = entries.filter((e) => !known.has(e.key));
  await reporter.out(
    watcher.json
      ? JSON.stringify({
          status: 'feed',
          url: feed.url,
          result: 'fetched',
          new: fresh.length,
          known: known.size,
        })
      : `feed ${feed.url}: ${fresh.length} new entr${fresh.length === 1 ? 'y' : 'ies'}, ${known.size} already read`,
  );
  let complete = true;
  const options = { ...watcher.readOptions, ...(feed.outlet === null ? {} : { feedOutlet: feed.outlet }) };
  for (const entry of fresh) {
    if (signal.aborted) {
      complete = false;
      break;
    }
    const result = await readFeedEntry(entry, poll.feed, poll.url, options, watcher.fetcher, signal);
    if (signal.aborted) {
      complete = false;
      break;
    }
    const outcome = await storeResult(watcher, result);
    countOutcome(tally, outcome);
    reporter.tick(outcome.origin);
    if (outcome.status === 'error') complete = false;
    else await store.rememberFeedEntries(feed.url, [entry.key]);
    if (watcher.json) await reporter.out(outcomeJson(outcome));
    else if (outcome.status === 'error') await reporter.err(outcomeLine(outcome));
    else await reporter.out(outcomeLine(outcome));
  }
  // A refused entry (its article unreachable, say) is retried at the next poll, so the validators
  // that would make that poll a 304 are kept only once every entry has been read.
  await store.saveFeedState(
    complete
      ? succeeded({ etag: poll.etag, lastModified: poll.lastModified })
      : succeeded({ etag: before.etag, lastModified: before.lastModified }),
  );
}

/** One document into the store, as `vigil ingest` does: already known by id, else extracted and saved. */
async function storeResult(watcher: Watcher, result: SourceResult): Promise<IngestOutcome> {
  if (!result.ok) return { status: 'error', origin: result.input, reason: result.reason };
  const { storeDocument } = await import('../../pipeline/ingest.js');
  return storeDocument(watcher.store, result.document, watcher.groups);
}

/** Exponential backoff after `failures` failed polls in a row, capped at 1 h or the feed's interval. */
export function retryDelaySeconds(failures: number, interval: number): number {
  const cap = Math.max(MAX_RETRY_SECONDS, interval);
  return Math.min(FIRST_RETRY_SECONDS * 2 ** Math.max(0, failures - 1), cap);
}

function humanSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}
