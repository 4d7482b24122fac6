import type { FetchSettings } from './fetch.js';

/** How `readSources` reads its inputs. */
export interface ReadOptions {
  /** Publication date applied to documents that carry none (`YYYY-MM-DD` or ISO date-time). */
  readonly published?: string;
  /** Outlet applied to documents that carry none. */
  readonly outlet?: string;
  /** Largest file (or JSON Lines line, stdin, or HTTP response) read, in bytes; default 10 MiB. */
  readonly maxBytes?: number;
  /** Where `-` reads from; default `process.stdin`. */
  readonly stdin?: NodeJS.ReadableStream;
  /** How `http(s)://` inputs are fetched: time limit, redirects, which addresses may be reached. */
  readonly fetch?: FetchSettings;
  /** Fetch the article of a feed entry that carries only a summary; default true. */
  readonly fetchArticles?: boolean;
  /** Outlet of every feed entry, over the feed's own title (a watch list's `outlet`). */
  readonly feedOutlet?: string;
}

export type ResolvedOptions = Readonly<
  Required<Pick<ReadOptions, 'maxBytes' | 'stdin' | 'fetch' | 'fetchArticles'>>
> &
  Pick<ReadOptions, 'published' | 'outlet' | 'feedOutlet'>;

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export function resolveOptions(options: ReadOptions): ResolvedOptions {
  return Object.freeze({
    published: options.published,
    outlet: options.outlet,
    maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
    stdin: options.stdin ?? process.stdin,
    fetch: options.fetch ?? {},
    fetchArticles: options.fetchArticles ?? true,
    feedOutlet: options.feedOutlet,
  });
}
