import { stat } from 'node:fs/promises';
import { isIsoDate } from './dates.js';
import type { SourceResult } from './document.js';
import { createFetcher, type Fetcher } from './fetch.js';
import { readFileInput } from './file.js';
import { readFolder } from './folder.js';
import { describeFsError } from './fs-errors.js';
import { type ReadOptions, resolveOptions } from './options.js';
import { readStdin } from './stdin.js';
import { isUrlInput, readUrl } from './url.js';

export { type AddressPolicy, checkAllowList, refusedAddress } from './address-policy.js';
export { isIsoDate } from './dates.js';
export type { Document, SourceError, SourceResult } from './document.js';
export { type Feed, type FeedEntry, parseFeed } from './feed.js';
export {
  DEFAULT_INTERVAL_SECONDS,
  type FeedListResult,
  parseInterval,
  readFeedList,
  type WatchedFeed,
} from './feed-list.js';
export {
  createFetcher,
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_TIMEOUT_MS,
  type Fetcher,
  type FetchRequest,
  type FetchResult,
  type FetchSettings,
} from './fetch.js';
export { SUPPORTED_EXTENSIONS } from './file.js';
export { detectLanguage } from './language.js';
export { type NumberedLine, numberedLines } from './lines.js';
export { documentId, heldDocumentId, normaliseText } from './normalise.js';
export type { ReadOptions } from './options.js';
export { type FeedPoll, pollFeed, readFeedEntry } from './poll.js';
export { isUrlInput } from './url.js';

/**
 * Reads files, folders (recursively), `-` (stdin) and `http(s)://` URLs (an HTML page, or an RSS or
 * Atom feed: one document per entry) into documents, one result per document, in input order. Bad input never throws: it is a `{ ok: false, input, reason }` result and reading
 * goes on with the next input.
 *
 * @example
 * for await (const result of readSources(['articles/', '-'], { published: '2024-05-01' })) {
 *   if (result.ok) store(result.document);
 *   else console.error(`${result.input}: ${result.reason}`);
 * }
 */
export async function* readSources(
  inputs: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<SourceResult> {
  const resolved = resolveOptions(options);
  if (resolved.published !== undefined && !isIsoDate(resolved.published)) {
    // Stamping every document with a bad date would spoil them all; refuse once, up front.
    const reason = `'${resolved.published}' is not a date (YYYY-MM-DD or ISO date-time)`;
    yield { ok: false, input: 'published option', reason };
    return;
  }
  let fetcher: Fetcher | undefined;
  try {
    for (const input of inputs) {
      if (input === '-') {
        yield await readStdin(resolved);
        continue;
      }
      if (isUrlInput(input)) {
        fetcher ??= createFetcher(resolved.fetch);
        yield* readUrl(input, resolved, fetcher);
        continue;
      }
      let kind: 'file' | 'folder' | 'other';
      try {
        const stats = await stat(input);
        kind = stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
      } catch (error) {
        yield { ok: false, input, reason: describeFsError(error) };
        continue;
      }
      if (kind === 'folder') yield* readFolder(input, resolved);
      else if (kind === 'file') yield* readFileInput(input, resolved);
      else yield { ok: false, input, reason: 'is neither a file nor a folder' };
    }
  } finally {
    await fetcher?.close();
  }
}
