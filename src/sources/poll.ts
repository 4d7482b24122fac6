import type { SourceResult } from './document.js';
import type { Feed, FeedEntry } from './feed.js';
import { parseFeed } from './feed.js';
import type { Fetcher } from './fetch.js';
import { type ReadOptions, resolveOptions } from './options.js';
import { classify, entryDocument, FEED_ACCEPT } from './url.js';

/** What one poll of a feed gave: nothing new (HTTP 304), the feed, or why it failed. */
export type FeedPoll =
  | { readonly status: 'not_modified'; readonly etag: string | null; readonly lastModified: string | null }
  | {
      readonly status: 'fetched';
      /** After redirects: entries' relative links resolve against it. */
      readonly url: string;
      readonly feed: Feed;
      readonly etag: string | null;
      readonly lastModified: string | null;
    }
  | { readonly status: 'error'; readonly reason: string };

/** The validators of the last response, sent back as `If-None-Match` / `If-Modified-Since`. */
export interface Validators {
  readonly etag?: string | null;
  readonly lastModified?: string | null;
}

/** Fetches a feed with a conditional GET; a 304 means nothing changed since the validators were given. */
export async function pollFeed(
  url: string,
  validators: Validators,
  options: ReadOptions,
  fetcher: Fetcher,
  signal?: AbortSignal,
): Promise<FeedPoll> {
  const { maxBytes } = resolveOptions(options);
  const result = await fetcher.fetch(url, {
    maxBytes,
    accept: FEED_ACCEPT,
    etag: validators.etag ?? null,
    lastModified: validators.lastModified ?? null,
    ...(signal ? { signal } : {}),
  });
  if (result.ok && result.notModified) {
    return { status: 'not_modified', etag: result.etag, lastModified: result.lastModified };
  }
  const fetched = classify(result);
  if (fetched.kind === 'error') return { status: 'error', reason: fetched.reason };
  if (fetched.kind === 'page') return { status: 'error', reason: 'not a feed (an HTML page)' };
  const parsed = parseFeed(fetched.text, fetched.url);
  if (!parsed.ok) return { status: 'error', reason: parsed.reason };
  return {
    status: 'fetched',
    url: fetched.url,
    feed: parsed.feed,
    etag: result.ok ? result.etag : null,
    lastModified: result.ok ? result.lastModified : null,
  };
}

/** The document of one entry of a polled feed, read as `vigil ingest <feed>` reads it. */
export function readFeedEntry(
  entry: FeedEntry,
  feed: Feed,
  feedUrl: string,
  options: ReadOptions,
  fetcher: Fetcher,
  signal?: AbortSignal,
): Promise<SourceResult> {
  return entryDocument(entry, feed, feedUrl, resolveOptions(options), fetcher, signal);
}
